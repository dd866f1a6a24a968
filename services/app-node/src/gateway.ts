import type { RequestListener, Server } from "node:http";
import {
  type Env,
  type Logger,
  type RunnableService,
  ServiceHost,
  boundPort,
  clientMetricsInterceptor,
  clientMetricsOf,
  channelCredentials,
  httpServer,
  workerInfoGauge,
} from "@bookstore/wrk-base";
import { loadContracts } from "@bookstore/proto";
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

/**
 * The app-node process, on the service host every service runs on (its settings, logs, metrics,
 * traces, HTTP servers and graceful stop), without gRPC: the routing client, the koa app on one
 * HTTP port (and /metrics on a port of its own when METRICS_PORT is set, so that a published API
 * port does not show the metrics). Its stop is the host's: not ready first and every answer closes
 * its connection, SHUTDOWN_DRAIN_MS still accepting (probes and load balancers see the 503), then
 * the servers close and in-flight requests finish within SHUTDOWN_TIMEOUT_MS.
 */
export class Gateway implements RunnableService {
  readonly settings: GatewaySettings;
  readonly log: Logger;
  readonly registry: Registry;
  readonly routing: RoutingClient;
  /** The router made from API_ROUTES: what /openapi.json must match. */
  readonly router: GatewayApp["router"];
  /** Settles once the gateway has stopped. */
  readonly stopped: Promise<void>;
  private readonly host: ServiceHost;
  private readonly deps: GatewayDeps;
  private readonly server: Server;
  /** Serves /metrics alone when METRICS_PORT is set. */
  private readonly metricsServer: Server | undefined;

  constructor(env: Env = process.env) {
    this.settings = readGatewaySettings(env);
    const host = new ServiceHost({ name: "app-node", version: API_VERSION, env, settings: this.settings, drainTimeoutMs: this.settings.shutdownTimeoutMs });
    this.host = host;
    this.log = host.log;
    this.stopped = host.stopped;
    // OpenMetrics: the latency histogram carries exemplars (trace ids).
    this.registry = host.registry;
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
      ready: () => host.ready(),
      stopping: () => host.phase === "stopping" || host.phase === "stopped",
    };
    const { httpPort, metricsPort } = this.settings;
    const httpMetrics = new HttpMetrics(this.registry);
    const { app, router } = createApp(this.deps, metricsPort !== undefined ? API_ROUTES.filter((r) => r !== metricsRoute) : API_ROUTES, httpMetrics);
    this.router = router;
    this.server = host.serveHttp(apiServer(app.callback()), httpPort);
    this.metricsServer = metricsPort === undefined ? undefined : host.serveHttp(apiServer(createApp(this.deps, [metricsRoute], httpMetrics).app.callback()), metricsPort);
    host.use({
      init: () => this.routing.start(),
      isReady: () => this.routing.ready(),
      serving: () =>
        this.log.info({ httpPort: this.port, metricsPort: this.metricsPort, ork: this.settings.orkAddress, tokens: this.settings.tokens.size }, "serving the HTTP API"),
      // Readiness is off and answers close their connections: probes and load balancers take it out of rotation.
      leave: () => Promise.resolve("not ready, answers close their connections: serving on while probes and load balancers follow"),
      release: () => {
        this.routing.close();
        ork.close();
      },
    });
  }

  /** The bound port (useful when HTTP_PORT is 0). */
  get port(): number {
    return boundPort(this.server);
  }

  /** The bound metrics port; undefined when /metrics is on the API's port. */
  get metricsPort(): number | undefined {
    return this.metricsServer ? boundPort(this.metricsServer) : undefined;
  }

  start(): Promise<void> {
    return this.host.start();
  }

  /** The host's graceful stop (see the class). Safe to call twice. */
  stop(reason: string): Promise<void> {
    return this.host.stop(reason);
  }
}

/** A client that stalls must not hold a socket for ever. */
function apiServer(handler: RequestListener): Server {
  return httpServer(handler, { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 });
}
