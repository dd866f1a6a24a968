import * as grpc from "@grpc/grpc-js";
import { type GrpcMetrics, type Logger, callUnary, clientMetricsInterceptor, codeName, channelCredentials, type TlsSettings } from "@bookstore/wrk-base";
import { service as healthService } from "grpc-health-check";
import type { WorkerRegistry } from "./worker-registry.js";

export interface HealthCheckerOptions {
  registry: WorkerRegistry;
  intervalMs: number;
  timeoutMs: number;
  log: Logger;
  /** Where the checks are recorded as `grpc_client_*`. */
  metrics: GrpcMetrics;
  /** The orchestrator's TLS settings: the checks connect as it. */
  tls: TlsSettings;
}

interface Probe {
  address: string;
  client: grpc.Client;
}

const CHECK = healthService.Check as grpc.MethodDefinition<{ service: string }, { status: string }>;

/**
 * Calls `grpc.health.v1.Health/Check` on every worker (but those being drained) at a fixed
 * interval, each call with a deadline, at most one at a time per worker, and reports the outcome
 * to the registry. It only observes: the registry decides what a failure means.
 */
export class HealthChecker {
  private readonly options: HealthCheckerOptions;
  private readonly probes = new Map<string, Probe>();
  private readonly checking = new Set<string>();
  private readonly interceptor: grpc.Interceptor;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: HealthCheckerOptions) {
    this.options = options;
    this.interceptor = clientMetricsInterceptor(options.metrics);
  }

  start(): void {
    this.timer ??= setInterval(() => this.round(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One round: a check of every current target, and the end of probes of workers gone or moved. */
  round(): void {
    const targets = this.options.registry.checkTargets();
    const current = new Map(targets.map((target) => [target.id, target.address]));
    for (const [id, probe] of this.probes) {
      if (current.get(id) !== probe.address) this.drop(id);
    }
    for (const target of targets) {
      if (this.checking.has(target.id)) continue;
      this.checking.add(target.id);
      void this.check(target.id, target.address).finally(() => this.checking.delete(target.id));
    }
  }

  /** Checks one worker and records the result; resolves with the problem, if any. */
  async check(id: string, address: string): Promise<string | undefined> {
    const client = this.probeOf(id, address).client;
    let problem: string | undefined;
    try {
      const answer = await callUnary<{ status: string }>(
        (metadata, options, callback) =>
          client.makeUnaryRequest(CHECK.path, CHECK.requestSerialize, CHECK.responseDeserialize, { service: "" }, metadata, options, callback),
        { timeoutMs: this.options.timeoutMs },
      );
      if (answer.status !== "SERVING") problem = `status ${answer.status}`;
    } catch (error) {
      const { code, details } = error as grpc.ServiceError;
      // grpc-js ends connection errors with an empty "Resolution note:"; it says nothing.
      problem = `${codeName(code)}: ${(details ?? String(error)).replace(/\s*Resolution note:\s*$/, "")}`;
    }
    this.options.registry.recordHealth(id, address, problem);
    return problem;
  }

  /** Stops checking and closes every connection. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const id of [...this.probes.keys()]) this.drop(id);
  }

  private probeOf(id: string, address: string): Probe {
    let probe = this.probes.get(id);
    if (probe && probe.address !== address) {
      this.drop(id);
      probe = undefined;
    }
    if (!probe) {
      const { intervalMs } = this.options;
      probe = {
        address,
        client: new grpc.Client(address, channelCredentials(this.options.tls), {
          interceptors: [this.interceptor],
          // A worker that comes back is seen by the next checks, not after a long reconnect backoff.
          "grpc.use_local_subchannel_pool": 1,
          "grpc.initial_reconnect_backoff_ms": Math.min(1000, intervalMs),
          "grpc.max_reconnect_backoff_ms": Math.max(1000, intervalMs),
        }),
      };
      this.probes.set(id, probe);
    }
    return probe;
  }

  private drop(id: string): void {
    this.probes.get(id)?.client.close();
    this.probes.delete(id);
  }
}
