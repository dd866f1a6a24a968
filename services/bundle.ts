// Turns one compiled service (services/<name>/dist, after `tsc -b`) into the file tree that its
// image runs, in <out>:
//
//   app/package.json   name, version and "type": "module" of the service
//   app/dist/main.js   the service and all its dependencies in one ES module (esbuild)
//   app/tools/certs.js the development CA maker (compose/local/certs.ts, `npm run certs`), so that
//                      compose's `certs` service and the image checks run the image's own copy
//   proto/             the wire contracts' .proto files (proto/bookstore/ of the repository, without the
//                      TypeScript of @bookstore/proto beside them), plus the one that grpc-health-check loads
//                      from its own package folder at run time (reflection needs no file: the
//                      descriptors it serves are generated into the code: @bookstore/proto's
//                      descriptor-set.ts, served by wrk-base's reflection.ts)
//   data/              an empty folder that becomes the image's /data, owned by the service user
//   sbom/bundle.cdx.json  the npm packages esbuild put in main.js and certs.js (after tree-shaking), with
//                      versions and licences (CycloneDX, @cyclonedx/cyclonedx-esbuild). It stays
//                      in the build stage: dagger/release/sbom.ts reads it from there and adds the
//                      image's OS packages and Node binary to make the image's SBOM.
//
// Why this layout: that package finds its .proto files at `${__dirname}/../../proto`.
// Inside the bundle __dirname is /app/dist, so that path is /proto, where the repository's own
// files also go (PROTO_DIR=/proto, and @bookstore/proto finds it walking up from /app/dist too), and the
// service reads its version from `../package.json` beside dist/, as it does in the repository.
//
// Usage (run by Node's own TypeScript support, no build step): node services/bundle.ts <service> <out>
// Runs from the repository root, in the image's build stage or on a workstation.

import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { cyclonedxEsbuildPlugin } from "@cyclonedx/cyclonedx-esbuild";
import { build } from "esbuild";

/**
 * ES modules have no require, __filename or __dirname; the CommonJS packages in the bundle
 * (grpc-js, protobufjs, pino...) need all three, so the bundle defines them first.
 */
const COMMONJS_SHIM = [
  'import { createRequire as __bundleCreateRequire } from "node:module";',
  'import { fileURLToPath as __bundleFileURLToPath } from "node:url";',
  'import { dirname as __bundleDirname } from "node:path";',
  "const require = __bundleCreateRequire(import.meta.url);",
  "const __filename = __bundleFileURLToPath(import.meta.url);",
  "const __dirname = __bundleDirname(__filename);",
].join("\n");

/**
 * .proto folders that packages read at run time: `from` inside the package's folder, `to` inside
 * the image's /proto (the same relative place as in the package, see the layout above).
 */
const PACKAGE_PROTO_DIRS: ReadonlyArray<{ packageName: string; from: string; to: string }> = [
  { packageName: "grpc-health-check", from: "proto/health", to: "health" },
];

/** The wire contracts' .proto files, under the same path in the repository and in the image's tree. */
const CONTRACTS_DIR = "proto/bookstore";

/** The development CA maker that every image carries as app/tools/certs.js. */
const CERTS_TOOL_SOURCE = "compose/local/certs.ts";

function fail(message: string): never {
  console.error(`bundle: ${message}`);
  process.exit(2);
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** Copies only the .proto files of a folder tree, keeping their relative paths. */
function copyProtoFiles(from: string, to: string): number {
  let copied = 0;
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".proto")) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
    copied += 1;
  }
  return copied;
}

/** The folder of an installed package, found the way the service's own code would find it. */
function packageDir(packageName: string, fromDir: string): string {
  const require = createRequire(join(fromDir, "noop.js"));
  let dir = dirname(require.resolve(packageName));
  while (!existsSync(join(dir, "package.json")) || readJson(join(dir, "package.json")).name !== packageName) {
    const parent = dirname(dir);
    if (parent === dir) fail(`cannot find the folder of ${packageName}`);
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const [service, outArg] = process.argv.slice(2);
  if (!service || !outArg) fail("usage: node services/bundle.ts <service> <out-dir>");

  const repoRoot = process.cwd();
  const serviceDir = join(repoRoot, "services", service);
  if (!/^[a-z0-9-]+$/.test(service) || !existsSync(join(serviceDir, "package.json"))) {
    fail(`no service '${service}': expected a folder services/<service> with a package.json, run from the repository root`);
  }
  const entry = join(serviceDir, "dist", "main.js");
  if (!existsSync(entry)) fail(`${relative(repoRoot, entry)} is missing: compile first (npx tsc -b services/${service})`);

  const certsTool = join(repoRoot, CERTS_TOOL_SOURCE);
  if (!existsSync(certsTool)) fail(`${CERTS_TOOL_SOURCE} is missing: run from the repository root`);

  const out = resolve(outArg);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "app", "dist"), { recursive: true });
  mkdirSync(join(out, "data"), { recursive: true });

  const manifest = readJson(join(serviceDir, "package.json"));
  writeFileSync(
    join(out, "app", "package.json"),
    `${JSON.stringify({ name: manifest.name, version: manifest.version, private: true, type: "module" }, null, 2)}\n`,
  );

  // One build of both files, so that one SBOM names every package either of them carries.
  const result = await build({
    entryPoints: { "dist/main": entry, "tools/certs": certsTool },
    outdir: join(out, "app"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    banner: { js: COMMONJS_SHIM },
    // Smaller without renaming anything, so stack traces and logs keep readable names.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    plugins: [
      // Reproducible: the same sources give the same file (no timestamp, no random serial number).
      cyclonedxEsbuildPlugin({ specVersion: "1.6", outputFile: join(out, "sbom", "bundle.cdx.json"), outputReproducible: true, validate: true }),
    ],
  });
  const nativeAddons = Object.keys(result.metafile.inputs).filter((input) => input.endsWith(".node"));
  if (nativeAddons.length > 0) fail(`native addons cannot go in a bundle: ${nativeAddons.join(", ")}`);

  // Only the contracts' folder: proto/ is also a package, whose installed dependencies may ship .proto files.
  let protoFiles = copyProtoFiles(join(repoRoot, CONTRACTS_DIR), join(out, CONTRACTS_DIR));
  for (const { packageName, from, to } of PACKAGE_PROTO_DIRS) {
    protoFiles += copyProtoFiles(join(packageDir(packageName, serviceDir), from), join(out, "proto", to));
  }

  const megabytes = (file: string) => (statSync(join(out, "app", file)).size / 1e6).toFixed(2);
  console.log(`bundle: ${service} -> ${relative(repoRoot, out) || out}: main.js ${megabytes("dist/main.js")} MB, tools/certs.js ${megabytes("tools/certs.js")} MB, ${protoFiles} .proto files`);
}

await main();
