import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type * as grpc from "@grpc/grpc-js";
import type { Gauge, Registry } from "prom-client";
import { type ServiceModule, ServiceHost } from "./host.js";
import { boundPort, sidePortServer } from "./http-server.js";
import type { Logger } from "./logger.js";
import { workerInfoGauge } from "./metrics.js";
import { loadContracts, toTimestamp } from "@bookstore/proto";
import { unary } from "./rpc.js";
import type { RunnableService } from "./run.js";
import { type BaseSettings, type Env, type PortDefaults, readBaseSettings } from "./settings.js";

export const WORKER_SERVICE = "bookstore.worker.v1.WorkerService";

export interface GrpcServiceOptions {
  /** The name in logs and traces: "wrk-book". */
  name: string;
  /** What it is to the others: "book", "ork". */
  type: string;
  version: string;
  /** The contract's default ports of this service. */
  ports: PortDefaults;
  env: Env;
  /** How long in-flight calls may run on after SIGTERM before they are cut. */
  drainTimeoutMs?: number | undefined;
  /** The rack, known once the service's own `init` ran ("" for none). */
  rack: () => string;
}

/**
 * A gRPC service of the system (every worker, the orchestrator): the service host with its gRPC
 * port and BaseSettings, the HTTP side port (`/metrics`, `/healthz`, `/readyz`), and the worker
 * contract every one of them answers: an id, `bookstore.worker.v1.WorkerService` (Ping, GetInfo),
 * `worker_info` and the "serving" line. The service's own part is one module given to `serve`,
 * further parts (a worker's registration) are added with `use`.
 */
export class GrpcService implements RunnableService {
  readonly host: ServiceHost;
  readonly settings: BaseSettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly startedAt = new Date();
  readonly stopped: Promise<void>;
  private readonly sidePort: HttpServer;
  private readonly info: Gauge<"worker_id" | "type" | "rack" | "version">;
  private chosenId = "";

  constructor(private readonly options: GrpcServiceOptions) {
    this.settings = readBaseSettings(options.env, options.ports);
    const host = new ServiceHost({
      name: options.name,
      version: options.version,
      env: options.env,
      settings: this.settings,
      grpcPort: this.settings.grpcPort,
      drainTimeoutMs: options.drainTimeoutMs,
    });
    this.host = host;
    this.log = host.log;
    this.registry = host.registry;
    this.stopped = host.stopped;
    this.info = workerInfoGauge(this.registry);
    this.sidePort = host.serveHttp(sidePortServer({ registry: this.registry, ready: () => host.ready(), log: this.log }), this.settings.httpPort);
  }

  /** `<type>-<rack or none>-<random>`, chosen at start once the rack is known. */
  get id(): string {
    return this.chosenId;
  }

  /** The port the gRPC server is bound to (the one chosen when GRPC_PORT is 0); 0 before start. */
  get grpcPort(): number {
    return this.host.grpcPort;
  }

  /** The port of the HTTP side port (the one chosen when HTTP_PORT is 0); 0 before start. */
  get httpPort(): number {
    return boundPort(this.sidePort);
  }

  /** Where the orchestrator reaches it: ADVERTISE_ADDR, with the bound port when GRPC_PORT is 0. */
  get advertiseAddress(): string {
    return this.settings.advertiseAddress.replace(/:0$/, `:${this.grpcPort}`);
  }

  /**
   * The service's own part: its `init` runs first (it may set the rack), then the id is chosen;
   * its services come after the worker contract's, and its `serving` after the "serving" line.
   */
  serve(own: ServiceModule): this {
    this.host.use({
      ...own,
      init: async () => {
        await own.init?.();
        this.chosenId = `${this.options.type}-${this.options.rack() || "none"}-${randomBytes(4).toString("hex")}`;
      },
      addServices: (server) => [...this.addWorkerService(server), ...(own.addServices?.(server) ?? [])],
      serving: () => {
        this.announce();
        own.serving?.();
      },
    });
    return this;
  }

  /** A further part, after the service's own (a worker's registration). */
  use(module: ServiceModule): this {
    this.host.use(module);
    return this;
  }

  start(): Promise<void> {
    return this.host.start();
  }

  stop(reason = "stop requested"): Promise<void> {
    return this.host.stop(reason);
  }

  private addWorkerService(server: grpc.Server): string[] {
    const { type, version, rack } = this.options;
    server.addService(loadContracts().worker.WorkerService.service, {
      Ping: unary(this.log, (request) => ({ message: request.message, time: toTimestamp(new Date()) })),
      GetInfo: unary(this.log, () => ({
        id: this.id,
        type,
        rack: rack(),
        version,
        startedAt: toTimestamp(this.startedAt),
        advertiseAddress: this.advertiseAddress,
      })),
    });
    return [WORKER_SERVICE];
  }

  /** `worker_info` and the "serving" line (tests and `npm start` read its id and ports). */
  private announce(): void {
    const { type, version, rack } = this.options;
    this.info.set({ worker_id: this.id, type, rack: rack(), version }, 1);
    this.log.info({ id: this.id, rack: rack(), grpcPort: this.grpcPort, httpPort: this.httpPort, version }, "serving");
  }
}
