import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { SettingsError } from "./settings.js";

/** What `runService` needs of a service: every worker (BaseWorker) and the gateway are one. */
export interface RunnableService {
  readonly log: Logger;
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
  /** Settles once the service has stopped, whatever stopped it. */
  readonly stopped: Promise<void>;
}

/** Version from the package.json beside the module's folder (`src/` or `dist/`). */
export function packageVersion(moduleUrl: string): string {
  try {
    const text = readFileSync(new URL("../package.json", moduleUrl), "utf8");
    return (JSON.parse(text) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * Runs a service from `main.ts`: a bad setting stops it with one line naming it (exit 1);
 * SIGTERM and SIGINT stop it gracefully (exit 0), as does a drain by the orchestrator.
 */
export async function runService(name: string, create: () => RunnableService): Promise<void> {
  let worker: RunnableService;
  try {
    worker = create();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`${name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop(signal));
  void worker.stopped.then(() => process.exit(0));
  try {
    await worker.start();
  } catch (error) {
    worker.log.fatal({ err: error }, `${name} failed to start`);
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
}
