import type * as grpc from "@grpc/grpc-js";
import { BaseWorker, type Env, clientMetricsOf } from "@bookstore/wrk-base";
import { DEFAULT_PORTS } from "./default-ports.js";
import { HealthChecker } from "./health-checker.js";
import { type OrkMetrics, orkMetrics } from "./metrics.js";
import { WorkerRegistry } from "./registry.js";
import { orchestratorHandlers } from "./service.js";
import { type OrkSettings, readOrkSettings } from "./settings.js";
import { StateFile } from "./state-file.js";
import { WatchHub } from "./watch-hub.js";

export const ORK_SERVICE = "bookstore.ork.v1.OrchestratorService";

export interface OrkWorkerOptions {
  version: string;
  env?: Env;
}

/**
 * wrk-ork, the control plane: keeps the registry of workers (leases, health checks, drain,
 * forget) and publishes the routing table to gateways. Book traffic never passes through it.
 * It does not register with itself.
 */
export class OrkWorker extends BaseWorker {
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
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(options: OrkWorkerOptions) {
    super({ name: "wrk-ork", type: "ork", version: options.version, ports: DEFAULT_PORTS, env: options.env, register: false });
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
  }

  protected override async onInit(): Promise<void> {
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

  protected override addServices(server: grpc.Server): string[] {
    server.addService(
      this.contracts.ork.OrchestratorService.service,
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

  /** Ends the watch streams first: a graceful server stop waits for every open stream. */
  protected override onStopping(): void {
    this.hub.closeAll();
    clearInterval(this.expiryTimer);
    this.checker.close();
  }
}
