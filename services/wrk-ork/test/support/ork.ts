// Helpers for tests that run wrk-ork and workers as real processes on loopback.
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { callUnary, channelCredentials } from "@bookstore/wrk-base";
import {
  type ListWorkersResponse__Output,
  type OrchestratorServiceClient,
  type Route__Output,
  type WatchRoutingResponse__Output,
  type Worker__Output,
  loadContracts,
} from "@bookstore/proto";
import { waitUntil } from "../../../../compose/local/kit/wait-until.js";
import { REPO_ROOT, type ServiceProcess, startNodeService, startService } from "../../../../compose/local/kit/testing/process.js";
import { credentialsOf, tlsEnvOf, tlsSettingsOf } from "../../../../compose/local/kit/testing/tls.js";

/** Short timings so that a test sees leases lapse and checks fail within a second or two. */
export const FAST_ORK_ENV: Record<string, string> = {
  ORK_LEASE_SECONDS: "3",
  ORK_HEARTBEAT_SECONDS: "1",
  ORK_HEALTH_CHECK_INTERVAL_MS: "200",
  ORK_HEALTH_CHECK_TIMEOUT_MS: "1000",
  ORK_HEALTH_FAILURES: "2",
  ORK_WARMUP_SECONDS: "0",
  LOG_LEVEL: "debug",
};

/**
 * Runs `start` again when the process lost its port to another one: a port that was free when it
 * was picked can be taken (by any process's outgoing connection) before the child binds it.
 */
export async function withPortRetry<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !String((error as Error).message).includes("EADDRINUSE")) throw error;
    }
  }
}

/** Starts wrk-ork (`node services/wrk-ork/dist/main.js`) on free ports, or on the given ones (a restart). */
export function startOrk(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return withPortRetry(() => startService({ service: "wrk-ork", env: { ...FAST_ORK_ENV, ...env } }));
}

/** Starts wrk-base alone (`node services/wrk-base/dist/main.js`), registered with the orchestrator at `orkAddress`. */
export function startBaseWorker(orkAddress: string): Promise<ServiceProcess> {
  return withPortRetry(() => startService({ service: "wrk-base", env: { ORK_ADDR: orkAddress } }));
}

/** Starts a worker with a rack (test/support/rack-worker.ts) registered with the orchestrator at `orkAddress`. */
export function startRackWorker(orkAddress: string, rack: string, type = "rack"): Promise<ServiceProcess> {
  return withPortRetry(() => spawnRackWorker(orkAddress, rack, type));
}

function spawnRackWorker(orkAddress: string, rack: string, type: string): Promise<ServiceProcess> {
  const entry = ["--import", "tsx", join(REPO_ROOT, "services/wrk-ork/test/support/rack-worker.ts")];
  return startNodeService(`rack worker ${rack}`, entry, { role: "worker", type, rack }, { ORK_ADDR: orkAddress, RACK_ID: rack, WORKER_TYPE: type }, { servingTimeoutMs: 15_000 });
}

/** A client of the orchestrator as an operator (the admin certificate): it may list, watch, drain and forget. */
export function orkClient(address: string): OrchestratorServiceClient {
  return new (loadContracts().ork.OrchestratorService)(address, credentialsOf("admin"));
}

/** A client of the orchestrator as a worker of `type` and `rack` (its certificate): it may register, heartbeat and leave as that. */
export async function workerOrkClient(address: string, type: string, rack: string): Promise<OrchestratorServiceClient> {
  const tls = await tlsEnvOf({ role: "worker", type, rack });
  return new (loadContracts().ork.OrchestratorService)(address, channelCredentials(tlsSettingsOf(tls)));
}

export async function listWorkers(client: OrchestratorServiceClient, type = ""): Promise<Worker__Output[]> {
  const answer = await callUnary<ListWorkersResponse__Output>((m, o, cb) => client.listWorkers({ type }, m, o, cb), { timeoutMs: 2_000 });
  return answer.workers;
}

/** The id a worker process chose (BaseWorker logs it in its "serving" line, which may still be in the pipe). */
export function workerIdOf(worker: ServiceProcess): Promise<string> {
  return eventually(`the "serving" line of the worker`, 5_000, () => {
    const id = worker.logs().find((entry) => entry.msg === "serving")?.id;
    return typeof id === "string" && id;
  });
}

/** Polls `check` every 50 ms until it returns true (or a value); fails after `timeoutMs` with the last error (the kit's waitUntil). */
export function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | false> | T | false): Promise<Exclude<T, false | undefined>> {
  return waitUntil(check, { what, timeoutMs, failure: (last) => `timed out after ${timeoutMs} ms waiting for ${what}: ${last ?? "never true"}` });
}

/** A WatchRouting stream that keeps every table it receives and how it ended. */
export class TableWatch {
  readonly tables: WatchRoutingResponse__Output[] = [];
  /** Date.now() at the arrival of each table. */
  readonly receivedAt: number[] = [];
  status: grpc.StatusObject | undefined;
  private readonly call: grpc.ClientReadableStream<WatchRoutingResponse__Output>;

  constructor(client: OrchestratorServiceClient, type = "") {
    this.call = client.watchRouting({ type }, { deadline: Date.now() + 60_000 });
    this.call.on("data", (table: WatchRoutingResponse__Output) => {
      this.tables.push(table);
      this.receivedAt.push(Date.now());
    });
    this.call.on("error", () => undefined);
    this.call.on("status", (status: grpc.StatusObject) => (this.status = status));
  }

  latest(): WatchRoutingResponse__Output | undefined {
    return this.tables.at(-1);
  }

  route(rack: string, workerId?: string): Route__Output | undefined {
    return this.latest()?.routes.find((route) => route.rack === rack && (workerId === undefined || route.workerId === workerId));
  }

  ended(): Promise<grpc.StatusObject> {
    return eventually("the watch to end", 10_000, () => this.status ?? false);
  }

  cancel(): void {
    this.call.cancel();
  }
}
