// A development CA and one certificate per identity of the system, for the mutual TLS between the
// services (docs/architecture.md, "Service identity"). `npm run certs [-- --out DIR]` writes them;
// `npm start`, the process tests and the stack tests call `ensureCerts` themselves.
//
// Each certificate names one identity as a SPIFFE ID in a URI SAN, which is what the services
// check (wrk-base src/tls/identity.ts reads it back):
//   spiffe://bookstore/orchestrator, spiffe://bookstore/gateway, spiffe://bookstore/admin (an
//   operator's grpcurl), spiffe://bookstore/worker/<type>[/<rack>] (a worker of that type, bound to
//   that rack when it has one).
// It also carries DNS and IP SANs (the service's name, localhost, 127.0.0.1, ::1), so that clients
// that check host names (grpcurl, buf curl) accept the servers' certificates.
//
// The keys are ECDSA P-256 (small, fast to make and to handshake with); kept files are reused while
// they are valid, so a restart keeps its certificates. Never commit the output (it is under .data/).
//
// One file with erasable TypeScript, as system.ts: Node 24 runs it as it is. Every image also
// carries it, bundled as /app/tools/certs.js (services/bundle.ts): compose's `certs` service and
// the image checks make their development CA with the image's own copy.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { X509Certificate as NodeX509 } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as x509 from "@peculiar/x509";
import { CATALOGUE_FILE, parseCatalogue, type Catalogue } from "../../dagger/module/src/lib/services.ts";
// Imported, not read from disk: every image carries this tool bundled (/app/tools/certs.js, for
// compose's `certs` service), with the catalogue it was built from and no repository around it.
import catalogueJson from "../../services/catalogue.json" with { type: "json" };

x509.cryptoProvider.set(webcrypto as never);

type Key = webcrypto.CryptoKey;
type KeyPair = webcrypto.CryptoKeyPair;

export const TRUST_DOMAIN = "bookstore";
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_CERTS_DIR = join(REPO_ROOT, ".data", "certs");

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
/** Below this much validity left, a kept certificate is made anew. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

/** The racks `npm start` runs (compose/local/system.ts), each with a certificate bound to it. */
export const NPM_START_RACKS: Readonly<Record<string, readonly string[]>> = { "wrk-book": ["rack-1", "rack-2"] };

export interface CertIdentity {
  /** File name stem: `<stem>.pem` and `<stem>-key.pem`. */
  stem: string;
  spiffeId: string;
  /** Host names the certificate is valid for besides localhost and the loopback addresses. */
  dnsNames: string[];
}

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

export interface CertSet {
  dir: string;
  caFile: string;
  /** By stem. */
  identities: Record<string, CertFiles>;
}

/**
 * The worker type a catalogued worker registers as: its name without `wrk-` (and a template's
 * `tpl-`), dashes removed, as `npm run new:worker` makes it (wrk-comic-book registers as
 * "comicbook"). The e2e system proves it for every worker: one whose certificate named another
 * type would be refused at registration and never come up.
 */
export function workerTypeOf(service: string): string {
  return service.replace(/^(tpl-)?wrk-/, "").replaceAll("-", "");
}

export function spiffeIdOf(role: "orchestrator" | "gateway" | "admin"): string;
export function spiffeIdOf(role: "worker", type: string, rack?: string): string;
export function spiffeIdOf(role: string, type?: string, rack?: string): string {
  const path = role === "worker" ? ["worker", type, ...(rack ? [rack] : [])] : [role];
  return `spiffe://${TRUST_DOMAIN}/${path.join("/")}`;
}

/** The file name stem of a service's certificate: `<service>`, or `<service>-<rack>` for one bound to a rack. */
export function certStem(service: string, rack?: string): string {
  return rack === undefined ? service : `${service}-${rack}`;
}

/**
 * The identities of a system of catalogued services: one per service (a worker without a rack),
 * one per rack given in `racks` (by service name), and `admin`.
 */
export function catalogueIdentities(catalogue: Catalogue, racks: Readonly<Record<string, readonly string[]>> = {}): CertIdentity[] {
  const identities: CertIdentity[] = [];
  for (const service of catalogue.services) {
    if (service.role === "worker") {
      const type = workerTypeOf(service.name);
      const ownRacks = racks[service.name] ?? [];
      // A rack-less certificate may serve any rack of its type: none for a service run as racks.
      if (ownRacks.length === 0) identities.push({ stem: certStem(service.name), spiffeId: spiffeIdOf("worker", type), dnsNames: [service.name] });
      for (const rack of ownRacks) {
        identities.push({ stem: certStem(service.name, rack), spiffeId: spiffeIdOf("worker", type, rack), dnsNames: [service.name, certStem(service.name, rack)] });
      }
    } else {
      identities.push({ stem: certStem(service.name), spiffeId: spiffeIdOf(service.role), dnsNames: [service.name] });
    }
  }
  identities.push({ stem: "admin", spiffeId: spiffeIdOf("admin"), dnsNames: [] });
  return identities;
}

export function readCatalogue(): Catalogue {
  return parseCatalogue(JSON.stringify(catalogueJson), CATALOGUE_FILE);
}

function stillValid(certFile: string, caPem?: string): boolean {
  if (!existsSync(certFile)) return false;
  try {
    const cert = new NodeX509(readFileSync(certFile));
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    return caPem === undefined || cert.checkIssued(new NodeX509(caPem));
  } catch {
    return false;
  }
}

function pemOfKey(pkcs8: ArrayBuffer): string {
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY") + "\n";
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

interface Ca {
  cert: x509.X509Certificate;
  key: Key;
  pem: string;
}

async function loadOrMakeCa(dir: string): Promise<Ca> {
  const caFile = join(dir, "ca.pem");
  const caKeyFile = join(dir, "ca-key.pem");
  if (stillValid(caFile) && existsSync(caKeyFile)) {
    const pem = readFileSync(caFile, "utf8");
    const der = x509.PemConverter.decodeFirst(readFileSync(caKeyFile, "utf8"));
    const key = await webcrypto.subtle.importKey("pkcs8", der, ALGORITHM, true, ["sign"]);
    return { cert: new x509.X509Certificate(pem), key, pem };
  }
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as KeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=bookstore development CA`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3 * 365 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = cert.toString("pem") + "\n";
  writePrivate(caKeyFile, pemOfKey(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as never)));
  writeFileSync(caFile, pem);
  return { cert, key: keys.privateKey, pem };
}

async function makeLeaf(ca: Ca, identity: CertIdentity, files: CertFiles): Promise<void> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as KeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${identity.stem}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "url", value: identity.spiffeId },
        ...[...new Set([...identity.dnsNames, "localhost"])].map((value) => ({ type: "dns" as const, value })),
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  writePrivate(files.keyFile, pemOfKey(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as never)));
  writeFileSync(files.certFile, cert.toString("pem") + "\n");
}

/**
 * Makes (or keeps, while valid and signed by the CA there) the CA in `dir` and a certificate per
 * identity. Returns where the files are.
 */
export async function ensureCerts(dir: string, identities: readonly CertIdentity[]): Promise<CertSet> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const ca = await loadOrMakeCa(out);
  const set: CertSet = { dir: out, caFile: join(out, "ca.pem"), identities: {} };
  for (const identity of identities) {
    const files = { certFile: join(out, `${identity.stem}.pem`), keyFile: join(out, `${identity.stem}-key.pem`) };
    const kept = stillValid(files.certFile, ca.pem) && existsSync(files.keyFile) && new NodeX509(readFileSync(files.certFile)).subjectAltName?.includes(`URI:${identity.spiffeId}`) === true;
    if (!kept) await makeLeaf(ca, identity, files);
    set.identities[identity.stem] = files;
  }
  return set;
}

/** The identity of a SPIFFE ID as a certificate to make: a stem from its path (worker-book-rack-1). */
export function identityOfSpiffeId(spiffeId: string): CertIdentity {
  const path = spiffeId.replace(`spiffe://${TRUST_DOMAIN}/`, "");
  if (path === spiffeId || !/^[a-z0-9/-]+$/.test(path)) throw new Error(`not a bookstore SPIFFE ID: ${spiffeId}`);
  return { stem: path.replaceAll("/", "-"), spiffeId, dnsNames: [] };
}

/** The TLS settings (contract: TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE) of one identity of a set. */
export function tlsEnv(set: CertSet, stem: string): Record<string, string> {
  const files = set.identities[stem];
  if (files === undefined) throw new Error(`no certificate ${stem} in ${set.dir}`);
  return { TLS_CA_FILE: set.caFile, TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile };
}

const USAGE = "usage: npm run certs -- [--out DIR] [--rack service:rack]... [--no-default-racks]";

export interface CertsCommand {
  out: string;
  /** Rack-bound certificates to make, by service: npm start's unless --no-default-racks, and every --rack. */
  racks: Record<string, string[]>;
}

/**
 * The tool's command line (`args` without node and the script), as its `main` reads it and as
 * tests read the command lines that run it (compose's `certs` job); throws on a wrong option.
 */
export function parseCertsCommand(args: readonly string[]): CertsCommand {
  const { values } = parseArgs({
    args: [...args],
    allowNegative: true,
    options: {
      out: { type: "string", default: DEFAULT_CERTS_DIR },
      // service:rack, for example wrk-book:rack-3: a rack-bound certificate beside the catalogue's.
      rack: { type: "string", multiple: true, default: [] },
      // --no-default-racks: not npm start's racks, so that every worker without a --rack gets a
      // certificate for any rack of its type (one container per service: the module's stack-test).
      "default-racks": { type: "boolean", default: true },
    },
  });
  const defaults = values["default-racks"] ? NPM_START_RACKS : {};
  const racks: Record<string, string[]> = Object.fromEntries(Object.entries(defaults).map(([service, list]) => [service, [...list]]));
  for (const item of values.rack) {
    const match = /^([a-z][a-z0-9-]*):([a-z0-9][a-z0-9-]{0,39})$/.exec(item);
    if (!match) throw new Error(`--rack must be service:rack, for example wrk-book:rack-3, not ${JSON.stringify(item)}`);
    (racks[match[1] as string] ??= []).push(match[2] as string);
  }
  return { out: values.out, racks };
}

async function main(): Promise<void> {
  let command: CertsCommand;
  try {
    command = parseCertsCommand(process.argv.slice(2));
  } catch (error) {
    // A wrong option ends the run with one line and the usage.
    console.error(`certs: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const set = await ensureCerts(command.out, catalogueIdentities(readCatalogue(), command.racks));
  console.log(`certs: CA ${set.caFile}`);
  for (const [stem, files] of Object.entries(set.identities)) console.log(`certs: ${stem.padEnd(22)} ${files.certFile}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
