// Signed attestations on a published image, and their verification:
//   - the SLSA provenance of the index (the digest a tag names), and
//   - the SBOM of each platform image (an in-toto statement with the CycloneDX document inside),
// each signed into a sigstore bundle and attached as an OCI 1.1 artifact whose subject is that
// digest, in the layout cosign (v2.5+ with --new-bundle-format) and `gh attestation` use: artifact
// type application/vnd.dev.sigstore.bundle.v0.3+json, the predicate type as an annotation.
// Verification starts from a tag, resolves it to a digest from the bytes the registry serves,
// and accepts the image only when every attached bundle verifies and names that digest, the
// index has provenance and every platform an SBOM.

import type { RegistryEndpoint, Descriptor } from "./oci-registry.js";
import { attach, getBlob, getManifest, MEDIA_TYPES, referrers } from "./oci-registry.js";
import type { BuildContext, InTotoStatement } from "./provenance.js";
import { IN_TOTO_STATEMENT_V1, provenanceStatement, SLSA_PROVENANCE_V1 } from "./provenance.js";
import type { Signing } from "./signing.js";
import { SIGSTORE_BUNDLE_TYPE, signStatement, verifyStatement } from "./signing.js";

export const CYCLONEDX_PREDICATE = "https://cyclonedx.org/bom";
export const PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";

/** The SBOM of one platform image as an in-toto statement about that image's digest. */
export function sbomStatement(repository: string, platformDigest: string, sbomText: string): InTotoStatement<unknown> {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(platformDigest)?.[1];
  if (!hex) throw new Error(`sbom statement: "${platformDigest}" is not a sha256 digest`);
  return { _type: IN_TOTO_STATEMENT_V1, subject: [{ name: repository, digest: { sha256: hex } }], predicateType: CYCLONEDX_PREDICATE, predicate: JSON.parse(sbomText) as unknown };
}

/** Signs the statement and attaches the bundle to `subject` in the registry. */
export async function attachStatement(
  endpoint: RegistryEndpoint,
  repository: string,
  subject: Descriptor,
  statement: InTotoStatement<unknown>,
  signing: Signing,
): Promise<Descriptor> {
  const bundle = await signStatement(statement, signing);
  return attach(endpoint, repository, subject, {
    artifactType: SIGSTORE_BUNDLE_TYPE,
    mediaType: SIGSTORE_BUNDLE_TYPE,
    bytes: Buffer.from(JSON.stringify(bundle)),
    annotations: { "dev.sigstore.bundle.content": "dsse-envelope", [PREDICATE_ANNOTATION]: statement.predicateType },
  });
}

export interface VerifiedStatement {
  readonly predicateType: string;
  readonly statement: InTotoStatement<unknown>;
}

/** Every sigstore bundle attached to `digest`, each verified and about that digest. */
async function verifiedReferrers(endpoint: RegistryEndpoint, repository: string, digest: string, publicKey: { pem: string; hint: string }): Promise<VerifiedStatement[]> {
  const { descriptors } = await referrers(endpoint, repository, digest);
  const found: VerifiedStatement[] = [];
  for (const descriptor of descriptors.filter((entry) => entry.artifactType === SIGSTORE_BUNDLE_TYPE)) {
    const where = `${repository}@${digest}: attestation ${descriptor.digest}`;
    const artifact = await getManifest(endpoint, repository, descriptor.digest);
    if (!artifact) throw new Error(`${where} is listed but not in the registry`);
    if (artifact.body.subject?.digest !== digest) throw new Error(`${where} has the subject ${artifact.body.subject?.digest ?? "none"}`);
    const layer = artifact.body.layers?.[0];
    if (!layer) throw new Error(`${where} has no layer`);
    let statement: InTotoStatement<unknown>;
    try {
      statement = verifyStatement(JSON.parse((await getBlob(endpoint, repository, layer.digest)).toString("utf8")), publicKey) as InTotoStatement<unknown>;
    } catch (error) {
      throw new Error(`${where} does not verify: ${(error as Error).message}`, { cause: error });
    }
    const hex = digest.slice("sha256:".length);
    if (statement._type !== IN_TOTO_STATEMENT_V1 || !statement.subject.some((subject) => subject.digest.sha256 === hex)) {
      throw new Error(`${where} is signed, but about another image (${statement.subject.map((subject) => subject.digest.sha256).join(", ")})`);
    }
    found.push({ predicateType: statement.predicateType, statement });
  }
  return found;
}

export interface VerifiedImage {
  readonly digest: string;
  readonly provenance: VerifiedStatement;
  readonly platforms: ReadonlyArray<{ readonly platform: string; readonly digest: string; readonly sbom: VerifiedStatement }>;
}

/** Verifies the image a tag (or digest) names: throws on any attestation that fails or is missing. */
export async function verifyImage(endpoint: RegistryEndpoint, repository: string, reference: string, publicKey: { pem: string; hint: string }): Promise<VerifiedImage> {
  const index = await getManifest(endpoint, repository, reference);
  if (!index) throw new Error(`${repository}:${reference} is not in the registry`);
  if (index.mediaType !== MEDIA_TYPES.index && index.mediaType !== MEDIA_TYPES.dockerList) throw new Error(`${repository}:${reference} is not a multi-arch index (${index.mediaType})`);
  const onIndex = await verifiedReferrers(endpoint, repository, index.digest, publicKey);
  const provenance = onIndex.find((entry) => entry.predicateType === SLSA_PROVENANCE_V1);
  if (!provenance) throw new Error(`${repository}@${index.digest}: no signed SLSA provenance`);
  const platforms = [];
  for (const entry of index.body.manifests ?? []) {
    if (entry.platform?.os === "unknown") continue;
    const platform = [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant].filter(Boolean).join("/");
    const sbom = (await verifiedReferrers(endpoint, repository, entry.digest, publicKey)).find((item) => item.predicateType === CYCLONEDX_PREDICATE);
    if (!sbom) throw new Error(`${repository}@${entry.digest} (${platform}): no signed SBOM`);
    platforms.push({ platform, digest: entry.digest, sbom });
  }
  return { digest: index.digest, provenance, platforms };
}

export interface IndexToAttest {
  /** Repository path inside the registry, e.g. owner/bookstore/wrk-book. */
  readonly path: string;
  /** Full name, e.g. ghcr.io/owner/bookstore/wrk-book. */
  readonly repository: string;
  readonly indexDigest: string;
  readonly context: BuildContext;
  readonly buildParameters: Readonly<Record<string, unknown>>;
}

/**
 * Attaches the signed provenance of the index and the signed SBOM of each platform image it
 * lists, the SBOM text from `sbomOf` (architecture as OCI names it, the platform's digest).
 * Every SBOM is made first: when `sbomOf` throws (an SBOM that does not match its image), nothing
 * is signed or attached, not even the provenance. Returns how many attestations were attached.
 */
export async function attestIndex(
  endpoint: RegistryEndpoint,
  image: IndexToAttest,
  sbomOf: (architecture: string, digest: string) => Promise<string>,
  signing: Signing,
): Promise<number> {
  const index = await getManifest(endpoint, image.path, image.indexDigest);
  if (!index) throw new Error(`${image.repository}@${image.indexDigest} is not in the registry`);
  const subject: Descriptor = { mediaType: index.mediaType, digest: index.digest, size: index.bytes.length };
  const sboms: Array<{ subject: Descriptor; sbom: string }> = [];
  for (const entry of index.body.manifests ?? []) {
    if (entry.platform?.os === "unknown") continue;
    const architecture = entry.platform?.architecture;
    if (!architecture) throw new Error(`${image.repository}@${entry.digest} names no architecture`);
    sboms.push({ subject: { mediaType: entry.mediaType, digest: entry.digest, size: entry.size }, sbom: await sbomOf(architecture, entry.digest) });
  }
  const statement = provenanceStatement({ repository: image.repository, indexDigest: index.digest, context: image.context, buildParameters: image.buildParameters });
  await attachStatement(endpoint, image.path, subject, statement, signing);
  for (const { subject: platform, sbom } of sboms) {
    await attachStatement(endpoint, image.path, platform, sbomStatement(image.repository, platform.digest, sbom), signing);
  }
  return 1 + sboms.length;
}
