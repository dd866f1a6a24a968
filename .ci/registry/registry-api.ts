// Reads what a registry serves under a tag, through the registry HTTP API itself (not through the
// tools that pushed it): the manifest digest, the platforms of an index, and each image's labels.

import { createHash } from "node:crypto";

import { httpsGet, type LocalRegistry } from "./processes.js";

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

const REQUEST_TIMEOUT_MS = 10_000;

export interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: unknown;
}

export interface PlatformImage {
  readonly platform: string;
  readonly digest: string;
  readonly labels: Readonly<Record<string, string>>;
}

type Endpoint = Pick<LocalRegistry, "address" | "certificate">;

async function get(registry: Endpoint, path: string, accept: string): Promise<{ bytes: Buffer; digestHeader: string | null; type: string }> {
  const url = `https://${registry.address}${path}`;
  const answer = await httpsGet(url, registry.certificate, accept, REQUEST_TIMEOUT_MS);
  if (answer.status !== 200) {
    throw new Error(`GET ${url}: HTTP ${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`);
  }
  const header = (name: string): string | null => {
    const value = answer.headers[name];
    return typeof value === "string" ? value : null;
  };
  return { bytes: answer.body, digestHeader: header("docker-content-digest"), type: header("content-type") ?? "" };
}

/**
 * The manifest a tag (or digest) names. The digest is computed from the bytes served and must
 * equal the registry's Docker-Content-Digest header.
 */
export async function manifest(registry: Endpoint, repository: string, reference: string): Promise<Manifest> {
  const { bytes, digestHeader, type } = await get(registry, `/v2/${repository}/manifests/${reference}`, MANIFEST_TYPES);
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (digestHeader !== null && digestHeader !== digest) {
    throw new Error(`${repository}:${reference}: registry says ${digestHeader}, the bytes hash to ${digest}`);
  }
  return { digest, mediaType: type, body: JSON.parse(bytes.toString("utf8")) as unknown };
}

interface IndexBody {
  manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string; variant?: string } }>;
}

interface ImageBody {
  config?: { digest: string };
}

interface ConfigBody {
  config?: { Labels?: Record<string, string> | null };
}

/** Every platform image of a multi-arch index, with the labels of its configuration. */
export async function platformImages(registry: Endpoint, repository: string, reference: string): Promise<PlatformImage[]> {
  const index = await manifest(registry, repository, reference);
  const entries = (index.body as IndexBody).manifests;
  if (!Array.isArray(entries)) {
    throw new Error(`${repository}:${reference} is not a multi-arch index (${index.mediaType})`);
  }
  return Promise.all(
    entries.map(async (entry) => {
      const image = await manifest(registry, repository, entry.digest);
      const configDigest = (image.body as ImageBody).config?.digest;
      if (configDigest === undefined) throw new Error(`${repository}@${entry.digest} has no config`);
      const { bytes } = await get(registry, `/v2/${repository}/blobs/${configDigest}`, "*/*");
      const config = JSON.parse(bytes.toString("utf8")) as ConfigBody;
      const p = entry.platform ?? {};
      const platform = [p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== "").join("/");
      return { platform, digest: entry.digest, labels: config.config?.Labels ?? {} };
    }),
  );
}
