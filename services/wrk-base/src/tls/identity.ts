// The identity of a caller, as its certificate names it: a SPIFFE ID in a URI SAN, made by
// compose/local/certs.ts (or the operator's own CA, with the same IDs):
//   spiffe://bookstore/orchestrator | gateway | admin | worker/<type>[/<rack>]
import type { PeerCertificate } from "node:tls";

/** What grpc-js 1.14 gives for a server call (`call.getAuthContext()`; the type is not exported). */
export interface AuthContext {
  transportSecurityType?: string;
  sslPeerCertificate?: PeerCertificate;
}

export const TRUST_DOMAIN = "bookstore";

export type Identity =
  | { readonly role: "orchestrator" | "gateway" | "admin" }
  | { readonly role: "worker"; readonly type: string; readonly rack?: string };

const SPIFFE_ID = /^spiffe:\/\/bookstore\/(?:(orchestrator|gateway|admin)|worker\/([a-z0-9]+)(?:\/([a-z0-9][a-z0-9-]{0,39}))?)$/;

/** The identity a SPIFFE ID names; undefined for any other text. */
export function parseSpiffeId(uri: string): Identity | undefined {
  const match = SPIFFE_ID.exec(uri);
  if (!match) return undefined;
  if (match[1] !== undefined) return { role: match[1] as "orchestrator" | "gateway" | "admin" };
  return match[3] === undefined ? { role: "worker", type: match[2] as string } : { role: "worker", type: match[2] as string, rack: match[3] };
}

export function spiffeIdOf(identity: Identity): string {
  if (identity.role !== "worker") return `spiffe://${TRUST_DOMAIN}/${identity.role}`;
  return `spiffe://${TRUST_DOMAIN}/worker/${identity.type}${identity.rack ? `/${identity.rack}` : ""}`;
}

/**
 * The bookstore identities in a certificate's subjectAltName as Node writes it
 * ("URI:spiffe://…, DNS:…"). An entry Node had to quote (it held a comma or a quote) is never one:
 * the IDs above have neither.
 */
export function identitiesInSubjectAltName(subjectAltName: string | undefined): Identity[] {
  const found: Identity[] = [];
  for (const entry of (subjectAltName ?? "").split(", ")) {
    if (!entry.startsWith("URI:")) continue;
    const identity = parseSpiffeId(entry.slice(4));
    if (identity) found.push(identity);
  }
  return found;
}

/**
 * The verified identity of the peer of a server call: present only when the TLS handshake
 * verified its certificate against our CA (grpc-js gives an empty context otherwise) and the
 * certificate names exactly one bookstore identity.
 */
export function peerIdentity(authContext: AuthContext | null | undefined): Identity | undefined {
  const certificate = authContext?.sslPeerCertificate;
  if (authContext?.transportSecurityType !== "ssl" || !certificate) return undefined;
  const found = identitiesInSubjectAltName(certificate.subjectaltname);
  return found.length === 1 ? found[0] : undefined;
}

export function describeIdentity(identity: Identity | undefined): string {
  return identity ? spiffeIdOf(identity) : "no verified client certificate";
}
