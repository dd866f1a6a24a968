// The SBOM of each built image and platform, made by dagger/release/sbom.ts from the image itself
// (its package database, node, the bundle) and from the bundle SBOM that the build stage wrote,
// then checked by dagger/release/sbom-check.ts against the image: the version its node prints
// when run, the hashes of node and main.js, the packages the bundle names, the lockfile.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleSbomFile } from "../../dagger/module/src/lib/attest.js";
import { readImageFiles } from "../../dagger/release/image-files.js";
import { imageSbom, sha256Hex, validateSbom } from "../../dagger/release/sbom.js";
import type { ObservedImage } from "../../dagger/release/sbom-check.js";
import { sbomMismatches } from "../../dagger/release/sbom-check.js";
import type { OciArgs } from "./build.js";
import { buildImage, testImage } from "./build.js";
import { readCatalogue } from "./catalogue.js";
import { BUILD_STAGE } from "../../dagger/module/src/lib/image-recipe.js";
import { serviceSpec } from "../../dagger/module/src/lib/services.js";
import type { Arch } from "./podman.js";
import { REPO_ROOT, podman } from "./podman.js";

const COMMAND_TIMEOUT_MS = 120_000;
export const SBOM_DIR = join(REPO_ROOT, ".ci", ".cache", "images", "sbom");

/** Runs fn over the image's root filesystem, mounted read-only by podman. */
async function withMounted<T>(image: string, fn: (rootfs: string) => T): Promise<T> {
  const mount = await podman(["image", "mount", image], { timeoutMs: COMMAND_TIMEOUT_MS });
  try {
    return fn(mount.stdout.trim());
  } finally {
    await podman(["image", "unmount", image], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
  }
}

/** The bundle SBOM from the image's own build stage (the layer cache makes this a lookup). */
export async function bundleBomOf(service: string, arch: Arch, oci: OciArgs, caCerts: string | undefined): Promise<string> {
  const tag = `localhost/bookstore/${service}:build-stage-${arch}`;
  await buildImage({ spec: serviceSpec(readCatalogue(REPO_ROOT), service), arch, tag, oci, caCerts, target: BUILD_STAGE });
  try {
    return await withMounted(tag, (rootfs) => readFileSync(join(rootfs, bundleSbomFile(service)), "utf8"));
  } finally {
    await podman(["image", "rm", tag], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
  }
}

async function inspect(image: string, format: string): Promise<string> {
  return (await podman(["image", "inspect", "--format", format, image], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout.trim();
}

/** What the image's node says it is, run in the image (under qemu for a foreign platform). */
async function runNodeVersion(image: string, arch: Arch): Promise<string> {
  const result = await podman(["run", "--rm", `--platform=linux/${arch}`, "--entrypoint", "node", image, "-p", "process.versions.node"], {
    timeoutMs: 180_000,
  });
  return result.stdout.trim();
}

interface Looked {
  observed: ObservedImage;
  distro: string | undefined;
}

/** The image's contents: read from its files, and its node run once. */
async function lookInside(image: string, arch: Arch): Promise<Looked> {
  const platform = `linux/${arch}`;
  const files = await withMounted(image, readImageFiles);
  const observed: ObservedImage = {
    nodeVersion: await runNodeVersion(image, arch),
    nodeSha256: files.nodeSha256,
    bundle: files.bundle,
    certsTool: files.certsTool,
    osPackages: files.osPackages,
    lockfile: readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8"),
    platform,
  };
  return { observed, distro: files.distro };
}

export interface SbomResult {
  file: string;
  components: number;
  problems: string[];
}

/** Makes, validates and writes the SBOM of one built image, and checks it against the image. */
export async function checkImageSbom(service: string, arch: Arch, oci: OciArgs, caCerts: string | undefined): Promise<SbomResult> {
  const image = testImage(service, arch);
  const bundleBom = await bundleBomOf(service, arch, oci, caCerts);
  // The SBOM takes Node's version from what the base declares; the check runs the binary.
  const nodeVersion = /^NODE_VERSION=(.+)$/m.exec(await inspect(image, "{{range .Config.Env}}{{println .}}{{end}}"))?.[1];
  if (!nodeVersion) throw new Error(`${image} declares no NODE_VERSION`);
  const { observed, distro } = await lookInside(image, arch);
  const sbom = imageSbom({
    repository: image.replace(/:[^:/]+$/, ""),
    service,
    platform: observed.platform,
    version: await inspect(image, '{{index .Labels "org.opencontainers.image.version"}}'),
    osPackages: observed.osPackages,
    ...(distro ? { distro } : {}),
    nodeVersion,
    nodeSha256: observed.nodeSha256,
    bundleSha256: sha256Hex(observed.bundle),
    certsToolSha256: sha256Hex(observed.certsTool),
    bundleBom,
  });
  await validateSbom(sbom);
  mkdirSync(SBOM_DIR, { recursive: true });
  const file = join(SBOM_DIR, `${service}-${arch}.cdx.json`);
  writeFileSync(file, sbom);
  return { file, components: (JSON.parse(sbom) as { components: unknown[] }).components.length, problems: sbomMismatches(sbom, observed) };
}

/** The check must be able to fail: one service's SBOM against another service's image. */
export async function crossCheck(sbomFile: string, otherService: string, arch: Arch): Promise<string[]> {
  return sbomMismatches(readFileSync(sbomFile, "utf8"), (await lookInside(testImage(otherService, arch), arch)).observed);
}
