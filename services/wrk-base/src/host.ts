// The one lifecycle of every service, the gateway's included: its settings, logs, metrics registry
// and traces, a gRPC server with health and reflection (services that have one), the HTTP servers
// it listens with (a gRPC service's side port, the gateway's API), and the graceful stop in one
// order. What a service adds to that is a list of modules (ServiceModule): its own services and
// state, and, for a worker, its registration with the orchestrator.
import type { Server as HttpServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type * as grpc from "@grpc/grpc-js";
import type { Registry } from "prom-client";
import { GrpcServing } from "./grpc-serving.js";
import { closeServer, listen } from "./http-server.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetricRegistry } from "./metrics.js";
import type { Env, HostSettings } from "./settings.js";
import { warnIfInsecure } from "./tls/credentials.js";
import { type Tracing, readTracingSettings, startTracing } from "./tracing.js";

/**
 * A part of a service, run by the host at its turn. Every hook is optional; the host runs each one
 * in the order the modules were added, a start's first: every `init`, then every `addServices`,
 * then the ports bind, then every `serving`.
 */
export interface ServiceModule {
  /** Before any port binds: open stores, start clients. A failure stops the start. */
  init?(): Promise<void> | void;
  /** Adds gRPC services to the host's server; returns their full names (for health and reflection). */
  addServices?(server: grpc.Server): string[];
  /** Readiness beyond "serving" (a store that is open, a routing table with a healthy rack). */
  isReady?(): boolean;
  /** Once every port listens and health says SERVING. */
  serving?(): void;
  /**
   * The first thing of a stop, before readiness turns off: end what would hold calls open through
   * the drain (a graceful gRPC stop waits for every open stream).
   */
  stopping?(): void;
  /**
   * Readiness is off: take the service out of its callers' rotation (a worker leaves the
   * orchestrator). Resolves to the line to log when the callers were told, so that serving on for
   * SHUTDOWN_DRAIN_MS lets them follow; undefined when nobody was told (waiting would change nothing).
   */
  leave?(): Promise<string | undefined>;
  /** After the last call and request ended and the servers closed: release state (close stores, clients). */
  release?(): Promise<void> | void;
}

export interface HostOptions {
  /** The service's name in logs and traces: "wrk-book", "app-node". */
  name: string;
  version: string;
  env: Env;
  settings: HostSettings;
  /** The gRPC port to bind (0: any free one); undefined: the service serves no gRPC (the gateway). */
  grpcPort?: number;
  /** How long in-flight calls and requests may run on once the servers stop accepting (10 s). */
  drainTimeoutMs?: number;
}

export type HostPhase = "new" | "starting" | "serving" | "stopping" | "stopped";

export class ServiceHost {
  readonly name: string;
  readonly settings: HostSettings;
  readonly log: Logger;
  /** OpenMetrics: the only format that carries the latency exemplars (Prometheus asks for it first). */
  readonly registry: Registry;
  private readonly tracing: Tracing;
  private readonly grpc: GrpcServing | undefined;
  private readonly grpcPortWanted: number;
  private readonly drainTimeoutMs: number;
  private readonly modules: ServiceModule[] = [];
  private readonly httpServers: { server: HttpServer; port: number }[] = [];
  private current: HostPhase = "new";
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;
  /** Settles once the service has stopped, whatever stopped it (a signal, a drain by the orchestrator). */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));

  constructor(options: HostOptions) {
    this.name = options.name;
    this.settings = options.settings;
    const tracingSettings = readTracingSettings(options.env);
    this.log = createLogger(options.name, options.settings.logLevel);
    this.tracing = startTracing(options.name, options.version, tracingSettings);
    warnIfInsecure(this.log, options.settings.tls);
    this.registry = createMetricRegistry({ openMetrics: true });
    this.grpcPortWanted = options.grpcPort ?? 0;
    this.grpc = options.grpcPort === undefined ? undefined : new GrpcServing({ registry: this.registry, log: this.log, tls: options.settings.tls });
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  }

  /** Adds a module (before the start); its hooks run after those of the modules added before it. */
  use(module: ServiceModule): this {
    if (this.current !== "new") throw new Error(`${this.name}: modules are added before the start`);
    this.modules.push(module);
    return this;
  }

  /** An HTTP server the host listens with on BIND_HOST at the start and closes in the stop. */
  serveHttp(server: HttpServer, port: number): HttpServer {
    this.httpServers.push({ server, port });
    return server;
  }

  get phase(): HostPhase {
    return this.current;
  }

  get serving(): boolean {
    return this.current === "serving";
  }

  /** Serving, and every module ready: what `/readyz` says. */
  ready(): boolean {
    return this.serving && this.modules.every((module) => module.isReady?.() ?? true);
  }

  /** The bound gRPC port (the one chosen when GRPC_PORT is 0); 0 before the start or without gRPC. */
  get grpcPort(): number {
    return this.grpc?.port ?? 0;
  }

  /** Calls in flight on the gRPC server. */
  get inFlight(): number {
    return this.grpc?.inFlight.size ?? 0;
  }

  async start(): Promise<void> {
    if (this.current !== "new") throw new Error(`cannot start ${this.name}: it is ${this.current}`);
    this.current = "starting";
    const { bindHost } = this.settings;
    try {
      for (const module of this.modules) await module.init?.();
      const adders = this.modules.flatMap((module) => (module.addServices ? [(server: grpc.Server) => module.addServices?.(server) ?? []] : []));
      await this.grpc?.bind(bindHost, this.grpcPortWanted, adders);
      for (const { server, port } of this.httpServers) await listen(server, port, bindHost);
    } catch (error) {
      // Nothing serves: close what was opened, so a service started in a test does not linger.
      this.grpc?.close();
      for (const { server } of this.httpServers) if (server.listening) server.close();
      for (const module of this.modules) await module.release?.();
      throw error;
    }
    this.current = "serving";
    this.grpc?.setHealth("SERVING");
    for (const module of this.modules) module.serving?.();
  }

  /**
   * Graceful stop, in this order: readiness off (gRPC health NOT_SERVING, `/readyz` 503); the
   * service leaves its callers' rotation and, when they were told, serves on for
   * SHUTDOWN_DRAIN_MS while they follow; then the servers refuse new calls and connections, those
   * in flight finish within the drain deadline; the modules release their state; the last spans
   * are exported. Safe to call twice.
   */
  stop(reason = "stop requested"): Promise<void> {
    this.stopping ??= this.shutdown(reason).finally(() => this.resolveStopped());
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const wasServing = this.current === "serving";
    const { shutdownDrainMs } = this.settings;
    this.log.info({ reason, ...(this.grpc ? { inFlight: this.inFlight } : {}), deadlineMs: this.drainTimeoutMs, shutdownDrainMs }, "stopping");
    for (const module of this.modules) module.stopping?.();
    this.current = "stopping";
    this.grpc?.setHealth("NOT_SERVING");
    const told: string[] = [];
    for (const module of this.modules) {
      const line = await module.leave?.();
      if (line !== undefined) told.push(line);
    }
    if (wasServing && told.length > 0 && shutdownDrainMs > 0) {
      for (const line of told) this.log.info({ shutdownDrainMs }, line);
      await sleep(shutdownDrainMs);
    }
    await this.grpc?.drain(this.drainTimeoutMs);
    await Promise.all(this.httpServers.filter(({ server }) => server.listening).map(({ server }) => closeServer(server, { timeoutMs: this.drainTimeoutMs, log: this.log })));
    for (const module of this.modules) await module.release?.();
    // The last calls' spans, within the export deadline.
    await this.tracing.shutdown();
    this.current = "stopped";
    this.log.info("stopped");
  }
}
