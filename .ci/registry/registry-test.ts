// Tags and rollback against a real registry (npm run test:registry; .ci/run calls it after the
// image builds):
//   1. starts Debian's docker-registry on 127.0.0.1 (storage in a temp dir);
//   2. for two commits on main, pushes the podman-built images of the catalogued services as one
//      multi-arch index each, under every tag computeTags (dagger/module/src/lib/tags.ts) gives;
//   3. rolls `latest` back to the first commit's sha- tag by running the loop of docs/rollback.md,
//      unchanged, with skopeo;
//   4. checks through the registry API that `latest` now serves the first build (digest, both
//      platforms, revision labels) and that the sha- tags never moved;
//   5. moves `latest` forward again with the exact skopeo arguments of `dagger call promote`;
//   6. attestations (attest-check.ts): after each build, the inputs folder the module's `attest`
//      builds (publish's JSON for the pushed images; per platform image its root filesystem and
//      config, pulled by digest, and its build stage's bundle SBOM) and the script `attest` runs,
//      dagger/release/attest-published.ts --inputs DIR, as a child process with this run's key in
//      SIGNING_KEY: it makes and checks each SBOM, signs and attaches the SLSA provenance of each
//      index and the SBOM of each platform image as OCI 1.1 artifacts, and verifies them. Before
//      that, the script must refuse a bundle SBOM that does not match the image and attach nothing.
//      `latest` and a sha- tag verify, found by digest through the registry API; a changed image
//      under `latest` and a changed attestation both fail verification.
// Usage: tsx .ci/registry/registry-test.ts [--images localhost/bookstore]
// The source images are <images>/<service>:test-amd64 and :test-arm64 (made by npm run
// test:images, which also leaves the layer cache of the build stage that the bundle SBOMs come from).

import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { architectureOf, DEFAULT_PLATFORMS } from "../../dagger/module/src/lib/platforms.js";
import { imageReference, imageRepository, inspectRawArguments, promoteArguments } from "../../dagger/module/src/lib/image-registry.js";
import type { PublishOutcome } from "../../dagger/module/src/lib/summary.js";
import { formatPublishJson, platformsOfIndex } from "../../dagger/module/src/lib/summary.js";
import { serviceNames, type ServiceName } from "../../dagger/module/src/lib/services.js";
import { computeTags, shaTag } from "../../dagger/module/src/lib/tags.js";
import { readCatalogue } from "../images/catalogue.js";
import { hostCaCerts } from "../images/build.js";
import { bundleBomOf } from "../images/image-sbom.js";
import type { Arch } from "../images/podman.js";
import type { PlatformSource, PushedImage } from "./attest-check.js";
import { expectRejected, expectVerified, indexDescriptor, localAttester, reattach, runAttestPublished, writeAttestInputs } from "./attest-check.js";
import { run, startRegistry } from "./processes.js";
import { manifest, platformImages } from "./registry-api.js";
import { referrers } from "../../dagger/release/oci-registry.js";
import { parsePublished } from "../../dagger/module/src/lib/attest.js";
import { rollbackCommands } from "./rollback-doc.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVICE_NAMES = serviceNames(readCatalogue(ROOT));
const PODMAN = join(ROOT, ".ci/images/podman.sh");
const WORK_PREFIX = "localhost/bookstore-registry-test";
const REVISION_LABEL = "org.opencontainers.image.revision";
const OVERALL_DEADLINE_MS = 20 * 60_000;
const PUSH_TIMEOUT_MS = 5 * 60_000;
const ATTEST_TIMEOUT_MS = 5 * 60_000;

interface Build {
  readonly number: number;
  readonly commit: string;
  readonly tags: string[];
  /** Service -> digest of its multi-arch index. */
  readonly digests: Map<ServiceName, string>;
}

const started = Date.now();
function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** A commit id for build n: stable, 40 hex characters, like git's. */
function commitOf(n: number): string {
  return createHash("sha1").update(`bookstore registry test: commit ${n} on main`).digest("hex");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { images: { type: "string", default: "localhost/bookstore" } } });
  const images = values.images;
  const arches = DEFAULT_PLATFORMS.map((p) => ({ platform: p, arch: architectureOf(p) }));
  const source = (service: ServiceName, arch: string): string => `${images}/${service}:test-${arch}`;

  // Tools and images first: a missing one is a clear error, not a half-run test.
  await run("skopeo", ["--version"], { timeoutMs: 10_000 });
  await run("docker-registry", ["--version"], { timeoutMs: 10_000 });
  const missing: string[] = [];
  for (const service of SERVICE_NAMES) {
    for (const { arch } of arches) {
      try {
        await run(PODMAN, ["image", "exists", source(service, arch)], { timeoutMs: 30_000 });
      } catch {
        missing.push(source(service, arch));
      }
    }
  }
  if (missing.length > 0) {
    fail(`images missing from the podman store (build them first, see .ci/images): ${missing.join(", ")}`);
  }

  const work = await mkdtemp(join(tmpdir(), "bookstore-registry-test-"));
  const registry = await startRegistry(join(work, "registry"));
  log(`docker-registry listening on ${registry.address}, storage in ${work}`);
  // skopeo and podman verify TLS as against any registry; this certificate is the one root they trust.
  const env = { ...process.env, SSL_CERT_FILE: registry.certificateFile };
  const registryName = `${registry.address}/bookstore`;
  const pathOf = (service: ServiceName): string => imageRepository(registryName, service).slice(registry.address.length + 1);
  const digestOf = async (service: ServiceName, tag: string): Promise<string> =>
    (await manifest(registry, pathOf(service), tag)).digest;

  const endpoint = { baseUrl: `https://${registry.address}`, ca: registry.certificate };
  const attester = localAttester();
  const pushed: PushedImage[] = [];
  const cleanup: string[][] = [];
  // What `attest` reads of each platform image, fetched the way it does: the image pulled by its
  // digest (its files: podman's mount of it; its config as the registry serves it), and the bundle
  // SBOM from the build stage of that platform (the layer cache of npm run test:images makes the
  // build a lookup; the stage reads none of the OCI arguments).
  const mounted: string[] = [];
  const bundleSboms = new Map<string, Promise<string>>();
  const stageOci = { source: `file://${ROOT}`, revision: "registry-test", version: "0.0.0-registry-test", created: "1970-01-01T00:00:00Z" };
  const platformSource: PlatformSource = {
    rootfs: async (repository, digest, architecture) => {
      const reference = `${repository}@${digest}`;
      await run(PODMAN, ["pull", "--quiet", `--platform=linux/${architecture}`, `docker://${reference}`], { env, timeoutMs: PUSH_TIMEOUT_MS });
      mounted.push(reference);
      return (await run(PODMAN, ["image", "mount", reference], { timeoutMs: 60_000 })).trim();
    },
    config: (repository, digest) => run("skopeo", ["inspect", "--config", "--raw", `docker://${repository}@${digest}`], { env, timeoutMs: PUSH_TIMEOUT_MS }),
    bundleSbom: (service, architecture) => {
      const key = `${service}/${architecture}`;
      const known = bundleSboms.get(key) ?? bundleBomOf(service, architecture as Arch, stageOci, hostCaCerts());
      bundleSboms.set(key, known);
      return known;
    },
  };
  const unmountAll = async (): Promise<void> => {
    for (const reference of mounted.splice(0)) {
      await run(PODMAN, ["image", "unmount", reference], { timeoutMs: 60_000 }).catch(() => "");
      await run(PODMAN, ["rmi", reference], { timeoutMs: 60_000 }).catch(() => "");
    }
  };
  const attestEnv = {
    signingKey: attester.keys.privateKey,
    // The loopback registry asks for no login: the script is given one, as in CI, and needs none.
    username: "registry-test",
    password: "unused",
    sourceUrl: `file://${ROOT}`,
    caFile: registry.certificateFile,
  };
  /** One multi-arch index of a service from the source images, with these labels on each platform image. */
  const buildIndex = async (service: ServiceName, name: string, labels: Readonly<Record<string, string>>, context: string): Promise<string> => {
    const list = `${WORK_PREFIX}/${service}:${name}`;
    const members: string[] = [];
    for (const { platform, arch } of arches) {
      const member = `${WORK_PREFIX}/${service}:${name}-${arch}`;
      const containerfile = join(context, `Containerfile.${service}.${arch}`);
      await writeFile(containerfile, `FROM ${source(service, arch)}\n`);
      await run(PODMAN, ["rmi", "--force", member], { timeoutMs: 60_000 }).catch(() => "");
      await run(
        PODMAN,
        ["build", "--quiet", "--pull=never", "--platform", platform, ...Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]),
          "--file", containerfile, "--tag", member, context],
        { env, timeoutMs: 5 * 60_000 },
      );
      members.push(member);
      cleanup.push(["rmi", "--force", member]);
    }
    await run(PODMAN, ["manifest", "rm", list], { timeoutMs: 60_000 }).catch(() => "");
    await run(PODMAN, ["manifest", "create", list], { timeoutMs: 60_000 });
    cleanup.unshift(["manifest", "rm", list]);
    for (const member of members) {
      await run(PODMAN, ["manifest", "add", list, `containers-storage:${member}`], { timeoutMs: 60_000 });
    }
    return list;
  };
  /** Pushes an index under a tag; returns the digest podman pushed. */
  const pushIndex = async (list: string, service: ServiceName, tag: string, context: string): Promise<string> => {
    const digestFile = join(context, `${service}.${tag}.digest`);
    const destination = imageReference(imageRepository(registryName, service), tag);
    await run(
      PODMAN,
      ["manifest", "push", "--all", "--quiet", "--format", "oci", "--digestfile", digestFile, list, `docker://${destination}`],
      { env, timeoutMs: PUSH_TIMEOUT_MS },
    );
    return (await readFile(digestFile, "utf8")).trim();
  };
  /**
   * The script must refuse to sign an SBOM that does not match the image: the first service alone,
   * its amd64 bundle SBOM with one npm package's version changed (the lockfile has another). It
   * exits non-zero and attaches nothing, not even the provenance.
   */
  const expectRefused = async (outcome: PublishOutcome, commit: string): Promise<string> => {
    const publishedJson = formatPublishJson([outcome]);
    const [first = fail("publish's JSON lists no service")] = parsePublished(publishedJson);
    const inputs = join(work, "attest-inputs-refused");
    const changed: PlatformSource = {
      ...platformSource,
      bundleSbom: async (service, architecture) => {
        const text = await platformSource.bundleSbom(service, architecture);
        if (architecture !== "amd64") return text;
        const bom = JSON.parse(text) as { components?: Array<{ purl?: string; group?: string; version?: string }> };
        // An installed package (the workspaces' own are sources, not in the lockfile).
        const npm =
          (bom.components ?? []).find((component) => component.purl?.startsWith("pkg:npm/") && component.group !== "@bookstore" && component.version !== undefined) ??
          fail(`${service}: no installed npm package in its bundle SBOM`);
        npm.version = "0.0.0-changed";
        return JSON.stringify(bom);
      },
    };
    try {
      await writeAttestInputs(inputs, publishedJson, changed);
      let refusal: string | undefined;
      try {
        await runAttestPublished(ROOT, inputs, { ...attestEnv, sha: commit }, ATTEST_TIMEOUT_MS);
      } catch (error) {
        refusal = (error as Error).message;
      }
      if (refusal === undefined) fail(`attest-published.ts signed ${first.service} with a changed bundle SBOM`);
      if (!/does not match the image, not signed/.test(refusal) || !/0\.0\.0-changed/.test(refusal)) fail(`attest-published.ts failed, but not for the changed SBOM: ${refusal}`);
      const path = first.repository.slice(registry.address.length + 1);
      for (const digest of [first.indexDigest, ...first.platforms.map((p) => p.digest)]) {
        const attachedAnyway = (await referrers(endpoint, path, digest)).descriptors.length;
        if (attachedAnyway > 0) fail(`attest-published.ts refused ${first.service}, but left ${attachedAnyway} attestation(s) on ${digest}`);
      }
      return refusal.split("\n").filter((line) => /not signed|0\.0\.0-changed/.test(line)).join(" / ");
    } finally {
      await unmountAll();
      await rm(inputs, { recursive: true, force: true });
    }
  };
  try {
    const builds: Build[] = [];
    for (const number of [1, 2]) {
      const commit = commitOf(number);
      const build: Build = { number, commit, tags: computeTags({ branch: "main", sha: commit }), digests: new Map() };
      log(`build ${number}: commit ${commit}, tags ${build.tags.join(", ")}`);
      const context = join(work, `context-${number}`);
      await mkdir(context, { recursive: true });
      const outcomes: PublishOutcome[] = [];
      for (const service of SERVICE_NAMES) {
        const short = shaTag(commit);
        // Each commit's image differs by its revision label, as two real builds would.
        const list = await buildIndex(service, short, { [REVISION_LABEL]: commit, "org.opencontainers.image.version": short }, context);
        for (const tag of build.tags) {
          const destination = imageReference(imageRepository(registryName, service), tag);
          const pushedDigest = await pushIndex(list, service, tag, context);
          const served = await digestOf(service, tag);
          if (pushedDigest !== served) fail(`${destination}: podman pushed ${pushedDigest}, the registry serves ${served}`);
          const previous = build.digests.get(service);
          if (previous !== undefined && previous !== served) {
            fail(`${service}: the tags of build ${number} point at different digests (${previous}, ${served})`);
          }
          build.digests.set(service, served);
        }
        const image: PushedImage = {
          service,
          path: pathOf(service),
          repository: imageRepository(registryName, service),
          indexDigest: build.digests.get(service) ?? fail(`${service}: nothing pushed`),
          commit,
          tags: build.tags,
        };
        // publish's JSON: the platform digests as `skopeo inspect --raw` with publish's arguments
        // reads them, against the registry API's own answer.
        const raw = await run("skopeo", inspectRawArguments(image.repository, image.indexDigest, { timeoutSeconds: 120 }), { env, timeoutMs: PUSH_TIMEOUT_MS });
        const platformsServed = await platformImages(registry, image.path, image.indexDigest);
        const outcome: PublishOutcome = { service, repository: image.repository, digests: build.tags.map((tag) => ({ tag, digest: image.indexDigest })), platforms: platformsOfIndex(raw) };
        const report = JSON.parse(formatPublishJson([outcome])) as { services: Array<{ platforms: Array<{ platform: string; digest: string }> }> };
        const reported = (report.services[0]?.platforms ?? []).map((p) => `${p.platform}@${p.digest}`).sort();
        const wantedPlatforms = platformsServed.map((p) => `${p.platform}@${p.digest}`).sort();
        if (reported.join(",") !== wantedPlatforms.join(",")) fail(`${service}: publish's JSON lists ${reported.join(", ")}, the registry serves ${wantedPlatforms.join(", ")}`);
        outcomes.push(outcome);
        pushed.push(image);
        log(`  ${service}: ${image.indexDigest} under ${build.tags.join(", ")}`);
      }
      // What the publish job hands `attest`: publish's JSON of every service pushed.
      const publishedJson = formatPublishJson(outcomes);
      const [firstOutcome] = outcomes;
      if (number === 1 && firstOutcome) log(`  attest refused a bundle SBOM that does not match the image: ${await expectRefused(firstOutcome, commit)}`);
      const inputs = join(work, `attest-inputs-${number}`);
      try {
        await writeAttestInputs(inputs, publishedJson, platformSource);
        const output = await runAttestPublished(ROOT, inputs, { ...attestEnv, sha: commit }, ATTEST_TIMEOUT_MS);
        const lines = output.trim().split("\n");
        const expected = arches.length + 1;
        for (const image of pushed.filter((p) => p.commit === commit)) {
          const line = lines.find((l) => l.startsWith(`${image.repository}@${image.indexDigest}: `));
          if (!line?.includes(`: ${expected} signed attestations attached (key pair); verified: provenance and ${arches.length} SBOMs`)) {
            fail(`attest-published.ts did not report ${image.repository}@${image.indexDigest} attested (${expected}) and verified:\n${output}`);
          }
        }
        log(`  dagger/release/attest-published.ts --inputs ${inputs} (SIGNING_KEY, REGISTRY_USERNAME/PASSWORD, SHA, SOURCE_URL):`);
        for (const line of lines) log(`    ${line}`);
      } finally {
        await unmountAll();
      }
      builds.push(build);
    }

    const [first, second] = builds as [Build, Build];
    const firstSha = shaTag(first.commit);
    const secondSha = shaTag(second.commit);
    const expectTag = async (service: ServiceName, tag: string, build: Build): Promise<void> => {
      const served = await digestOf(service, tag);
      const wanted = build.digests.get(service);
      if (served !== wanted) fail(`${service}:${tag} serves ${served}, expected build ${build.number}'s ${wanted}`);
    };
    for (const service of SERVICE_NAMES) {
      if (first.digests.get(service) === second.digests.get(service)) fail(`${service}: both builds have the same digest`);
      await expectTag(service, "latest", second);
    }
    log(`before the rollback: latest serves build 2 for all ${SERVICE_NAMES.length} services`);

    // The rollback, exactly as docs/rollback.md tells users without Dagger.
    const commands = rollbackCommands(await readFile(join(ROOT, "docs/rollback.md"), "utf8"));
    await run("bash", ["-euo", "pipefail", "-c", commands], {
      env: { ...env, REGISTRY: registryName, GOOD: firstSha, MOVE: "latest" },
      timeoutMs: PUSH_TIMEOUT_MS,
    });
    log(`ran docs/rollback.md's loop with REGISTRY=${registryName} GOOD=${firstSha} MOVE=latest`);

    for (const service of SERVICE_NAMES) {
      await expectTag(service, "latest", first);
      await expectTag(service, firstSha, first);
      await expectTag(service, secondSha, second);
      const platforms = await platformImages(registry, pathOf(service), "latest");
      const served = platforms.map((p) => p.platform).sort();
      const wanted = [...DEFAULT_PLATFORMS].sort();
      if (served.join(",") !== wanted.join(",")) fail(`${service}:latest has platforms ${served.join(", ")}, expected ${wanted.join(", ")}`);
      for (const p of platforms) {
        if (p.labels[REVISION_LABEL] !== first.commit) {
          fail(`${service}:latest (${p.platform}) has revision ${p.labels[REVISION_LABEL]}, expected ${first.commit}`);
        }
      }
      log(`  ${service}: latest = ${first.digests.get(service)} (build 1, ${served.join(" + ")}); ${firstSha} and ${secondSha} unmoved`);
    }

    // Forward again, with the arguments `dagger call promote` gives skopeo.
    for (const service of SERVICE_NAMES) {
      const args = promoteArguments(imageRepository(registryName, service), secondSha, "latest", { timeoutSeconds: 120 });
      await run("skopeo", args, { env, timeoutMs: PUSH_TIMEOUT_MS });
      await expectTag(service, "latest", second);
      await expectTag(service, firstSha, first);
      await expectTag(service, secondSha, second);
    }
    log(`promote's skopeo arguments moved latest forward to ${secondSha} for all services; sha- tags unmoved`);

    // Attestations: every service's latest (build 2) and build 1's sha- tag verify.
    const imageOf = (service: ServiceName, build: Build): PushedImage =>
      pushed.find((image) => image.service === service && image.indexDigest === build.digests.get(service)) ?? fail(`${service}: build ${build.number} not pushed`);
    for (const service of SERVICE_NAMES) {
      log(`  ${await expectVerified(endpoint, imageOf(service, second), "latest", attester)}`);
      log(`  ${await expectVerified(endpoint, imageOf(service, first), firstSha, attester)}`);
    }
    // A changed image under latest: nothing is attached to its digest, and a genuine
    // provenance copied onto it is about another digest.
    const [victim, forged] = SERVICE_NAMES as unknown as [ServiceName, ServiceName];
    const tamperedContext = join(work, "context-tampered");
    await mkdir(tamperedContext, { recursive: true });
    const tamperedList = await buildIndex(victim, "tampered", { [REVISION_LABEL]: second.commit, "org.opencontainers.image.version": secondSha, "tampered": "yes" }, tamperedContext);
    await pushIndex(tamperedList, victim, "latest", tamperedContext);
    log(`  changed image under ${victim}:latest rejected: ${await expectRejected(endpoint, imageOf(victim, second), "latest", attester, /no signed SLSA provenance/)}`);
    await reattach(endpoint, imageOf(victim, second), { path: pathOf(victim), subject: await indexDescriptor(endpoint, pathOf(victim), "latest") });
    log(`  ... with build 2's provenance copied onto it, rejected: ${await expectRejected(endpoint, imageOf(victim, second), "latest", attester, /signed, but about another image/)}`);
    // A changed attestation: build 2's provenance of another service with a different builder, its signature kept.
    await reattach(endpoint, imageOf(forged, second), { path: pathOf(forged), subject: await indexDescriptor(endpoint, pathOf(forged), "latest") }, (statement) => ({
      ...statement,
      predicate: { ...(statement.predicate as object), runDetails: { builder: { id: "https://attacker.example/builder" }, metadata: { invocationId: "forged" } } },
    }));
    log(`  changed attestation on ${forged}:latest rejected: ${await expectRejected(endpoint, imageOf(forged, second), "latest", attester, /does not verify: .*signature verification failed/)}`);
    log("registry test passed");
  } finally {
    await unmountAll();
    await registry.stop();
    for (const args of cleanup) await run(PODMAN, args, { timeoutMs: 60_000 }).catch(() => "");
    await rm(work, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`registry test: no result within ${OVERALL_DEADLINE_MS / 60_000} minutes`);
  process.exit(1);
}, OVERALL_DEADLINE_MS);
deadline.unref();

main().then(
  () => clearTimeout(deadline),
  (error: unknown) => {
    console.error(`registry test FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
