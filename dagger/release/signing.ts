// Signs in-toto statements into sigstore bundles (DSSE), and verifies them.
//   - Under GitHub Actions: keyless. The workflow's OIDC token (the publish job alone has
//     `id-token: write`) gets a short-lived certificate from Fulcio naming the workflow, and the
//     signature goes into Rekor, sigstore's public transparency log. Users verify with cosign or
//     `gh attestation verify` against the identity and issuer in docs/releases.md.
//   - Anywhere else (the registry test here): an ECDSA P-256 key pair, the same bundle format and
//     the same verifier, which then trusts that one public key and no log.

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as signWithKey } from "node:crypto";

import type { SerializedBundle } from "@sigstore/bundle";
import { bundleFromJSON, bundleToJSON } from "@sigstore/bundle";
import { PublicKeyDetails } from "@sigstore/protobuf-specs";
import type { Signer } from "@sigstore/sign";
import { CIContextProvider, DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL, DSSEBundleBuilder, FulcioSigner, RekorWitness } from "@sigstore/sign";
import { Verifier, toSignedEntity, toTrustMaterial } from "@sigstore/verify";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
const NETWORK_TIMEOUT_MS = 30_000;

export interface KeyPair {
  /** PEM, PKCS#8 */
  readonly privateKey: string;
  /** PEM, SPKI */
  readonly publicKey: string;
  /** The key's name in the bundle (its keyid), which the verifier looks the key up by. */
  readonly hint: string;
}

export function generateKeyPair(hint: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), hint };
}

function keyPairSigner(keys: KeyPair): Signer {
  const privateKey = createPrivateKey(keys.privateKey);
  return {
    sign: (data: Buffer) => Promise.resolve({ signature: signWithKey("sha256", data, privateKey), key: { $case: "publicKey", publicKey: keys.publicKey, hint: keys.hint } }),
  };
}

export type Signing = { readonly kind: "key"; readonly keys: KeyPair } | { readonly kind: "keyless" };

/** Keyless inside a GitHub Actions job that may ask for an OIDC token; otherwise a key pair is needed. */
export function signingFor(env: NodeJS.ProcessEnv, keys: KeyPair | undefined): Signing {
  if (env.GITHUB_ACTIONS === "true" && env.ACTIONS_ID_TOKEN_REQUEST_URL) return { kind: "keyless" };
  if (!keys) throw new Error("signing: no key pair given, and this is not a GitHub Actions job with id-token: write (keyless needs one)");
  return { kind: "key", keys };
}

/** The statement signed as a DSSE envelope, in a sigstore bundle (JSON). */
export async function signStatement(statement: unknown, signing: Signing): Promise<SerializedBundle> {
  const builder =
    signing.kind === "key"
      ? new DSSEBundleBuilder({ signer: keyPairSigner(signing.keys), witnesses: [] })
      : new DSSEBundleBuilder({
          signer: new FulcioSigner({ identityProvider: new CIContextProvider("sigstore"), fulcioBaseURL: DEFAULT_FULCIO_URL, timeout: NETWORK_TIMEOUT_MS }),
          witnesses: [new RekorWitness({ rekorBaseURL: DEFAULT_REKOR_URL, timeout: NETWORK_TIMEOUT_MS })],
        });
  const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: IN_TOTO_PAYLOAD_TYPE });
  return bundleToJSON(bundle);
}

/**
 * Checks the bundle's signature with the given public key and returns the statement it signs.
 * Throws (sigstore's VerificationError, e.g. "signature verification failed") when it does not hold.
 */
export function verifyStatement(bundleJson: unknown, publicKey: { readonly pem: string; readonly hint: string }): unknown {
  const bundle = bundleFromJSON(bundleJson);
  if (bundle.content.$case !== "dsseEnvelope") throw new Error("verify: the bundle holds no DSSE envelope");
  if (bundle.content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new Error(`verify: the payload is ${bundle.content.dsseEnvelope.payloadType}, not an in-toto statement`);
  const trust = toTrustMaterial(
    { mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1", tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] },
    {
      [publicKey.hint]: {
        rawBytes: createPublicKey(publicKey.pem).export({ type: "spki", format: "der" }),
        keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
        validFor: { start: new Date(0) },
      },
    },
  );
  // A key pair has no certificate, log entry or timestamp to count: the signature is the check.
  new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, tsaThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
  return JSON.parse(bundle.content.dsseEnvelope.payload.toString("utf8")) as unknown;
}
