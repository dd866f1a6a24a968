// Wire compatibility: `buf breaking` of proto/ against the base branch (issue 11, item 7).
// Per-service rollback (`promote --services`) makes mixed versions normal: an older gateway talks
// to a newer rack and the other way round. So a change that breaks the wire must fail before merge.
// proto/buf.yaml says which rules (FILE); this module only picks the base and runs buf.
// Usage: tsx dagger/release/breaking.ts [--against <git ref>]   (default: see baseRef)
//        tsx dagger/release/breaking.ts --against-proto <dir>
//   (the base's proto/ folder as files: how the Dagger module's `breaking` runs it, with the
//   merge base taken from the git history by the engine, since its checkout has no .git)

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CommandError, runCommand } from "../../compose/local/kit/command.ts";

const BUF = join(dirname(createRequire(import.meta.url).resolve("@bufbuild/buf/package.json")), "bin", "buf");
const GIT_TIMEOUT_MS = 30_000;
// buf clones the base from the local repository; a loaded 2-CPU machine needs room.
const BUF_TIMEOUT_MS = 180_000;

export interface BreakingResult {
  readonly ok: boolean;
  /** The commit compared against. */
  readonly against: string;
  /** buf's findings, one per line (file:line:column:message), empty when compatible. */
  readonly findings: string;
}

async function git(repo: string, args: readonly string[]): Promise<string> {
  const { stdout } = await runCommand("git", ["-C", repo, ...args], { timeoutMs: GIT_TIMEOUT_MS });
  return stdout.trim();
}

async function commitOf(repo: string, ref: string): Promise<string> {
  try {
    return await git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(`buf breaking: the base "${ref}" is not a commit in ${repo} (fetch it, or name one with --against)`);
  }
}

/**
 * The commit a change is compared against: the named ref; else the pull request's base branch
 * (GITHUB_BASE_REF, as origin/<base>); else main. On the base branch itself (HEAD is the base)
 * the previous commit, so a breaking commit that reached main is still reported.
 */
export async function baseRef(repo: string, named?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (named !== undefined && named !== "") return commitOf(repo, named);
  const base = env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : "main";
  const [head, baseCommit] = await Promise.all([commitOf(repo, "HEAD"), commitOf(repo, base)]);
  if (head !== baseCommit) return git(repo, ["merge-base", head, baseCommit]);
  return commitOf(repo, "HEAD~1");
}

/** Runs buf breaking for `repo`/proto against the proto folder of commit `against`. */
export async function checkBreaking(repo: string, against: string): Promise<BreakingResult> {
  const gitDir = await git(repo, ["rev-parse", "--absolute-git-dir"]);
  // A worktree's git dir holds no objects of its own; buf clones from the common one.
  const commonDir = await git(repo, ["rev-parse", "--path-format=absolute", "--git-common-dir"]).catch(() => gitDir);
  return runBuf(repo, `${commonDir}#ref=${against},subdir=proto`, against);
}

/** Runs buf breaking for `repo`/proto against a proto folder on disk (the base's, as files). */
export async function checkBreakingAgainstDirectory(repo: string, protoDir: string): Promise<BreakingResult> {
  if (!existsSync(join(protoDir, "buf.yaml"))) throw new Error(`buf breaking: ${protoDir} is not a proto folder (no buf.yaml)`);
  return runBuf(repo, protoDir, protoDir);
}

async function runBuf(repo: string, input: string, against: string): Promise<BreakingResult> {
  let result;
  try {
    result = await runCommand(BUF, ["breaking", "proto", "--against", input, "--error-format", "text"], { cwd: repo, timeoutMs: BUF_TIMEOUT_MS, allowFailure: true });
  } catch (error) {
    const why = error instanceof CommandError && error.failure === "timeout" ? `did not finish within ${BUF_TIMEOUT_MS} ms` : `failed (${(error as Error).message})`;
    throw new Error(`buf breaking ${why}: ${error instanceof CommandError ? `${error.result.stderr.trim()}${error.result.stdout.trim()}` : ""}`, { cause: error });
  }
  if (result.code === 0) return { ok: true, against, findings: "" };
  // buf exits 100 for "breaking changes found"; anything else is buf failing to run.
  if (result.code === 100) return { ok: false, against, findings: result.stdout.trim() };
  throw new Error(`buf breaking failed (exit ${String(result.code ?? result.signal)}): ${result.stderr.trim()}${result.stdout.trim()}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { against: { type: "string" }, "against-proto": { type: "string" } } });
  const repo = fileURLToPath(new URL("../../", import.meta.url));
  if (values.against !== undefined && values["against-proto"] !== undefined) throw new Error("buf breaking: give --against or --against-proto, not both");
  const result = values["against-proto"] !== undefined
    ? await checkBreakingAgainstDirectory(repo, values["against-proto"])
    : await checkBreaking(repo, await baseRef(repo, values.against));
  const against = result.against;
  if (result.ok) {
    console.log(`buf breaking: proto/ is wire-compatible with ${against}`);
    return;
  }
  console.error(`buf breaking: proto/ breaks the wire against ${against}:\n${result.findings}`);
  process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
