// Signing and verifying in-toto statements as sigstore bundles with a key pair (what runs here;
// keyless signing needs a GitHub Actions OIDC token and is not run here).

import { expect } from "chai";

import { fallbackTag } from "../oci-registry.js";
import { IN_TOTO_PAYLOAD_TYPE, SIGSTORE_BUNDLE_TYPE, generateKeyPair, signStatement, signingFor, verifyStatement } from "../signing.js";

const STATEMENT = { _type: "https://in-toto.io/Statement/v1", subject: [{ name: "r", digest: { sha256: "ab".repeat(32) } }], predicateType: "p", predicate: { a: 1 } };

describe("dagger/release/signing: sigstore bundles of in-toto statements", () => {
  const keys = generateKeyPair("test-key");
  const publicKey = { pem: keys.publicKey, hint: keys.hint };

  it("signs a statement into a v0.3 bundle with a DSSE envelope that verifies back to the statement", async () => {
    const bundle = await signStatement(STATEMENT, { kind: "key", keys });
    expect(bundle.mediaType).to.equal(SIGSTORE_BUNDLE_TYPE);
    expect(bundle.dsseEnvelope?.payloadType).to.equal(IN_TOTO_PAYLOAD_TYPE);
    expect(verifyStatement(bundle, publicKey)).to.deep.equal(STATEMENT);
  });

  it("rejects a changed statement, another key, and a bundle that is not a statement's", async () => {
    const bundle = await signStatement(STATEMENT, { kind: "key", keys });
    const changed = structuredClone(bundle);
    if (!changed.dsseEnvelope) throw new Error("no envelope");
    changed.dsseEnvelope.payload = Buffer.from(JSON.stringify({ ...STATEMENT, predicate: { a: 2 } })).toString("base64");
    expect(() => verifyStatement(changed, publicKey)).to.throw("signature verification failed");
    const other = generateKeyPair("test-key");
    expect(() => verifyStatement(bundle, { pem: other.publicKey, hint: other.hint })).to.throw("signature verification failed");
    const typed = structuredClone(bundle);
    if (!typed.dsseEnvelope) throw new Error("no envelope");
    typed.dsseEnvelope.payloadType = "text/plain";
    expect(() => verifyStatement(typed, publicKey)).to.throw("not an in-toto statement");
  });

  it("signs keyless only in a GitHub Actions job that can ask for an OIDC token", () => {
    expect(signingFor({ GITHUB_ACTIONS: "true", ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.example" }, undefined)).to.deep.equal({ kind: "keyless" });
    expect(signingFor({ GITHUB_ACTIONS: "true" }, keys)).to.deep.equal({ kind: "key", keys });
    expect(() => signingFor({}, undefined)).to.throw("no key pair given");
  });

  it("names the OCI 1.1 fallback tag of a digest", () => {
    expect(fallbackTag(`sha256:${"0f".repeat(32)}`)).to.equal(`sha256-${"0f".repeat(32)}`);
    expect(() => fallbackTag("sha256:12")).to.throw("is not a sha256 digest");
  });
});
