// The check container's recipe (.ci/check/Dockerfile), which both `dagger call check` and
// `npm run check:container` build: it must bring every tool the tests call, and nothing else.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { DockerfileParser } from "dockerfile-ast";

import { TOOL_PACKAGES } from "../../compose/local/kit/testing/run-tool.js";
import { readCatalogue } from "../../.ci/images/catalogue.js";
import { CHECK_DOCKERFILE } from "../module/src/lib/toolchain.js";

const ROOT = new URL("../../", import.meta.url);

/** The packages of each `apt-get install` in a RUN line's shell text. */
function aptPackages(shell: string): string[] {
  const packages: string[] = [];
  for (const command of shell.split(/&&|;/)) {
    const words = command.replace(/\\\n/g, " ").trim().split(/\s+/);
    const install = words.indexOf("install");
    if (!words.includes("apt-get") || install < 0) continue;
    packages.push(...words.slice(install + 1).filter((word) => !word.startsWith("-")));
  }
  return packages;
}

/** Commands the base image has: the node image's shell and Node itself. */
const BASE_COMMANDS = new Set(["bash", "sh", "node", "npm", "npx"]);

/** The test files mocha runs and their support code (the mocha spec's folders, and the kit's: compose/local/kit). */
async function testSources(): Promise<string[]> {
  const root = fileURLToPath(ROOT);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.includes("/node_modules/") && !file.includes("/.ci/.cache/"))
    .filter((file) => /\/test\/(.*\.test\.ts|support\/.*\.ts)$/.test(file) || /\/compose\/local\/kit\/.*\.ts$/.test(file));
}

describe("the check container's recipe", () => {
  let text: string;

  before(async () => {
    text = await readFile(new URL(CHECK_DOCKERFILE, ROOT), "utf8");
  });

  it("installs exactly the Debian packages of the tools the tests call, plus the CA certificates", () => {
    const runs = DockerfileParser.parse(text).getInstructions().filter((i) => i.getKeyword() === "RUN");
    const installed = runs.flatMap((run) => aptPackages(run.getArgumentsContent() ?? ""));
    const needed = new Set(["ca-certificates", ...Object.values(TOOL_PACKAGES)]);
    expect([...new Set(installed)].sort()).to.deep.equal([...needed].sort());
  });

  it("knows the package of every command the tests run by name", async () => {
    const called = new Set<string>();
    const pattern = /\b(?:execFile|execFileSync|execFileAsync|spawn|spawnSync|runTool|runToolOk|runCommand)\(\s*"([\w.-]+)"/g;
    for (const file of await testSources()) {
      for (const match of (await readFile(file, "utf8")).matchAll(pattern)) if (match[1]) called.add(match[1]);
    }
    expect(called).to.include("git");
    const unknown = [...called].filter((command) => !BASE_COMMANDS.has(command) && TOOL_PACKAGES[command] === undefined);
    expect(unknown, "add them to TOOL_PACKAGES and .ci/check/Dockerfile").to.deep.equal([]);
  });

  it("updates the package index and installs in one step, so a cached old index never meets a new list", () => {
    const runs = DockerfileParser.parse(text).getInstructions().filter((i) => i.getKeyword() === "RUN");
    const apt = runs.filter((run) => /apt-get/.test(run.getArgumentsContent() ?? ""));
    expect(apt).to.have.length(1);
    expect(apt[0]?.getArgumentsContent()).to.match(/apt-get update[\s\S]*&&[\s\S]*apt-get install/);
  });

  it("is based on Node's Debian image of the repository's Node release", () => {
    expect(text).to.include(`ARG NODE_CHECK_IMAGE=node:${readCatalogue().versions.node}-bookworm-slim\n`);
    expect(text).to.match(/^FROM \$\{NODE_CHECK_IMAGE\}$/m);
  });
});
