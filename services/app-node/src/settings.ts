import { type Env, type LogLevel, SettingsError, readHostPort, readInteger, readLogLevel, readPort, readShutdownDrainMs, readString, readTlsSettings, type TlsSettings } from "@bookstore/wrk-base";
import { DEFAULT_PORTS } from "./default-ports.js";
import { type TokenTable, parseApiTokens } from "./tokens.js";

export const DEFAULT_HTTP_PORT = DEFAULT_PORTS.httpPort;

export interface GatewaySettings {
  bindHost: string;
  httpPort: number;
  /** Serve /metrics on this port only, instead of on httpPort; undefined: on httpPort. */
  metricsPort: number | undefined;
  orkAddress: string;
  logLevel: LogLevel;
  tokens: TokenTable;
  /** Deadline of every gRPC call made for a request. */
  callTimeoutMs: number;
  /** After SIGTERM: how long it still accepts connections, not ready, before it stops listening. */
  shutdownDrainMs: number;
  /** How long in-flight requests may run on after that. */
  shutdownTimeoutMs: number;
  /** Its TLS to the orchestrator and the racks (TLS_*). */
  tls: TlsSettings;
}

/** Reads the gateway's settings (see docs/services/app-node.md); throws SettingsError on a bad one. */
export function readGatewaySettings(env: Env): GatewaySettings {
  return {
    bindHost: readString(env, "BIND_HOST", "0.0.0.0"),
    httpPort: readPort(env, "HTTP_PORT", DEFAULT_HTTP_PORT),
    metricsPort: readMetricsPort(env),
    orkAddress: readHostPort(env, "ORK_ADDR", "127.0.0.1:50051"),
    logLevel: readLogLevel(env, "LOG_LEVEL", "info"),
    tokens: parseApiTokens(env.API_TOKENS),
    callTimeoutMs: readInteger(env, "CALL_TIMEOUT_MS", 2_000, 50, 60_000),
    shutdownDrainMs: readShutdownDrainMs(env),
    shutdownTimeoutMs: readInteger(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 120_000),
    tls: readTlsSettings(env),
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
