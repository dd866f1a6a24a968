// npm run test:images: real image builds and runs on this machine (docs/images.md, "Tested here").
//
//  1. makes the stand-in base for linux/amd64 and linux/arm64 (make-base.sh);
//  2. builds the one recipe's shared build stage once without the layer cache, then every service
//     that exists for both platforms from it, checking that each build reused the whole stage;
//  3. rebuilds one image from a copy of the context with one source file changed, and checks that
//     the dependency layers came from the cache and the source layers did not;
//  4. makes the development CA with the first image's own /app/tools/certs.js (image-certs.ts) and
//     runs every amd64 image with its certificate: non-root, its HEALTHCHECK turns healthy, it
//     answers on its port (gRPC health over TLS, plaintext refused; /healthz for app-node), and
//     SIGTERM stops it with exit code 0;
//  5. checks that every file of every arm64 image that is an ELF binary is arm64, and starts
//     arm64 images under qemu (the first by default, all with --all-arm64) with the same checks;
//  6. makes the SBOM of every image and platform (.ci/images/image-sbom.ts, written to
//     .ci/.cache/images/sbom/) and checks it against the image; one service's SBOM checked
//     against another's image must fail;
//  7. prints the size table and the build times; exits 1 when a check failed.
//
// Usage: npm run test:images [-- --services wrk-base,app-node] [--all-arm64] [--keep-cache]
// Needs podman and qemu registered for arm64 (.ci/images/setup-host.sh, which this run calls itself
// when it is root), and the network to the npm registry and Debian's package mirror.

import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { OciArgs } from "./build.js";
import { BASE_LIST, baseImage, buildImage, hostCaCerts, sharedStageSteps, stageSteps, testImage } from "./build.js";
import { BUILD_STAGE, IMAGE_RECIPE } from "../../dagger/module/src/lib/image-recipe.js";
import { isServiceName, serviceNames, servicePorts, serviceSpec, type ServiceName, type ServiceSpec } from "../../dagger/module/src/lib/services.js";
import { readCatalogue } from "./catalogue.js";
import {
  containerLogs,
  imageArchitecture,
  imageSize,
  publishedAddress,
  reflectedMethods,
  removeContainer,
  serviceUid,
  startContainer,
  stopContainer,
  waitGrpcServing,
  waitHealthy,
  waitHttpHealthz,
} from "./container-checks.js";
import { checkHealth } from "../../dagger/smoke/smoke.js";
import { elfFiles } from "./elf.js";
import { containerTlsEnv, makeImageCerts, removeImageCerts, type ImageCerts } from "./image-certs.js";
import { checkImageSbom, crossCheck } from "./image-sbom.js";
import type { Arch } from "./podman.js";
import { IMAGES_DIR, REPO_ROOT, hostArch, otherArch, podman, run } from "./podman.js";
import type { BuildTime, SizeRow } from "./report.js";
import { MAX_OVER_BASE_BYTES, buildTimeTable, oversized, sizeTable } from "./report.js";

const CATALOGUE = readCatalogue(REPO_ROOT);

/** Settings a service needs to start alone in a container (contract.md, "Settings"): its TLS files, the gateway's tokens. */
function runEnv(spec: ServiceSpec): Record<string, string> {
  const tls = containerTlsEnv(spec);
  return spec.role === "gateway" ? { ...tls, API_TOKENS: "image-test-token:librarian" } : tls;
}

const START_TIMEOUT_MS = { native: 60_000, emulated: 180_000 } as const;
const STOP_GRACE_SECONDS = 20;

const failures: string[] = [];

/** The shared build stage, built once at the start of a run. */
const BUILD_STAGE_TAG = "localhost/bookstore/build-stage:test";

function log(message: string): void {
  console.log(message);
}

function fail(message: string): void {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

async function git(args: string[]): Promise<string | undefined> {
  const result = await run("git", args, { timeoutMs: 30_000, allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** OCI label values of a test build: from git, so two runs of one commit label alike. */
async function ociArgs(): Promise<OciArgs> {
  const revision = (await git(["rev-parse", "HEAD"])) ?? "unknown";
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return {
    source: (await git(["config", "--get", "remote.origin.url"])) ?? "unknown",
    revision,
    version: `${version}-test+${revision.slice(0, 12)}`,
    created: (await git(["log", "-1", "--format=%cI"])) ?? new Date().toISOString(),
  };
}

function servicesToBuild(only: string | undefined): { build: ServiceName[]; missing: string[] } {
  const wanted = only ? only.split(",").map((name) => name.trim()) : serviceNames(CATALOGUE);
  const unknown = wanted.filter((name) => !isServiceName(CATALOGUE, name));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(", ")}; expected ${serviceNames(CATALOGUE).join(", ")}`);
  const build: ServiceName[] = [];
  const missing: string[] = [];
  for (const service of wanted) {
    const ready = existsSync(join(REPO_ROOT, "services", service, "src", "main.ts")) && existsSync(join(REPO_ROOT, IMAGE_RECIPE));
    (ready ? build : missing).push(service);
  }
  return { build, missing };
}

/** As root (CI), prepares the host itself: setup-host.sh checks before it changes anything. */
async function setupHost(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const result = await run(join(IMAGES_DIR, "setup-host.sh"), [], { timeoutMs: 15 * 60_000 });
  log(result.stdout.trim().split("\n").at(-1) ?? "setup-host: done");
}

function checkQemu(): void {
  const entry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";
  if (hostArch() === "amd64" && !existsSync(entry)) {
    throw new Error(`${entry} is missing: arm64 containers cannot run. Run .ci/images/setup-host.sh (as root) first.`);
  }
}

async function makeBases(): Promise<void> {
  for (const arch of ["amd64", "arm64"] as const) {
    const result = await run(join(IMAGES_DIR, "make-base.sh"), [arch], { timeoutMs: 10 * 60_000 });
    log(`${result.stdout.trim().split("\n").join("\n")} (${result.seconds.toFixed(1)} s)`);
  }
}

/** The shared stages' steps that do work (a FROM only names a base). */
const sharedWork = (log: string) => sharedStageSteps(log).filter((step) => !/ FROM /.test(step.step));

/**
 * The shared build stage once, timed. With the layer cache: layers that buildah 1.28 commits under
 * --no-cache are not found by the next build (seen on a fresh store: the first image then ran
 * every shared step again, 180 s, where after a cached stage build it took 2.3 s). A fresh clone's
 * store is empty, so there the time is a build from scratch; the log says how many steps were cached.
 */
async function buildSharedStage(spec: ServiceSpec, oci: OciArgs, caCerts: string | undefined): Promise<number | undefined> {
  try {
    const result = await buildImage({ spec, arch: hostArch(), tag: BUILD_STAGE_TAG, oci, caCerts, target: BUILD_STAGE });
    const steps = sharedWork(result.log);
    const cached = steps.filter((step) => step.cached).length;
    log(`built the shared build stage (every service's bundle) on linux/${hostArch()} in ${result.seconds.toFixed(1)} s (${cached} of ${steps.length} steps from the layer cache)`);
    return result.seconds;
  } catch (error) {
    fail(`build stage: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Every image from the layer cache of that one build stage: each build must take every step of
 * the build stage from the cache (no service or platform argument reaches it), and runs only the
 * runtime stage's copies for its service and platform.
 */
async function buildAll(services: readonly ServiceName[], arch: Arch, oci: OciArgs, caCerts: string | undefined): Promise<BuildTime[]> {
  const times: BuildTime[] = [];
  for (const service of services) {
    try {
      const result = await buildImage({ spec: serviceSpec(CATALOGUE, service), arch, tag: testImage(service, arch), oci, caCerts });
      const stage = sharedStageSteps(result.log);
      const rebuilt = sharedWork(result.log).filter((step) => !step.cached);
      if (stage.length === 0) fail(`build ${service} linux/${arch}: no shared stage steps in the log`);
      else if (rebuilt.length > 0) fail(`build ${service} linux/${arch} ran shared stage steps again instead of reusing them: ${rebuilt.map((step) => step.step).join("; ")}`);
      times.push({ service, arch, seconds: result.seconds });
      log(`built ${testImage(service, arch)} in ${result.seconds.toFixed(1)} s (all ${stage.length} steps of the shared stages from the cache: ${rebuilt.length === 0 ? "yes" : "NO"})`);
    } catch (error) {
      fail(`build ${service} linux/${arch}: ${(error as Error).message}`);
    }
  }
  return times;
}

/** A build context with only what the image recipe copies, from the working tree. */
function copyContext(target: string): void {
  const copy = (from: string, to: string, filter?: (source: string) => boolean): void =>
    cpSync(from, to, { recursive: true, ...(filter ? { filter } : {}) });
  for (const file of ["package.json", "package-lock.json", "tsconfig.base.json", "tsconfig.json", ".dockerignore"]) copy(join(REPO_ROOT, file), join(target, file));
  // The workspaces' sources: no installed packages, build output or tests.
  const sources = (source: string): boolean => !/[/\\](node_modules|dist|test)([/\\]|$)/.test(source.slice(REPO_ROOT.length)) && !source.endsWith(".tsbuildinfo");
  for (const folder of ["proto", "services"]) copy(join(REPO_ROOT, folder), join(target, folder), sources);
  for (const file of ["compose/local/certs.ts", "dagger/module/src/lib/services.ts"]) copy(join(REPO_ROOT, file), join(target, file));
}

/** A source-only change must reuse every layer up to and including npm ci, and rebuild the sources. */
async function checkSourceChangeKeepsDependencies(service: ServiceName, oci: OciArgs, caCerts: string | undefined): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "bookstore-context-"));
  const tag = `localhost/bookstore/${service}:cache-check`;
  try {
    const arch = hostArch();
    // One cached build of the working tree first, so the check compares against its layers.
    const spec = serviceSpec(CATALOGUE, service);
    const warm = await buildImage({ spec, arch, tag: testImage(service, arch), oci, caCerts });
    log(`rebuilt ${testImage(service, arch)} with the layer cache in ${warm.seconds.toFixed(1)} s`);
    copyContext(context);
    appendFileSync(join(context, "services", service, "src", "main.ts"), "\n// a source-only change, made by test-images.ts\n");
    const result = await buildImage({ spec, arch, tag, oci, caCerts, context });
    // The manifests stage runs again (it copies services/), copies the same manifests, and the
    // build stage's steps up to npm ci must all come from the cache.
    const steps = stageSteps(result.log, BUILD_STAGE);
    const install = steps.findIndex((step) => /\bnpm ci\b/.test(step.step));
    const sources = steps.slice(install + 1).find((step) => step.step.includes("COPY services services"));
    if (install < 0 || !sources) {
      fail(`cache check: cannot find the npm ci and the source COPY steps in the build log of ${service}`);
      return;
    }
    const rebuilt = steps.slice(0, install + 1).filter((step) => !/ FROM /.test(step.step) && !step.cached);
    if (rebuilt.length > 0) fail(`cache check: a source-only change rebuilt dependency layers of ${service}: ${rebuilt.map((step) => step.step).join("; ")}`);
    else log(`cache check: a source-only change to ${service} reused all ${install + 1} steps up to npm ci (${result.seconds.toFixed(1)} s)`);
    if (sources.cached) fail(`cache check: the changed source of ${service} came from the cache: the change was not seen`);
  } catch (error) {
    fail(`cache check of ${service}: ${(error as Error).message}`);
  } finally {
    rmSync(context, { recursive: true, force: true });
    await podman(["rmi", "--force", tag], { timeoutMs: 60_000, allowFailure: true });
  }
}

/** Runs one image and checks it; the container is removed afterwards whatever happened. */
async function checkRunning(service: ServiceName, arch: Arch, certs: ImageCerts): Promise<void> {
  const image = testImage(service, arch);
  const name = `bookstore-image-test-${service}-${arch}`;
  const emulated = arch !== hostArch();
  const timeoutMs = emulated ? START_TIMEOUT_MS.emulated : START_TIMEOUT_MS.native;
  const spec = serviceSpec(CATALOGUE, service);
  try {
    await startContainer({ name, image, arch, env: runEnv(spec), ports: servicePorts(spec), volumes: [certs.mount] });
    // Under qemu the image's HEALTHCHECK cannot pass: its fetch has a 2.5 s deadline and emulated
    // node spends longer than that loading fetch itself (11-27 s on a loaded machine, every run
    // of CI's). A real arm64 host runs it natively; the command is checked on the native image.
    const health = emulated ? undefined : await waitHealthy(name, timeoutMs);
    const uid = await serviceUid(name);
    if (uid === 0) throw new Error("the service runs as root");
    let answered: string;
    if (spec.grpcPort !== null) {
      const address = await publishedAddress(name, spec.grpcPort);
      const seconds = await waitGrpcServing(address, timeoutMs, certs.caFile);
      // Mutual TLS is on: a plaintext client gets no answer at all.
      const plaintext = await checkHealth(address, 5_000).then((status) => `answered ${status}`, () => undefined);
      if (plaintext !== undefined) throw new Error(`a plaintext health check ${plaintext}: the service is not serving TLS`);
      // Every worker serves the worker contract and health; a strict client must see both.
      const methods = await reflectedMethods(address, timeoutMs, certs.caFile);
      for (const method of ["bookstore.worker.v1.WorkerService/Ping", "grpc.health.v1.Health/Check"]) {
        if (!methods.includes(method)) throw new Error(`buf curl --list-methods by reflection lacks ${method}: ${methods.join(", ")}`);
      }
      answered = `gRPC health SERVING over TLS on ${spec.grpcPort} (published ${address}, ${seconds.toFixed(1)} s; plaintext refused), ${methods.length} methods by reflection (buf curl --cacert)`;
    } else {
      const address = await publishedAddress(name, spec.httpPort);
      const seconds = await waitHttpHealthz(address, timeoutMs);
      answered = `GET /healthz 200 on ${spec.httpPort} (published ${address}, ${seconds.toFixed(1)} s)`;
    }
    const reportedArch = emulated ? await podman(["exec", name, "node", "-p", "process.arch"], { timeoutMs: 60_000 }) : undefined;
    const exitCode = await stopContainer(name, STOP_GRACE_SECONDS);
    if (exitCode !== 0) throw new Error(`stopped with exit code ${exitCode} (expected 0 after SIGTERM)`);
    log(
      `ran ${image}${emulated ? ` under qemu (node reports ${reportedArch?.stdout.trim()})` : ""}: uid ${uid}, ${health ? `HEALTHCHECK healthy after ${health.seconds.toFixed(1)} s` : "HEALTHCHECK not run (emulated)"}, ${answered}, SIGTERM -> exit 0`,
    );
  } catch (error) {
    fail(`run ${image}: ${(error as Error).message}\n--- last log lines ---\n${await containerLogs(name)}`);
  } finally {
    await removeContainer(name);
  }
}

/** The containers' development CA, made by the first built image's own certs tool; undefined (a failure) without one. */
async function certsFrom(service: ServiceName | undefined, arch: Arch): Promise<ImageCerts | undefined> {
  if (service === undefined) return undefined;
  try {
    const certs = await makeImageCerts(testImage(service, arch));
    log(`made the development CA and every certificate with ${testImage(service, arch)}'s /app/tools/certs.js (volume ${certs.mount})`);
    return certs;
  } catch (error) {
    fail(`certs from ${testImage(service, arch)}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Every ELF file in the image must be built for the image's platform. */
async function checkBinaries(service: ServiceName, arch: Arch): Promise<void> {
  const image = testImage(service, arch);
  try {
    const architecture = await imageArchitecture(image);
    if (architecture !== arch) throw new Error(`the image config says ${architecture}`);
    const mount = await podman(["image", "mount", image], { timeoutMs: 60_000 });
    try {
      const files = elfFiles(mount.stdout.trim());
      const foreign = files.filter((file) => file.machine !== arch);
      if (files.length === 0) throw new Error("no ELF file found (is node missing?)");
      if (foreign.length > 0) throw new Error(`binaries for another machine: ${foreign.map((file) => `${file.path} (${file.machine})`).join(", ")}`);
      log(`binaries of ${image}: all ${files.length} ELF files are ${arch} (node: ${files.some((file) => file.path === "/usr/local/bin/node") ? "yes" : "elsewhere"})`);
    } finally {
      await podman(["image", "unmount", image], { timeoutMs: 60_000, allowFailure: true });
    }
  } catch (error) {
    fail(`binaries of ${image}: ${(error as Error).message}`);
  }
}

/** The SBOM of every built image and platform, each checked against its image. */
async function checkSboms(built: ReadonlyArray<{ service: ServiceName; arch: Arch }>, oci: OciArgs, caCerts: string | undefined): Promise<void> {
  const files = new Map<string, string>();
  for (const { service, arch } of built) {
    try {
      const result = await checkImageSbom(service, arch, oci, caCerts);
      files.set(`${service} ${arch}`, result.file);
      if (result.problems.length > 0) fail(`SBOM of ${testImage(service, arch)} does not match the image:\n${result.problems.join("\n")}`);
      else log(`SBOM of ${testImage(service, arch)}: ${result.components} components, matches the image (${result.file.slice(REPO_ROOT.length + 1)})`);
    } catch (error) {
      fail(`SBOM of ${testImage(service, arch)}: ${(error as Error).message}`);
    }
  }
  const [first, second] = built.filter(({ arch }) => arch === built[0]?.arch);
  const firstFile = first ? files.get(`${first.service} ${first.arch}`) : undefined;
  if (first && second && firstFile) {
    const problems = await crossCheck(firstFile, second.service, second.arch);
    if (problems.length === 0) fail(`SBOM check: the SBOM of ${first.service} matched the image of ${second.service}; the check cannot fail`);
    else log(`SBOM check: ${first.service}'s SBOM against ${second.service}'s image fails as it must (${problems.length} differences, first: ${problems[0]})`);
  }
}

async function sizes(services: readonly ServiceName[]): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const arch of ["amd64", "arm64"] as const) {
    const baseBytes = await imageSize(baseImage(arch));
    for (const service of services) {
      try {
        rows.push({ service, arch, imageBytes: await imageSize(testImage(service, arch)), baseBytes });
      } catch {
        // Not built: already reported as a build failure.
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { services: { type: "string" }, "all-arm64": { type: "boolean", default: false }, "keep-cache": { type: "boolean", default: false } },
  });
  const { build: services, missing } = servicesToBuild(values.services);
  if (missing.length > 0) log(`not built (no src/main.ts or Dockerfile yet): ${missing.join(", ")}`);
  if (services.length === 0) throw new Error("no service to build");
  await setupHost();
  checkQemu();
  const oci = await ociArgs();
  const caCerts = hostCaCerts();
  log(`images: ${services.join(", ")}; base ${BASE_LIST}; revision ${oci.revision.slice(0, 12)}${caCerts ? `; CA bundle ${caCerts} passed as secret ca_certs` : ""}`);

  await makeBases();
  const native = hostArch();
  const foreign = otherArch(native);
  const stageSeconds = await buildSharedStage(serviceSpec(CATALOGUE, services[0] as ServiceName), oci, caCerts);
  const times = [...(await buildAll(services, native, oci, caCerts)), ...(await buildAll(services, foreign, oci, caCerts))];

  if (services.includes("wrk-base")) await checkSourceChangeKeepsDependencies("wrk-base", oci, caCerts);
  else if (services[0]) await checkSourceChangeKeepsDependencies(services[0], oci, caCerts);

  const built = (arch: Arch): ServiceName[] => services.filter((service) => times.some((time) => time.service === service && time.arch === arch));
  // Without certificates (a failure already) no container can start: the runs are left out.
  const certs = await certsFrom(built(native)[0], native);
  const emulatedRuns = values["all-arm64"] ? built(foreign) : built(foreign).slice(0, 1);
  if (certs) for (const service of built(native)) await checkRunning(service, native, certs);
  for (const service of built(foreign)) await checkBinaries(service, foreign);
  if (certs) for (const service of emulatedRuns) await checkRunning(service, foreign, certs);
  await removeImageCerts();

  await checkSboms([...built(native).map((service) => ({ service, arch: native })), ...built(foreign).map((service) => ({ service, arch: foreign }))], oci, caCerts);

  const rows = await sizes(services);
  log(`\nImage sizes (podman's uncompressed size; base = ${baseImage("amd64")} / ${baseImage("arm64")}):\n${sizeTable(rows)}`);
  for (const row of oversized(rows)) fail(`${row.service} linux/${row.arch} is ${((row.imageBytes - row.baseBytes) / 1e6).toFixed(2)} MB over its base (budget ${MAX_OVER_BASE_BYTES / 1e6} MB)`);
  log(`\nBuild times: the shared build stage once on linux/${native} (from scratch on a fresh store), ${stageSeconds === undefined ? "failed" : `${stageSeconds.toFixed(1)} s`}; then each image from it:\n${buildTimeTable(times)}`);
  if (missing.length > 0) log(`\nNot built yet: ${missing.join(", ")}`);

  if (!values["keep-cache"]) {
    // Clean-up only: a prune that outlasts its deadline on a loaded machine fails no check.
    await podman(["image", "prune", "--force"], { timeoutMs: 5 * 60_000, allowFailure: true }).catch((error: unknown) =>
      log(`image prune not finished: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`),
    );
  }
  const summary = join(REPO_ROOT, ".ci", ".cache", "images", "last-run.txt");
  mkdirSync(join(REPO_ROOT, ".ci", ".cache", "images"), { recursive: true });
  writeFileSync(summary, `${new Date().toISOString()}\n${sizeTable(rows)}\n\nshared build stage: ${stageSeconds?.toFixed(1) ?? "failed"} s\n${buildTimeTable(times)}\n${failures.join("\n")}\n`);

  if (failures.length > 0) {
    log(`\n${failures.length} image check(s) failed:\n${failures.map((failure) => `- ${failure.split("\n")[0]}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    log(`\nall image checks passed (${services.length} service${services.length === 1 ? "" : "s"}, linux/${native} and linux/${foreign})`);
  }
}

main().catch((error: unknown) => {
  console.error(`test:images: ${(error as Error).message}`);
  process.exitCode = 1;
});
