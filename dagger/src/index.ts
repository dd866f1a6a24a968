/**
 * The CI/CD pipeline of the bookstore
 *
 * Lint, type-check and test the monorepo; build the five service images for linux/amd64 and
 * linux/arm64; compute their tags; publish them as multi-arch images; move a tag back to an
 * earlier image (rollback); list the services a change affects; scan the images; and run the
 * built images together for an end-to-end smoke test.
 *
 * All decisions that need no engine (services, dependency graph, platforms, tags, affected
 * services, image names, summaries) live in ./lib, without the SDK, and are unit-tested there.
 */
import {
  argument,
  CacheSharingMode,
  dag,
  func,
  object,
  ReturnType,
  type Container,
  type Directory,
  type GitRef,
  type GitRepository,
  type Platform,
  type Secret,
  type Service,
} from "@dagger.io/dagger";

import { affectedServices } from "./lib/affected.js";
import { parseDependencyGraph, topologicalOrder, type DependencyGraph } from "./lib/graph.js";
import { createdTimestamp, ociBuildArgs, type BuildArgument } from "./lib/oci.js";
import { architectureOf, parsePlatform, parsePlatforms, type SupportedPlatform } from "./lib/platforms.js";
import { digestOf, imageReference, imageRepository, parseRegistry, promoteArguments } from "./lib/registry.js";
import { SERVICE_NAMES, serviceSpec, type ServiceName, type ServiceSpec } from "./lib/services.js";
import { smokeEnvironment, smokeTargets, stackEnvironment, stackPorts, STACK_START_ORDER } from "./lib/stack.js";
import { formatBuildSummary, formatPublishSummary, type BuildOutcome, type PublishOutcome } from "./lib/summary.js";
import { computeTags, versionLabel } from "./lib/tags.js";
import { CHECK_TOOL_PACKAGES, NODE_CHECK_IMAGE, SKOPEO_IMAGE, TRIVY_IMAGE } from "./lib/toolchain.js";

/** Never sent to the engine: dependencies, build output, local caches and generated code. */
const SOURCE_IGNORE = [
  "**/node_modules",
  "**/dist",
  "**/*.tsbuildinfo",
  "**/.data",
  ".git",
  ".ci/.cache",
  "dagger/sdk",
  "coverage",
];

/** Deadline of one skopeo copy, in seconds. */
const PROMOTE_TIMEOUT_SECONDS = 300;

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Runs jobs in parallel; when some fail, one error lists every failure instead of the first only. */
async function allOrReport<T>(jobs: ReadonlyArray<{ label: string; run: () => Promise<T> }>): Promise<Map<string, T>> {
  const settled = await Promise.allSettled(jobs.map((job) => job.run()));
  const results = new Map<string, T>();
  const failures: string[] = [];
  settled.forEach((outcome, i) => {
    const label = jobs[i]?.label ?? `job ${i}`;
    if (outcome.status === "fulfilled") results.set(label, outcome.value);
    else failures.push(`${label}: ${errorMessage(outcome.reason)}`);
  });
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${jobs.length} failed:\n${failures.join("\n")}`);
  }
  return results;
}

@object()
export class Bookstore {
  // ---------------------------------------------------------------- lint, type-check, test

  /**
   * Lints the repository (ESLint, buf lint, the workflow linter) in a Node 24 container.
   */
  @func()
  async lint(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    return await this.workspace(source).withExec(["npm", "run", "lint"]).stdout();
  }

  /**
   * Type-checks every package, the tests and this module in a Node 24 container.
   */
  @func()
  async typecheck(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    return await this.workspace(source).withExec(["npm", "run", "typecheck"]).stdout();
  }

  /**
   * Runs all tests (mocha; the build runs first) in a Node 24 container.
   */
  @func()
  async test(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    return await this.workspace(source).withExec(["npm", "test"]).stdout();
  }

  /**
   * Lint, type-check and all tests, in parallel; fails listing every part that failed.
   */
  @func()
  async check(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    const results = await allOrReport([
      { label: "lint", run: () => this.lint(source) },
      { label: "typecheck", run: () => this.typecheck(source) },
      { label: "test", run: () => this.test(source) },
    ]);
    return [...results.keys()].map((label) => `${label}: ok`).join("\n");
  }

  // ---------------------------------------------------------------- images

  /**
   * The image of one service, built from services/<service>/Dockerfile with the repository root
   * as context. Without --platform, the engine's own platform.
   */
  @func()
  async build(
    service: string,
    platform: string = "",
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<Container> {
    const spec = serviceSpec(service);
    const chosen = parsePlatform(platform, await dag.defaultPlatform());
    return this.image(source, spec, chosen, []);
  }

  /**
   * Builds all five services (or only those a change affects) for every platform, in parallel,
   * and returns a summary table; fails after all builds ended if any failed.
   */
  @func()
  async buildAll(
    platforms: string[] = [],
    onlyAffected: boolean = false,
    base: string = "",
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string> {
    const chosen = parsePlatforms(platforms);
    const graph = await this.dependencyGraph(source);
    let services: ServiceName[] = topologicalOrder(graph);
    if (onlyAffected) {
      if (base.trim() === "") throw new Error("--only-affected needs --base REF (the branch or commit to compare with)");
      services = affectedServices(await this.changedPaths(repo, base), graph);
    }
    const skipped = SERVICE_NAMES.filter((name) => !services.includes(name));
    const outcomes = await Promise.all(
      services.flatMap((name) => chosen.map((platform) => this.timedBuild(source, serviceSpec(name), platform))),
    );
    const summary = formatBuildSummary(outcomes, skipped);
    if (outcomes.some((o) => !o.ok)) throw new Error(summary);
    return summary;
  }

  // ---------------------------------------------------------------- tags, publish, promote

  /**
   * The tags of a build: main -> latest, dev -> development, other branches -> alpha-<sha7>;
   * always sha-<sha7>; a version tag v1.2.3 -> 1.2.3, 1.2, 1.
   */
  @func()
  tags(branch: string = "", sha: string, gitTag: string = ""): string[] {
    return computeTags({ branch, sha, gitTag });
  }

  /**
   * Builds every service for every platform and pushes each as one multi-arch image under every
   * tag of the build (immutable sha-<sha7> first), with OCI labels. Returns the digests.
   */
  @func({ cache: "never" })
  async publish(
    registry: string,
    username: string,
    password: Secret,
    branch: string = "",
    sha: string,
    gitTag: string = "",
    platforms: string[] = [],
    sourceUrl: string = "",
    created: string = "",
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<string> {
    const tags = computeTags({ branch, sha, gitTag });
    const chosen = parsePlatforms(platforms);
    const { host } = parseRegistry(registry);
    const revision = sha.trim().toLowerCase();
    const buildArgs = ociBuildArgs({
      source: sourceUrl.trim(),
      revision,
      version: versionLabel({ branch, sha, gitTag }),
      created: createdTimestamp(created, new Date()),
    });

    const published = await allOrReport(
      topologicalOrder(await this.dependencyGraph(source)).map((name) => ({
        label: name,
        run: async (): Promise<PublishOutcome> => {
          const repository = imageRepository(registry, name);
          const [first, ...others] = chosen.map((platform) => this.image(source, serviceSpec(name), platform, buildArgs));
          if (first === undefined) throw new Error("no platform to publish");
          const pusher = first.withRegistryAuth(host, username, password);
          const digests: { tag: string; digest: string }[] = [];
          // One tag after the other, immutable first: a moving tag never points at an image
          // whose sha- tag is missing.
          for (const tag of tags) {
            const reference = await pusher.publish(imageReference(repository, tag), { platformVariants: others });
            digests.push({ tag, digest: digestOf(reference) });
          }
          return { service: name, repository, digests };
        },
      })),
    );
    return formatPublishSummary([...published.values()]);
  }

  /**
   * Points tag --to at the image tag --from already names, for every service (or --services),
   * without rebuilding: the rollback. Uses skopeo copy --all --preserve-digests, exactly as
   * docs/rollback.md shows for use without Dagger.
   */
  @func({ cache: "never" })
  async promote(
    registry: string,
    username: string,
    password: Secret,
    from: string,
    to: string,
    services: string[] = [],
  ): Promise<string> {
    const { host } = parseRegistry(registry);
    const chosen = services.length === 0 ? [...SERVICE_NAMES] : services.map((s) => serviceSpec(s).name);
    const moved = await allOrReport(
      chosen.map((name) => ({
        label: name,
        run: async (): Promise<string> => {
          const repository = imageRepository(registry, name);
          const args = promoteArguments(repository, from, to, {
            authfile: "/tmp/auth.json",
            timeoutSeconds: PROMOTE_TIMEOUT_SECONDS,
          });
          const login =
            'printf "%s" "$REGISTRY_PASSWORD" | skopeo login --authfile /tmp/auth.json ' +
            '--username "$REGISTRY_USERNAME" --password-stdin "$REGISTRY_HOST" >/dev/null && exec skopeo "$@"';
          await dag
            .container()
            .from(SKOPEO_IMAGE)
            .withEnvVariable("REGISTRY_HOST", host)
            .withEnvVariable("REGISTRY_USERNAME", username)
            .withSecretVariable("REGISTRY_PASSWORD", password)
            // Moving a tag is a side effect: never let the engine answer from its cache.
            .withEnvVariable("PROMOTED_AT", new Date().toISOString())
            .withExec(["sh", "-c", login, "skopeo", ...args])
            .sync();
          return `${repository}:${to} -> ${repository}:${from}`;
        },
      })),
    );
    return [...moved.values()].join("\n");
  }

  // ---------------------------------------------------------------- affected services

  /**
   * The services a change touches, through the workspace dependency graph: the files that differ
   * between the merge base of --base and HEAD, plus uncommitted changes. Needs the git history of
   * --base (in GitHub Actions: checkout with fetch-depth: 0).
   */
  @func()
  async affected(
    base: string,
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string[]> {
    return affectedServices(await this.changedPaths(repo, base), await this.dependencyGraph(source));
  }

  // ---------------------------------------------------------------- scan

  /**
   * Scans each image with Trivy and writes an SBOM (CycloneDX) and a vulnerability report per
   * image into the returned directory. Fails on HIGH or CRITICAL findings that have a fix,
   * unless --fail-on-findings=false.
   */
  @func({ cache: "never" })
  async scan(
    platform: string = "",
    failOnFindings: boolean = true,
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory,
  ): Promise<Directory> {
    const chosen = parsePlatform(platform, await dag.defaultPlatform());
    const scannedAt = new Date().toISOString();
    const results = await allOrReport(
      SERVICE_NAMES.map((name) => ({
        label: name,
        run: () => this.scanOne(source, serviceSpec(name), chosen, scannedAt),
      })),
    );
    let reports = dag.directory();
    const withFindings: string[] = [];
    for (const [name, result] of results) {
      reports = reports.withDirectory(".", result.files);
      if (result.exitCode !== 0) withFindings.push(name);
    }
    if (failOnFindings && withFindings.length > 0) {
      const details = await Promise.all(
        withFindings.map(async (name) => `${name}:\n${await reports.file(`${name}.vulnerabilities.txt`).contents()}`),
      );
      throw new Error(`HIGH or CRITICAL vulnerabilities in ${withFindings.join(", ")}\n${details.join("\n")}`);
    }
    return reports;
  }

  // ---------------------------------------------------------------- stack test

  /**
   * Starts the built images as services that reach each other by name (wrk-ork first, then the
   * workers, then app-node) and runs the end-to-end smoke test against them: HTTP through
   * app-node and the gRPC health of every worker.
   */
  @func()
  async stackTest(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    const platform = parsePlatform("", await dag.defaultPlatform());
    const started: Service[] = [];
    try {
      let runner = this.workspace(source);
      for (const group of STACK_START_ORDER) {
        const services = await Promise.all(group.map((name) => this.stackService(source, name, platform).start()));
        started.push(...services);
        group.forEach((name, i) => {
          const service = services[i];
          if (service !== undefined) runner = runner.withServiceBinding(name, service);
        });
      }
      for (const [name, value] of Object.entries(smokeEnvironment(smokeTargets()))) {
        runner = runner.withEnvVariable(name, value);
      }
      return await runner.withExec(["npx", "tsx", "dagger/smoke/stack-smoke.ts"]).stdout();
    } finally {
      await Promise.allSettled(started.map((service) => service.stop()));
    }
  }

  // ---------------------------------------------------------------- helpers (not exposed)

  /**
   * Node 24 on Debian with the tools the tests call, and the workspace installed. Package files
   * come first so `npm ci` stays cached while only sources change.
   */
  private workspace(source: Directory): Container {
    return dag
      .container()
      .from(NODE_CHECK_IMAGE)
      .withMountedCache("/var/cache/apt/archives", dag.cacheVolume("bookstore-apt-archives"), { sharing: CacheSharingMode.Locked })
      .withExec(["rm", "-f", "/etc/apt/apt.conf.d/docker-clean"])
      .withExec(["apt-get", "update", "-qq"])
      .withExec(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...CHECK_TOOL_PACKAGES])
      .withMountedCache("/root/.npm", dag.cacheVolume("bookstore-npm-cache"))
      .withWorkdir("/src")
      .withDirectory("/src", source, {
        include: ["package.json", "package-lock.json", ".npmrc", "services/*/package.json"],
      })
      .withExec(["npm", "ci", "--no-audit", "--no-fund"])
      .withDirectory("/src", source);
  }

  private image(source: Directory, spec: ServiceSpec, platform: SupportedPlatform, buildArgs: BuildArgument[]): Container {
    return source.dockerBuild({
      dockerfile: spec.dockerfile,
      platform: platform as Platform,
      buildArgs: buildArgs.map((arg) => ({ name: arg.name, value: arg.value })),
    });
  }

  private async timedBuild(source: Directory, spec: ServiceSpec, platform: SupportedPlatform): Promise<BuildOutcome> {
    const started = performance.now();
    try {
      await this.image(source, spec, platform, []).sync();
      return { service: spec.name, platform, ok: true, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      return { service: spec.name, platform, ok: false, seconds: (performance.now() - started) / 1000, error: errorMessage(error) };
    }
  }

  private async dependencyGraph(source: Directory): Promise<DependencyGraph> {
    const manifests: Record<string, string> = {};
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        manifests[name] = await source.file(`${serviceSpec(name).dir}/package.json`).contents();
      }),
    );
    return parseDependencyGraph(manifests);
  }

  /** Paths changed since the merge base of `base` and HEAD, plus uncommitted changes. */
  private async changedPaths(repo: GitRepository, base: string): Promise<string[]> {
    const head: GitRef = repo.head();
    const mergeBase: GitRef = repo.ref(base.trim()).commonAncestor(head);
    const committed = head.tree({ discardGitDir: true }).changes(mergeBase.tree({ discardGitDir: true }));
    const uncommitted = repo.uncommitted();
    const lists = await Promise.all([
      committed.addedPaths(),
      committed.modifiedPaths(),
      committed.removedPaths(),
      uncommitted.addedPaths(),
      uncommitted.modifiedPaths(),
      uncommitted.removedPaths(),
    ]);
    return [...new Set(lists.flat())];
  }

  private async scanOne(
    source: Directory,
    spec: ServiceSpec,
    platform: SupportedPlatform,
    scannedAt: string,
  ): Promise<{ files: Directory; exitCode: number }> {
    const tarball = this.image(source, spec, platform, []).asTarball();
    const sbom = `/out/${spec.name}.sbom.cdx.json`;
    const report = `/out/${spec.name}.vulnerabilities.txt`;
    const scanned = dag
      .container()
      .from(TRIVY_IMAGE)
      .withMountedCache("/root/.cache/trivy", dag.cacheVolume("bookstore-trivy-cache"))
      .withMountedFile("/scan/image.tar", tarball)
      // The vulnerability database changes daily: a scan must never be answered from cache.
      .withEnvVariable("SCANNED_AT", scannedAt)
      .withExec(["trivy", "image", "--quiet", "--input", "/scan/image.tar", "--format", "cyclonedx", "--output", sbom])
      .withExec(
        [
          "trivy", "image", "--quiet", "--input", "/scan/image.tar",
          "--scanners", "vuln", "--severity", "HIGH,CRITICAL", "--ignore-unfixed",
          "--exit-code", "1", "--format", "table", "--output", report,
        ],
        { expect: ReturnType.Any },
      );
    const exitCode = await scanned.exitCode();
    if (exitCode !== 0 && exitCode !== 1) {
      throw new Error(`trivy failed on ${spec.name} (${architectureOf(platform)}), exit code ${exitCode}: ${await scanned.stderr()}`);
    }
    return { files: scanned.directory("/out"), exitCode };
  }

  private stackService(source: Directory, name: ServiceName, platform: SupportedPlatform): Service {
    let container = this.image(source, serviceSpec(name), platform, []);
    for (const [key, value] of Object.entries(stackEnvironment(name))) {
      container = container.withEnvVariable(key, value);
    }
    for (const port of stackPorts(name)) {
      container = container.withExposedPort(port);
    }
    return container.asService({ useEntrypoint: true }).withHostname(name);
  }
}
