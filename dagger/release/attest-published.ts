// Signs and attaches the attestations of what `publish` pushed: what the module's `attest` runs in
// its node container, from the source (docs/releases.md). Per service the SLSA provenance of the
// index, per platform image the SBOM made from that image's own files (pulled by digest) and its
// build stage's bundle SBOM, checked against those files and the lockfile before it is signed.
// Signs keyless inside a GitHub Actions job that can ask for an OIDC token, else with the key in
// SIGNING_KEY (PEM); with a key, verifies every image afterwards as a user would.
// Usage: tsx dagger/release/attest-published.ts --inputs DIR   (the layout of dagger/module/src/lib/attest.ts)
// Environment: REGISTRY_USERNAME, REGISTRY_PASSWORD; SIGNING_KEY; SOURCE_URL, SHA (outside Actions);
// the CI_VARIABLES and ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN inside Actions.

import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import type { PlatformConfig, PublishedImage } from "../module/src/lib/attest.js";
import { PUBLISHED_FILE, parsePublished, platformInputs, registryHost } from "../module/src/lib/attest.js";
import { attestIndex, verifyImage } from "./attestations.js";
import { readImageFiles } from "./image-files.js";
import type { RegistryEndpoint } from "./oci-registry.js";
import type { BuildContext } from "./provenance.js";
import { githubContext } from "./provenance.js";
import { sbomMismatches } from "./sbom-check.js";
import { imageSbom, sha256Hex, validateSbom } from "./sbom.js";
import type { KeyPair } from "./signing.js";
import { signingFor } from "./signing.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The name (keyid) a SIGNING_KEY signs under; a verifier looks its public key up by it. */
export const KEY_HINT = "bookstore-release";

/** The key pair of a PEM private key (PKCS#8 or SEC1), its public half derived. */
export function keyPairOf(privateKeyPem: string): KeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new Error("attest: SIGNING_KEY is not an ECDSA P-256 private key");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    hint: KEY_HINT,
  };
}

/** The build's context: the GitHub Actions run, or a local run that says so. */
export function buildContextOf(env: NodeJS.ProcessEnv): BuildContext {
  const github = githubContext(env);
  if (github) return github;
  const sha = (env.SHA ?? "").trim().toLowerCase();
  return { kind: "local", host: hostname(), sourceUri: env.SOURCE_URL || "unknown", ref: env.GIT_REF || "unknown", sha, invocationId: `attest/${hostname()}/${process.pid}/${Date.now()}` };
}

/** The SBOM of one published platform image, from its files; throws when it does not match them. */
export async function platformSbom(inputs: string, image: PublishedImage, architecture: string, digest: string, lockfile: string): Promise<string> {
  const paths = platformInputs(image.service, architecture);
  const config = JSON.parse(readFileSync(join(inputs, paths.config), "utf8")) as PlatformConfig;
  const files = readImageFiles(join(inputs, paths.rootfs));
  const platform = `linux/${architecture}`;
  const sbom = imageSbom({
    repository: image.repository,
    service: image.service,
    platform,
    digest,
    version: config.version,
    osPackages: files.osPackages,
    ...(files.distro ? { distro: files.distro } : {}),
    nodeVersion: config.nodeVersion,
    nodeSha256: files.nodeSha256,
    bundleSha256: sha256Hex(files.bundle),
    certsToolSha256: sha256Hex(files.certsTool),
    bundleBom: readFileSync(join(inputs, paths.bundleSbom), "utf8"),
  });
  await validateSbom(sbom);
  // Node is not run here (a foreign platform would need emulation): its declared version stands in.
  const problems = sbomMismatches(sbom, { nodeVersion: config.nodeVersion, nodeSha256: files.nodeSha256, bundle: files.bundle, certsTool: files.certsTool, osPackages: files.osPackages, lockfile, platform });
  if (problems.length > 0) throw new Error(`${image.repository}@${digest}: the SBOM does not match the image, not signed:\n${problems.join("\n")}`);
  return sbom;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inputs: { type: "string" } } });
  const inputs = values.inputs ?? "";
  if (inputs === "") throw new Error("attest: --inputs DIR is needed");
  const env = process.env;
  const published = parsePublished(readFileSync(join(inputs, PUBLISHED_FILE), "utf8"));
  const keys = env.SIGNING_KEY ? keyPairOf(env.SIGNING_KEY) : undefined;
  const signing = signingFor(env, keys);
  const context = buildContextOf(env);
  const lockfile = readFileSync(join(ROOT, "package-lock.json"), "utf8");
  const credentials = env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD ? { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD } : undefined;
  const lines: string[] = [];
  for (const image of published) {
    const host = registryHost(image.repository);
    const endpoint: RegistryEndpoint = { baseUrl: `https://${host}`, ...(credentials ? { credentials } : {}) };
    const path = image.repository.slice(host.length + 1);
    const listed = new Map(image.platforms.map((p) => [p.digest, p.platform]));
    const attached = await attestIndex(
      endpoint,
      { path, repository: image.repository, indexDigest: image.indexDigest, context, buildParameters: { service: image.service, tags: image.tags, platforms: image.platforms.map((p) => p.platform) } },
      (architecture, digest) => {
        // The registry's index and publish's JSON must name the same platform images.
        if (listed.get(digest) !== `linux/${architecture}`) throw new Error(`${image.repository}@${image.indexDigest}: the registry lists linux/${architecture} ${digest}, publish's JSON does not`);
        return platformSbom(inputs, image, architecture, digest, lockfile);
      },
      signing,
    );
    let line = `${image.repository}@${image.indexDigest}: ${attached} signed attestations attached (${signing.kind === "key" ? "key pair" : "keyless"})`;
    if (keys) {
      const verified = await verifyImage(endpoint, path, image.indexDigest, { pem: keys.publicKey, hint: keys.hint });
      line += `; verified: provenance and ${verified.platforms.length} SBOMs`;
    }
    lines.push(line);
  }
  console.log(lines.join("\n"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
