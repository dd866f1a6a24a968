// Long-running tools of the live test (Prometheus, Alertmanager) as child processes: started with
// their output kept for error messages, stopped by their own pid.
import { type ChildProcess, spawn } from "node:child_process";
import { missingToolMessage } from "./run-tool.js";

export class ToolProcess {
  private readonly output: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private failure: Error | undefined;

  constructor(readonly command: string, args: readonly string[]) {
    this.child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding("utf8").on("data", (chunk: string) => {
        this.output.push(...chunk.split("\n").filter(Boolean));
        if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
      });
    }
    this.child.on("error", (error: NodeJS.ErrnoException) => {
      this.failure = error.code === "ENOENT" ? new Error(missingToolMessage(command)) : error;
    });
    this.exited = new Promise((resolve) => this.child.once("close", () => resolve()));
  }

  get running(): boolean {
    return this.failure === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it wrote, for an error message. */
  tail(lines = 20): string {
    return this.output.slice(-lines).join("\n");
  }

  /** Waits until `url` answers 200, failing at once if the process dies or cannot start. */
  async waitHttpOk(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
      if (this.failure) throw this.failure;
      if (!this.running) throw new Error(`${this.command} exited before ${url} answered:\n${this.tail()}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.ok) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.command}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
