// The two ends of a test's own HTTP server on loopback (a receiver of OTLP exports, of
// Alertmanager's webhooks): listen on any free port and say where, and close with its
// keep-alive connections, which a client that exports on a timer would otherwise hold open.
import type { Server } from "node:http";

/** Listens on 127.0.0.1 at a free port; resolves with the server's base URL. */
export async function listenOnLoopback(server: Server, what: string): Promise<string> {
  server.requestTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error(`${what} has no address`);
  return `http://127.0.0.1:${address.port}`;
}

/** Stops listening and closes every connection, idle or not. */
export async function closeLoopback(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
