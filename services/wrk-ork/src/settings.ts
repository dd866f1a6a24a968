import { type Env, SettingsError, readInteger } from "@bookstore/wrk-base";

/** The orchestrator's timings (docs/services/wrk-ork.md); short values make tests fast. */
export interface OrkSettings {
  /** How long a registration or heartbeat keeps a worker UP without another heartbeat. */
  leaseSeconds: number;
  /** How often workers are told to heartbeat; shorter than the lease. */
  heartbeatSeconds: number;
  /** How often each worker's `grpc.health.v1.Health/Check` is called. */
  healthCheckIntervalMs: number;
  /** Deadline of one health check. */
  healthCheckTimeoutMs: number;
  /** Consecutive failed health checks that mark a worker DOWN. */
  healthFailures: number;
  /**
   * How long after its start the orchestrator waits before it sends the first routing table, so
   * that after a restart the workers have registered again before gateways see the table.
   */
  warmupSeconds: number;
}

export function readOrkSettings(env: Env): OrkSettings {
  const leaseSeconds = readInteger(env, "ORK_LEASE_SECONDS", 10, 2, 3600);
  const heartbeatSeconds = readInteger(env, "ORK_HEARTBEAT_SECONDS", 3, 1, 3600);
  if (heartbeatSeconds >= leaseSeconds) {
    throw new SettingsError("ORK_HEARTBEAT_SECONDS", String(heartbeatSeconds), `expected less than ORK_LEASE_SECONDS (${leaseSeconds})`);
  }
  const healthCheckIntervalMs = readInteger(env, "ORK_HEALTH_CHECK_INTERVAL_MS", 2000, 100, 600_000);
  const healthCheckTimeoutMs = readInteger(env, "ORK_HEALTH_CHECK_TIMEOUT_MS", 1000, 50, 60_000);
  return {
    leaseSeconds,
    heartbeatSeconds,
    healthCheckIntervalMs,
    healthCheckTimeoutMs,
    healthFailures: readInteger(env, "ORK_HEALTH_FAILURES", 2, 1, 100),
    warmupSeconds: readInteger(env, "ORK_WARMUP_SECONDS", leaseSeconds, 0, 3600),
  };
}
