/**
 * The CI/CD pipeline of the bookstore
 *
 * Lint, type-check and test the monorepo; build the images of the services in
 * services/catalogue.json for linux/amd64 and linux/arm64; compute their tags; publish them as multi-arch images; move a tag back to an
 * earlier image (rollback); list the services a change affects; scan the images; and run the
 * built images together for an end-to-end smoke test.
 *
 * All decisions that need no engine (services, dependency graph, platforms, tags, affected
 * services, image names, summaries) live in ./lib, without the SDK, and are unit-tested there.
 */
import {
  argument,
  CacheSharingMode,
  check,
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

import { affectedServices, comparisonBase } from "./lib/affected.js";
import {
  ATTEST_COMMAND,
  ATTEST_INPUTS,
  bundleSbomFile,
  ciEnvironment,
  parsePublished,
  platformInputs,
  PUBLISHED_FILE,
  registryHost,
  type PlatformConfig,
} from "./lib/attest.js";
import { packageWorkspaces, parseDependencyGraph, topologicalOrder, type DependencyGraph } from "./lib/graph.js";
import { createdTimestamp, ociAnnotations, ociBuildArgs, type BuildArgument } from "./lib/oci.js";
import { BUILD_STAGE, IMAGE_RECIPE, imageBuildArgs, imageTitle } from "./lib/image-recipe.js";
import { architectureOf, parsePlatform, parsePlatforms, platformBuildArgs, type SupportedPlatform } from "./lib/platforms.js";
import { digestOf, imageReference, imageRepository, inspectRawArguments, parseImageRegistry, promoteArguments } from "./lib/image-registry.js";
import {
  CATALOGUE_FILE,
  orchestrator,
  parseCatalogue,
  serviceNames,
  serviceSpec,
  startOrder,
  type Catalogue,
  type ServiceName,
  type ServiceSpec,
} from "./lib/services.js";
import { STACK_CERTS_COMMAND, STACK_CERTS_DIR, STACK_CERTS_OUT, smokeEnvironment, smokeTargets, stackEnvironment, stackPorts } from "./lib/stack.js";
import { formatBuildSummary, formatPublishJson, formatPublishSummary, platformsOfIndex, type BuildOutcome, type PublishOutcome } from "./lib/summary.js";
import { computeTags, versionLabel } from "./lib/tags.js";
import {
  DB_CACHE_DIR,
  downloadDbArgs,
  SCAN_CACHE_DIR,
  SCAN_OUTPUT_DIR,
  sbomArgs,
  scanFiles,
  scanOutcome,
  vulnerabilityArgs,
} from "./lib/scan.js";
import { SOURCE_IGNORE } from "./lib/source.js";
import {
  BREAKING_BASE_PROTO,
  BREAKING_COMMAND,
  CHECK_COMMANDS,
  CHECK_DOCKERFILE,
  SKOPEO_IMAGE,
  TRIVY_IMAGE,
  WORKSPACE_INSTALL,
  WORKSPACE_MANIFESTS,
  type CheckName,
} from "./lib/toolchain.js";

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
  /** The repository, as the engine receives it (without what SOURCE_IGNORE lists). */
  source: Directory;

  /**
   * @param source the repository; by default the one this module is in, without dependencies,
   * build output, git history, env files, generated code and logs
   */
  constructor(@argument({ defaultPath: "/", ignore: SOURCE_IGNORE }) source: Directory) {
    this.source = source;
  }

  // ---------------------------------------------------------------- lint, type-check, test

  /**
   * Lints the repository (ESLint, buf lint, the workflow linter) in the check container (.ci/check/Dockerfile).
   */
  @func()
  @check()
  async lint(): Promise<string> {
    return await this.runCheck("lint");
  }

  /**
   * Type-checks every package, the tests and this module in the check container (.ci/check/Dockerfile).
   */
  @func()
  @check()
  async typecheck(): Promise<string> {
    return await this.runCheck("typecheck");
  }

  /**
   * Runs all tests (mocha; the build runs first) in the check container (.ci/check/Dockerfile).
   */
  @func()
  @check()
  async test(): Promise<string> {
    return await this.runCheck("test");
  }

  /**
   * Lint, type-check and all tests, in parallel; fails listing every part that failed.
   */
  @func()
  async check(): Promise<string> {
    const results = await allOrReport([
      { label: "lint", run: () => this.lint() },
      { label: "typecheck", run: () => this.typecheck() },
      { label: "test", run: () => this.test() },
    ]);
    return [...results.keys()].map((label) => `${label}: ok`).join("\n");
  }

  // ---------------------------------------------------------------- images

  /**
   * The image of one service, built from the one recipe services/Dockerfile (with the service's
   * build arguments from the catalogue) and the repository root as context. Without --platform, the engine's own platform.
   */
  @func()
  async build(
    service: string,
    platform: string = "",
  ): Promise<Container> {
    const spec = serviceSpec(await this.catalogue(), service);
    const native = await this.nativePlatform();
    return this.image(spec, parsePlatform(platform, native), native, []);
  }

  /**
   * Builds every service of services/catalogue.json for every platform, in parallel, and returns a summary table; fails
   * after all builds ended if any failed. Needs no git history.
   */
  @func()
  async buildAll(
    platforms: string[] = [],
  ): Promise<string> {
    return await this.buildServices(topologicalOrder(await this.dependencyGraph()), platforms);
  }

  /**
   * Like build-all, but only the services a change affects (see `affected`): the files that
   * differ between the merge base of --base and HEAD, plus uncommitted changes. Loads the git
   * history, which must hold --base (in GitHub Actions: checkout with fetch-depth: 0).
   */
  @func()
  async buildAffected(
    base: string,
    platforms: string[] = [],
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string> {
    return await this.buildServices(await this.affectedNames(base, repo), platforms);
  }

  /**
   * What CI runs after `check` on every pull request and push: the images the change since --base
   * affects (see `affected`), built for every platform, then all services run together for the
   * smoke test (as stack-test). --base all zeros (GitHub's `before` when a push makes a branch or
   * tag) builds every image. Without an affected image nothing is built or run.
   */
  @func()
  async verifyImages(
    base: string,
    platforms: string[] = [],
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string> {
    const services = await this.affectedNames(base, repo);
    const built = await this.buildServices(services, platforms);
    if (services.length === 0) return `${built}\nstack test: not run, no image is affected`;
    return `${built}\nstack test:\n${await this.stackTest()}`;
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
   * tag of the build (immutable sha-<sha7> first), with OCI labels. Returns JSON: per service the
   * repository, the tags, the index digest and each platform's digest (the table goes to the log).
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
  ): Promise<string> {
    const tags = computeTags({ branch, sha, gitTag });
    const chosen = parsePlatforms(platforms);
    const native = await this.nativePlatform();
    const { host } = parseImageRegistry(registry);
    const revision = sha.trim().toLowerCase();
    const meta = { source: sourceUrl.trim(), revision, version: versionLabel({ branch, sha, gitTag }), created: createdTimestamp(created, new Date()) };
    const buildArgs = ociBuildArgs(meta);

    const catalogue = await this.catalogue();
    const published = await allOrReport(
      topologicalOrder(await this.dependencyGraph()).map((name) => ({
        label: name,
        run: async (): Promise<PublishOutcome> => {
          const repository = imageRepository(registry, name);
          const spec = serviceSpec(catalogue, name);
          const annotations = ociAnnotations({ title: imageTitle(name), description: spec.description }, meta);
          const [first, ...others] = chosen.map((platform) =>
            annotations.reduce((image, { name: key, value }) => image.withAnnotation(key, value), this.image(spec, platform, native, buildArgs)),
          );
          if (first === undefined) throw new Error("no platform to publish");
          const pusher = first.withRegistryAuth(host, username, password);
          const digests: { tag: string; digest: string }[] = [];
          // One tag after the other, immutable first: a moving tag never points at an image
          // whose sha- tag is missing.
          for (const tag of tags) {
            const reference = await pusher.publish(imageReference(repository, tag), { platformVariants: others });
            digests.push({ tag, digest: digestOf(reference) });
          }
          const indexDigest = digests[0]?.digest ?? "";
          // The platform digests as the registry lists them in the index it serves.
          const index = await this.skopeo(host, username, password, inspectRawArguments(repository, indexDigest, { authfile: "/tmp/auth.json", timeoutSeconds: PROMOTE_TIMEOUT_SECONDS }));
          return { service: name, repository, digests, platforms: platformsOfIndex(index) };
        },
      })),
    );
    const outcomes = [...published.values()];
    // The table for people in the log; the JSON is the result, for the steps after publish.
    console.error(formatPublishSummary(outcomes));
    return formatPublishJson(outcomes);
  }

  /**
   * Signs and attaches the attestations of what publish pushed (--published: publish's JSON): the
   * SLSA provenance of each index and the SBOM of each platform image, as OCI 1.1 artifacts with
   * the image's digest as subject (docs/releases.md). Each platform image is pulled by its digest
   * and its SBOM made from its own files and its build stage's bundle SBOM, then checked against
   * them; dagger/release does it in the check container. Keyless (Fulcio, Rekor) with the GitHub
   * Actions job's OIDC request URL and token (id-token: write), else with --signing-key (PEM,
   * ECDSA P-256); --ci-env NAME=VALUE passes the run's GITHUB_* variables for the provenance.
   */
  @func({ cache: "never" })
  async attest(
    published: string,
    username: string,
    password: Secret,
    sha: string = "",
    sourceUrl: string = "",
    ciEnv: string[] = [],
    signingKey?: Secret,
    oidcRequestUrl?: Secret,
    oidcRequestToken?: Secret,
  ): Promise<string> {
    const images = parsePublished(published);
    const ci = ciEnvironment(ciEnv);
    const keyless = oidcRequestUrl !== undefined && oidcRequestToken !== undefined;
    if (keyless && ci.GITHUB_ACTIONS !== "true") throw new Error("attest: keyless signing runs in GitHub Actions only: pass --ci-env GITHUB_ACTIONS=true and the run's variables");
    if (!keyless && signingKey === undefined) {
      throw new Error("attest: nothing to sign with: --oidc-request-url and --oidc-request-token (a GitHub Actions job with id-token: write), or --signing-key");
    }
    const native = await this.nativePlatform();
    const catalogue = await this.catalogue();
    let inputs = dag.directory().withNewFile(PUBLISHED_FILE, published);
    for (const image of images) {
      const spec = serviceSpec(catalogue, image.service);
      for (const entry of image.platforms) {
        const platform = parsePlatform(entry.platform, native);
        const paths = platformInputs(spec.name, architectureOf(platform));
        // The image exactly as pushed (by digest); registry credentials belong to the engine's session.
        const pushed = dag
          .container({ platform: platform as Platform })
          .withRegistryAuth(registryHost(image.repository), username, password)
          .from(`${image.repository}@${entry.digest}`);
        // The shared build stage of the recipe: it reads no service argument, so this is the very
        // stage (same steps, same cache) every image of this platform was built from.
        const buildStage = this.source.dockerBuild({
          dockerfile: IMAGE_RECIPE,
          platform: platform as Platform,
          target: BUILD_STAGE,
          buildArgs: platformBuildArgs(native, platform).map((arg) => ({ name: arg.name, value: arg.value })),
        });
        const config: PlatformConfig = {
          nodeVersion: await pushed.envVariable("NODE_VERSION"),
          version: await pushed.label("org.opencontainers.image.version"),
        };
        inputs = inputs
          .withDirectory(paths.rootfs, pushed.rootfs())
          .withFile(paths.bundleSbom, buildStage.file(bundleSbomFile(spec.name)))
          .withNewFile(paths.config, JSON.stringify(config));
      }
    }
    let runner = this.workspace()
      .withDirectory(ATTEST_INPUTS, inputs)
      .withEnvVariable("REGISTRY_USERNAME", username)
      .withSecretVariable("REGISTRY_PASSWORD", password)
      .withEnvVariable("SHA", sha)
      .withEnvVariable("SOURCE_URL", sourceUrl)
      // Attaching writes to the registry: never answered from the engine's cache.
      .withEnvVariable("ATTESTED_AT", new Date().toISOString());
    for (const [name, value] of Object.entries(ci)) runner = runner.withEnvVariable(name, value);
    if (keyless) {
      runner = runner.withSecretVariable("ACTIONS_ID_TOKEN_REQUEST_URL", oidcRequestUrl).withSecretVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN", oidcRequestToken);
    } else if (signingKey !== undefined) {
      runner = runner.withSecretVariable("SIGNING_KEY", signingKey);
    }
    return await runner.withExec([...ATTEST_COMMAND]).stdout();
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
    const { host } = parseImageRegistry(registry);
    const catalogue = await this.catalogue();
    const chosen = services.length === 0 ? serviceNames(catalogue) : services.map((s) => serviceSpec(catalogue, s).name);
    const moved = await allOrReport(
      chosen.map((name) => ({
        label: name,
        run: async (): Promise<string> => {
          const repository = imageRepository(registry, name);
          const args = promoteArguments(repository, from, to, {
            authfile: "/tmp/auth.json",
            timeoutSeconds: PROMOTE_TIMEOUT_SECONDS,
          });
          await this.skopeo(host, username, password, args);
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
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string[]> {
    return await this.affectedNames(base, repo);
  }

  /**
   * Wire compatibility: buf breaking of proto/ (the rules in proto/buf.yaml) against proto/ at the
   * merge base of --base and HEAD, in the check container; fails on a breaking change. Needs the
   * git history of --base (in GitHub Actions: checkout with fetch-depth: 0); a base of all zeros
   * has nothing to compare with, so nothing is checked.
   */
  @func()
  async breaking(
    base: string,
    @argument({ defaultPath: "/" }) repo: GitRepository,
  ): Promise<string> {
    const since = comparisonBase(base);
    if (since === null) return "buf breaking: not run, no base to compare with";
    const mergeBase: GitRef = repo.ref(since).commonAncestor(repo.head());
    const baseProto = mergeBase.tree({ discardGitDir: true }).directory("proto");
    return await this.workspace().withDirectory(BREAKING_BASE_PROTO, baseProto).withExec([...BREAKING_COMMAND]).stdout();
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
  ): Promise<Directory> {
    const native = await this.nativePlatform();
    const chosen = parsePlatform(platform, native);
    const database = this.trivyDatabase(new Date().toISOString());
    const catalogue = await this.catalogue();
    const results = await allOrReport(
      catalogue.services.map((spec) => ({
        label: spec.name,
        run: () => this.scanOne(spec, chosen, native, database),
      })),
    );
    let reports = dag.directory();
    const withFindings: string[] = [];
    for (const [name, result] of results) {
      reports = reports.withDirectory(".", result.files);
      if (result.findings) withFindings.push(name);
    }
    if (failOnFindings && withFindings.length > 0) {
      const details = await Promise.all(
        withFindings.map(async (name) => `${name}:\n${await reports.file(scanFiles(name).report).contents()}`),
      );
      throw new Error(`HIGH or CRITICAL vulnerabilities in ${withFindings.join(", ")}\n${details.join("\n")}`);
    }
    return reports;
  }

  // ---------------------------------------------------------------- stack test

  /**
   * Starts the built images as services that reach each other by name (wrk-ork first, then the
   * workers, then app-node) and runs the end-to-end smoke test against them: HTTP through
   * app-node and the gRPC health of every worker. Every gRPC hop is mutual TLS, with a development
   * CA made by the orchestrator image's own certs tool.
   */
  @func()
  async stackTest(): Promise<string> {
    const platform = await this.nativePlatform();
    const catalogue = await this.catalogue();
    const certs = await this.stackCerts(catalogue, platform);
    const started: Service[] = [];
    try {
      let runner = this.workspace().withMountedDirectory(STACK_CERTS_DIR, certs.dir);
      for (const group of startOrder(catalogue)) {
        const services = await Promise.all(group.map((name) => this.stackService(catalogue, name, platform, certs).start()));
        started.push(...services);
        group.forEach((name, i) => {
          const service = services[i];
          if (service !== undefined) runner = runner.withServiceBinding(name, service);
        });
      }
      for (const [name, value] of Object.entries(smokeEnvironment(smokeTargets(catalogue)))) {
        runner = runner.withEnvVariable(name, value);
      }
      return await runner.withExec(["npx", "tsx", "dagger/smoke/stack-smoke.ts"]).stdout();
    } finally {
      await Promise.allSettled(started.map((service) => service.stop()));
    }
  }

  // ---------------------------------------------------------------- helpers (not exposed)

  /**
   * The check container (.ci/check/Dockerfile: Node on Debian with every tool the tests call) with
   * the workspace installed. Package files come first so `npm ci` stays cached while only
   * sources change.
   */
  private workspace(): Container {
    // The recipe alone as build context: its cache key is the file, not the whole repository.
    const recipe = dag.directory().withFile("Dockerfile", this.source.file(CHECK_DOCKERFILE));
    return recipe
      .dockerBuild()
      .withMountedCache("/root/.npm", dag.cacheVolume("bookstore-npm-cache"))
      .withWorkdir("/src")
      .withDirectory("/src", this.source, { include: [...WORKSPACE_MANIFESTS] })
      .withExec([...WORKSPACE_INSTALL])
      .withDirectory("/src", this.source);
  }

  /** Runs skopeo logged in to the registry (authfile /tmp/auth.json); returns what it prints. */
  private async skopeo(host: string, username: string, password: Secret, args: string[]): Promise<string> {
    const login =
      'printf "%s" "$REGISTRY_PASSWORD" | skopeo login --authfile /tmp/auth.json ' +
      '--username "$REGISTRY_USERNAME" --password-stdin "$REGISTRY_HOST" >/dev/null && exec skopeo "$@"';
    return await dag
      .container()
      .from(SKOPEO_IMAGE)
      .withEnvVariable("REGISTRY_HOST", host)
      .withEnvVariable("REGISTRY_USERNAME", username)
      .withSecretVariable("REGISTRY_PASSWORD", password)
      // Tags move and registries change: never let the engine answer from its cache.
      .withEnvVariable("SKOPEO_RUN_AT", new Date().toISOString())
      .withExec(["sh", "-c", login, "skopeo", ...args])
      .stdout();
  }

  private async runCheck(name: CheckName): Promise<string> {
    return await this.workspace().withExec([...CHECK_COMMANDS[name]]).stdout();
  }

  /** The engine's own platform: where every build step that runs a command runs. */
  private async nativePlatform(): Promise<SupportedPlatform> {
    return parsePlatform("", await dag.defaultPlatform());
  }

  /**
   * One service image for `platform`, its build stage on `native` (see platformBuildArgs): the
   * same Dockerfile and platform arguments as the podman build of .ci/images/build.ts.
   */
  private image(spec: ServiceSpec, platform: SupportedPlatform, native: SupportedPlatform, buildArgs: BuildArgument[]): Container {
    // The build stage reads none of the service's arguments: the engine builds it once for every
    // service and platform (same steps, same cache keys).
    return this.source.dockerBuild({
      dockerfile: IMAGE_RECIPE,
      platform: platform as Platform,
      buildArgs: [...platformBuildArgs(native, platform), ...imageBuildArgs(spec), ...buildArgs].map((arg) => ({ name: arg.name, value: arg.value })),
    });
  }

  private async buildServices(services: readonly ServiceName[], platforms: string[]): Promise<string> {
    const chosen = parsePlatforms(platforms);
    const native = await this.nativePlatform();
    const catalogue = await this.catalogue();
    const skipped = serviceNames(catalogue).filter((name) => !services.includes(name));
    const outcomes = await Promise.all(
      services.flatMap((name) => chosen.map((platform) => this.timedBuild(serviceSpec(catalogue, name), platform, native))),
    );
    const summary = formatBuildSummary(outcomes, skipped);
    if (outcomes.some((o) => !o.ok)) throw new Error(summary);
    return summary;
  }

  private async timedBuild(spec: ServiceSpec, platform: SupportedPlatform, native: SupportedPlatform): Promise<BuildOutcome> {
    const started = performance.now();
    try {
      await this.image(spec, platform, native, []).sync();
      return { service: spec.name, platform, ok: true, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      return { service: spec.name, platform, ok: false, seconds: (performance.now() - started) / 1000, error: errorMessage(error) };
    }
  }

  /** The service catalogue of the repository given as `source`. */
  private async catalogue(): Promise<Catalogue> {
    return parseCatalogue(await this.source.file(CATALOGUE_FILE).contents());
  }

  /** The graph of the workspaces: the catalogued services and the root package.json's other workspaces (proto). */
  private async dependencyGraph(): Promise<DependencyGraph> {
    const catalogue = await this.catalogue();
    const packages = packageWorkspaces(await this.source.file("package.json").contents());
    const folders = [...catalogue.services.map((spec) => ({ name: spec.name, dir: spec.dir })), ...packages.map((folder) => ({ name: folder, dir: folder }))];
    const manifests: Record<string, string> = {};
    await Promise.all(
      folders.map(async ({ name, dir }) => {
        manifests[name] = await this.source.file(`${dir}/package.json`).contents();
      }),
    );
    return parseDependencyGraph(catalogue, manifests, packages);
  }

  /** The services a change since `base` affects; all of them for a base of all zeros (nothing to compare with). */
  private async affectedNames(base: string, repo: GitRepository): Promise<ServiceName[]> {
    const since = comparisonBase(base);
    const graph = await this.dependencyGraph();
    if (since === null) return topologicalOrder(graph);
    return affectedServices(await this.changedPaths(repo, since), graph);
  }

  /** Paths changed since the merge base of `base` and HEAD, plus uncommitted changes. */
  private async changedPaths(repo: GitRepository, base: string): Promise<string[]> {
    const head: GitRef = repo.head();
    const mergeBase: GitRef = repo.ref(base).commonAncestor(head);
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

  /**
   * The vulnerability database, downloaded once per scan run: the cache volume is held by one
   * Trivy at a time (Locked), and the scans get copies of it.
   */
  private trivyDatabase(scannedAt: string): Directory {
    return dag
      .container()
      .from(TRIVY_IMAGE)
      .withMountedCache(DB_CACHE_DIR, dag.cacheVolume("bookstore-trivy-db"), { sharing: CacheSharingMode.Locked })
      // The database changes daily: never answered from the engine's cache.
      .withEnvVariable("SCANNED_AT", scannedAt)
      .withExec(downloadDbArgs())
      // Out of the cache volume into the container's own files, which later steps can read.
      .withExec(["cp", "-R", `${DB_CACHE_DIR}/db`, "/db"])
      .directory("/db");
  }

  private async scanOne(
    spec: ServiceSpec,
    platform: SupportedPlatform,
    native: SupportedPlatform,
    database: Directory,
  ): Promise<{ files: Directory; findings: boolean }> {
    const tarball = "/scan/image.tar";
    const files = scanFiles(spec.name);
    const scanned = dag
      .container()
      .from(TRIVY_IMAGE)
      .withDirectory(`${SCAN_CACHE_DIR}/db`, database)
      .withDirectory(SCAN_OUTPUT_DIR, dag.directory())
      .withMountedFile(tarball, this.image(spec, platform, native, []).asTarball())
      .withExec(sbomArgs(tarball, files.sbom))
      .withExec(vulnerabilityArgs(tarball, files.report), { expect: ReturnType.Any });
    const exitCode = await scanned.exitCode();
    const outcome = scanOutcome(exitCode);
    if (outcome === "failed") {
      throw new Error(`trivy failed on ${spec.name} (${architectureOf(platform)}), exit code ${exitCode}: ${await scanned.stderr()}`);
    }
    return { files: scanned.directory(SCAN_OUTPUT_DIR), findings: outcome === "findings" };
  }

  /** The stack's development CA and certificates, and the image user who must own them (keys are 0600). */
  private async stackCerts(catalogue: Catalogue, platform: SupportedPlatform): Promise<{ dir: Directory; owner: string }> {
    const image = this.image(orchestrator(catalogue), platform, platform, []);
    const dir = image.withExec([...STACK_CERTS_COMMAND]).directory(STACK_CERTS_OUT);
    return { dir, owner: await image.user() };
  }

  private stackService(catalogue: Catalogue, name: ServiceName, platform: SupportedPlatform, certs: { dir: Directory; owner: string }): Service {
    let container = this.image(serviceSpec(catalogue, name), platform, platform, []).withMountedDirectory(STACK_CERTS_DIR, certs.dir, { owner: certs.owner });
    for (const [key, value] of Object.entries(stackEnvironment(catalogue, name))) {
      container = container.withEnvVariable(key, value);
    }
    for (const port of stackPorts(catalogue, name)) {
      container = container.withExposedPort(port);
    }
    return container.asService({ useEntrypoint: true }).withHostname(name);
  }
}
