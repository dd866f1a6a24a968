// The `npx buf curl` lines of the documentation, read as a reader copies them, and run as a reader
// pasting them into a shell does (bash, from the repository's root). Shared by the tests that run
// the documented lines (app-node's buf-curl-docs, wrk-ork's troubleshooting-tls).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../command.ts";
import { REPO_ROOT } from "./process.ts";

export interface DocumentedLine {
  /** file:line, the file relative to the repository's root. */
  where: string;
  /** The command, continuation lines joined. */
  command: string;
  /** The `# ` comment lines right after it (without the `# `): the answer the reader will see. */
  comments: string[];
  /** The paragraph right before its code block, one line: the situation it is run in. */
  paragraph: string;
}

/**
 * The `npx buf curl` commands of a Markdown file (relative to the repository's root), or only of
 * its `## <section>` when one is given.
 */
export function documentedBufCurlLines(file: string, section?: string): DocumentedLine[] {
  const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n");
  const found: DocumentedLine[] = [];
  let inSection = section === undefined;
  let paragraph: string[] = [];
  let fenced = false;
  let blank = true;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? "";
    if (text.trimStart().startsWith("```")) {
      fenced = !fenced;
      continue;
    }
    if (!fenced && text.startsWith("## ")) inSection = section === undefined || text === `## ${section}`;
    if (!inSection) continue;
    if (!fenced) {
      // A blank line ends a paragraph; the next text starts the next one.
      if (text.trim() !== "") paragraph = blank ? [text.trim()] : [...paragraph, text.trim()];
      blank = text.trim() === "";
      continue;
    }
    if (!text.trimStart().startsWith("npx buf curl ")) continue;
    const start = index;
    let command = text.trim();
    while (command.endsWith("\\")) command = `${command.slice(0, -1)}${lines[++index]?.trim() ?? ""}`;
    const comments: string[] = [];
    while (lines[index + 1]?.trimStart().startsWith("# ")) comments.push((lines[++index] ?? "").trim().slice(2));
    found.push({ where: `${file}:${start + 1}`, command, comments, paragraph: paragraph.join(" ") });
  }
  return found;
}

export interface LineResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed at the deadline. */
  killed: boolean;
}

/** Runs one line with bash, as a reader pasting it would; the whole process group is killed at the deadline. */
export async function runLine(command: string, timeoutMs: number): Promise<LineResult> {
  const result = await runCommand("bash", ["-c", command], { cwd: REPO_ROOT, timeoutMs, allowFailure: true, allowTimeout: true });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, killed: result.timedOut };
}
