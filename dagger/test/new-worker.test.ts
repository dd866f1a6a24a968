// `npm run new:worker`: its rules (names, ports, refusals), then the generator run for real in a
// scratch copy of this checkout, where the new worker must build, lint, type-check, pass its own
// tests and the catalogue's checks, stand in the compose file and the pipeline's service list,
// and register with the orchestrator under `npm start`, with at most three existing files edited.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { readCatalogue, readDependencyGraph, workspaceSources } from "../../.ci/images/catalogue.js";
import type * as LocalSystemModule from "../../compose/local/system.js";
import { systemPorts } from "../../compose/local/system.js";
import { EDITED, planWorker, thingOfName } from "../tools/new-worker.js";
import { parseCatalogue, serviceNames } from "../module/src/lib/services.js";
import { isIgnored } from "../module/src/lib/source.js";

const run = promisify(execFile);
/** The scratch copy's own `npm start` runner, which reads the scratch copy's catalogue. */
type LocalSystem = typeof LocalSystemModule;
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CATALOGUE = readCatalogue();
const none = () => false;

/** A test of the generated wrk-magazine, written into the scratch copy once it is built. */
const MAGAZINE_POLICY_TEST = `import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { loadContracts, toStruct, type CreateMagazineResponse__Output, type RegisterThingResponse__Output } from "@bookstore/proto";
import { callUnary, invalidArgument } from "@bookstore/wrk-base";
import type { StoredThing, ThingContent } from "@bookstore/tpl-wrk-thing";
import { magazineContract } from "../src/magazine-contract.js";
import { MagazineWorker } from "../src/worker.js";
import { failureOf, freePort, tempDir } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, tlsEnvOf } from "../../../compose/local/kit/testing/tls.js";

/** A rack that refuses one title, through the hook only. */
class NoSequelsWorker extends MagazineWorker {
  protected override validateThing(content: ThingContent, previous: StoredThing | undefined): ThingContent {
    const checked = super.validateThing(content, previous);
    if (String(checked.info.title).endsWith(" II")) throw invalidArgument("info.title", "no sequels on this rack");
    return checked;
  }
}

describe("wrk-magazine writes, through the one validation hook", function () {
  this.timeout(10_000);
  const timeout = { timeoutMs: 2_000 };
  let dir: ReturnType<typeof tempDir>;
  let worker: NoSequelsWorker;
  let magazines: InstanceType<ReturnType<typeof magazineContract>["MagazineService"]>;
  let things: InstanceType<ReturnType<typeof loadContracts>["thing"]["ThingService"]>;
  const create = (title: string) => callUnary<CreateMagazineResponse__Output>((m, o, cb) => magazines.createMagazine({ title }, m, o, cb), timeout);
  const register = (title: string) =>
    callUnary<RegisterThingResponse__Output>((m, o, cb) => things.registerThing({ type: "magazine", tags: [], info: toStruct({ title }) }, m, o, cb), timeout);

  before(async () => {
    dir = tempDir("magazine-policy");
    // ORK_ADDR: a port nothing listens on, so the rack runs alone (its registration retries in the background).
    const [grpcPort, httpPort, orkPort] = [await freePort(), await freePort(), await freePort()];
    const env = { BIND_HOST: "127.0.0.1", GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ORK_ADDR: \`127.0.0.1:\${orkPort}\`, DATA_DIR: dir.path, RACK_ID: "policy-1", LOG_LEVEL: "silent", ...(await tlsEnvOf({ role: "worker", type: "magazine", rack: "policy-1" })) };
    worker = new NoSequelsWorker({ version: "0.0.0-test", env });
    await worker.start();
    const address = \`127.0.0.1:\${grpcPort}\`;
    magazines = new (magazineContract().MagazineService)(address, credentialsOf("app-node"));
    things = new (loadContracts().thing.ThingService)(address, credentialsOf("app-node"));
  });

  after(async () => {
    magazines?.close();
    things?.close();
    await worker?.stop("test over");
    dir?.remove();
  });

  it("refuses on CreateMagazine what the hook refuses, naming the field as the typed service does", async () => {
    const refused = await failureOf(create("Sequel II"));
    expect(refused.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(refused.details).to.equal("title: no sequels on this rack");
    expect(refused.metadata.get("x-invalid-field")).to.deep.equal(["title"]);
  });

  it("refuses the same on RegisterThing, naming the field as the ThingService does", async () => {
    const refused = await failureOf(register("Sequel II"));
    expect(refused.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(refused.details).to.equal("info.title: no sequels on this rack");
  });

  it("stores on CreateMagazine what the hook accepts, as the hook normalized it, and keeps the base rules", async () => {
    expect((await create("  First  ")).magazine?.title).to.equal("First");
    const empty = await failureOf(create("   "));
    expect(empty.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(empty.metadata.get("x-invalid-field")).to.deep.equal(["title"]);
  });
});
`;

describe("new:worker", () => {
  it("names the thing after the worker, and takes --thing", () => {
    expect(thingOfName("wrk-magazine")).to.equal("Magazine");
    expect(thingOfName("wrk-comic-book")).to.equal("ComicBook");
    expect(planWorker(CATALOGUE, "wrk-comic-book", undefined, none)).to.include({ thing: "ComicBook", type: "comicbook" });
    expect(planWorker(CATALOGUE, "wrk-mags", "Magazine", none)).to.include({ thing: "Magazine", type: "magazine" });
  });

  it("takes the ports one above the highest of the orchestrator, the workers and npm start's further racks", () => {
    const blocks = CATALOGUE.services.filter((spec) => spec.role !== "gateway");
    const local = Object.values(systemPorts()).filter((ports) => ports.grpc !== undefined);
    const localPorts = { grpc: local.map((ports) => ports.grpc ?? 0), http: local.map((ports) => ports.http) };
    const plan = planWorker(CATALOGUE, "wrk-magazine", undefined, none, localPorts);
    expect(plan.grpcPort).to.equal(Math.max(...blocks.map((spec) => spec.grpcPort ?? 0), ...localPorts.grpc) + 1);
    expect(plan.httpPort).to.equal(Math.max(...blocks.map((spec) => spec.httpPort), ...localPorts.http) + 1);
    expect(localPorts.grpc).to.include(50055); // wrk-book-2, the docs' second rack
    expect([...localPorts.grpc, ...localPorts.http]).to.not.include(plan.grpcPort).and.not.include(plan.httpPort);
    // Without further racks: one above the catalogue's own.
    expect(planWorker(CATALOGUE, "wrk-magazine", undefined, none).grpcPort).to.equal(Math.max(...blocks.map((spec) => spec.grpcPort ?? 0)) + 1);
  });

  it("refuses a taken or malformed name, a bad --thing and an existing folder, saying why", () => {
    expect(() => planWorker(CATALOGUE, "wrk-book", undefined, none)).to.throw(/wrk-book is already in services\/catalogue.json/);
    expect(() => planWorker(CATALOGUE, "magazine", undefined, none)).to.throw(/must be wrk-<thing>/);
    expect(() => planWorker(CATALOGUE, "wrk-Magazine", undefined, none)).to.throw(/must be wrk-<thing>/);
    expect(() => planWorker(CATALOGUE, "wrk-mags", "magazine", none)).to.throw(/--thing must be a PascalCase name/);
    expect(() => planWorker(CATALOGUE, "wrk-mags", "Thing", (path) => path === "proto/bookstore/thing")).to.throw(/proto\/bookstore\/thing already exists/);
  });

  describe("run in a scratch copy of the repository", function () {
    this.timeout(600_000);
    let scratch: string;
    // A failed command fails the test with the end of what it printed.
    const inScratch = async (command: string, args: string[], timeout = 300_000) => {
      try {
        return await run(command, args, { cwd: scratch, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: "0" } });
      } catch (error) {
        const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
        throw new Error(`${[command, ...args].join(" ")} failed:\n${`${stdout}\n${stderr}`.trim().split("\n").slice(-30).join("\n")}`, { cause: error });
      }
    };
    const npx = (args: string[], timeout?: number) => inScratch(join(scratch, "node_modules/.bin", args[0] ?? ""), args.slice(1), timeout);
    const git = (args: string[]) => inScratch("git", ["-c", "user.name=test", "-c", "user.email=test@localhost", ...args]);

    before(async () => {
      scratch = mkdtempSync(join(tmpdir(), "new-worker-"));
      // The checkout as the engine receives it (filtered by the module's SOURCE_IGNORE, so this also
      // runs in the check container, whose copy has no .git), as its own repository, so that
      // `git status` names what the generator changed.
      cpSync(REPO_ROOT, scratch, {
        recursive: true,
        filter: (path) => path === REPO_ROOT || !isIgnored(relative(REPO_ROOT, path).split(sep).join("/")),
      });
      await git(["init", "-q"]);
      // The links below are symlinks, which the checkout's `node_modules/` pattern does not match.
      writeFileSync(join(scratch, ".git/info/exclude"), "node_modules\n");
      await git(["add", "-A"]);
      await git(["commit", "-q", "-m", "before new:worker"]);
      // This checkout's installed packages, linked one by one (nothing is written through them); the
      // workspace links point into the scratch copy, as `npm ci` would make them.
      mkdirSync(join(scratch, "node_modules/@bookstore"), { recursive: true });
      for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
        if (entry === "@bookstore" || entry.startsWith(".package-lock")) continue;
        symlinkSync(join(REPO_ROOT, "node_modules", entry), join(scratch, "node_modules", entry));
      }
      // A workspace's own packages (a version that could not be hoisted), linked the same way.
      for (const spec of CATALOGUE.services) {
        const own = join(REPO_ROOT, spec.dir, "node_modules");
        if (existsSync(own)) symlinkSync(own, join(scratch, spec.dir, "node_modules"));
      }
      await inScratch(process.execPath, ["--import", "tsx", "dagger/tools/new-worker.ts", "wrk-magazine"]);
      for (const spec of readCatalogue(scratch).services) symlinkSync(join("../../services", spec.name), join(scratch, "node_modules/@bookstore", spec.name));
      symlinkSync("../../proto", join(scratch, "node_modules/@bookstore/proto"));
      // What `npm install` writes besides node_modules: the lockfile learns the workspace.
      await inScratch("npm", ["install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"]);
    });

    after(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it("edits at most three existing files (and the lockfile, which npm writes), and adds the worker's own", async () => {
      const { stdout } = await git(["status", "--porcelain", "--untracked-files=all"]);
      const lines = stdout.split("\n").filter((line) => line !== "");
      const edited = lines.filter((line) => line.startsWith(" M")).map((line) => line.slice(3)).sort();
      const created = lines.filter((line) => line.startsWith("??")).map((line) => line.slice(3)).sort();
      expect(edited).to.deep.equal([...EDITED, "package-lock.json"].sort());
      expect(EDITED).to.have.length.at.most(3);
      expect(created.filter((path) => !path.startsWith("services/wrk-magazine/"))).to.deep.equal([
        "docs/services/wrk-magazine.md",
        "proto/bookstore/magazine/v1/magazine.proto",
      ]);
      expect(created).to.include.members(["services/wrk-magazine/package.json", "services/wrk-magazine/src/magazine-service.ts"]);
      // Its image is the one recipe's, with its catalogue entry: no Dockerfile of its own.
      expect(created).to.not.include("services/wrk-magazine/Dockerfile");
    });

    it("builds, lints and type-checks", async () => {
      await inScratch("npm", ["run", "build"]);
      expect(existsSync(join(scratch, "services/wrk-magazine/dist/main.js"))).to.equal(true);
      await npx(["eslint", "services/wrk-magazine"]);
      await npx(["buf", "lint", "proto"]);
      await npx(["tsc", "-p", "tsconfig.test.json"]);
    });

    it("runs the worker's validateThing on its typed Create: a subclass's narrower rule refuses there as on RegisterThing", async () => {
      // A subclass of the generated worker, as wrk-book/test/book-hook.test.ts has one of BookWorker:
      // it narrows the rules in the one hook only, and both services must obey it.
      writeFileSync(join(scratch, "services/wrk-magazine/test/policy.test.ts"), MAGAZINE_POLICY_TEST);
      const { stdout } = await npx(["mocha", "--no-config", "-n", "import=tsx", "--timeout", "30000", "services/wrk-magazine/test/policy.test.ts"]);
      expect(stdout).to.match(/\b3 passing/).and.not.match(/failing/);
    });

    it("passes its own tests and the catalogue's checks of the image recipe, the compose file, the ports and the docs", async () => {
      const { stdout } = await npx([
        "mocha", "--no-config", "-n", "import=tsx", "--timeout", "30000",
        "services/wrk-magazine/test/magazine.process.test.ts", "dagger/test/catalogue.test.ts", "compose/test/compose.test.ts", "compose/test/dockerfiles.test.ts",
      ]);
      expect(stdout).to.match(/\d+ passing/).and.not.match(/failing/);
      expect(stdout).to.include("wrk-magazine as a process");
      expect(readFileSync(join(scratch, "services/wrk-magazine/src/default-ports.ts"), "utf8")).to.include("{ grpcPort: 50056, httpPort: 9106 }");
      // The image checks' rules, on the new recipe (the build itself is not run here: see the report).
      expect(stdout).to.include("keeps every image rule as the image of wrk-magazine");
    });

    it("stands in the pipeline's service list and the dependency graph the images are built from", () => {
      const catalogue = parseCatalogue(readFileSync(join(scratch, "services/catalogue.json"), "utf8"));
      expect(serviceNames(catalogue)).to.include("wrk-magazine");
      expect(readDependencyGraph(scratch).get("wrk-magazine")).to.have.members(["proto", "wrk-base", "tpl-wrk-thing"]);
      expect(workspaceSources(scratch, "wrk-magazine")).to.deep.equal(["proto", "services/wrk-base", "services/tpl-wrk-thing", "services/wrk-magazine"]);
    });

    it("registers with the orchestrator under npm start", async function () {
      const system = (await import(pathToFileURL(join(scratch, "compose/local/system.ts")).href)) as LocalSystem;
      const running = await system.startSystem({ portBase: await system.freePortBase(), dataDir: join(scratch, ".data"), readyTimeoutMs: 60_000 });
      try {
        const response = await fetch(`${running.apiUrl}/v1/workers`, { headers: { authorization: `Bearer ${running.tokens.librarian}` }, signal: AbortSignal.timeout(5_000) });
        const { workers } = (await response.json()) as { workers: Array<{ type: string; rack: string; state: string }> };
        expect(workers.filter((worker) => worker.type === "magazine")).to.have.length(1);
        expect(workers.find((worker) => worker.type === "magazine")).to.include({ state: "up" });
        // wrk-book's second rack keeps its ports beside the new worker.
        expect(system.systemPorts()["wrk-book-2"]).to.deep.equal({ grpc: 50055, http: 9105 });
        expect(system.systemPorts()["wrk-magazine"]).to.deep.equal({ grpc: 50056, http: 9106 });
      } finally {
        const exits = await running.stop();
        expect(exits["wrk-magazine"]).to.deep.equal({ code: 0, signal: null });
      }
    });
  });
});

