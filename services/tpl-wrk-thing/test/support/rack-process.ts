// A thing worker as a process with a DATA_DIR of its own, for the process tests of the template and
// of every worker built on it. The folder outlives the process, so a test can start the worker
// again on the same files (durability after SIGKILL, a drain, a changed RACK_ID); it goes when the
// test is done. Starting, waiting and stopping are the kit's (compose/local/kit/testing): this adds the rack's
// folder only.
import { type ServiceProcess, startService, tempDir } from "../../../../compose/local/kit/testing/process.js";

type Env = Record<string, string>;

/** A thing worker's process and its DATA_DIR, which outlives a restart of the process. */
export class RackProcess {
  #process: ServiceProcess;

  private constructor(
    private readonly service: string,
    private readonly data: ReturnType<typeof tempDir>,
    process: ServiceProcess,
  ) {
    this.#process = process;
  }

  /** Starts `service` (a folder under services/) with `env` on a new, empty DATA_DIR. */
  static async start(service: string, env: Env = {}): Promise<RackProcess> {
    const data = tempDir(service);
    try {
      return new RackProcess(service, data, await startService({ service, env: { ...env, DATA_DIR: data.path } }));
    } catch (error) {
      data.remove();
      throw error;
    }
  }

  /** The process started last. */
  get process(): ServiceProcess {
    return this.#process;
  }

  /** Starts the worker again on the same DATA_DIR, with `env`; the test has stopped the last process. */
  async startAgain(env: Env = {}): Promise<ServiceProcess> {
    this.#process = await startService({ service: this.service, env: { ...env, DATA_DIR: this.data.path } });
    return this.#process;
  }

  /** Kills the process (a no-op when it has exited) and removes the DATA_DIR. */
  async remove(): Promise<void> {
    try {
      await this.#process.stop("SIGKILL");
    } finally {
      this.data.remove();
    }
  }
}

/**
 * For a describe block: the worker on a new DATA_DIR and a client of it, made before the block's
 * tests; after them the client is closed, the process killed and the folder removed. Read `service`
 * and `api` inside the tests (they exist once `before` has run).
 */
export function rackForSuite<Api extends { close(): void }>(
  service: string,
  env: Env,
  connect: (process: ServiceProcess) => Api,
): { readonly service: ServiceProcess; readonly api: Api } {
  let rack: RackProcess | undefined;
  let api: Api | undefined;
  before(async () => {
    rack = await RackProcess.start(service, env);
    api = connect(rack.process);
  });
  after(async () => {
    api?.close();
    await rack?.remove();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${service} is not started: read it inside a test`);
    return value;
  };
  return {
    get service() {
      return started(rack).process;
    },
    get api() {
      return started(api);
    },
  };
}

/** Runs `test` with the worker started on a new DATA_DIR, then kills it and removes the folder, whatever the outcome. */
export async function withRack(service: string, env: Env, test: (rack: RackProcess) => Promise<void>): Promise<void> {
  const rack = await RackProcess.start(service, env);
  try {
    await test(rack);
  } finally {
    await rack.remove();
  }
}
