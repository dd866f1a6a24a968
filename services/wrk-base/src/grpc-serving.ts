import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { Gauge, Registry } from "prom-client";
import type { Logger } from "./logger.js";
import { GrpcMetrics, workerServingGauge } from "./metrics.js";
import { HEALTH_SERVICE } from "@bookstore/proto";
import { ReflectionServer } from "./reflection.js";
import { InFlight, observeCalls } from "./server-interceptor.js";
import { authorizeCalls } from "./tls/authorize.js";
import { certificatesLoaded, serverCredentials } from "./tls/credentials.js";
import type { TlsSettings } from "./tls/settings.js";

/** How often a graceful stop looks at the calls in flight, and how long none must run before idle connections are closed. */
const DRAIN_CHECK_MS = 50;
const IDLE_BEFORE_CLOSE_MS = 250;

/**
 * The gRPC server of a service host: the call observer (metrics, logs, calls in flight) and the
 * authorization in front of every handler, `grpc.health.v1.Health` for every service it serves,
 * server reflection, the bind over TLS, and the drain of a graceful stop.
 */
export class GrpcServing {
  readonly inFlight = new InFlight();
  private readonly health = new HealthImplementation({ "": "NOT_SERVING" });
  private readonly servingGauge: Gauge;
  private readonly names: string[] = [];
  private server: grpc.Server | undefined;
  private boundPort = 0;

  constructor(private readonly options: { registry: Registry; log: Logger; tls: TlsSettings }) {
    this.servingGauge = workerServingGauge(options.registry);
  }

  /** The bound port (the one chosen when asked for port 0); 0 before the bind. */
  get port(): number {
    return this.boundPort;
  }

  /** Makes the server with what `addServices` adds (each returns its services' names), and binds it. */
  async bind(host: string, port: number, addServices: readonly ((server: grpc.Server) => string[])[]): Promise<void> {
    const { registry, log, tls } = this.options;
    const observe = observeCalls(new GrpcMetrics(registry, "server"), this.inFlight, log);
    // The observer first, so that it logs and counts the calls the authorization refuses.
    const server = new grpc.Server({ interceptors: tls.insecure ? [observe] : [observe, authorizeCalls()] });
    for (const add of addServices) this.names.push(...add(server));
    this.health.addToServer(server);
    new ReflectionServer([...this.names, HEALTH_SERVICE]).addToServer(server);
    this.server = server;

    const address = host.includes(":") ? `[${host}]` : host;
    await certificatesLoaded(tls);
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${address}:${port}`, serverCredentials(tls), (error, bound) =>
        error ? reject(new Error(`cannot listen for gRPC on ${address}:${port}: ${error.message}`)) : resolve(bound),
      ),
    );
  }

  setHealth(status: "SERVING" | "NOT_SERVING"): void {
    for (const name of ["", ...this.names]) this.health.setStatus(name, status);
    this.servingGauge.set(status === "SERVING" ? 1 : 0);
  }

  /**
   * Refuses new calls and lets the running ones finish. grpc-js's tryShutdown also waits for every
   * connection to close, and one accepted while it shuts down is never closed (seen under load: the
   * stop then hung until the deadline): so once no call has been in flight for a while, the idle
   * connections left are closed. At the deadline the remaining calls are cut.
   */
  async drain(deadlineMs: number): Promise<void> {
    const { server } = this;
    if (!server) return;
    const { log } = this.options;
    const drained = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
    const deadline = performance.now() + deadlineMs;
    let idleSince: number | undefined;
    for (;;) {
      if (await Promise.race([drained, sleep(DRAIN_CHECK_MS, false)])) return;
      const now = performance.now();
      if (now >= deadline) {
        log.warn({ inFlight: this.inFlight.size }, "drain deadline passed: cutting the remaining calls");
        server.forceShutdown();
        return;
      }
      idleSince = this.inFlight.size === 0 ? (idleSince ?? now) : undefined;
      // Idle for a while, not just now: the last answers have left before their connections close.
      if (idleSince !== undefined && now - idleSince >= IDLE_BEFORE_CLOSE_MS) {
        log.info("no call in flight: closing the connections still open");
        server.forceShutdown();
        return;
      }
    }
  }

  /** Closes at once (a start that failed after the bind). */
  close(): void {
    this.server?.forceShutdown();
  }
}
