import { resolve } from "node:path";
import { type Env, SettingsError, readInteger, readOptionalString } from "@bookstore/wrk-base";

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
   * The longest the orchestrator waits after its start before it sends the first routing table, so
   * that after a restart the workers are back before gateways see the table. With remembered
   * workers (DATA_DIR) it ends sooner, once each of them was heard from or found down.
   */
  warmupSeconds: number;
  /** Where the registry is kept (DATA_DIR/ork-state.json); undefined: in memory only. */
  dataDir: string | undefined;
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
    dataDir: dataDirOf(env),
  };
}

function dataDirOf(env: Env): string | undefined {
  const dir = readOptionalString(env, "DATA_DIR");
  return dir === undefined ? undefined : resolve(dir);
}
