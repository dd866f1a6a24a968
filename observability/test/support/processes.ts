// Long-running tools of the live test (Prometheus, Alertmanager) as child processes (the kit's
// Supervised): started with their output kept for error messages, stopped by their own pid.
import { Supervised } from "../../../compose/local/kit/supervisor.js";
import { waitUntil } from "../../../compose/local/kit/wait-until.js";
import { missingToolMessage } from "../../../compose/local/kit/testing/run-tool.js";

export class ToolProcess extends Supervised {
  readonly command: string;

  constructor(command: string, args: readonly string[]) {
    super({ name: command, command, args, maxLines: 400 });
    this.command = command;
    this.start();
  }

  /** Why it cannot serve: it could not start (not installed) or it exited; undefined while it runs. */
  private gone(url: string): Error | undefined {
    const failed = this.startError as NodeJS.ErrnoException | undefined;
    if (failed) return failed.code === "ENOENT" ? new Error(missingToolMessage(this.command)) : failed;
    return this.running ? undefined : new Error(`${this.command} exited before ${url} answered:\n${this.tail()}`);
  }

  /** Waits until `url` answers 200, failing at once if the process dies or cannot start. */
  async waitHttpOk(url: string, timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return true;
      },
      { what: url, timeoutMs, intervalMs: 100, stopOn: () => this.gone(url), failure: (last) => `${this.command}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last ?? "no answer"})\n${this.tail()}` },
    );
  }
}
