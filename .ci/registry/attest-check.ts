// The attestation half of the registry test: builds, from the pushed images, the inputs folder the
// module's `attest` builds (dagger/module/src/lib/attest.ts: publish's JSON, per platform image its
// root filesystem, its config and its build stage's bundle SBOM), runs the script `attest` runs
// (dagger/release/attest-published.ts --inputs DIR) on it as a child process, finds the
// attestations again by digest through the registry API, verifies them, and shows that
// verification fails on a changed image and on a changed attestation.

import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import { KEY_HINT } from "../../dagger/release/attest-published.js";
import { verifyImage } from "../../dagger/release/attestations.js";
import type { Descriptor, RegistryEndpoint } from "../../dagger/release/oci-registry.js";
import { attach, getBlob, getManifest, referrers } from "../../dagger/release/oci-registry.js";
import { SLSA_PROVENANCE_V1 } from "../../dagger/release/provenance.js";
import type { KeyPair } from "../../dagger/release/signing.js";
import { generateKeyPair } from "../../dagger/release/signing.js";
import type { PlatformConfig } from "../../dagger/module/src/lib/attest.js";
import { ATTEST_COMMAND, ATTEST_INPUTS, parsePublished, platformInputs, PUBLISHED_FILE } from "../../dagger/module/src/lib/attest.js";
import { architectureOf, parsePlatform } from "../../dagger/module/src/lib/platforms.js";
import { run } from "./processes.js";

export interface Attester {
  readonly keys: KeyPair;
  readonly publicKey: { readonly pem: string; readonly hint: string };
}

/**
 * A key pair made for this run, under the name attest-published.ts gives a SIGNING_KEY: the
 * registry test signs as "a local builder", never as GitHub.
 */
export function localAttester(): Attester {
  const keys = generateKeyPair(KEY_HINT);
  return { keys, publicKey: { pem: keys.publicKey, hint: keys.hint } };
}

/** What a platform image of publish's JSON contributes to the inputs, fetched as `attest` fetches it. */
export interface PlatformSource {
  /** A folder holding the image's root filesystem, the image pulled by this digest. */
  rootfs(repository: string, digest: string, architecture: string): Promise<string>;
  /** The image's config (the OCI image config JSON) as the registry serves it for this digest. */
  config(repository: string, digest: string): Promise<string>;
  /** The bundle SBOM of the service in the build stage of this platform. */
  bundleSbom(service: string, architecture: string): Promise<string>;
}

/** What the module writes as config.json: NODE_VERSION from the config's Env, the version label. */
export function platformConfigOf(ociConfig: string): PlatformConfig {
  const config = (JSON.parse(ociConfig) as { config?: { Env?: string[]; Labels?: Record<string, string> } }).config ?? {};
  const env = (config.Env ?? []).find((entry) => entry.startsWith("NODE_VERSION="));
  return { nodeVersion: env?.slice("NODE_VERSION=".length) ?? "", version: config.Labels?.["org.opencontainers.image.version"] ?? "" };
}

/**
 * The inputs folder of the module's `attest` (dagger/module/src/index.ts), at `dir`: publish's JSON
 * as PUBLISHED_FILE, and per platform image the paths of platformInputs. The module copies each
 * image's root filesystem there; here the rootfs path is a symbolic link to podman's read-only
 * mount of the image, which the script reads the same way (every path is joined below it).
 */
export async function writeAttestInputs(dir: string, publishedJson: string, source: PlatformSource): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, PUBLISHED_FILE), publishedJson);
  for (const image of parsePublished(publishedJson)) {
    for (const entry of image.platforms) {
      const architecture = architectureOf(parsePlatform(entry.platform, entry.platform));
      const paths = platformInputs(image.service, architecture);
      await mkdir(dirname(join(dir, paths.rootfs)), { recursive: true });
      await symlink(await source.rootfs(image.repository, entry.digest, architecture), join(dir, paths.rootfs));
      await writeFile(join(dir, paths.bundleSbom), await source.bundleSbom(image.service, architecture));
      await writeFile(join(dir, paths.config), JSON.stringify(platformConfigOf(await source.config(image.repository, entry.digest))));
    }
  }
}

/** The variables the module's runner sets for the script (index.ts, `attest`), signing with a key. */
export interface AttestEnvironment {
  readonly signingKey: string;
  readonly username: string;
  readonly password: string;
  readonly sha: string;
  readonly sourceUrl: string;
  /** The registry's certificate (PEM file): Node's fetches trust it besides the public roots. */
  readonly caFile: string;
}

/**
 * Runs ATTEST_COMMAND, the module's command line with the inputs folder at `inputs` instead of
 * ATTEST_INPUTS, from the repository root, in an environment of only what the module's container
 * gets: no GITHUB_* or ACTIONS_* variable of this machine reaches it. Returns its output; rejects
 * with it when it exits non-zero.
 */
export async function runAttestPublished(root: string, inputs: string, attest: AttestEnvironment, timeoutMs: number): Promise<string> {
  const [command, ...args] = ATTEST_COMMAND;
  if (command === undefined || args.at(-1) !== ATTEST_INPUTS) throw new Error(`ATTEST_COMMAND does not end with ${ATTEST_INPUTS}: ${ATTEST_COMMAND.join(" ")}`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    NODE_EXTRA_CA_CERTS: attest.caFile,
    REGISTRY_USERNAME: attest.username,
    REGISTRY_PASSWORD: attest.password,
    SHA: attest.sha,
    SOURCE_URL: attest.sourceUrl,
    ATTESTED_AT: new Date().toISOString(),
    SIGNING_KEY: attest.signingKey,
  };
  return run(command, [...args.slice(0, -1), inputs], { env, cwd: root, timeoutMs });
}

export interface PushedImage {
  readonly service: string;
  /** Repository path inside the registry, e.g. bookstore/wrk-base. */
  readonly path: string;
  /** Full name, e.g. 127.0.0.1:5000/bookstore/wrk-base. */
  readonly repository: string;
  readonly indexDigest: string;
  readonly commit: string;
  readonly tags: readonly string[];
}

/** Verification must pass now; the lines say what was found where. */
export async function expectVerified(endpoint: RegistryEndpoint, image: PushedImage, reference: string, attester: Attester): Promise<string> {
  const verified = await verifyImage(endpoint, image.path, reference, attester.publicKey);
  const { api } = await referrers(endpoint, image.path, verified.digest);
  const components = verified.platforms.map((p) => `${p.platform} ${((p.sbom.statement.predicate as { components?: unknown[] }).components ?? []).length} components`);
  return `${image.service}:${reference} = ${verified.digest}: provenance verified, SBOMs verified (${components.join(", ")}), found by digest via ${api ? "the referrers API" : "the sha256-<hex> fallback tag"}`;
}

/** Verification must fail, with a message that says why. */
export async function expectRejected(endpoint: RegistryEndpoint, image: PushedImage, reference: string, attester: Attester, why: RegExp): Promise<string> {
  try {
    await verifyImage(endpoint, image.path, reference, attester.publicKey);
  } catch (error) {
    const message = (error as Error).message;
    if (!why.test(message)) throw new Error(`${image.service}:${reference} was rejected, but not for the expected reason ${why}: ${message}`, { cause: error });
    return message;
  }
  throw new Error(`${image.service}:${reference} verified, though it must not`);
}

/** The genuine provenance bundle of an index, as attached. */
async function provenanceBundle(endpoint: RegistryEndpoint, image: PushedImage): Promise<{ descriptor: Descriptor; bundle: { dsseEnvelope: { payload: string } } }> {
  const { descriptors } = await referrers(endpoint, image.path, image.indexDigest);
  const descriptor = descriptors.find((entry) => entry.annotations?.["dev.sigstore.bundle.predicateType"] === SLSA_PROVENANCE_V1);
  if (!descriptor) throw new Error(`${image.service}: no provenance attached to ${image.indexDigest}`);
  const manifest = await getManifest(endpoint, image.path, descriptor.digest);
  const layer = manifest?.body.layers?.[0];
  if (!layer) throw new Error(`${image.service}: provenance ${descriptor.digest} has no layer`);
  return { descriptor, bundle: JSON.parse((await getBlob(endpoint, image.path, layer.digest)).toString("utf8")) as { dsseEnvelope: { payload: string } } };
}

/** An attacker's copy of a genuine attestation, attached to another subject, with the payload optionally changed. */
export async function reattach(
  endpoint: RegistryEndpoint,
  from: PushedImage,
  to: { path: string; subject: Descriptor },
  change?: (statement: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const { descriptor, bundle } = await provenanceBundle(endpoint, from);
  if (change) {
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString("utf8")) as Record<string, unknown>;
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(change(statement))).toString("base64");
  }
  await attach(endpoint, to.path, to.subject, {
    artifactType: descriptor.artifactType ?? "",
    mediaType: descriptor.artifactType ?? "",
    bytes: Buffer.from(JSON.stringify(bundle)),
    annotations: descriptor.annotations ?? {},
  });
}

export async function indexDescriptor(endpoint: RegistryEndpoint, path: string, reference: string): Promise<Descriptor> {
  const index = await getManifest(endpoint, path, reference);
  if (!index) throw new Error(`${path}:${reference} is not in the registry`);
  return { mediaType: index.mediaType, digest: index.digest, size: index.bytes.length };
}
