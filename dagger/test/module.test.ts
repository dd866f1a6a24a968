// The Dagger module as the engine will read it, checked without an engine: the SDK's own
// introspector (the code the TypeScript runtime runs to register a module) reads dagger/module/src, and
// the tests compare what it finds with the versions, the docs and the rules of this repository.
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { expect } from "chai";

import { SOURCE_IGNORE } from "../module/src/lib/source.js";

const ROOT = new URL("../../", import.meta.url);
const SDK_DIST = fileURLToPath(new URL("node_modules/@dagger.io/dagger/dist/", ROOT));

interface IntrospectedArgument {
  isOptional?: boolean;
  name: string;
  defaultPath?: string;
  defaultValue?: unknown;
  ignore?: string[];
  type?: { kind: string; name?: string };
}

interface IntrospectedFunction {
  name: string;
  cache?: string;
  isCheck?: boolean;
  description?: string;
  arguments: Record<string, IntrospectedArgument>;
  returnType?: { kind: string; name?: string; typeDef?: { kind: string } };
}

interface IntrospectedModule {
  description?: string;
  objects: Record<string, { methods: Record<string, IntrospectedFunction>; _constructor?: { arguments: Record<string, IntrospectedArgument> } }>;
}

// What the TypeScript runtime of the engine (dagger v0.21.8 and backport-0.21) reads from the
// module's package.json, in sdk/typescript/runtime: it mounts its bundled TypeScript only for
// exactly tsdistconsts.DefaultTypeScriptVersion (else installs from the registry on every cold
// engine), and keeps the npm of its Node image when `packageManager` names config.go's
// NpmDefaultVersion (else Yarn 1.22, or an `npm install -g`).
const RUNTIME_TYPESCRIPT = "5.9.3";
const RUNTIME_NPM = "11.8.0";

/** The engine's CLI names: camelCase -> kebab-case. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

const EXPECTED_FUNCTIONS = [
  "affected",
  "attest",
  "breaking",
  "build",
  "buildAffected",
  "buildAll",
  "check",
  "lint",
  "promote",
  "publish",
  "scan",
  "stackTest",
  "tags",
  "test",
  "typecheck",
  "verifyImages",
];

describe("the Dagger module", function () {
  // Building a TypeScript program over the SDK takes a few seconds.
  this.timeout(60_000);

  let module: IntrospectedModule;
  let functions: Record<string, IntrospectedFunction>;
  let constructorArguments: Record<string, IntrospectedArgument>;
  let workdir: string;

  before(async () => {
    // The introspector resolves SDK types in a file named client.gen.ts, which the runtime
    // generates; the published package has the same declarations as client.gen.d.ts.
    workdir = await mkdtemp(join(tmpdir(), "bookstore-introspect-"));
    await cp(join(SDK_DIST, "src"), join(workdir, "src"), { recursive: true });
    await cp(join(workdir, "src/api/client.gen.d.ts"), join(workdir, "src/api/client.gen.ts"));
    const { scan } = (await import(pathToFileURL(join(SDK_DIST, "src/module/introspector/index.js")).href)) as {
      scan: (files: string[], name: string, load: boolean) => Promise<IntrospectedModule>;
    };
    const files = await tsFiles(fileURLToPath(new URL("dagger/module/src/", ROOT)));
    module = await scan([...files, join(workdir, "src/api/client.gen.ts")], "bookstore", false);
    const main = module.objects.Bookstore;
    expect(main, "the main object must be named after the module: Bookstore").to.not.equal(undefined);
    functions = main?.methods ?? {};
    constructorArguments = main?._constructor?.arguments ?? {};
  });

  after(async () => {
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  it("exposes exactly the functions of the issue", () => {
    expect(Object.keys(functions).sort()).to.deep.equal([...EXPECTED_FUNCTIONS].sort());
    expect(EXPECTED_FUNCTIONS.map(kebab)).to.include.members(["build-all", "stack-test"]);
  });

  it("never caches the functions with side effects", () => {
    expect(functions.publish?.cache).to.equal("never");
    expect(functions.promote?.cache).to.equal("never");
    expect(functions.scan?.cache).to.equal("never");
    expect(functions.attest?.cache).to.equal("never");
    for (const name of ["lint", "test", "check", "build", "buildAll", "buildAffected", "tags", "affected", "stackTest", "verifyImages"]) {
      expect(functions[name]?.cache, name).to.equal(undefined);
    }
  });

  it("gives every function a description and a resolved return type", () => {
    for (const fn of Object.values(functions)) {
      expect(fn.description, fn.name).to.be.a("string").and.not.equal("");
      expect(fn.returnType?.kind, fn.name).to.be.oneOf(["STRING_KIND", "OBJECT_KIND", "LIST_KIND"]);
    }
    expect(functions.build?.returnType).to.deep.equal({ kind: "OBJECT_KIND", name: "Container" });
    expect(functions.scan?.returnType).to.deep.equal({ kind: "OBJECT_KIND", name: "Directory" });
    expect(functions.tags?.returnType).to.deep.equal({ kind: "LIST_KIND", typeDef: { kind: "STRING_KIND" } });
  });

  it("takes the repository once, in the constructor, from the module's context", () => {
    expect(Object.keys(constructorArguments)).to.deep.equal(["source"]);
    expect(constructorArguments.source?.type?.name).to.equal("Directory");
    expect(constructorArguments.source?.defaultPath).to.equal("/");
    expect(constructorArguments.source?.ignore).to.deep.equal(SOURCE_IGNORE);
    for (const fn of Object.values(functions)) {
      for (const arg of Object.values(fn.arguments)) {
        expect(arg.type?.name, `${fn.name}.${arg.name}`).not.to.equal("Directory");
        if (arg.type?.name === "GitRepository") expect(arg.defaultPath, `${fn.name}.${arg.name}`).to.equal("/");
      }
    }
    // The git history is uploaded only by the functions that compare with a base.
    const withGit = Object.values(functions).filter((fn) => Object.values(fn.arguments).some((a) => a.type?.name === "GitRepository"));
    expect(withGit.map((fn) => fn.name).sort()).to.deep.equal(["affected", "breaking", "buildAffected", "verifyImages"]);
  });

  it("marks lint, typecheck and test as checks (`dagger check`), each needing no argument", () => {
    const checks = Object.values(functions).filter((fn) => fn.isCheck === true);
    expect(checks.map((fn) => fn.name).sort()).to.deep.equal(["lint", "test", "typecheck"]);
    for (const fn of checks) expect(fn.arguments, fn.name).to.deep.equal({});
  });

  it("keeps only the module in its source folder, so a test edit keeps the module's cache", async () => {
    const entries = (await readdir(new URL("dagger/module/", ROOT))).filter((name) => name !== "sdk" && name !== "node_modules");
    expect(entries.sort()).to.deep.equal(["package-lock.json", "package.json", "src", "tsconfig.json"]);
    const files = await tsFiles(fileURLToPath(new URL("dagger/module/src/", ROOT)));
    expect(files.filter((file) => /\.test\.ts$|\/test\//.test(file))).to.deep.equal([]);
  });

  it("loads without a package install on a cold engine: npm named, the runtime's TypeScript, a lockfile", async () => {
    const manifest = JSON.parse(await readFile(new URL("dagger/module/package.json", ROOT), "utf8")) as {
      packageManager?: string;
      dependencies?: Record<string, string>;
    };
    const lock = JSON.parse(await readFile(new URL("dagger/module/package-lock.json", ROOT), "utf8")) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    expect(manifest.packageManager).to.equal(`npm@${RUNTIME_NPM}`);
    expect(manifest.dependencies).to.deep.equal({ typescript: RUNTIME_TYPESCRIPT });
    expect(lock.packages[""]?.dependencies).to.deep.equal(manifest.dependencies);
    expect(lock.packages["node_modules/typescript"]?.version).to.equal(RUNTIME_TYPESCRIPT);
  });

  it("takes the registry password as a secret", () => {
    expect(functions.publish?.arguments.password?.type).to.deep.equal({ kind: "OBJECT_KIND", name: "Secret" });
    expect(functions.promote?.arguments.password?.type).to.deep.equal({ kind: "OBJECT_KIND", name: "Secret" });
    // attest: the registry token, the signing key and the job's OIDC request URL and token.
    for (const name of ["password", "signingKey", "oidcRequestUrl", "oidcRequestToken"]) {
      expect(functions.attest?.arguments[name]?.type, `attest.${name}`).to.deep.equal({ kind: "OBJECT_KIND", name: "Secret" });
    }
    for (const name of ["signingKey", "oidcRequestUrl", "oidcRequestToken"]) expect(functions.attest?.arguments[name]?.isOptional, `attest.${name}`).to.equal(true);
  });

  it("documents every function and every flag in docs/pipeline.md with its dagger call line", async () => {
    const doc = await readFile(new URL("docs/pipeline.md", ROOT), "utf8");
    // A command continued over several lines with a trailing backslash counts as one line.
    const callLines = doc
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .filter((line) => line.includes("dagger call "));
    for (const fn of Object.values(functions)) {
      const command = `dagger call ${kebab(fn.name)}`;
      const lines = callLines.filter((line) => line.includes(`${command} `) || line.trimEnd().endsWith(command));
      expect(lines, command).to.not.have.length(0);
      for (const arg of Object.values(fn.arguments)) {
        if (arg.defaultPath !== undefined) continue; // contextual: loaded from the repository
        const flag = `--${kebab(arg.name)}`;
        expect(lines.some((line) => line.includes(flag)), `${command} ${flag}`).to.equal(true);
      }
    }
  });

  it("pins one Dagger version everywhere: engine, SDK package and root dependency", async () => {
    const config = JSON.parse(await readFile(new URL("dagger.json", ROOT), "utf8")) as Record<string, unknown>;
    const sdk = JSON.parse(await readFile(join(SDK_DIST, "../package.json"), "utf8")) as { version: string };
    const root = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { devDependencies: Record<string, string> };
    expect(config).to.deep.equal({ name: "bookstore", engineVersion: `v${sdk.version}`, sdk: { source: "typescript" }, source: "dagger/module" });
    expect(root.devDependencies["@dagger.io/dagger"]).to.equal(sdk.version);
  });

  it("keeps the SDK out of everything but the module's entry point", async () => {
    const files = [
      ...(await tsFiles(fileURLToPath(new URL("dagger/module/src/lib/", ROOT)))),
      ...(await tsFiles(fileURLToPath(new URL("dagger/tools/", ROOT)))),
      ...(await tsFiles(fileURLToPath(new URL("dagger/smoke/", ROOT)))),
      ...(await tsFiles(fileURLToPath(new URL("dagger/release/", ROOT)))),
    ];
    expect(files.length).to.be.greaterThan(5);
    for (const file of files) {
      expect(await readFile(file, "utf8"), file).not.to.match(/from "@dagger\.io\/dagger/);
    }
  });
});
