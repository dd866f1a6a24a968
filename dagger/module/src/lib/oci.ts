// The build arguments the image recipe (services/Dockerfile) turns into org.opencontainers.image.* labels,
// and the same facts as the annotations of a published image.

export interface OciMetadata {
  /** URL of the source repository, e.g. https://github.com/acme/bookstore. */
  readonly source: string;
  /** Full commit id the image is built from. */
  readonly revision: string;
  /** Version of the image: 1.2.3 for a release, else sha-<short sha>. */
  readonly version: string;
  /** Build time, RFC 3339 (e.g. 2026-01-31T12:00:00Z). */
  readonly created: string;
}

export interface BuildArgument {
  readonly name: string;
  readonly value: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Validates the metadata and returns the build arguments OCI_SOURCE (when known), OCI_REVISION, OCI_VERSION, OCI_CREATED. */
export function ociBuildArgs(meta: OciMetadata): BuildArgument[] {
  if (meta.source !== "" && !/^https?:\/\/\S+$/.test(meta.source)) {
    throw new Error(`OCI source must be an http(s) URL, got ${JSON.stringify(meta.source)}`);
  }
  if (!/^[0-9a-f]{7,40}$/.test(meta.revision)) {
    throw new Error(`OCI revision must be a commit id, got ${JSON.stringify(meta.revision)}`);
  }
  if (meta.version.trim() === "") {
    throw new Error("OCI version is empty");
  }
  if (!RFC3339.test(meta.created) || Number.isNaN(Date.parse(meta.created))) {
    throw new Error(`OCI created must be an RFC 3339 time such as 2026-01-31T12:00:00Z, got ${JSON.stringify(meta.created)}`);
  }
  // An unknown source is left to the Dockerfile's default rather than set to "".
  const source = meta.source === "" ? [] : [{ name: "OCI_SOURCE", value: meta.source }];
  return [
    ...source,
    { name: "OCI_REVISION", value: meta.revision },
    { name: "OCI_VERSION", value: meta.version },
    { name: "OCI_CREATED", value: meta.created },
  ];
}

/**
 * The build time to record: the one given, or else now without milliseconds. A fixed time (the
 * commit time) keeps rebuilds of one commit byte-identical; "now" is the fallback for manual runs.
 */
export function createdTimestamp(given: string, now: Date): string {
  const value = given.trim();
  if (value !== "") return value;
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The org.opencontainers.image.* annotations of a published platform image, the set
 * docker/metadata-action writes, with the labels' values (validated as ociBuildArgs does). The
 * engine puts them on each platform manifest and its descriptor in the index; Dagger v0.21 cannot
 * annotate the index itself (docs/releases.md, "Annotations").
 */
export function ociAnnotations(image: { readonly title: string; readonly description: string }, meta: OciMetadata): BuildArgument[] {
  ociBuildArgs(meta);
  const source = meta.source === "" ? [] : [
    { name: "org.opencontainers.image.source", value: meta.source },
    { name: "org.opencontainers.image.url", value: meta.source },
  ];
  return [
    { name: "org.opencontainers.image.title", value: image.title },
    { name: "org.opencontainers.image.description", value: image.description },
    ...source,
    { name: "org.opencontainers.image.revision", value: meta.revision },
    { name: "org.opencontainers.image.version", value: meta.version },
    { name: "org.opencontainers.image.created", value: meta.created },
  ];
}
