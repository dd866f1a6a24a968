// Checks an image's SBOM against what is really in the image, from sources the SBOM was not made
// from where there are any:
//   - Node: the version that the image's node prints when run, and the binary's hash;
//   - the bundle: the hashes of /app/dist/main.js and /app/tools/certs.js, and the packages whose CommonJS modules esbuild
//     wrapped under their path ("node_modules/<name>/...": those keys survive minifying). Every
//     such package must be in the SBOM. ES-module packages leave no name in a minified bundle, so
//     for every npm component the check also asks the lockfile the image was built from for the
//     same version and licence;
//   - OS packages: the same name, version and architecture as the image's package database.
// Each difference is one line; no line means the SBOM matches.

import type { OsPackage } from "./os-packages.js";
import type { CdxComponentJson, CdxDocumentJson } from "./sbom.js";
import { IMAGE_PATHS, SBOM_PROPERTIES, SBOM_REFS, sha256Hex } from "./sbom.js";

export interface ObservedImage {
  /** What `node -p process.versions.node` printed inside the image. */
  readonly nodeVersion: string;
  readonly nodeSha256: string;
  /** The text of /app/dist/main.js in the image. */
  readonly bundle: string;
  /** The text of /app/tools/certs.js in the image. */
  readonly certsTool: string;
  readonly osPackages: readonly OsPackage[];
  /** package-lock.json (lockfileVersion 3) that the image's npm ci installed from. */
  readonly lockfile: string;
  readonly platform: string;
}

interface LockEntry {
  readonly version?: string;
  readonly license?: string;
  readonly link?: boolean;
}

/** The package names that esbuild's CommonJS wrappers carry in a bundle: "node_modules/a/node_modules/@b/c/x.js" is @b/c. */
export function bundledCommonJsPackages(bundle: string): Set<string> {
  const names = new Set<string>();
  for (const match of bundle.matchAll(/"((?:[^"\\]*\/)?node_modules\/[^"\\]+\.[cm]?js)"/g)) {
    const path = match[1] ?? "";
    const last = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length).split("/");
    names.add(last[0]?.startsWith("@") ? `${last[0]}/${last[1] ?? ""}` : (last[0] ?? ""));
  }
  return names;
}

function fullName(component: CdxComponentJson): string {
  return component.group ? `${component.group}/${component.name}` : component.name;
}

function licenceText(component: CdxComponentJson): string | undefined {
  const texts = (component.licenses ?? []).map((entry) => entry.expression ?? entry.license?.id ?? entry.license?.name).filter(Boolean);
  return texts.length > 0 ? texts.join(" OR ") : undefined;
}

function sha256Of(component: CdxComponentJson | undefined): string | undefined {
  return component?.hashes?.find((hash) => hash.alg === "SHA-256")?.content;
}

/** Every difference between the SBOM and the image, one line each. */
export function sbomMismatches(sbomText: string, observed: ObservedImage): string[] {
  const sbom = JSON.parse(sbomText) as CdxDocumentJson;
  const problems: string[] = [];
  const components = sbom.components ?? [];
  const byRef = new Map(components.map((component) => [component["bom-ref"], component]));

  const platform = sbom.metadata?.component?.properties?.find((property) => property.name === SBOM_PROPERTIES.platform)?.value;
  if (platform !== observed.platform) problems.push(`platform: the SBOM says ${platform ?? "nothing"}, the image is ${observed.platform}`);

  const node = byRef.get(SBOM_REFS.node);
  if (node?.version !== observed.nodeVersion) problems.push(`node: the SBOM says ${node?.version ?? "nothing"}, the image's node prints ${observed.nodeVersion}`);
  if (sha256Of(node) !== observed.nodeSha256) problems.push(`node: the SBOM's hash is not that of ${IMAGE_PATHS.node} in the image`);
  if (sha256Of(byRef.get(SBOM_REFS.bundle)) !== sha256Hex(observed.bundle)) problems.push(`bundle: the SBOM's hash is not that of ${IMAGE_PATHS.bundle} in the image`);
  if (sha256Of(byRef.get(SBOM_REFS.certsTool)) !== sha256Hex(observed.certsTool)) problems.push(`certs tool: the SBOM's hash is not that of ${IMAGE_PATHS.certsTool} in the image`);

  const npm = components.filter((component) => component.purl?.startsWith("pkg:npm/"));
  const npmNames = new Set(npm.map(fullName));
  for (const name of [...bundledCommonJsPackages(observed.bundle + observed.certsTool)].sort()) {
    if (!npmNames.has(name)) problems.push(`npm: ${name} is in the image's bundle but not in the SBOM`);
  }
  const lock = (JSON.parse(observed.lockfile) as { packages?: Record<string, LockEntry> }).packages ?? {};
  const locked = new Map<string, LockEntry[]>();
  for (const [path, entry] of Object.entries(lock)) {
    if (!path.includes("node_modules/") || entry.link) continue;
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    locked.set(name, [...(locked.get(name) ?? []), entry]);
  }
  for (const component of npm) {
    const name = fullName(component);
    // The repository's own packages are the bundle's sources, not installed ones: the workspaces,
    // and a folder with a package.json of its own and no version (dagger/module, whose catalogue
    // parser the certs tool carries; npm installs no package without a version).
    if (component.group === "@bookstore" || component.version === undefined) continue;
    const entries = locked.get(name) ?? [];
    const same = entries.find((entry) => entry.version === component.version);
    if (!same) {
      problems.push(`npm: ${name}@${component.version ?? "?"} is in the SBOM but the lockfile has ${entries.map((entry) => entry.version).join(", ") || "no such package"}`);
    } else if ((same.license ?? undefined) !== licenceText(component)) {
      problems.push(`npm: ${name}@${component.version ?? "?"}: the SBOM says licence ${licenceText(component) ?? "none"}, the lockfile ${same.license ?? "none"}`);
    }
  }

  const key = (pkg: { name: string; version?: string; arch: string }): string => `${pkg.name} ${pkg.version ?? "?"} ${pkg.arch}`;
  const sbomOs = new Set(
    components
      .filter((component) => /^pkg:(deb|apk)\//.test(component.purl ?? ""))
      .map((component) => key({ name: component.name, version: component.version, arch: /[?&]arch=([^&]+)/.exec(component.purl ?? "")?.[1] ?? "?" })),
  );
  const imageOs = new Set(observed.osPackages.map(key));
  for (const pkg of imageOs) if (!sbomOs.has(pkg)) problems.push(`os: ${pkg} is installed in the image but not in the SBOM`);
  for (const pkg of sbomOs) if (!imageOs.has(pkg)) problems.push(`os: ${pkg} is in the SBOM but not installed in the image`);
  return problems;
}
