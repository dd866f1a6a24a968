// Tags and rollback against a real registry (npm run test:registry; .ci/run calls it after the
// image builds):
//   1. starts Debian's docker-registry on 127.0.0.1 (storage in a temp dir);
//   2. for two commits on main, pushes the podman-built images of the catalogued services as one
//      multi-arch index each, under every tag computeTags (dagger/module/src/lib/tags.ts) gives;
//   3. rolls `latest` back to the first commit's sha- tag by running the loop of docs/rollback.md,
//      unchanged, with skopeo;
//   4. checks through the registry API that `latest` now serves the first build (digest, both
//      platforms, revision labels) and that the sha- tags never moved;
//   5. moves `latest` forward again with the exact skopeo arguments of `dagger call promote`.
// Usage: tsx .ci/registry/registry-test.ts [--images localhost/bookstore]
// The source images are <images>/<service>:test-amd64 and :test-arm64 (built by .ci/images).

import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { architectureOf, DEFAULT_PLATFORMS } from "../../dagger/module/src/lib/platforms.js";
import { imageReference, imageRepository, promoteArguments } from "../../dagger/module/src/lib/registry.js";
import { serviceNames, type ServiceName } from "../../dagger/module/src/lib/services.js";
import { computeTags, shaTag } from "../../dagger/module/src/lib/tags.js";
import { readCatalogue } from "../images/catalogue.js";
import { run, startRegistry } from "./processes.js";
import { manifest, platformImages } from "./registry-api.js";
import { rollbackCommands } from "./rollback-doc.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVICE_NAMES = serviceNames(readCatalogue(ROOT));
const PODMAN = join(ROOT, ".ci/images/podman.sh");
const WORK_PREFIX = "localhost/bookstore-registry-test";
const REVISION_LABEL = "org.opencontainers.image.revision";
const OVERALL_DEADLINE_MS = 20 * 60_000;
const PUSH_TIMEOUT_MS = 5 * 60_000;

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

  const cleanup: string[][] = [];
  try {
    const builds: Build[] = [];
    for (const number of [1, 2]) {
      const commit = commitOf(number);
      const build: Build = { number, commit, tags: computeTags({ branch: "main", sha: commit }), digests: new Map() };
      log(`build ${number}: commit ${commit}, tags ${build.tags.join(", ")}`);
      const context = join(work, `context-${number}`);
      await mkdir(context, { recursive: true });
      for (const service of SERVICE_NAMES) {
        const short = shaTag(commit);
        const list = `${WORK_PREFIX}/${service}:${short}`;
        const members: string[] = [];
        for (const { platform, arch } of arches) {
          // Each commit's image differs by its revision label, as two real builds would.
          const member = `${WORK_PREFIX}/${service}:${short}-${arch}`;
          const containerfile = join(context, `Containerfile.${service}.${arch}`);
          await writeFile(containerfile, `FROM ${source(service, arch)}\n`);
          await run(PODMAN, ["rmi", "--force", member], { timeoutMs: 60_000 }).catch(() => "");
          await run(
            PODMAN,
            ["build", "--quiet", "--pull=never", "--platform", platform, "--label", `${REVISION_LABEL}=${commit}`,
              "--label", `org.opencontainers.image.version=${short}`, "--file", containerfile, "--tag", member, context],
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
        for (const tag of build.tags) {
          const digestFile = join(context, `${service}.${tag}.digest`);
          const destination = imageReference(imageRepository(registryName, service), tag);
          await run(
            PODMAN,
            ["manifest", "push", "--all", "--quiet", "--format", "oci", "--digestfile", digestFile, list,
              `docker://${destination}`],
            { env, timeoutMs: PUSH_TIMEOUT_MS },
          );
          const pushed = (await readFile(digestFile, "utf8")).trim();
          const served = await digestOf(service, tag);
          if (pushed !== served) fail(`${destination}: podman pushed ${pushed}, the registry serves ${served}`);
          const previous = build.digests.get(service);
          if (previous !== undefined && previous !== served) {
            fail(`${service}: the tags of build ${number} point at different digests (${previous}, ${served})`);
          }
          build.digests.set(service, served);
        }
        log(`  ${service}: ${build.digests.get(service)} under ${build.tags.join(", ")}`);
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
    log("registry test passed");
  } finally {
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
