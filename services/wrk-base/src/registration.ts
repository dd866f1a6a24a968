import type * as grpc from "@grpc/grpc-js";
import { callUnary } from "./client.js";
import { channelCredentials } from "./tls/credentials.js";
import type { TlsSettings } from "./tls/settings.js";
import {
  type HeartbeatResponse__Output,
  type RegisterRequest,
  type RegisterResponse__Output,
  type OrchestratorServiceClient,
  loadContracts,
} from "@bookstore/proto";
import type { ServiceModule } from "./host.js";
import type { Logger } from "./logger.js";

export interface RegistrationOptions {
  orkAddress: string;
  /** The worker's TLS settings: its certificate is its identity to the orchestrator. */
  tls: TlsSettings;
  self: Required<RegisterRequest>;
  log: Logger;
  /** Called once when the orchestrator asks this worker to stop (drain). */
  onDrain: () => void;
  callTimeoutMs?: number;
  maxBackoffMs?: number;
}

export type RegistrationState = "unregistered" | "registered" | "stopped";

/** Exponential backoff from 250 ms up to `max`, with jitter so that workers do not retry in step. */
export function backoffMs(failures: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, 250 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Keeps this worker registered with the orchestrator: registers, heartbeats within the lease,
 * registers again when the orchestrator forgot it or restarted (another incarnation), and retries
 * while it is away with a backoff no longer than a heartbeat interval once it knows the interval.
 * Runs on timers only, so it never blocks the worker from serving.
 */
export class Registration {
  private readonly client: OrchestratorServiceClient;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private heartbeatMs = 5_000;
  /** The orchestrator's incarnation at the last registration; undefined before the first. */
  private incarnation: number | undefined;
  private failures = 0;
  state: RegistrationState = "unregistered";

  constructor(private readonly options: RegistrationOptions) {
    this.client = new (loadContracts().ork.OrchestratorService)(options.orkAddress, channelCredentials(options.tls), {
      // A call on a channel that is waiting out its reconnect backoff fails at once without trying:
      // keep that wait short, so a returning orchestrator is reached at the next attempt.
      "grpc.initial_reconnect_backoff_ms": 250,
      "grpc.max_reconnect_backoff_ms": 500,
    });
    this.timeoutMs = options.callTimeoutMs ?? 2_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
  }

  private isStopped(): boolean {
    return this.state === "stopped";
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.state === "stopped") return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const { log, self } = this.options;
    try {
      if (this.state === "unregistered") {
        const answer = await callUnary<RegisterResponse__Output>((m, o, cb) => this.client.register(self, m, o, cb), { timeoutMs: this.timeoutMs });
        if (this.isStopped()) return;
        this.state = "registered";
        this.heartbeatMs = Math.max(200, answer.heartbeatIntervalSeconds * 1000);
        this.incarnation = answer.incarnation;
        log.info({ ork: this.options.orkAddress, leaseSeconds: answer.leaseSeconds, incarnation: answer.incarnation }, "registered with the orchestrator");
      } else {
        const answer = await callUnary<HeartbeatResponse__Output>((m, o, cb) => this.client.heartbeat({ id: self.id }, m, o, cb), { timeoutMs: this.timeoutMs });
        if (this.isStopped()) return;
        if (answer.action === "HEARTBEAT_ACTION_REGISTER_AGAIN") {
          log.info("the orchestrator does not know this worker: registering again");
          this.state = "unregistered";
          this.failures = 0;
          this.schedule(0);
          return;
        }
        if (answer.action !== "HEARTBEAT_ACTION_DRAIN" && answer.incarnation !== this.incarnation) {
          // It remembered this worker, but what it remembered may be old: tell it afresh, now.
          log.info({ from: this.incarnation, to: answer.incarnation }, "the orchestrator restarted: registering again");
          this.state = "unregistered";
          this.failures = 0;
          this.schedule(0);
          return;
        }
        if (answer.action === "HEARTBEAT_ACTION_DRAIN") {
          log.info("the orchestrator drains this worker: stopping");
          this.options.onDrain();
          return;
        }
      }
      this.failures = 0;
      this.schedule(this.heartbeatMs);
    } catch (error) {
      if (this.isStopped()) return;
      this.failures++;
      // Never wait longer than a heartbeat interval between attempts, however long the
      // orchestrator was away: it must see this worker again within one interval of its return.
      const ceiling = this.state === "registered" || this.incarnation !== undefined ? Math.min(this.maxBackoffMs, this.heartbeatMs) : this.maxBackoffMs;
      const delay = backoffMs(this.failures, ceiling);
      const message = (error as grpc.ServiceError).details ?? String(error);
      // One warning when the orchestrator goes away, then quiet retries.
      log[this.failures === 1 ? "warn" : "debug"]({ ork: this.options.orkAddress, retryInMs: delay, error: message }, "orchestrator unreachable");
      this.schedule(delay);
    }
  }

  /**
   * Stops heartbeating and leaves the orchestrator (best effort, within the call deadline).
   * Resolves true when the orchestrator confirmed the leave.
   */
  async stop(): Promise<boolean> {
    const wasRegistered = this.state === "registered";
    this.state = "stopped";
    clearTimeout(this.timer);
    let left = false;
    if (wasRegistered) {
      try {
        await callUnary((m, o, cb) => this.client.deregister({ id: this.options.self.id }, m, o, cb), { timeoutMs: this.timeoutMs });
        this.options.log.info("left the orchestrator");
        left = true;
      } catch (error) {
        this.options.log.warn({ error: (error as grpc.ServiceError).details ?? String(error) }, "could not leave the orchestrator");
      }
    }
    this.client.close();
    return left;
  }
}

/**
 * Registration as a module of a worker's service host: it registers once the host serves (the
 * options are asked for then, when the id and the bound port are known) and leaves the
 * orchestrator at the stop's turn, after readiness went off; a worker that left serves on for
 * SHUTDOWN_DRAIN_MS while the gateways follow the new routing table. Workers add it; the
 * orchestrator does not.
 */
export function registrationModule(options: () => RegistrationOptions): ServiceModule {
  let registration: Registration | undefined;
  return {
    serving() {
      registration = new Registration(options());
      registration.start();
    },
    async leave() {
      return (await registration?.stop()) === true ? "out of the routing table: serving on while gateways follow" : undefined;
    },
  };
}
