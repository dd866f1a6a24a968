import type * as grpc from "@grpc/grpc-js";
import { BaseWorker, type Env, clientMetricsOf } from "@bookstore/wrk-base";
import { DEFAULT_PORTS } from "./default-ports.js";
import { HealthChecker } from "./health-checker.js";
import { type OrkMetrics, orkMetrics } from "./metrics.js";
import { WorkerRegistry } from "./registry.js";
import { orchestratorHandlers } from "./service.js";
import { type OrkSettings, readOrkSettings } from "./settings.js";
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
  private readonly metrics: OrkMetrics;
  private readonly hub: WatchHub;
  private readonly checker: HealthChecker;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(options: OrkWorkerOptions) {
    super({ name: "wrk-ork", type: "ork", version: options.version, ports: DEFAULT_PORTS, env: options.env, register: false });
    this.orkSettings = readOrkSettings(this.env);
    const log = this.log;
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
        },
      },
    });
    this.metrics = orkMetrics(this.registry, this.workers);
    this.hub = new WatchHub({
      table: (type) => this.workers.table(type),
      warmupMs: this.orkSettings.warmupSeconds * 1000,
      log,
    });
    this.checker = new HealthChecker({
      registry: this.workers,
      intervalMs: this.orkSettings.healthCheckIntervalMs,
      timeoutMs: this.orkSettings.healthCheckTimeoutMs,
      log,
      metrics: clientMetricsOf(this.registry),
    });
  }

  protected override async onInit(): Promise<void> {
    const { leaseSeconds, warmupSeconds, heartbeatSeconds, healthCheckIntervalMs } = this.orkSettings;
    this.log.info({ leaseSeconds, heartbeatSeconds, healthCheckIntervalMs, warmupSeconds }, "orchestrator timings");
    // Several checks per lease, so a lapse is seen well within a second of its end.
    const everyMs = Math.max(100, Math.min(1000, (leaseSeconds * 1000) / 5));
    this.expiryTimer = setInterval(() => this.workers.expireLeases(), everyMs);
    this.expiryTimer.unref();
    this.checker.start();
  }

  protected override addServices(server: grpc.Server): string[] {
    server.addService(
      this.contracts.ork.OrchestratorService.service,
      orchestratorHandlers({ registry: this.workers, hub: this.hub, settings: this.orkSettings, log: this.log }),
    );
    return [ORK_SERVICE];
  }

  /** Ends the watch streams first: a graceful server stop waits for every open stream. */
  override stop(reason?: string): Promise<void> {
    this.hub.closeAll();
    clearInterval(this.expiryTimer);
    this.checker.close();
    return super.stop(reason);
  }
}
