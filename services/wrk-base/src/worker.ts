import type * as grpc from "@grpc/grpc-js";
import type { Registry } from "prom-client";
import { GrpcService } from "./grpc-service.js";
import type { Logger } from "./logger.js";
import { loadContracts, type Contracts } from "@bookstore/proto";
import { registrationModule } from "./registration.js";
import type { RunnableService } from "./run.js";
import type { BaseSettings, Env, PortDefaults } from "./settings.js";

export interface WorkerOptions {
  /** Service name in logs, for example "wrk-book"; `wrk-<type>` when not given. */
  name?: string;
  /** Worker type, for example "book": what the orchestrator routes by. */
  type: string;
  version: string;
  /** The contract's default ports of this service. */
  ports: PortDefaults;
  env?: Env;
  /** How long in-flight calls may run on after SIGTERM before they are cut. */
  drainTimeoutMs?: number;
}

/** A service's name in logs and its default data folder: the given one, else `wrk-<type>`. */
export function serviceNameOf(options: Pick<WorkerOptions, "name" | "type">): string {
  return options.name ?? `wrk-${options.type}`;
}

/**
 * A worker process: a gRPC service on the service host (settings, logs, metrics, the gRPC server
 * with health and reflection, the HTTP side port, graceful shutdown, the worker contract) with the
 * worker's own services and, as a module of its own, registration with the orchestrator.
 *
 * Subclasses override the hooks: `onInit` (open stores, choose the rack), `addServices` (their
 * gRPC services), `isReady`, `onStopping` (end what holds calls open) and `onStop` (close stores).
 */
export class BaseWorker implements RunnableService {
  readonly type: string;
  readonly version: string;
  readonly env: Env;
  readonly settings: BaseSettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly contracts: Contracts;
  readonly startedAt: Date;
  /** The rack this worker serves; subclasses with data set it in `onInit`. */
  rack = "";
  /** Settles once the worker has stopped, whatever stopped it (signal or drain). */
  readonly stopped: Promise<void>;

  private readonly service: GrpcService;

  constructor(options: WorkerOptions) {
    this.type = options.type;
    this.version = options.version;
    this.env = options.env ?? process.env;
    const service = new GrpcService({
      name: serviceNameOf(options),
      type: options.type,
      version: options.version,
      ports: options.ports,
      env: this.env,
      drainTimeoutMs: options.drainTimeoutMs,
      rack: () => this.rack,
    });
    this.service = service;
    this.settings = service.settings;
    this.log = service.log;
    this.registry = service.registry;
    this.startedAt = service.startedAt;
    this.stopped = service.stopped;
    this.contracts = loadContracts();
    service
      .serve({
        init: () => this.onInit(),
        addServices: (server) => this.addServices(server),
        isReady: () => this.isReady(),
        stopping: () => this.onStopping(),
        release: () => this.onStop(),
      })
      .use(
        registrationModule(() => ({
          orkAddress: this.settings.orkAddress,
          tls: this.settings.tls,
          self: { id: this.id, type: this.type, rack: this.rack, address: this.advertiseAddress, version: this.version },
          log: this.log,
          onDrain: () => void this.stop("drained by the orchestrator"),
        })),
      );
  }

  /** Unique id of this process, set at start once the rack is known. */
  get id(): string {
    return this.service.id;
  }

  /** The port the gRPC server is bound to (the one chosen when GRPC_PORT is 0). */
  get grpcPort(): number {
    return this.service.grpcPort;
  }

  /** The port of the HTTP side port (the one chosen when HTTP_PORT is 0); 0 before start. */
  get httpPort(): number {
    return this.service.httpPort;
  }

  /** Where the orchestrator reaches this worker: ADVERTISE_ADDR, with the bound port when GRPC_PORT is 0. */
  get advertiseAddress(): string {
    return this.service.advertiseAddress;
  }

  get serving(): boolean {
    return this.service.host.serving;
  }

  // ---- hooks for subclasses ----

  /** Prepare state (open stores, resolve the rack). Runs before the server binds. */
  protected async onInit(): Promise<void> {}

  /** Add gRPC services; return their fully qualified names (for health and reflection). */
  protected addServices(_server: grpc.Server): string[] {
    return [];
  }

  /** Readiness beyond "serving": for example a store that is open. */
  protected isReady(): boolean {
    return true;
  }

  /** Release state after the last call has ended (close stores). */
  protected async onStop(): Promise<void> {}

  /**
   * The first thing of a stop, before the worker says NOT_SERVING: end what would hold calls
   * open through the drain (a graceful server stop waits for every open stream).
   */
  protected onStopping(): void {}

  // ---- lifecycle ----

  start(): Promise<void> {
    return this.service.start();
  }

  /**
   * Graceful stop (the host's order): NOT_SERVING first (readiness 503); then the worker leaves the
   * orchestrator, which takes it out of the routing table and pushes that to the gateways; it keeps
   * serving for SHUTDOWN_DRAIN_MS meanwhile, so that calls routed before the gateways saw the new
   * table still succeed; then it refuses new calls, in-flight ones finish within the drain
   * deadline, and it releases its state. Safe to call twice.
   */
  stop(reason = "stop requested"): Promise<void> {
    return this.service.stop(reason);
  }
}
