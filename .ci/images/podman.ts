// Runs podman (through podman.sh, for this checkout's image store and settings) and other
// commands with a deadline: a hung build or container must fail the run, never stall it.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandOptions, type CommandResult, runCommand } from "../../compose/local/kit/command.ts";

export { CommandError, type CommandResult } from "../../compose/local/kit/command.ts";

export const IMAGES_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(IMAGES_DIR, "..", "..");
const PODMAN = join(IMAGES_DIR, "podman.sh");

/** Output kept per stream: builds print a lot, and only the end helps when one fails. */
const KEEP_CHARS = 200_000;

export type RunOptions = Pick<CommandOptions, "timeoutMs" | "cwd" | "allowFailure" | "echo">;

/** Runs a command in its own process group, killed as a whole when the deadline passes (the kit's runCommand, from the repository's root). */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  return runCommand(command, args, { ...options, cwd: options.cwd ?? REPO_ROOT, keepChars: KEEP_CHARS });
}

export function podman(args: readonly string[], options: RunOptions): Promise<CommandResult> {
  return run(PODMAN, args, options);
}

/** The Debian/OCI name of an architecture. */
export type Arch = "amd64" | "arm64";

export function hostArch(): Arch {
  if (process.arch === "x64") return "amd64";
  if (process.arch === "arm64") return "arm64";
  throw new Error(`unsupported host architecture ${process.arch}: the image scripts run on amd64 or arm64`);
}

export function otherArch(arch: Arch): Arch {
  return arch === "amd64" ? "arm64" : "amd64";
}
