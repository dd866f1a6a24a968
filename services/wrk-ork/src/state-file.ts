// What the orchestrator keeps on disk (DATA_DIR/ork-state.json) so that a restart does not start
// from nobody: its incarnation and the workers it knew. Leases and health are not kept: they are
// facts of the moment, checked again after a restart.
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@bookstore/wrk-base";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";

export const STATE_FILE = "ork-state.json";

const RememberedWorkerSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  rack: z.string(),
  address: z.string().min(1),
  version: z.string(),
  /** When it was last heard from, as far as the last save knew (saves follow membership, not heartbeats). */
  lastSeenMs: z.number().int().nonnegative().optional(),
  /** Why a worker with a rack stopped; absent while it was live. */
  stopped: z.string().optional(),
  draining: z.boolean().optional(),
});

const StateSchema = z.object({
  format: z.literal(1),
  incarnation: z.number().int().nonnegative(),
  workers: z.array(RememberedWorkerSchema),
});

export type RememberedWorker = z.infer<typeof RememberedWorkerSchema>;
export type OrkState = z.infer<typeof StateSchema>;

/**
 * The state file of one DATA_DIR. Every save replaces the file whole (written aside, synced,
 * renamed: write-file-atomic), so a crash leaves the old state or the new one, never half.
 */
export class StateFile {
  readonly path: string;

  constructor(
    readonly dataDir: string,
    private readonly log: Logger,
  ) {
    this.path = join(dataDir, STATE_FILE);
  }

  /**
   * The state kept by the last run; none when there is no file. A file that cannot be read as
   * state is moved aside (nothing is lost) and the orchestrator starts as if it had none.
   */
  load(): OrkState | undefined {
    try {
      mkdirSync(this.dataDir, { recursive: true });
    } catch (error) {
      throw new Error(`cannot use DATA_DIR=${this.dataDir}: ${(error as Error).message}`, { cause: error });
    }
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`cannot read ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    let problem: string;
    try {
      const parsed = StateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      problem = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    } catch (error) {
      problem = (error as Error).message;
    }
    const aside = `${this.path}.bad-${Date.now()}`;
    renameSync(this.path, aside);
    this.log.error({ file: this.path, movedTo: aside, problem }, "the state file is not valid: moved aside, starting without remembered workers");
    return undefined;
  }

  save(state: OrkState): void {
    writeFileAtomic.sync(this.path, `${JSON.stringify(state)}\n`, { fsync: true });
  }
}
