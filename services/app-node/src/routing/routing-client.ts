import * as grpc from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import type { Registry } from "prom-client";
import {
  type GrpcMetrics,
  type Logger,
  RpcError,
  type TlsSettings,
  backoffMs,
  callUnary,
  channelCredentials,
  clientMetricsInterceptor,
  clientMetricsOf,
  hasCode,
  observeClientCall,
} from "@bookstore/wrk-base";
import { type OrchestratorServiceClient, type Route__Output, type WatchRoutingResponse__Output, loadContracts } from "@bookstore/proto";
import { rendezvousRack } from "./create-rule.js";

export interface RoutingClientOptions {
  /** `host:port` of wrk-ork. */
  orkAddress: string;
  /** TLS settings of this process, for the orchestrator and the racks alike. */
  tls: TlsSettings;
  /** Worker type to route to, for example "book". */
  type: string;
  log: Logger;
  /** Where `grpc_client_*` is recorded. */
  registry: Registry;
  /** The deadline of each call made through `call()`, in milliseconds; 5000 by default. */
  callTimeoutMs?: number;
  /** Longest wait between attempts to reach the orchestrator again; 5000 by default. */
  maxBackoffMs?: number;
  /** The watch is renewed after this long, so that even it has a deadline; 5 minutes by default. */
  watchRenewMs?: number;
  /**
   * After the orchestrator restarted (another incarnation), how long a route that was healthy
   * and is missing from its tables is kept while its worker registers again; 30 s by default.
   */
  carryOverMs?: number;
}

/** A generated service client class (`contracts.book.BookService`) or one made by `makeClientConstructor`. */
export type ClientConstructor<C extends grpc.Client> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C;

/** A generated service client class with its definition, as `loadContracts()` gives it (`contracts.book.BookService`). */
export type ServiceClass<D extends grpc.ServiceDefinition> = ClientConstructor<grpc.Client> & { service: D };

/* eslint-disable @typescript-eslint/no-explicit-any -- patterns that match every method, whatever its types */
/** The request a method of a generated service definition takes, and the answer it gives. */
export type RequestOf<M> = M extends MethodDefinition<infer Request, any, any, any> ? Request : never;
export type AnswerOf<M> = M extends MethodDefinition<any, any, any, infer Answer> ? Answer : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface RackCallOptions {
  /** Carried to the rack in `x-request-id`. */
  requestId?: string;
  /** Instead of the client's `callTimeoutMs`. */
  timeoutMs?: number;
}

export interface FanOutResult<T> {
  /** The answer of each rack that answered. */
  results: Map<string, T>;
  /** Racks that are known but did not answer (unhealthy, unreachable, too slow), sorted. */
  missingRacks: string[];
}

/** One rack's connection: a channel reused by every client of every service on that rack. */
interface RackChannel {
  address: string;
  channel: grpc.Channel;
  /** Records `grpc_client_*` with this rack's `rack` label. */
  interceptor: grpc.Interceptor;
  /** Clients with the interceptor, for `client()`'s callers. */
  clients: Map<ClientConstructor<grpc.Client>, grpc.Client>;
  /** Clients without it, for `call()`, which records the same itself (one layer less per call). */
  plainClients: Map<ClientConstructor<grpc.Client>, grpc.Client>;
}

/** Codes that mean the request itself is wrong: every rack would say the same, so it is not a missing rack. */
const CALLER_FAULTS = [
  grpc.status.INVALID_ARGUMENT,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.OUT_OF_RANGE,
  grpc.status.PERMISSION_DENIED,
  grpc.status.UNAUTHENTICATED,
];

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // A channel of its own per rack: a new channel after a rack recovers connects at once instead
  // of inheriting the reconnect backoff of a shared subchannel.
  "grpc.use_local_subchannel_pool": 1,
  "grpc.max_reconnect_backoff_ms": 5_000,
  // Notice a vanished peer on an idle connection (a stopped host sends no reset).
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
};

/**
 * What a gateway needs to send calls straight to the rack that owns the data: the orchestrator's
 * routing table for one worker type, kept up to date by a watch and kept as it was while the
 * orchestrator is away, and one reused channel per rack.
 *
 * - `pickRackForCreate(key)`: with a key, the healthy rack chosen by rendezvous hashing of the key
 *   (the same key keeps going to the same rack while it is healthy); without one, the healthy
 *   racks in turn (round robin, in rack order).
 * - `client(rack, Service)`: fails at once with UNAVAILABLE when the rack is not healthy (or no table
 *   came yet), with NOT_FOUND when the table has no such rack.
 * - `call(rack, Service, "Method", request, { requestId })`: one unary call on that client, with
 *   the deadline (`callTimeoutMs`) and the request id.
 * - `fanOut(call)`: every known rack; unhealthy and failing racks are reported in `missingRacks`.
 */
export class RoutingClient {
  readonly type: string;

  private readonly callTimeoutMs: number;
  private readonly options: RoutingClientOptions;
  private readonly log: Logger;
  private readonly metrics: GrpcMetrics;
  private readonly ork: OrchestratorServiceClient;
  private readonly maxBackoffMs: number;
  private readonly watchRenewMs: number;
  private readonly carryOverMs: number;
  private lastRevision = 0;
  private lastIncarnation: number | undefined;
  /** The routes of the last table received, as the orchestrator sent them. */
  private received: Route__Output[] = [];
  /** Healthy routes of an earlier incarnation not yet in the new one's tables, and until when they are kept. */
  private carried = new Map<string, Route__Output>();
  private carriedUntil = 0;
  private carryTimer: NodeJS.Timeout | undefined;
  private byRack = new Map<string, Route__Output>();
  private readonly channels = new Map<string, RackChannel>();
  private watch: grpc.ClientReadableStream<WatchRoutingResponse__Output> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private roundRobin = 0;
  private state: "new" | "started" | "closed" = "new";

  constructor(options: RoutingClientOptions) {
    if (options.type.trim() === "") throw new Error("RoutingClient needs a worker type");
    this.options = options;
    this.type = options.type;
    this.log = options.log;
    this.callTimeoutMs = options.callTimeoutMs ?? 5_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.watchRenewMs = options.watchRenewMs ?? 300_000;
    this.carryOverMs = options.carryOverMs ?? 30_000;
    this.metrics = clientMetricsOf(options.registry);
    this.ork = new (loadContracts().ork.OrchestratorService)(options.orkAddress, channelCredentials(options.tls), {
      interceptors: [clientMetricsInterceptor(this.metrics)],
      ...CHANNEL_OPTIONS,
    });
  }

  /** Revision of the last table received; 0 before the first. */
  get revision(): number {
    return this.lastRevision;
  }

  /** Incarnation of the orchestrator that sent the last table; undefined before the first. */
  get incarnation(): number | undefined {
    return this.lastIncarnation;
  }

  /** Subscribes to the routing table; while the orchestrator is away, retries with backoff. */
  start(): void {
    if (this.state !== "new") return;
    this.state = "started";
    this.subscribe();
  }

  /** Ends the watch and closes every channel. */
  close(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.retryTimer);
    clearTimeout(this.carryTimer);
    this.watch?.cancel();
    this.watch = undefined;
    for (const rack of [...this.channels.keys()]) this.dropChannel(rack);
    this.ork.close();
  }

  /** The last known routes of this type, healthy or not, in rack order. */
  routes(): Route__Output[] {
    return [...this.byRack.values()];
  }

  /** Racks that can serve now, sorted. */
  healthyRacks(): string[] {
    return this.routes()
      .filter((route) => route.healthy)
      .map((route) => route.rack);
  }

  /** True once a table with at least one healthy rack is known. */
  ready(): boolean {
    return this.healthyRacks().length > 0;
  }

  /**
   * The rack a new item goes to. With a key: rendezvous hashing among the healthy racks. Without:
   * the healthy racks in turn. Throws UNAVAILABLE when no rack is healthy.
   */
  pickRackForCreate(key?: string): string {
    const racks = this.healthyRacks();
    if (racks.length === 0) throw new RpcError(grpc.status.UNAVAILABLE, `no healthy ${this.type} rack`);
    if (key !== undefined && key !== "") return rendezvousRack(key, racks) as string;
    const rack = racks[this.roundRobin % racks.length] as string;
    this.roundRobin = (this.roundRobin + 1) % Number.MAX_SAFE_INTEGER;
    return rack;
  }

  /**
   * The one rack a key belongs to: rendezvous hashing over every known rack, healthy or not, so a
   * key keeps its rack while that rack is down (a create with an idempotency key must not be made
   * again elsewhere while the rack that may hold it cannot be asked). UNAVAILABLE with no table.
   */
  homeRackOf(key: string): string {
    const racks = this.routes().map((route) => route.rack);
    if (racks.length === 0) throw new RpcError(grpc.status.UNAVAILABLE, `no ${this.type} rack is known yet`);
    return rendezvousRack(key, racks) as string;
  }

  /**
   * A client of `ctor`'s service on the rack's one channel, recording `grpc_client_*{rack}`. Throws
   * at once, so callers never wait on it: NOT_FOUND when the table has no such rack, UNAVAILABLE
   * when it is not healthy or no table came yet.
   */
  client<C extends grpc.Client>(rack: string, ctor: ClientConstructor<C>): C {
    return this.clientOn(rack, ctor, true);
  }

  private clientOn<C extends grpc.Client>(rack: string, ctor: ClientConstructor<C>, intercepted: boolean): C {
    if (this.state === "closed") throw new RpcError(grpc.status.UNAVAILABLE, "the routing client is closed");
    const route = this.byRack.get(rack);
    if (!route) {
      // The table names every rack the orchestrator knows, serving or not, until an operator
      // forgets it: a rack missing from a table is none, while without a table nothing is sure.
      if (this.lastRevision > 0) throw new RpcError(grpc.status.NOT_FOUND, `${this.type} rack ${rack} does not exist`);
      throw new RpcError(grpc.status.UNAVAILABLE, `${this.type} rack ${rack} is not known to the orchestrator`);
    }
    if (!route.healthy) throw new RpcError(grpc.status.UNAVAILABLE, `${this.type} rack ${rack} is down`);
    const entry = this.channelOf(route);
    const clients = intercepted ? entry.clients : entry.plainClients;
    let client = clients.get(ctor);
    if (!client) {
      client = new ctor(route.address, channelCredentials(this.options.tls), { channelOverride: entry.channel, interceptors: intercepted ? [entry.interceptor] : [] });
      clients.set(ctor, client);
    }
    return client as C;
  }

  /**
   * One unary call of `method` on the rack, with the deadline and the request id: the answer, or
   * the call's error (UNAVAILABLE at once when the rack cannot serve, as `client()`).
   */
  async call<D extends grpc.ServiceDefinition, M extends keyof D & string>(
    rack: string,
    service: ServiceClass<D>,
    method: M,
    request: RequestOf<D[M]>,
    options: RackCallOptions = {},
  ): Promise<AnswerOf<D[M]>> {
    const client = this.clientOn(rack, service, false);
    const { path, requestSerialize, responseDeserialize } = service.service[method] as D[M];
    return await callUnary<AnswerOf<D[M]>>(
      (metadata, callOptions, callback) => client.makeUnaryRequest(path, requestSerialize, responseDeserialize, request, metadata, callOptions, callback),
      {
        timeoutMs: options.timeoutMs ?? this.callTimeoutMs,
        requestId: options.requestId,
        observe: (metadata) => observeClientCall(this.metrics, path, "unary", metadata, rack),
      },
    );
  }

  /**
   * Calls every healthy rack in parallel. A rack that is known but unhealthy, or whose call fails
   * for a reason of its own (unavailable, deadline, internal), lands in `missingRacks`. An error
   * that is the caller's fault (INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE,
   * PERMISSION_DENIED, UNAUTHENTICATED) is thrown: every rack would give the same answer.
   */
  async fanOut<T>(call: (rack: string) => Promise<T>): Promise<FanOutResult<T>> {
    const routes = this.routes();
    const healthy = routes.filter((route) => route.healthy).map((route) => route.rack);
    const missingRacks = routes.filter((route) => !route.healthy).map((route) => route.rack);
    const settled = await Promise.allSettled(healthy.map((rack) => Promise.resolve().then(() => call(rack))));
    const results = new Map<string, T>();
    let callerFault: unknown;
    settled.forEach((outcome, i) => {
      const rack = healthy[i] as string;
      if (outcome.status === "fulfilled") {
        results.set(rack, outcome.value);
      } else if (hasCode(outcome.reason, ...CALLER_FAULTS)) {
        callerFault ??= outcome.reason;
      } else {
        missingRacks.push(rack);
        this.log.warn({ rack, type: this.type, error: describe(outcome.reason) }, "rack did not answer: reported missing");
      }
    });
    if (callerFault !== undefined) throw callerFault;
    return { results, missingRacks: missingRacks.sort() };
  }

  // ---- the watch ----

  private subscribe(): void {
    if (this.state !== "started") return;
    const call = this.ork.watchRouting({ type: this.type }, { deadline: Date.now() + this.watchRenewMs });
    this.watch = call;
    let received = false;
    call.on("data", (message: WatchRoutingResponse__Output) => {
      received = true;
      if (this.failures > 0) this.log.info({ ork: this.options.orkAddress }, "routing watch restored");
      this.failures = 0;
      this.apply(message);
    });
    // Every end of the stream also emits "status", which decides what comes next.
    call.on("error", () => undefined);
    call.on("status", (status: grpc.StatusObject) => {
      if (this.watch !== call) return;
      this.watch = undefined;
      if (this.state !== "started") return;
      if (status.code === grpc.status.DEADLINE_EXCEEDED && received) {
        this.subscribe(); // the planned renewal of a healthy watch
        return;
      }
      this.failures++;
      const delay = backoffMs(this.failures, this.maxBackoffMs);
      // One warning when the orchestrator goes away; the last table stays in use meanwhile.
      this.log[this.failures === 1 ? "warn" : "debug"](
        { ork: this.options.orkAddress, code: grpc.status[status.code], details: status.details, retryInMs: delay, revision: this.revision },
        "routing watch ended: keeping the last table",
      );
      this.retryTimer = setTimeout(() => this.subscribe(), delay);
      this.retryTimer.unref();
    });
  }

  /**
   * Takes a new table. A table of a new incarnation of the orchestrator may not have every rack
   * yet (it lost its state, or its warm-up ended before a worker came back): the routes that were
   * healthy and that it lacks are carried over, as they were, until its tables have them or for
   * `carryOverMs`. So a restart never takes away a route that was serving.
   */
  private apply(message: WatchRoutingResponse__Output): void {
    this.received = message.routes.filter((route) => route.type === this.type && route.rack !== "");
    if (this.lastIncarnation !== undefined && message.incarnation !== this.lastIncarnation) {
      this.carried = new Map([...this.byRack].filter(([, route]) => route.healthy));
      this.carriedUntil = Date.now() + this.carryOverMs;
      clearTimeout(this.carryTimer);
      this.carryTimer = setTimeout(() => this.update(), this.carryOverMs);
      this.carryTimer.unref();
      this.log.info({ from: this.lastIncarnation, to: message.incarnation, carried: [...this.carried.keys()] }, "the orchestrator restarted: keeping the healthy routes until its table has them");
    }
    this.lastIncarnation = message.incarnation;
    this.lastRevision = message.revision;
    this.update();
  }

  /** The routes in use: the last table, and what is still carried over; then the channels follow. */
  private update(): void {
    const received = new Map(this.received.map((route) => [route.rack, route]));
    for (const rack of [...this.carried.keys()]) if (received.has(rack) || Date.now() >= this.carriedUntil) this.carried.delete(rack);
    const routes = [...received.values(), ...this.carried.values()].sort((a, b) => (a.rack < b.rack ? -1 : a.rack > b.rack ? 1 : 0));
    const previous = this.byRack;
    this.byRack = new Map(routes.map((route) => [route.rack, route]));
    for (const [rack, entry] of this.channels) {
      const route = this.byRack.get(rack);
      const recovered = route?.healthy === true && previous.get(rack)?.healthy === false;
      // A channel stays while its rack is down, so calls still running on it can finish; a rack
      // that comes back gets a fresh channel, which connects without waiting out a backoff.
      if (!route || route.address !== entry.address || recovered) this.dropChannel(rack);
    }
    this.log.debug({ revision: this.lastRevision, healthy: this.healthyRacks(), racks: routes.length, carried: this.carried.size }, "routing table");
  }

  private channelOf(route: Route__Output): RackChannel {
    let entry = this.channels.get(route.rack);
    if (!entry) {
      entry = {
        address: route.address,
        channel: new grpc.Channel(route.address, channelCredentials(this.options.tls), CHANNEL_OPTIONS),
        interceptor: clientMetricsInterceptor(this.metrics, route.rack),
        clients: new Map(),
        plainClients: new Map(),
      };
      this.channels.set(route.rack, entry);
    }
    return entry;
  }

  private dropChannel(rack: string): void {
    // Closing a client would close the shared channel: close the channel itself, once.
    this.channels.get(rack)?.channel.close();
    this.channels.delete(rack);
  }
}

function describe(error: unknown): string {
  return (error as grpc.ServiceError | undefined)?.details ?? String(error);
}
