import { type RequestListener, type Server, createServer } from "node:http";
import { Server as NetServer } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./logger.js";

export interface SidePortOptions {
  registry: Registry;
  /** True when the service can serve requests: `/readyz` answers 200 only then. */
  ready: () => boolean;
  log: Logger;
}

/** How long a client may take over a request and its headers, and keep an idle connection. */
export interface HttpTimeouts {
  requestMs: number;
  headersMs: number;
  keepAliveMs: number;
}

/** An HTTP server that no stalled client holds for ever; listened with and closed by the service host. */
export function httpServer(handler: RequestListener, timeouts: HttpTimeouts): Server {
  const server = createServer(handler);
  server.requestTimeout = timeouts.requestMs;
  server.headersTimeout = timeouts.headersMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  return server;
}

/** The HTTP side port of a gRPC service: `/metrics`, `/healthz` (alive) and `/readyz` (can serve). */
export function sidePortServer(options: SidePortOptions): Server {
  // A scrape or probe that stalls must not hold a socket for ever.
  return httpServer(
    (req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      switch (path) {
        case "/healthz":
          res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
          return;
        case "/readyz": {
          const ready = options.ready();
          res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ready\n" : "not ready\n");
          return;
        }
        case "/metrics":
          options.registry.metrics().then(
            (text) => res.writeHead(200, { "content-type": options.registry.contentType }).end(text),
            (error: unknown) => {
              options.log.error({ err: error }, "metrics collection failed");
              res.writeHead(500).end();
            },
          );
          return;
        default:
          res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    },
    { requestMs: 10_000, headersMs: 5_000, keepAliveMs: 5_000 },
  );
}

/** Listens on `host:port`; a failure names the address (`cannot listen for HTTP on host:port: ...`). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => reject(new Error(`cannot listen for HTTP on ${host}:${port}: ${error.message}`));
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
}

/** The port a server listens on (the one chosen when it was asked for port 0); 0 when it does not listen. */
export function boundPort(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * Stops listening and lets the requests in flight finish, at most `timeoutMs`; then their
 * connections are closed. Busy connections close after their answer (a service that is stopping
 * answers with Connection: close). Idle ones are closed from the next sweep on, not at once:
 * http.Server.close would also destroy a connection accepted a moment ago whose request has not
 * been read yet, and its client would see a reset.
 */
export function closeServer(server: Server, options: { timeoutMs: number; log: Logger }): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      options.log.warn({ timeoutMs: options.timeoutMs }, "requests still running at the shutdown deadline: closing their connections");
      server.closeAllConnections();
    }, options.timeoutMs);
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(deadline);
      clearInterval(sweep);
      resolve();
    });
  });
}
