import { type Server, createServer } from "node:http";
import {
  type Env,
  type Logger,
  RoutingClient,
  clientMetricsInterceptor,
  clientMetricsOf,
  createLogger,
  createRegistry,
  insecure,
  loadContracts,
} from "@bookstore/wrk-base";
import type { Registry } from "prom-client";
import { API_ROUTES } from "./api.js";
import { type GatewayApp, createApp } from "./app.js";
import type { GatewayDeps } from "./deps.js";
import { type GatewaySettings, readGatewaySettings } from "./settings.js";

export const BOOK_WORKER_TYPE = "book";

type Phase = "new" | "serving" | "stopping" | "stopped";

/**
 * The app-node process: settings, the routing client, the koa app on one HTTP port, and a graceful
 * stop (not ready first, then the server closes and in-flight requests finish within a deadline).
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
  private phase: Phase = "new";
  private stopping: Promise<void> | undefined;

  constructor(env: Env = process.env) {
    this.settings = readGatewaySettings(env);
    this.log = createLogger("app-node", this.settings.logLevel);
    this.registry = createRegistry();
    const contracts = loadContracts();
    this.routing = new RoutingClient({
      orkAddress: this.settings.orkAddress,
      type: BOOK_WORKER_TYPE,
      log: this.log,
      registry: this.registry,
      callTimeoutMs: this.settings.callTimeoutMs,
    });
    const ork = new contracts.ork.OrchestratorService(this.settings.orkAddress, insecure(), {
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
    };
    const { app, router } = createApp(this.deps, API_ROUTES);
    this.router = router;
    this.server = createServer(app.callback());
    // A client that stalls must not hold a socket for ever.
    this.server.requestTimeout = 30_000;
    this.server.headersTimeout = 10_000;
    this.server.keepAliveTimeout = 5_000;
  }

  /** The bound port (useful when HTTP_PORT is 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  async start(): Promise<void> {
    if (this.phase !== "new") throw new Error(`cannot start a gateway that is ${this.phase}`);
    this.routing.start();
    const { bindHost, httpPort } = this.settings;
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(httpPort, bindHost, () => {
        this.server.off("error", reject);
        resolve();
      });
    }).catch((error: Error) => {
      this.routing.close();
      this.deps.ork.close();
      throw new Error(`cannot listen for HTTP on ${bindHost}:${httpPort}: ${error.message}`);
    });
    this.phase = "serving";
    this.log.info({ httpPort: this.port, ork: this.settings.orkAddress, tokens: this.settings.tokens.size }, "serving the HTTP API");
  }

  /** Not ready at once, then no new connections; in-flight requests get `shutdownTimeoutMs` to finish. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const wasServing = this.phase === "serving";
    this.phase = "stopping";
    this.log.info({ reason }, "stopping: not ready, finishing in-flight requests");
    if (wasServing) await this.closeServer(this.settings.shutdownTimeoutMs);
    this.routing.close();
    this.deps.ork.close();
    this.phase = "stopped";
    this.log.info("stopped");
  }

  private closeServer(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        this.log.warn({ timeoutMs }, "requests still running at the shutdown deadline: closing their connections");
        this.server.closeAllConnections();
      }, timeoutMs);
      // Keep-alive connections become idle as their requests end: close them as they do.
      const sweep = setInterval(() => this.server.closeIdleConnections(), 50);
      this.server.close(() => {
        clearTimeout(deadline);
        clearInterval(sweep);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}
