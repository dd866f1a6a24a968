// Image names in a registry, and the one command that moves a tag (the rollback), shared by the
// Dagger module, the registry test and docs/rollback.md so all three do exactly the same thing.

import { isValidTag } from "./tags.js";

export const MAX_REPOSITORY_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]{1,5})?$/;

export interface ImageRegistry {
  /** Host (and port) to authenticate against, e.g. `ghcr.io` or `127.0.0.1:5000`. */
  readonly host: string;
  /** Path below the host, lower case, e.g. `acme/bookstore`; may be empty. */
  readonly namespace: string;
}

/**
 * Parses `ghcr.io/Acme/bookstore` into host `ghcr.io` and namespace `acme/bookstore`.
 * Registries want lower-case repository names while GitHub owners may have capitals, so the
 * namespace is lowered; anything still invalid is a clear error.
 */
export function parseImageRegistry(raw: string): ImageRegistry {
  const value = raw.trim().replace(/^(?:https?|docker):\/\//, "").replace(/\/+$/, "");
  const [host, ...rest] = value.split("/");
  if (host === undefined || host === "" || !HOST.test(host) || !(host.includes(".") || host.includes(":") || host === "localhost")) {
    throw new Error(
      `registry ${JSON.stringify(raw)} must start with a registry host such as ghcr.io or 127.0.0.1:5000`,
    );
  }
  const components = rest.map((c) => c.toLowerCase());
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      throw new Error(`registry ${JSON.stringify(raw)}: "${component}" is not a valid repository path component`);
    }
  }
  return { host: host.toLowerCase(), namespace: components.join("/") };
}

/** `ghcr.io/acme/bookstore` + `wrk-base` -> `ghcr.io/acme/bookstore/wrk-base`. */
export function imageRepository(registry: string, service: string): string {
  const { host, namespace } = parseImageRegistry(registry);
  if (!PATH_COMPONENT.test(service)) {
    throw new Error(`"${service}" is not a valid repository name`);
  }
  const repository = [host, namespace, service].filter((part) => part !== "").join("/");
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    throw new Error(`image name ${repository} is longer than ${MAX_REPOSITORY_LENGTH} characters`);
  }
  return repository;
}

export function imageReference(repository: string, tag: string): string {
  if (!isValidTag(tag)) {
    throw new Error(`"${tag}" is not a valid image tag`);
  }
  return `${repository}:${tag}`;
}

/** `ghcr.io/acme/x:latest@sha256:...` (what a push returns) -> `sha256:...`. */
export function digestOf(publishedReference: string): string {
  const match = /@(sha256:[0-9a-f]{64})$/.exec(publishedReference.trim());
  if (!match || match[1] === undefined) {
    throw new Error(`no sha256 digest in ${JSON.stringify(publishedReference)}`);
  }
  return match[1];
}

export interface PromoteOptions {
  /** Talk plain HTTP to the registry (only for a registry on loopback). */
  readonly insecure?: boolean;
  /** skopeo's own deadline for the whole copy. */
  readonly timeoutSeconds?: number;
  readonly authfile?: string;
}

/**
 * The skopeo arguments that point `to` at the image `from` already names, in the same repository,
 * without pulling or rebuilding anything: `--all` keeps every platform of the multi-arch index,
 * and `--preserve-digests` makes skopeo fail rather than write a different manifest, so the
 * moved tag serves exactly the bytes (and digest) of the old one.
 */
export function promoteArguments(repository: string, from: string, to: string, options: PromoteOptions = {}): string[] {
  if (from === to) throw new Error(`promote from and to are the same tag: ${from}`);
  const args = ["copy", "--all", "--preserve-digests"];
  args.push("--retry-times", "3");
  if (options.timeoutSeconds !== undefined) args.unshift(`--command-timeout=${options.timeoutSeconds}s`);
  if (options.authfile !== undefined) args.push("--authfile", options.authfile);
  if (options.insecure) args.push("--src-tls-verify=false", "--dest-tls-verify=false");
  args.push(`docker://${imageReference(repository, from)}`, `docker://${imageReference(repository, to)}`);
  return args;
}

/**
 * The skopeo arguments that print the manifest a repository serves at a digest, byte for byte
 * (`inspect --raw`): for a multi-arch image, the index with each platform's manifest digest.
 */
export function inspectRawArguments(repository: string, digest: string, options: Omit<PromoteOptions, "insecure"> = {}): string[] {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`"${digest}" is not a sha256 digest`);
  const args = ["inspect", "--raw", "--retry-times", "3"];
  if (options.timeoutSeconds !== undefined) args.unshift(`--command-timeout=${options.timeoutSeconds}s`);
  if (options.authfile !== undefined) args.push("--authfile", options.authfile);
  args.push(`docker://${repository}@${digest}`);
  return args;
}
