// Helpers for tests that run wrk-ork and workers as real processes on loopback.
import { spawn } from "node:child_process";
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
import { REPO_ROOT, ServiceProcess, checkHealth, freePort, startService } from "../../../wrk-base/test/support/process.js";
import { credentialsOf, tlsEnvOf, tlsSettingsOf } from "../../../wrk-base/test/support/tls.js";

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

async function spawnRackWorker(orkAddress: string, rack: string, type: string): Promise<ServiceProcess> {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const tls = await tlsEnvOf({ role: "worker", type, rack });
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "services/wrk-ork/test/support/rack-worker.ts")], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      BIND_HOST: "127.0.0.1",
      ...tls,
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(httpPort),
      ORK_ADDR: orkAddress,
      RACK_ID: rack,
      WORKER_TYPE: type,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const worker = new ServiceProcess(child, grpcPort, httpPort);
  await eventually(`rack worker ${rack} SERVING`, 15_000, async () => {
    if (!worker.running) throw new ExitedEarly(worker.output());
    return (await checkHealth(worker.grpcAddress, "", 500)) === "SERVING";
  }).catch(async (error: unknown) => {
    await worker.stop("SIGKILL");
    throw error;
  });
  return worker;
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

/** Thrown by a check to stop waiting at once: the process it waits for is gone. */
export class ExitedEarly extends Error {
  constructor(output: string) {
    super(`exited early:\n${output}`);
  }
}

/** Polls `check` every 50 ms until it returns true (or a value); fails after `timeoutMs` with the last error. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | false> | T | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = "never true";
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== false) return value;
    } catch (error) {
      if (error instanceof ExitedEarly) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`);
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
