import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "./logger.js";

export interface SidePortOptions {
  host: string;
  port: number;
  registry: Registry;
  /** True when the service can serve requests: `/readyz` answers 200 only then. */
  ready: () => boolean;
  log: Logger;
}

/** The HTTP side port of a worker: `/metrics`, `/healthz` (alive) and `/readyz` (can serve). */
export async function startSidePort(options: SidePortOptions): Promise<Server> {
  const server = createServer((req, res) => {
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
  });
  // A scrape or probe that stalls must not hold a socket for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

/** The port a server listens on (the one chosen when it was asked for port 0); 0 when it does not listen. */
export function boundPort(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
