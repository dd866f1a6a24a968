// Runs podman (through podman.sh, for this checkout's image store and settings) and other
// commands with a deadline: a hung build or container must fail the run, never stall it.

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const IMAGES_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(IMAGES_DIR, "..", "..");
const PODMAN = join(IMAGES_DIR, "podman.sh");

/** Output kept per stream: builds print a lot, and only the end helps when one fails. */
const KEEP_CHARS = 200_000;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export class CommandError extends Error {
  readonly result: CommandResult;

  constructor(message: string, result: CommandResult) {
    super(message);
    this.name = "CommandError";
    this.result = result;
  }
}

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  /** Copy the command's output to this process's stderr as it comes. */
  echo?: boolean;
}

function keepTail(text: string): string {
  return text.length > KEEP_CHARS ? text.slice(-KEEP_CHARS) : text;
}

/** Runs a command in its own process group, killed as a whole when the deadline passes. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout = keepTail(stdout + chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = keepTail(stderr + chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result: CommandResult = { code: code ?? -1, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      const shown = `${command} ${args.join(" ")}`.slice(0, 300);
      if (timedOut) {
        reject(new CommandError(`timed out after ${options.timeoutMs / 1000} s: ${shown}`, result));
      } else if (result.code !== 0 && !options.allowFailure) {
        // A build prints the failing step's output on stdout and podman's verdict on stderr.
        const tail = [stdout.trim().split("\n").slice(-20), stderr.trim().split("\n").slice(-5)].flat().filter(Boolean).join("\n");
        reject(new CommandError(`exit ${result.code}: ${shown}\n${tail}`, result));
      } else {
        resolve(result);
      }
    });
  });
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
