import { type RequestListener, type Server, createServer } from "node:http";
import { Server as NetServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Env,
  type Logger,
  boundPort,
  clientMetricsInterceptor,
  clientMetricsOf,
  createLogger,
  createRegistry,
  channelCredentials,
  warnIfInsecure,
  loadContracts,
  readTracingSettings,
  startTracing,
  type Tracing,
  workerInfoGauge,
} from "@bookstore/wrk-base";
import { RoutingClient } from "./routing/index.js";
import type { Registry } from "prom-client";
import { API_ROUTES, API_VERSION } from "./api.js";
import { type GatewayApp, createApp } from "./app.js";
import type { GatewayDeps } from "./deps.js";
import { HttpMetrics } from "./metrics.js";
import { type GatewaySettings, readGatewaySettings } from "./settings.js";
import { metricsRoute } from "./system-routes.js";

export const BOOK_WORKER_TYPE = "book";
/** app-node's `type` in `worker_info`: it is no worker, but dashboards read every process's version there. */
export const GATEWAY_TYPE = "gateway";

type Phase = "new" | "serving" | "stopping" | "stopped";

/**
 * The app-node process: settings, the routing client, the koa app on one HTTP port (and /metrics
 * on a port of its own when METRICS_PORT is set, so that a published API port does not show the
 * metrics), and a graceful stop (not ready first, then the servers close and in-flight requests
 * finish within a deadline).
 */
export class Gateway {
  readonly settings: GatewaySettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly routing: RoutingClient;
  /** The router made from API_ROUTES: what /openapi.json must match. */
  readonly router: GatewayApp["router"];
  private readonly deps: GatewayDeps;
  private readonly server: Server;
  /** Serves /metrics alone when METRICS_PORT is set. */
  private readonly metricsServer: Server | undefined;
  private readonly tracing: Tracing;
  private phase: Phase = "new";
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;
  /** Settles once the gateway has stopped. */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));

  constructor(env: Env = process.env) {
    this.settings = readGatewaySettings(env);
    const tracingSettings = readTracingSettings(env);
    this.log = createLogger("app-node", this.settings.logLevel);
    this.tracing = startTracing("app-node", API_VERSION, tracingSettings);
    warnIfInsecure(this.log, this.settings.tls);
    // OpenMetrics: the latency histogram carries exemplars (trace ids).
    this.registry = createRegistry({ openMetrics: true });
    workerInfoGauge(this.registry).set({ type: GATEWAY_TYPE, version: API_VERSION }, 1);
    const contracts = loadContracts();
    this.routing = new RoutingClient({
      orkAddress: this.settings.orkAddress,
      tls: this.settings.tls,
      type: BOOK_WORKER_TYPE,
      log: this.log,
      registry: this.registry,
      callTimeoutMs: this.settings.callTimeoutMs,
    });
    const ork = new contracts.ork.OrchestratorService(this.settings.orkAddress, channelCredentials(this.settings.tls), {
      interceptors: [clientMetricsInterceptor(clientMetricsOf(this.registry))],
    });
    this.deps = {
      routing: this.routing,
      ork,
      bookService: contracts.book.BookService,
      tokens: this.settings.tokens,
      callTimeoutMs: this.settings.callTimeoutMs,
      log: this.log,
      registry: this.registry,
      ready: () => this.phase === "serving" && this.routing.ready(),
      stopping: () => this.phase === "stopping" || this.phase === "stopped",
    };
    const separateMetrics = this.settings.metricsPort !== undefined;
    const httpMetrics = new HttpMetrics(this.registry);
    const { app, router } = createApp(this.deps, separateMetrics ? API_ROUTES.filter((r) => r !== metricsRoute) : API_ROUTES, httpMetrics);
    this.router = router;
    this.server = httpServer(app.callback());
    this.metricsServer = separateMetrics ? httpServer(createApp(this.deps, [metricsRoute], httpMetrics).app.callback()) : undefined;
  }

  /** The bound port (useful when HTTP_PORT is 0). */
  get port(): number {
    return boundPort(this.server);
  }

  /** The bound metrics port; undefined when /metrics is on the API's port. */
  get metricsPort(): number | undefined {
    return this.metricsServer ? boundPort(this.metricsServer) : undefined;
  }

  async start(): Promise<void> {
    if (this.phase !== "new") throw new Error(`cannot start a gateway that is ${this.phase}`);
    this.routing.start();
    const { bindHost, httpPort, metricsPort } = this.settings;
    try {
      await listen(this.server, httpPort, bindHost);
      if (this.metricsServer && metricsPort !== undefined) await listen(this.metricsServer, metricsPort, bindHost);
    } catch (error) {
      this.routing.close();
      this.deps.ork.close();
      if (this.server.listening) this.server.close();
      throw error;
    }
    this.phase = "serving";
    this.log.info({ httpPort: this.port, metricsPort: this.metricsPort, ork: this.settings.orkAddress, tokens: this.settings.tokens.size }, "serving the HTTP API");
  }

  /**
   * Not ready at once, and every answer from then on closes its connection; after
   * `shutdownDrainMs` (still accepting, so probes and load balancers see the 503) no new
   * connections, idle ones closed, and in-flight requests get `shutdownTimeoutMs` to finish.
   */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.shutdown(reason).finally(() => this.resolveStopped());
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const wasServing = this.phase === "serving";
    this.phase = "stopping";
    this.log.info({ reason, drainMs: this.settings.shutdownDrainMs }, "stopping: not ready, answers close their connections");
    if (wasServing) await sleep(this.settings.shutdownDrainMs);
    if (wasServing) await Promise.all([this.server, this.metricsServer].flatMap((server) => (server ? [this.closeServer(server, this.settings.shutdownTimeoutMs)] : [])));
    this.routing.close();
    this.deps.ork.close();
    // The last requests' spans, within the export deadline.
    await this.tracing.shutdown();
    this.phase = "stopped";
    this.log.info("stopped");
  }

  private closeServer(server: Server, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        this.log.warn({ timeoutMs }, "requests still running at the shutdown deadline: closing their connections");
        server.closeAllConnections();
      }, timeoutMs);
      // Busy connections close after their answer (Connection: close). Idle ones are closed from
      // the next sweep on, not at once: http.Server.close would also destroy a connection accepted
      // a moment ago whose request has not been read yet, and its client would see a reset.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      NetServer.prototype.close.call(server, () => {
        clearTimeout(deadline);
        clearInterval(sweep);
        resolve();
      });
    });
  }
}

function httpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  // A client that stalls must not hold a socket for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => reject(new Error(`cannot listen for HTTP on ${host}:${port}: ${error.message}`));
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
}
