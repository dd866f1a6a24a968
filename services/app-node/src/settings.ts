import { type Env, type HostSettings, SettingsError, readHostPort, readHostSettings, readInteger, readPort } from "@bookstore/wrk-base";
import { DEFAULT_PORTS } from "./default-ports.js";
import { type TokenTable, parseApiTokens } from "./tokens.js";

export const DEFAULT_HTTP_PORT = DEFAULT_PORTS.httpPort;

/** The host's settings (BIND_HOST, LOG_LEVEL, SHUTDOWN_DRAIN_MS, TLS_*) and the gateway's own. */
export interface GatewaySettings extends HostSettings {
  httpPort: number;
  /** Serve /metrics on this port only, instead of on httpPort; undefined: on httpPort. */
  metricsPort: number | undefined;
  orkAddress: string;
  tokens: TokenTable;
  /** Deadline of every gRPC call made for a request. */
  callTimeoutMs: number;
  /** How long in-flight requests may run on after SHUTDOWN_DRAIN_MS (the host's drain deadline). */
  shutdownTimeoutMs: number;
}

/** Reads the gateway's settings (see docs/services/app-node.md); throws SettingsError on a bad one. */
export function readGatewaySettings(env: Env): GatewaySettings {
  return {
    ...readHostSettings(env),
    httpPort: readPort(env, "HTTP_PORT", DEFAULT_HTTP_PORT),
    metricsPort: readMetricsPort(env),
    orkAddress: readHostPort(env, "ORK_ADDR", "127.0.0.1:50051"),
    tokens: parseApiTokens(env.API_TOKENS),
    callTimeoutMs: readInteger(env, "CALL_TIMEOUT_MS", 2_000, 50, 60_000),
    shutdownTimeoutMs: readInteger(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 120_000),
  };
}

/** METRICS_PORT: unset or empty keeps /metrics on HTTP_PORT; it may not be HTTP_PORT itself. */
function readMetricsPort(env: Env): number | undefined {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT.trim() === "") return undefined;
  const port = readPort(env, "METRICS_PORT", 0);
  const httpPort = readPort(env, "HTTP_PORT", DEFAULT_HTTP_PORT);
  if (port !== 0 && port === httpPort) throw new SettingsError("METRICS_PORT", String(port), "must differ from HTTP_PORT (leave it unset to serve /metrics there)");
  return port;
}
