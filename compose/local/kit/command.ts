// A command run to its end with a deadline: in its own process group, killed as a whole when the
// deadline passes, so a hung build or tool fails the run instead of stalling it. Part of the kit
// (compose/local/kit): erasable TypeScript that plain Node 24 runs.
import { spawn } from "node:child_process";

export interface CommandOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed; no stdin otherwise. */
  input?: string;
  /** Resolve with a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Resolve when the deadline kills it (`timedOut` says so) instead of throwing. */
  allowTimeout?: boolean;
  /** Copy the command's output to this process's stderr as it comes. */
  echo?: boolean;
  /** Characters kept per stream, the last ones (a build prints a lot; only its end helps). 64 MiB unless given. */
  keepChars?: number;
}

export interface CommandResult {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Killed at the deadline (only seen with `allowTimeout`). */
  timedOut: boolean;
}

/** Why a command failed: it could not start (`missing` when it is not installed), timed out, or exited non-zero. */
export type CommandFailure = "missing" | "spawn" | "timeout" | "exit";

export class CommandError extends Error {
  readonly failure: CommandFailure;
  /** What it printed and how it ended, as far as it ran. */
  readonly result: CommandResult;
  /** The command line, cut to 300 characters. */
  readonly commandLine: string;

  constructor(message: string, failure: CommandFailure, result: CommandResult, commandLine: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CommandError";
    this.failure = failure;
    this.result = result;
    this.commandLine = commandLine;
  }

  /** The last lines of its output: stdout's (a build's failing step) then stderr's (the verdict). */
  tail(stdoutLines = 20, stderrLines = 5): string {
    return [this.result.stdout.trim().split("\n").slice(-stdoutLines), this.result.stderr.trim().split("\n").slice(-stderrLines)].flat().filter(Boolean).join("\n");
  }
}

/** Runs `command` with `args` to its end; throws a CommandError unless it exits 0 (or `allowFailure`). */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const keep = options.keepChars ?? 64 * 1024 * 1024;
  const shown = `${command} ${args.join(" ")}`.slice(0, 300);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const tail = (text: string): string => (text.length > keep ? text.slice(-keep) : text);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout = tail(stdout + chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = tail(stderr + chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    if (options.input !== undefined) {
      child.stdin?.on("error", () => undefined); // a command that does not read its input
      child.stdin?.end(options.input);
    }
    const result = (code: number | null, signal: NodeJS.Signals | null): CommandResult => ({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000, timedOut });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is already gone
      }
    }, options.timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = error.code === "ENOENT";
      reject(new CommandError(missing ? `${command} is not installed` : `${shown} could not start: ${error.message}`, missing ? "missing" : "spawn", result(null, null), shown, { cause: error }));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const ended = result(code, signal);
      if (timedOut && !options.allowTimeout) {
        reject(new CommandError(`${shown} did not finish within ${options.timeoutMs} ms`, "timeout", ended, shown));
      } else if (code !== 0 && !timedOut && !options.allowFailure) {
        const error = new CommandError("", "exit", ended, shown);
        error.message = `${shown} exited with ${code ?? signal}${error.tail() ? `\n${error.tail()}` : ""}`;
        reject(error);
      } else {
        resolve(ended);
      }
    });
  });
}
