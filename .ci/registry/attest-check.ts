// The attestation half of the registry test: signs and attaches the provenance of each pushed
// index and the SBOM of each platform image (dagger/release, the code the pipeline runs), finds
// them again by digest through the registry API, verifies them, and shows that verification
// fails on a changed image and on a changed attestation.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

import { attestIndex, verifyImage } from "../../dagger/release/attestations.js";
import type { Descriptor, RegistryEndpoint } from "../../dagger/release/oci-registry.js";
import { attach, getBlob, getManifest, referrers } from "../../dagger/release/oci-registry.js";
import { SLSA_PROVENANCE_V1 } from "../../dagger/release/provenance.js";
import type { KeyPair, Signing } from "../../dagger/release/signing.js";
import { generateKeyPair } from "../../dagger/release/signing.js";

/** Written by npm run test:images (.ci/images/image-sbom.ts), one per service and platform. */
export function sbomFile(root: string, service: string, arch: string): string {
  return join(root, ".ci", ".cache", "images", "sbom", `${service}-${arch}.cdx.json`);
}

export function missingSboms(root: string, services: readonly string[], arches: readonly string[]): string[] {
  return services.flatMap((service) => arches.map((arch) => sbomFile(root, service, arch))).filter((file) => !existsSync(file));
}

export interface Attester {
  readonly keys: KeyPair;
  readonly signing: Signing;
  readonly publicKey: { readonly pem: string; readonly hint: string };
}

/** A key pair made for this run: the registry test signs as "a local builder", never as GitHub. */
export function localAttester(): Attester {
  const keys = generateKeyPair("bookstore-registry-test");
  return { keys, signing: { kind: "key", keys }, publicKey: { pem: keys.publicKey, hint: keys.hint } };
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

/** Attaches the signed provenance of the index and the signed SBOM of each platform image (the code `attest` runs). */
export async function attestImage(endpoint: RegistryEndpoint, root: string, image: PushedImage, attester: Attester): Promise<number> {
  const index = await getManifest(endpoint, image.path, image.indexDigest);
  if (!index) throw new Error(`${image.repository}@${image.indexDigest} is not in the registry`);
  return attestIndex(
    endpoint,
    {
      path: image.path,
      repository: image.repository,
      indexDigest: image.indexDigest,
      context: { kind: "local", host: hostname(), sourceUri: `file://${root}`, ref: "refs/heads/main", sha: image.commit, invocationId: `registry-test/${process.pid}` },
      buildParameters: { service: image.service, tags: image.tags, platforms: (index.body.manifests ?? []).map((entry) => `${entry.platform?.os}/${entry.platform?.architecture}`) },
    },
    // OCI and the image scripts name architectures alike (amd64, arm64).
    (architecture) => readFile(sbomFile(root, image.service, architecture), "utf8"),
    attester.signing,
  );
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
