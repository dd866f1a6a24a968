import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Server as HttpServer } from "node:http";
import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { Registry } from "prom-client";
import type { WorkerServiceHandlers } from "./generated/bookstore/worker/v1/WorkerService.js";
import { boundPort, closeServer, startSidePort } from "./http-server.js";
import { createLogger, type Logger } from "./logger.js";
import { GrpcMetrics, createRegistry, workerGauges } from "./metrics.js";
import { HEALTH_SERVICE, loadContracts, type Contracts } from "./protos.js";
import { ReflectionServer } from "./reflection.js";
import { Registration } from "./registration.js";
import { unary } from "./rpc.js";
import { InFlight, observeCalls } from "./server-interceptor.js";
import { type BaseSettings, type Env, type PortDefaults, readBaseSettings } from "./settings.js";
import { type Tracing, readTracingSettings, startTracing } from "./tracing.js";
import { toTimestamp } from "./timestamps.js";
import { authorizeCalls } from "./tls/authorize.js";
import { certificatesLoaded, serverCredentials, warnIfInsecure } from "./tls/credentials.js";

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
  /** Whether to register with the orchestrator (the orchestrator itself does not). */
  register?: boolean;
}

/** How often a graceful stop looks at the calls in flight, and how long none must run before idle connections are closed. */
const DRAIN_CHECK_MS = 50;
const IDLE_BEFORE_CLOSE_MS = 250;

/** A service's name in logs and its default data folder: the given one, else `wrk-<type>`. */
export function serviceNameOf(options: Pick<WorkerOptions, "name" | "type">): string {
  return options.name ?? `wrk-${options.type}`;
}

type Phase = "new" | "starting" | "serving" | "stopping" | "stopped";

/**
 * A worker process: settings, logs, metrics, a gRPC server with the worker contract, health and
 * reflection, the HTTP side port, registration with the orchestrator and graceful shutdown.
 *
 * Subclasses override the hooks: `onInit` (open stores, choose the rack), `addServices` (their
 * gRPC services), `isReady`, `onStopping` (end what holds calls open) and `onStop` (close stores).
 */
export class BaseWorker {
  readonly type: string;
  readonly version: string;
  readonly env: Env;
  readonly settings: BaseSettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly contracts: Contracts;
  readonly startedAt = new Date();
  /** The rack this worker serves; subclasses with data set it in `onInit`. */
  rack = "";
  /** Unique id of this process, set at start once the rack is known. */
  id = "";

  private readonly options: WorkerOptions;
  private readonly inFlight = new InFlight();
  private readonly health = new HealthImplementation({ "": "NOT_SERVING" });
  private readonly serviceNames: string[] = [];
  private readonly gauges;
  private readonly tracing: Tracing;
  private grpcServer: grpc.Server | undefined;
  private sidePort: HttpServer | undefined;
  private registration: Registration | undefined;
  private phase: Phase = "new";
  private stopping: Promise<void> | undefined;
  private boundPort = 0;
  private resolveStopped!: () => void;
  /** Settles once the worker has stopped, whatever stopped it (signal or drain). */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));

  constructor(options: WorkerOptions) {
    this.options = options;
    this.type = options.type;
    this.version = options.version;
    this.env = options.env ?? process.env;
    this.settings = readBaseSettings(this.env, options.ports);
    const name = serviceNameOf(options);
    const tracingSettings = readTracingSettings(this.env);
    this.log = createLogger(name, this.settings.logLevel);
    this.tracing = startTracing(name, options.version, tracingSettings);
    // OpenMetrics: the only format that carries the gRPC latency exemplars (Prometheus asks for it first).
    this.registry = createRegistry({ openMetrics: true });
    this.contracts = loadContracts();
    this.gauges = workerGauges(this.registry);
  }

  /** The port the gRPC server is bound to (the one chosen when GRPC_PORT is 0). */
  get grpcPort(): number {
    return this.boundPort;
  }

  /** The port of the HTTP side port (the one chosen when HTTP_PORT is 0); 0 before start. */
  get httpPort(): number {
    return this.sidePort ? boundPort(this.sidePort) : 0;
  }

  /** Where the orchestrator reaches this worker: ADVERTISE_ADDR, with the bound port when GRPC_PORT is 0. */
  get advertiseAddress(): string {
    return this.settings.advertiseAddress.replace(/:0$/, `:${this.boundPort}`);
  }

  get serving(): boolean {
    return this.phase === "serving";
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
   * The first thing a stop does, before the worker says NOT_SERVING: end what would hold calls
   * open through the drain (the orchestrator's watch streams: a graceful server stop waits for
   * every open stream).
   */
  protected onStopping(): void {}

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.phase !== "new") throw new Error(`cannot start a worker that is ${this.phase}`);
    this.phase = "starting";
    await this.onInit();
    this.id = `${this.type}-${this.rack || "none"}-${randomBytes(4).toString("hex")}`;

    const { tls } = this.settings;
    warnIfInsecure(this.log, tls);
    const observe = observeCalls(new GrpcMetrics(this.registry, "server"), this.inFlight, this.log);
    // The observer first, so that it logs and counts the calls the authorization refuses.
    const server = new grpc.Server({ interceptors: tls.insecure ? [observe] : [observe, authorizeCalls()] });
    server.addService(this.contracts.worker.WorkerService.service, this.workerHandlers());
    this.serviceNames.push("bookstore.worker.v1.WorkerService", ...this.addServices(server));
    this.health.addToServer(server);
    new ReflectionServer([...this.serviceNames, HEALTH_SERVICE]).addToServer(server);
    this.grpcServer = server;

    const { bindHost, grpcPort, httpPort: sidePort } = this.settings;
    const host = bindHost.includes(":") ? `[${bindHost}]` : bindHost;
    await certificatesLoaded(tls);
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${grpcPort}`, serverCredentials(tls), (error, port) =>
        error ? reject(new Error(`cannot listen for gRPC on ${host}:${grpcPort}: ${error.message}`)) : resolve(port),
      ),
    );
    this.sidePort = await startSidePort({
      host: bindHost,
      port: sidePort,
      registry: this.registry,
      ready: () => this.serving && this.isReady(),
      log: this.log,
    });

    this.phase = "serving";
    this.setHealth("SERVING");
    this.gauges.info.set({ worker_id: this.id, type: this.type, rack: this.rack, version: this.version }, 1);
    this.log.info({ id: this.id, rack: this.rack, grpcPort: this.boundPort, httpPort: this.httpPort, version: this.version }, "serving");

    if (this.options.register !== false) {
      this.registration = new Registration({
        orkAddress: this.settings.orkAddress,
        tls: this.settings.tls,
        self: {
          id: this.id,
          type: this.type,
          rack: this.rack,
          address: this.advertiseAddress,
          version: this.version,
        },
        log: this.log,
        onDrain: () => void this.stop("drained by the orchestrator"),
      });
      this.registration.start();
    }
  }

  /**
   * Graceful stop: NOT_SERVING first (readiness 503); then the worker leaves the orchestrator,
   * which takes it out of the routing table and pushes that to the gateways; it keeps serving for
   * SHUTDOWN_DRAIN_MS meanwhile, so that calls routed before the gateways saw the new table still
   * succeed; then it refuses new calls, in-flight ones finish within the drain deadline, and it
   * releases its state. Safe to call twice.
   */
  stop(reason = "stop requested"): Promise<void> {
    this.stopping ??= this.shutdown(reason).finally(() => this.resolveStopped());
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const deadlineMs = this.options.drainTimeoutMs ?? 10_000;
    this.log.info({ reason, inFlight: this.inFlight.size, deadlineMs }, "stopping");
    this.onStopping();
    this.phase = "stopping";
    this.setHealth("NOT_SERVING");
    // Only a worker the orchestrator took out of routing can hope that gateways stop calling it:
    // when the orchestrator was not told, waiting changes nothing for them.
    const left = (await this.registration?.stop()) === true;
    const { shutdownDrainMs } = this.settings;
    if (left && shutdownDrainMs > 0) {
      this.log.info({ shutdownDrainMs }, "out of the routing table: serving on while gateways follow");
      await sleep(shutdownDrainMs);
    }
    if (this.grpcServer) await this.drainCalls(this.grpcServer, deadlineMs);
    if (this.sidePort) await closeServer(this.sidePort);
    await this.onStop();
    // The last calls' spans, within the export deadline.
    await this.tracing.shutdown();
    this.phase = "stopped";
    this.log.info("stopped");
  }

  /**
   * Refuses new calls and lets the running ones finish. grpc-js's tryShutdown also waits for every
   * connection to close, and one accepted while it shuts down is never closed (seen under load: the
   * stop then hung until the deadline): so once no call has been in flight for a while, the idle
   * connections left are closed. At the deadline the remaining calls are cut.
   */
  private async drainCalls(server: grpc.Server, deadlineMs: number): Promise<void> {
    const drained = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
    const deadline = performance.now() + deadlineMs;
    let idleSince: number | undefined;
    for (;;) {
      if (await Promise.race([drained, sleep(DRAIN_CHECK_MS, false)])) return;
      const now = performance.now();
      if (now >= deadline) {
        this.log.warn({ inFlight: this.inFlight.size }, "drain deadline passed: cutting the remaining calls");
        server.forceShutdown();
        return;
      }
      idleSince = this.inFlight.size === 0 ? (idleSince ?? now) : undefined;
      // Idle for a while, not just now: the last answers have left before their connections close.
      if (idleSince !== undefined && now - idleSince >= IDLE_BEFORE_CLOSE_MS) {
        this.log.info("no call in flight: closing the connections still open");
        server.forceShutdown();
        return;
      }
    }
  }

  private setHealth(status: "SERVING" | "NOT_SERVING"): void {
    for (const name of ["", ...this.serviceNames]) this.health.setStatus(name, status);
    this.gauges.serving.set(status === "SERVING" ? 1 : 0);
  }

  private workerHandlers(): WorkerServiceHandlers {
    return {
      Ping: unary(this.log, (request) => ({ message: request.message, time: toTimestamp(new Date()) })),
      GetInfo: unary(this.log, () => ({
        id: this.id,
        type: this.type,
        rack: this.rack,
        version: this.version,
        startedAt: toTimestamp(this.startedAt),
        advertiseAddress: this.advertiseAddress,
      })),
    };
  }
}
