// What `attest` hands dagger/release (dagger/release/attest-published.ts) in its node container:
// publish's JSON, per published platform image its root filesystem, what its config declares and
// the bundle SBOM of its build stage, laid out under one folder; and the CI variables that the
// provenance and keyless signing read. dagger/release reads the same layout through these names.

import { buildOutput } from "./image-recipe.js";

/** Where the shared build stage leaves a service's bundle SBOM (services/bundle.ts run with /out/<service>). */
export function bundleSbomFile(service: string): string {
  return `${buildOutput(service)}/sbom/bundle.cdx.json`;
}

/** The folder `attest` mounts its inputs under in the node container. */
export const ATTEST_INPUTS = "/attest";

/** The script that signs and attaches (run from the source's root, inside the installed workspace). */
export const ATTEST_COMMAND: readonly string[] = ["npx", "tsx", "dagger/release/attest-published.ts", "--inputs", ATTEST_INPUTS];

/** Paths, relative to the inputs folder, of what one platform image contributes. */
export function platformInputs(service: string, architecture: string): { rootfs: string; bundleSbom: string; config: string } {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service) || !/^[a-z0-9]+$/.test(architecture)) throw new Error(`attest: "${service}" / "${architecture}" is not a service and architecture`);
  const base = `images/${service}/${architecture}`;
  return { rootfs: `${base}/rootfs`, bundleSbom: `${base}/bundle.cdx.json`, config: `${base}/config.json` };
}

export const PUBLISHED_FILE = "published.json";

/** What the image's config says that its files do not (the SBOM's Node version and image version). */
export interface PlatformConfig {
  /** NODE_VERSION, as the node base images declare it. */
  readonly nodeVersion: string;
  /** The org.opencontainers.image.version label. */
  readonly version: string;
}

export interface PublishedImage {
  readonly service: string;
  readonly repository: string;
  readonly tags: readonly string[];
  readonly indexDigest: string;
  readonly platforms: ReadonlyArray<{ readonly platform: string; readonly digest: string }>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** publish's JSON, checked: every service with a repository, tags, an index digest and its platforms by digest. */
export function parsePublished(json: string): PublishedImage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`attest: --published is not JSON (give it publish's output): ${(error as Error).message}`, { cause: error });
  }
  const services = (parsed as { services?: unknown } | null)?.services;
  if (!Array.isArray(services) || services.length === 0) throw new Error('attest: --published has no "services" (give it publish\'s output)');
  return services.map((entry: unknown, i) => {
    const image = entry as Partial<PublishedImage> | null;
    const where = `attest: services[${i}]`;
    if (typeof image?.service !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(image.service)) throw new Error(`${where} has no service name`);
    if (typeof image.repository !== "string" || !/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/.test(image.repository)) throw new Error(`${where} (${image.service}) has no repository host/path`);
    if (!Array.isArray(image.tags) || image.tags.length === 0) throw new Error(`${where} (${image.service}) has no tags`);
    if (typeof image.indexDigest !== "string" || !DIGEST.test(image.indexDigest)) throw new Error(`${where} (${image.service}) has no sha256 index digest`);
    if (!Array.isArray(image.platforms) || image.platforms.length === 0) throw new Error(`${where} (${image.service}) lists no platform images`);
    for (const p of image.platforms) {
      if (typeof p.platform !== "string" || !/^linux\/[a-z0-9]+$/.test(p.platform) || typeof p.digest !== "string" || !DIGEST.test(p.digest)) {
        throw new Error(`${where} (${image.service}) has a platform without os/arch and sha256 digest`);
      }
    }
    return { service: image.service, repository: image.repository, tags: image.tags, indexDigest: image.indexDigest, platforms: image.platforms };
  });
}

/** The registry host of a repository (ghcr.io/owner/bookstore/wrk-book -> ghcr.io). */
export function registryHost(repository: string): string {
  return repository.slice(0, repository.indexOf("/"));
}

/**
 * The variables of a GitHub Actions run that the provenance describes (dagger/release/provenance.ts,
 * githubContext) and keyless signing checks for; the engine's containers get none by themselves.
 */
export const CI_VARIABLES = [
  "GITHUB_ACTIONS",
  "GITHUB_SERVER_URL",
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_ID",
  "GITHUB_REPOSITORY_OWNER_ID",
  "GITHUB_REF",
  "GITHUB_SHA",
  "GITHUB_WORKFLOW_REF",
  "GITHUB_EVENT_NAME",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_ATTEMPT",
  "RUNNER_ENVIRONMENT",
] as const;

/** --ci-env NAME=VALUE entries, only of CI_VARIABLES, each once. */
export function ciEnvironment(entries: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const name = at < 0 ? entry : entry.slice(0, at);
    if (at < 0) throw new Error(`attest: --ci-env "${entry}" is not NAME=VALUE`);
    if (!(CI_VARIABLES as readonly string[]).includes(name)) throw new Error(`attest: --ci-env ${name} is not one of ${CI_VARIABLES.join(", ")}`);
    if (name in result) throw new Error(`attest: --ci-env ${name} given twice`);
    result[name] = entry.slice(at + 1);
  }
  return result;
}
