import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@bookstore/wrk-base";
import type { WatchRoutingRequest__Output, WatchRoutingResponse } from "@bookstore/proto";
import type { RoutingTable } from "./worker-registry.js";

export type WatchCall = grpc.ServerWritableStream<WatchRoutingRequest__Output, WatchRoutingResponse>;

interface Watcher {
  call: WatchCall;
  type: string;
  /** The routes last sent, to skip tables that did not change for this watcher's type. */
  lastSent: string | undefined;
}

export interface WatchHubOptions {
  /** The current table of one type ("" for all). */
  table: (type: string) => RoutingTable;
  /**
   * The longest watchers wait for their first table (OrkSettings.warmupSeconds); `endWarmup()`
   * ends the wait sooner, on evidence that the table is whole.
   */
  warmupMs: number;
  /** Sent with every table: see RegisterResponse.incarnation. */
  incarnation: number;
  log: Logger;
}

/**
 * The open WatchRouting streams: each gets the current table at once (after the warm-up), then
 * every change of the routes of its type. At shutdown every stream is ended cleanly, because a
 * graceful server stop waits for open streams.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly options: WatchHubOptions;
  private warmupTimer: NodeJS.Timeout | undefined;
  private warmedUp: boolean;
  private closed = false;

  constructor(options: WatchHubOptions) {
    this.options = options;
    this.warmedUp = options.warmupMs <= 0;
    if (!this.warmedUp) {
      // A flag, not a clock comparison: a timer may fire a millisecond before the wall clock agrees.
      this.warmupTimer = setTimeout(() => this.endWarmup("the warm-up time passed"), options.warmupMs);
      this.warmupTimer.unref();
    }
  }

  /** Ends the warm-up (once): every watcher gets the current table. */
  endWarmup(reason: string): void {
    if (this.warmedUp) return;
    this.warmedUp = true;
    clearTimeout(this.warmupTimer);
    this.options.log.info({ watchers: this.watchers.size, reason }, "warm-up over: sending the routing table to watchers");
    this.broadcast();
  }

  get size(): number {
    return this.watchers.size;
  }

  get warmingUp(): boolean {
    return !this.warmedUp;
  }

  add(call: WatchCall, type: string): void {
    if (this.closed) {
      call.emit("error", { code: grpc.status.UNAVAILABLE, details: "the orchestrator is stopping" });
      return;
    }
    const watcher: Watcher = { call, type, lastSent: undefined };
    this.watchers.add(watcher);
    const forget = (): void => void this.watchers.delete(watcher);
    call.on("cancelled", forget);
    call.on("close", forget);
    call.on("error", forget);
    if (!this.warmingUp) this.send(watcher);
  }

  /** Sends the current table to every watcher whose routes changed. */
  broadcast(): void {
    if (this.warmingUp) return;
    for (const watcher of this.watchers) this.send(watcher);
  }

  /** Ends every stream with OK and refuses new ones. */
  closeAll(): void {
    this.closed = true;
    clearTimeout(this.warmupTimer);
    for (const watcher of this.watchers) watcher.call.end();
    this.watchers.clear();
  }

  private send(watcher: Watcher): void {
    const table = this.options.table(watcher.type);
    const key = JSON.stringify(table.routes);
    if (key === watcher.lastSent || watcher.call.cancelled) return;
    watcher.lastSent = key;
    watcher.call.write({ routes: table.routes, revision: table.revision, incarnation: this.options.incarnation });
  }
}
