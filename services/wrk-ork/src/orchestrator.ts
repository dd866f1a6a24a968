import type * as grpc from "@grpc/grpc-js";
import { type BaseSettings, type Env, GrpcService, type Logger, type RunnableService, clientMetricsOf } from "@bookstore/wrk-base";
import { loadContracts } from "@bookstore/proto";
import type { Registry } from "prom-client";
import { DEFAULT_PORTS } from "./default-ports.js";
import { HealthChecker } from "./health-checker.js";
import { type OrkMetrics, orkMetrics } from "./metrics.js";
import { WorkerRegistry } from "./worker-registry.js";
import { orchestratorHandlers } from "./service.js";
import { type OrkSettings, readOrkSettings } from "./settings.js";
import { StateFile } from "./state-file.js";
import { WatchHub } from "./watch-hub.js";

export const ORK_SERVICE = "bookstore.ork.v1.OrchestratorService";

export interface OrchestratorOptions {
  version: string;
  env?: Env;
}

/**
 * wrk-ork, the control plane: keeps the registry of workers (leases, health checks, drain,
 * forget) and publishes the routing table to gateways. Book traffic never passes through it.
 *
 * It is a gRPC service on the host every service runs on (gRPC with health and reflection, the
 * side port, the graceful stop, the worker contract's Ping and GetInfo); it is no worker, so
 * registration, the module workers add, is not among its parts.
 */
export class Orchestrator implements RunnableService {
  readonly env: Env;
  readonly settings: BaseSettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly stopped: Promise<void>;
  readonly orkSettings: OrkSettings;
  readonly workers: WorkerRegistry;
  /** Changes at every start (see RegisterResponse.incarnation): the kept counter plus one, else the start time. */
  readonly incarnation: number;
  private readonly stateFile: StateFile | undefined;
  /** Whether the registry began with remembered workers, whose answers can end the warm-up. */
  private readonly remembered: boolean;
  private readonly metrics: OrkMetrics;
  private readonly hub: WatchHub;
  private readonly checker: HealthChecker;
  private readonly service: GrpcService;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(options: OrchestratorOptions) {
    this.env = options.env ?? process.env;
    this.service = new GrpcService({ name: "wrk-ork", type: "ork", version: options.version, ports: DEFAULT_PORTS, env: this.env, rack: () => "" });
    this.settings = this.service.settings;
    this.log = this.service.log;
    this.registry = this.service.registry;
    this.stopped = this.service.stopped;
    this.orkSettings = readOrkSettings(this.env);
    const log = this.log;
    const { dataDir } = this.orkSettings;
    this.stateFile = dataDir === undefined ? undefined : new StateFile(dataDir, log);
    const kept = this.stateFile?.load();
    this.incarnation = this.stateFile ? (kept?.incarnation ?? 0) + 1 : Date.now();
    this.remembered = (kept?.workers.length ?? 0) > 0;
    this.hub = new WatchHub({
      table: (type) => this.workers.table(type),
      warmupMs: this.orkSettings.warmupSeconds * 1000,
      incarnation: this.incarnation,
      log,
    });
    this.workers = new WorkerRegistry({
      leaseMs: this.orkSettings.leaseSeconds * 1000,
      healthFailures: this.orkSettings.healthFailures,
      events: {
        registered: (worker) => {
          this.metrics.registered(worker.type);
          log.info({ worker: worker.id, type: worker.type, rack: worker.rack, address: worker.address, version: worker.version }, "worker registered");
        },
        leaseExpired: (worker) => this.metrics.leaseExpired(worker.type),
        stateChanged: (worker, from) =>
          log[worker.state === "down" ? "warn" : "info"]({ worker: worker.id, type: worker.type, rack: worker.rack, from, to: worker.state, reason: worker.reason }, `worker ${worker.state}`),
        removed: (worker, why) => log.info({ worker: worker.id, type: worker.type, rack: worker.rack, why }, "worker removed"),
        routesChanged: (table) => {
          log.info({ revision: table.revision, routes: table.routes }, "routing table changed");
          this.hub.broadcast();
          this.endWarmupOnEvidence();
        },
        heardFrom: () => this.endWarmupOnEvidence(),
        membershipChanged: () => this.saveState(),
      },
    });
    if (kept) this.workers.restore(kept.workers);
    // The new incarnation is on disk before any worker or gateway is told about it.
    this.saveState();
    this.metrics = orkMetrics(this.registry, this.workers);
    this.checker = new HealthChecker({
      registry: this.workers,
      intervalMs: this.orkSettings.healthCheckIntervalMs,
      timeoutMs: this.orkSettings.healthCheckTimeoutMs,
      log,
      metrics: clientMetricsOf(this.registry),
      tls: this.settings.tls,
    });
    this.service.serve({
      init: () => this.beginWork(),
      addServices: (server) => this.addServices(server),
      // Ends the watch streams first: a graceful server stop waits for every open stream.
      stopping: () => this.endWork(),
    });
  }

  /** The id of this process (`ork-none-<random>`), chosen at start. */
  get id(): string {
    return this.service.id;
  }

  /** The bound gRPC port (the one chosen when GRPC_PORT is 0); 0 before start. */
  get grpcPort(): number {
    return this.service.grpcPort;
  }

  start(): Promise<void> {
    return this.service.start();
  }

  /** The host's graceful stop; the watch streams, lease expiry and health checks end first. */
  stop(reason = "stop requested"): Promise<void> {
    return this.service.stop(reason);
  }

  /** The timings logged, the lease expiry and the health checks started: before the ports bind. */
  private beginWork(): void {
    const { leaseSeconds, warmupSeconds, heartbeatSeconds, healthCheckIntervalMs } = this.orkSettings;
    this.log.info({ leaseSeconds, heartbeatSeconds, healthCheckIntervalMs, warmupSeconds }, "orchestrator timings");
    const { incarnation } = this;
    if (this.stateFile) {
      this.log.info({ incarnation, stateFile: this.stateFile.path, remembered: this.workers.list().length }, "registry kept in DATA_DIR");
    } else {
      this.log.warn({ incarnation }, "no DATA_DIR: the registry is in memory only, a restart forgets every worker until it registers again");
    }
    this.endWarmupOnEvidence();
    // Several checks per lease, so a lapse is seen well within a second of its end.
    const everyMs = Math.max(100, Math.min(1000, (leaseSeconds * 1000) / 5));
    this.expiryTimer = setInterval(() => this.workers.expireLeases(), everyMs);
    this.expiryTimer.unref();
    this.checker.start();
  }

  private addServices(server: grpc.Server): string[] {
    server.addService(
      loadContracts().ork.OrchestratorService.service,
      orchestratorHandlers({ registry: this.workers, hub: this.hub, settings: this.orkSettings, incarnation: this.incarnation, log: this.log }),
    );
    return [ORK_SERVICE];
  }

  /**
   * The warm-up ends on evidence when the registry began with remembered workers and each has been
   * heard from (or found down): the table is then whole. Without remembered workers there is
   * nobody to wait for, and the warm-up time decides.
   */
  private endWarmupOnEvidence(): void {
    if (!this.remembered || !this.hub.warmingUp) return;
    if (this.workers.awaitingEvidence() === 0) this.hub.endWarmup("every remembered worker was heard from or found down");
  }

  private saveState(): void {
    if (!this.stateFile) return;
    try {
      this.stateFile.save({ format: 1, incarnation: this.incarnation, workers: this.workers.snapshot() });
    } catch (error) {
      // The registry in memory is still right; the next change tries again.
      this.log.error({ err: error, file: this.stateFile.path }, "cannot write the state file");
    }
  }

  private endWork(): void {
    this.hub.closeAll();
    clearInterval(this.expiryTimer);
    this.checker.close();
  }
}
