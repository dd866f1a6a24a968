// A child process watched over: spawned with its output kept as lines (or sent to a file), waited
// on by its log lines, stopped with a signal and SIGKILL after a grace. `npm start`'s services,
// the tests' service processes and the live test's tools are each one. Part of the kit
// (compose/local/kit): erasable TypeScript that plain Node 24 runs.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { waitUntil } from "./wait-until.ts";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SupervisedOptions {
  /** What the errors call it: "wrk-ork", "prometheus". */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** The environment of every start (a start may give its own). */
  env?: NodeJS.ProcessEnv;
  /** A process group of its own: a Ctrl-C in the terminal then reaches only this process. */
  detached?: boolean;
  /** Append the output to this file instead of reading it here (no `lines`, no `onLine`). */
  logFile?: string;
  /** Lines kept, the last ones; all unless given. */
  maxLines?: number;
  /** Called with every line it writes, stdout and stderr alike. */
  onLine?: (line: string) => void;
  /** Called when a start's process has ended (its output read to the end). */
  onExit?: (exit: Exit) => void;
}

/** Thrown while waiting on a process that has exited: waiting longer cannot help. */
export class ExitedEarly extends Error {
  readonly exit: Exit;

  constructor(name: string, exit: Exit, output: string) {
    super(`${name} exited early (code ${exit.code}, signal ${exit.signal})${output ? `:\n${output}` : ""}`);
    this.name = "ExitedEarly";
    this.exit = exit;
  }
}

/** The JSON lines among `lines` (other lines, and lines cut short by a kill, are skipped). */
export function jsonLines(lines: Iterable<string>): Array<Record<string, unknown>> {
  const parsed: Array<Record<string, unknown>> = [];
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      parsed.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut in the middle by a kill: not a log line
    }
  }
  return parsed;
}

/** A child process, started with `start()` (again after it ended, on the same options). */
export class Supervised {
  readonly name: string;
  /** The lines it wrote, stdout and stderr, across its starts (the last `maxLines`). */
  readonly lines: string[] = [];
  private readonly options: SupervisedOptions;
  private child: ChildProcess | undefined;
  private ended: Exit | undefined;
  private spawnError: Error | undefined;
  private exitPromise: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  private readonly pending = new Map<NodeJS.ReadableStream, string>();

  constructor(options: SupervisedOptions) {
    this.name = options.name;
    this.options = options;
  }

  /** Spawns the process, with `env` instead of the options' when given; throws if it runs. */
  start(env?: NodeJS.ProcessEnv): this {
    if (this.running) throw new Error(`${this.name} is already running`);
    const options = this.options;
    const logFile = options.logFile === undefined ? undefined : openSync(options.logFile, "a");
    const output = logFile ?? "pipe";
    const child = spawn(options.command, options.args ?? [], { cwd: options.cwd, env: env ?? options.env ?? process.env, stdio: ["ignore", output, output], detached: options.detached ?? false });
    if (logFile !== undefined) closeSync(logFile);
    this.child = child;
    this.ended = undefined;
    this.spawnError = undefined;
    this.pending.clear();
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      this.pending.set(stream, "");
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        const parts = ((this.pending.get(stream) ?? "") + chunk).split("\n");
        this.pending.set(stream, parts.pop() ?? "");
        for (const line of parts) this.record(line);
      });
      stream.on("end", () => {
        const rest = this.pending.get(stream);
        this.pending.set(stream, "");
        if (rest) this.record(rest);
      });
    }
    this.exitPromise = new Promise((resolve) => {
      const finish = (exit: Exit): void => {
        if (this.ended) return;
        this.ended = exit;
        options.onExit?.(exit);
        resolve(exit);
      };
      child.once("error", (error) => {
        this.spawnError = error;
        // A process that never started has no exit to wait for.
        if (child.pid === undefined) finish({ code: null, signal: null });
      });
      // "close", not "exit": by then every line it wrote has been read.
      child.once("close", (code, signal) => finish({ code, signal }));
    });
    return this;
  }

  private record(line: string): void {
    this.lines.push(line);
    const max = this.options.maxLines;
    if (max !== undefined && this.lines.length > max) this.lines.splice(0, this.lines.length - max);
    this.options.onLine?.(line);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Started and not yet ended. */
  get running(): boolean {
    return this.child !== undefined && this.ended === undefined;
  }

  /** Settles when the current start's process has ended. */
  get exited(): Promise<Exit> {
    return this.exitPromise;
  }

  /** How the last start's process ended; undefined while it runs or before the first start. */
  get lastExit(): Exit | undefined {
    return this.ended;
  }

  /** Why it could not start (ENOENT: not installed), if it could not. */
  get startError(): Error | undefined {
    return this.spawnError;
  }

  /** Everything it wrote (that is kept), as text. */
  output(): string {
    const rest = [...this.pending.values()].filter(Boolean);
    return [...this.lines, ...rest].join("\n") + (this.lines.length > 0 && rest.length === 0 ? "\n" : "");
  }

  /** The last `count` lines, for an error message. */
  tail(count = 20): string {
    return this.lines.slice(-count).join("\n");
  }

  /** The JSON log lines written so far. */
  logs(): Array<Record<string, unknown>> {
    return jsonLines(this.lines);
  }

  /** The error to stop a wait with once the process has ended; undefined while it runs. */
  exitedEarly(): Error | undefined {
    if (this.spawnError && this.ended) return this.spawnError;
    return this.ended ? new ExitedEarly(this.name, this.ended, this.tail()) : undefined;
  }

  /**
   * Waits until a line it wrote satisfies `predicate` (lines written before count too) and
   * returns the predicate's value; fails at once with ExitedEarly when the process ends.
   */
  async waitFor<T>(predicate: (line: string) => T | undefined | false, options: { timeoutMs: number; what?: string }): Promise<Exclude<T, undefined | false>> {
    return waitUntil<Exclude<T, undefined | false>>(
      () => {
        for (const line of this.lines) {
          const value = predicate(line);
          if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
        }
        return undefined;
      },
      { what: options.what ?? `a line of ${this.name}`, timeoutMs: options.timeoutMs, intervalMs: 20, stopOn: () => this.exitedEarly() },
    );
  }

  /** Sends `signal` (to the process, not its group) without waiting. */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.running) this.child?.kill(signal);
  }

  /** Sends `signal` and waits for the end; SIGKILL follows when it outlives `timeoutMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000): Promise<Exit> {
    if (!this.running) return this.exitPromise;
    const child = this.child;
    child?.kill(signal);
    const timer = setTimeout(() => child?.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }
}
