// buf breaking against the base branch, in a scratch repository holding a copy of proto/: a
// deleted field is caught, an added field is not, and on the base branch itself the previous
// commit is the base.

import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { BREAKING_COMMAND } from "../../module/src/lib/toolchain.js";
import { baseRef, checkBreaking, checkBreakingAgainstDirectory } from "../breaking.js";

const execFileAsync = promisify(execFile);
const PROTO = fileURLToPath(new URL("../../../proto", import.meta.url));
const BOOK = "proto/bookstore/book/v1/book.proto";
const NO_ENV = {};

describe("dagger/release/breaking: buf breaking against the base branch", function () {
  this.timeout(120_000);
  let repo = "";
  const git = async (...args: string[]): Promise<string> =>
    (await execFileAsync("git", ["-C", repo, ...args], { timeout: 30_000 })).stdout.trim();
  const commitAll = async (message: string): Promise<void> => {
    await git("add", "-A");
    await git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", message);
  };
  const editBook = async (from: string, to: string): Promise<void> => {
    const path = join(repo, BOOK);
    const text = await readFile(path, "utf8");
    expect(text, `${BOOK} has ${from}`).to.contain(from);
    await writeFile(path, text.replace(from, to));
  };

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), "bookstore-breaking-"));
    await cp(PROTO, join(repo, "proto"), { recursive: true });
    await git("init", "-q", "-b", "main");
    await commitAll("base");
    await git("checkout", "-q", "-b", "change");
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it("catches a deleted field (an older gateway would still send it)", async () => {
    await editBook("  int32 year = 5;\n", "");
    await commitAll("drop Book.year");
    const against = await baseRef(repo, undefined, NO_ENV);
    expect(against).to.equal(await git("rev-parse", "main"));
    const result = await checkBreaking(repo, against);
    expect(result.ok).to.equal(false);
    expect(result.findings).to.match(/book\.proto:\d+:\d+:.*"5" with name "year"/);
  });

  it("catches a renumbered field even before it is committed", async () => {
    await editBook("string isbn = 4;", "string isbn = 40;");
    const result = await checkBreaking(repo, await baseRef(repo, "main", NO_ENV));
    expect(result.ok).to.equal(false);
    expect(result.findings).to.contain("isbn");
  });

  it("accepts an added field", async () => {
    await editBook("  int32 year = 5;\n", "  int32 year = 5;\n  // Where the copy stands.\n  string shelf = 90;\n");
    await commitAll("add Book.shelf");
    const result = await checkBreaking(repo, await baseRef(repo, undefined, NO_ENV));
    expect(result).to.deep.include({ ok: true, findings: "" });
  });

  it("on the base branch compares with the previous commit", async () => {
    await git("checkout", "-q", "main");
    await editBook("  int32 year = 5;\n", "");
    await commitAll("drop Book.year on main");
    const against = await baseRef(repo, undefined, NO_ENV);
    expect(against).to.equal(await git("rev-parse", "HEAD~1"));
    expect((await checkBreaking(repo, against)).ok).to.equal(false);
  });

  it("names a base that does not exist", async () => {
    let message = "";
    await baseRef(repo, "no-such-branch", NO_ENV).catch((error: Error) => (message = error.message));
    expect(message).to.contain('the base "no-such-branch" is not a commit');
  });

  // The Dagger module's way: the engine gives the merge base's proto/ as files, no .git.
  it("against the base's proto folder as files: catches a deleted field, accepts an added one", async () => {
    const base = join(repo, "base-proto");
    await cp(join(repo, "proto"), base, { recursive: true });
    await editBook("  int32 year = 5;\n", "  int32 year = 5;\n  string shelf = 90;\n");
    expect(await checkBreakingAgainstDirectory(repo, base)).to.deep.include({ ok: true, findings: "" });
    await editBook("  int32 year = 5;\n", "");
    const result = await checkBreakingAgainstDirectory(repo, base);
    expect(result.ok).to.equal(false);
    expect(result.findings).to.match(/"5" with name "year"/);
  });

  it("refuses a base folder that is not a proto folder", async () => {
    let message = "";
    await checkBreakingAgainstDirectory(repo, join(repo, "nowhere")).catch((error: Error) => (message = error.message));
    expect(message).to.contain("is not a proto folder (no buf.yaml)");
  });

  // What the module's `breaking` runs in the check container, here on this checkout's proto/.
  it("the module's command: the CLI fails against a base with a field this checkout lacks, passes against its own proto/", async () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const scripts = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(BREAKING_COMMAND.slice(0, 4)).to.deep.equal(["npm", "run", "breaking", "--"]);
    const [, script] = /^tsx (\S+)$/.exec(scripts.breaking ?? "") ?? [];
    expect(script, "npm run breaking runs one tsx script").to.be.a("string");
    const flags = BREAKING_COMMAND.slice(4);
    const base = join(repo, "proto");
    const cli = (against: string): Promise<{ stdout: string }> =>
      execFileAsync(process.execPath, ["--import", "tsx", join(root, script ?? ""), ...flags.map((flag) => (flag === flags.at(-1) ? against : flag))], { cwd: root, timeout: 120_000 });
    expect((await cli(base)).stdout).to.contain("wire-compatible");
    await editBook("  int32 year = 5;\n", "  int32 year = 5;\n  string shelf = 90;\n");
    let failure: { code?: number; stderr?: string } = {};
    await cli(base).catch((error: { code?: number; stderr?: string }) => (failure = error));
    expect(failure.code).to.equal(1);
    expect(failure.stderr).to.match(/breaks the wire[\s\S]*shelf/);
  });
});
