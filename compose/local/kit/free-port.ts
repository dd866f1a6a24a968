// Free TCP ports on 127.0.0.1: a block of consecutive ones. Part of the kit
// (compose/local/kit): erasable TypeScript that plain Node 24 runs, used by `npm start`, the
// tests, the benchmark and .ci.
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it, so parallel runs do not collide). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port assigned");
  return address.port;
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The first port of `count` consecutive ports that are all free on 127.0.0.1 now, picked at random
 * from 20000 up to Linux's ephemeral range (32768 on): runs side by side rarely collide, and no
 * outgoing connection can take a port of the block between this check and the listen.
 */
export async function freePortBlock(count: number, attempts = 50): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (32_768 - 20_000 - count));
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await portIsFree(port);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}
