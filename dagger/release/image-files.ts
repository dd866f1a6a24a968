// What the SBOM of an image needs from the image's own files, read from its root filesystem on
// disk: podman's mount of it (npm run test:images) or the engine's copy of the published image
// (the module's `attest`). One reader, so both SBOMs come from the same files.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import type { OsPackage } from "./os-packages.js";
import { PACKAGE_DATABASES, distroOf, osPackagesOf } from "./os-packages.js";
import { IMAGE_PATHS, sha256Hex } from "./sbom.js";

export interface ImageFiles {
  /** The text of the bundle (/app/dist/main.js). */
  readonly bundle: string;
  /** The text of the development CA maker beside it (/app/tools/certs.js). */
  readonly certsTool: string;
  readonly nodeSha256: string;
  readonly osPackages: readonly OsPackage[];
  /** From /etc/os-release; undefined when the image has none. */
  readonly distro: string | undefined;
}

function packageDatabases(rootfs: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of [PACKAGE_DATABASES.apk, PACKAGE_DATABASES.dpkg]) {
    if (existsSync(join(rootfs, path))) found.set(path, readFileSync(join(rootfs, path), "utf8"));
  }
  const statusD = join(rootfs, PACKAGE_DATABASES.dpkgDir);
  if (existsSync(statusD)) {
    for (const name of readdirSync(statusD).sort()) found.set(`${PACKAGE_DATABASES.dpkgDir}/${name}`, readFileSync(join(statusD, name), "utf8"));
  }
  return found;
}

/** Reads the bundle, node's hash, the package database and the distribution from a root filesystem. */
export function readImageFiles(rootfs: string): ImageFiles {
  for (const path of [IMAGE_PATHS.bundle, IMAGE_PATHS.certsTool, IMAGE_PATHS.node]) {
    if (!existsSync(join(rootfs, path))) throw new Error(`${rootfs} has no ${path}: not a bookstore service image`);
  }
  const osRelease = ["/etc/os-release", "/usr/lib/os-release"].map((path) => join(rootfs, path)).find((path) => existsSync(path));
  return {
    bundle: readFileSync(join(rootfs, IMAGE_PATHS.bundle), "utf8"),
    certsTool: readFileSync(join(rootfs, IMAGE_PATHS.certsTool), "utf8"),
    nodeSha256: sha256Hex(readFileSync(join(rootfs, IMAGE_PATHS.node))),
    osPackages: osPackagesOf(packageDatabases(rootfs)),
    distro: distroOf(osRelease ? readFileSync(osRelease, "utf8") : undefined),
  };
}
