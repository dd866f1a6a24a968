// Builds one service image for one platform with podman, the way docs/images.md describes, and
// reads back from the build log which steps came from the layer cache.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_RECIPE, RUNTIME_STAGE, imageBuildArgs } from "../../dagger/module/src/lib/image-recipe.js";
import { platformBuildArgs } from "../../dagger/module/src/lib/platforms.js";
import type { ServiceSpec } from "../../dagger/module/src/lib/services.js";
import type { Arch } from "./podman.js";
import { REPO_ROOT, hostArch, podman } from "./podman.js";

export const BASE_LIST = "localhost/bookstore/node-base:24";

export function baseImage(arch: Arch): string {
  return `localhost/bookstore/node-base:24-${arch}`;
}

export function testImage(service: string, arch: Arch): string {
  return `localhost/bookstore/${service}:test-${arch}`;
}

export interface OciArgs {
  source: string;
  revision: string;
  version: string;
  created: string;
}

export interface BuildRequest {
  /** The catalogue's entry: its build arguments pick the service out of the one recipe. */
  spec: ServiceSpec;
  arch: Arch;
  tag: string;
  oci: OciArgs;
  /** The build context; the repository root unless a test builds from a changed copy. */
  context?: string;
  /** A CA bundle for a TLS-inspecting proxy between the build and the npm registry. */
  caCerts?: string;
  /** Build only up to this stage of the recipe ("build": where every bundle and its SBOM are made). */
  target?: string;
  timeoutMs?: number;
}

export interface BuildResult {
  seconds: number;
  log: string;
}

/**
 * The podman arguments of one build. BUILDPLATFORM and TARGETPLATFORM are the module's own
 * (platformBuildArgs): the build stage on this machine's platform, the runtime stage on the
 * target's; buildah 1.28 does not fill them itself. The service's own arguments are the module's
 * too (imageBuildArgs); the build stage reads none of them, so with --layers every service and
 * platform after the first reuses it.
 */
export function buildArgs(request: BuildRequest): string[] {
  const context = request.context ?? REPO_ROOT;
  const args = [
    "build",
    "--isolation=chroot",
    // HEALTHCHECK, STOPSIGNAL and the rest of the Docker config survive only in this format.
    "--format=docker",
    "--layers",
    `--platform=linux/${request.arch}`,
    ...platformBuildArgs(`linux/${hostArch()}`, `linux/${request.arch}`).map((arg) => `--build-arg=${arg.name}=${arg.value}`),
    `--build-arg=NODE_IMAGE=${BASE_LIST}`,
    ...imageBuildArgs(request.spec).map((arg) => `--build-arg=${arg.name}=${arg.value}`),
    `--build-arg=OCI_SOURCE=${request.oci.source}`,
    `--build-arg=OCI_REVISION=${request.oci.revision}`,
    `--build-arg=OCI_VERSION=${request.oci.version}`,
    `--build-arg=OCI_CREATED=${request.oci.created}`,
  ];
  if (request.target) args.push(`--target=${request.target}`);
  if (request.caCerts) args.push(`--secret=id=ca_certs,src=${request.caCerts}`);
  args.push("-f", join(context, IMAGE_RECIPE), "-t", request.tag, context);
  return args;
}

export async function buildImage(request: BuildRequest): Promise<BuildResult> {
  const result = await podman(buildArgs(request), { timeoutMs: request.timeoutMs ?? 15 * 60_000 });
  return { seconds: result.seconds, log: `${result.stdout}\n${result.stderr}` };
}

/**
 * The CA bundle the host trusts, for a build stage behind the same TLS-inspecting proxy: the one
 * Node is told about, else the system's. Passing it is harmless where no proxy is in the way.
 */
export function hostCaCerts(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = existsSync): string | undefined {
  const candidates = [env.NODE_EXTRA_CA_CERTS, env.SSL_CERT_FILE, "/etc/ssl/certs/ca-certificates.crt"];
  return candidates.find((file): file is string => file !== undefined && file !== "" && exists(file));
}

export interface BuildStep {
  /** e.g. "[1/2] STEP 9/14: RUN npm ci ..." */
  step: string;
  cached: boolean;
}

/** The steps of a buildah/podman build log, each marked cached when buildah reused a layer. */
export function buildSteps(log: string): BuildStep[] {
  const steps: BuildStep[] = [];
  for (const line of log.split("\n")) {
    if (/^(\[\d+\/\d+\] )?STEP \d+\/\d+: /.test(line)) steps.push({ step: line, cached: false });
    else if (line.startsWith("--> Using cache ")) {
      const last = steps.at(-1);
      if (last) last.cached = true;
    }
  }
  return steps;
}

/**
 * The steps of the stages before the recipe's runtime stage (the manifests and the build stage,
 * which every service and platform shares); with --target build, every step.
 */
export function sharedStageSteps(log: string): BuildStep[] {
  const steps = buildSteps(log);
  const runtime = steps.findIndex((step) => new RegExp(` FROM \\S+ AS ${RUNTIME_STAGE}$`).test(step.step));
  return runtime < 0 ? steps : steps.slice(0, runtime);
}

/** The steps of one named stage of the log: from its FROM to the next FROM. */
export function stageSteps(log: string, stage: string): BuildStep[] {
  const steps = buildSteps(log);
  const start = steps.findIndex((step) => new RegExp(` FROM \\S+ AS ${stage}$`).test(step.step));
  if (start < 0) return [];
  const end = steps.findIndex((step, index) => index > start && / FROM /.test(step.step));
  return steps.slice(start, end < 0 ? undefined : end);
}
