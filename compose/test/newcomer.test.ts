// A newcomer's first minutes with the repository: the wrong Node stops at once with one line, and
// npm's review of install scripts finds nothing left unreviewed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
// @ts-expect-error: a plain .mjs script (it must run on any Node), so it has no type declarations
import { neededMajor, nodeVersionProblem } from "../local/require-node.mjs";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = join(REPO_ROOT, "compose", "local", "require-node.mjs");
const check = (node: string) => spawnSync(node, [SCRIPT], { cwd: REPO_ROOT, encoding: "utf8", timeout: 20_000 });

describe("the Node version check (compose/local/require-node.mjs)", () => {
  const needed = (neededMajor as (nvmrc: string) => number)(readFileSync(join(REPO_ROOT, ".nvmrc"), "utf8"));
  const problem = nodeVersionProblem as (found: string, needed: number) => string | undefined;

  it("reads the needed major from .nvmrc, the one place it is written", () => {
    expect(needed).to.equal(24);
    expect((neededMajor as (nvmrc: string) => number)("v22.3.1\n")).to.equal(22);
    expect(() => (neededMajor as (nvmrc: string) => number)("lts/*")).to.throw(/expected a Node version/);
  });

  it("names the version found, the one needed and how to get it, in one line", () => {
    const line = problem("20.19.2", 24) ?? "";
    expect(line).to.match(/^bookstore needs Node 24, found Node 20\.19\.2: /);
    expect(line).to.include(".nvmrc").and.include("npx -y -p node@24 -- npm start");
    expect(line).not.to.include("\n");
    expect(problem("25.0.0", 24)).to.match(/found Node 25\.0\.0/);
    expect(problem("24.21.0", 24)).to.equal(undefined);
  });

  it("says nothing and exits 0 on the right Node", () => {
    const result = check(process.execPath);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({ status: 0, stdout: "", stderr: "" });
  });

  it("stops a real older Node with exit 1 and that one line", function () {
    // The machine's own Node, where it has one of another major (Debian's, here and in CI).
    const other = "/usr/bin/node";
    const version = existsSync(other) ? spawnSync(other, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim() : "";
    if (version === "" || Number(version.split(".")[0]) === needed) this.skip();
    const result = check(other);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.equal(`${problem(version, needed)}\n`);
  });
});

describe("install scripts (allowScripts in package.json)", () => {
  it("leaves no dependency's install script unreviewed, so npm ci prints no such warning", function () {
    const npm = process.env.npm_execpath && existsSync(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ["npm"];
    const result = spawnSync(npm[0] as string, [...npm.slice(1), "install-scripts", "ls"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    // npm before 11.16 has neither the field nor the command (nor the warning).
    if (result.status !== 0 && /Unknown command/i.test(result.stderr + result.stdout)) this.skip();
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal("No packages with unreviewed install scripts.");
  });

  it("records a decision for each, in the root and the Dagger module's package.json", () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
    // Denied: the buf and esbuild launchers find their platform binary without their postinstall
    // (which would also download one when it is missing), and protobufjs's only prints warnings.
    expect(root.allowScripts).to.deep.equal({ "@bufbuild/buf": false, esbuild: false, protobufjs: false });
    const module = JSON.parse(readFileSync(join(REPO_ROOT, "dagger", "module", "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
    expect(module.allowScripts).to.deep.equal({});
  });
});
