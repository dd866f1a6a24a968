// Settings come from the environment only, so the same build runs on a laptop, in compose and in
// CI. A bad value must stop the service at start with one line that names the variable.
import { type TlsSettings, readTlsSettings } from "./tls/settings.js";

import { isHostPort } from "./address.js";

export class SettingsError extends Error {
  constructor(readonly variable: string, readonly value: string, expected: string) {
    super(`invalid setting ${variable}=${JSON.stringify(value)}: ${expected}`);
    this.name = "SettingsError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The value of a variable, or undefined when it is unset or blank. */
function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function readString(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

/** A port to listen on: 1 to 65535, or 0 for any free one (tests; the bound one is in the "serving" log line). */
export function readPort(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new SettingsError(name, value, "expected a port number from 1 to 65535 (0 for any free port)");
  }
  return port;
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    throw new SettingsError(name, value, `expected a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A `host:port` address; IPv6 hosts are written in brackets, `[::1]:50051`. */
export function readHostPort(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!isHostPort(value)) {
    throw new SettingsError(name, value, "expected host:port, for example 127.0.0.1:50051");
  }
  return value;
}

export function readLogLevel(env: Env, name: string, fallback: LogLevel): LogLevel {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new SettingsError(name, value, `expected one of ${LOG_LEVELS.join(", ")}`);
  }
  return level as LogLevel;
}

/** Rack ids become part of every thing id and of file names: keep them short and plain. */
export const RACK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function readRackId(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value !== undefined && !RACK_ID_PATTERN.test(value)) {
    throw new SettingsError(name, value, "expected 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit");
  }
  return value;
}

/**
 * SHUTDOWN_DRAIN_MS: after SIGTERM, how long a service still serves while it is out of rotation
 * (a worker out of the routing table, app-node not ready), so that callers stop sending to it
 * before it refuses them. The same setting and default for every service.
 */
export function readShutdownDrainMs(env: Env): number {
  return readInteger(env, "SHUTDOWN_DRAIN_MS", 1_000, 0, 120_000);
}

/** What the service host reads of every service's settings, the gateway's included. */
export interface HostSettings {
  bindHost: string;
  logLevel: LogLevel;
  /** See readShutdownDrainMs. */
  shutdownDrainMs: number;
  /** Service-to-service TLS (TLS_*). */
  tls: TlsSettings;
}

/** BIND_HOST, LOG_LEVEL, SHUTDOWN_DRAIN_MS and TLS_*: the same variables and defaults for every service. */
export function readHostSettings(env: Env): HostSettings {
  return {
    bindHost: readString(env, "BIND_HOST", "0.0.0.0"),
    logLevel: readLogLevel(env, "LOG_LEVEL", "info"),
    shutdownDrainMs: readShutdownDrainMs(env),
    tls: readTlsSettings(env),
  };
}

/** The settings of every gRPC service: the host's, its two ports and the orchestrator's address (see docs/services and the contract). */
export interface BaseSettings extends HostSettings {
  grpcPort: number;
  httpPort: number;
  orkAddress: string;
  advertiseAddress: string;
}

export interface PortDefaults {
  grpcPort: number;
  httpPort: number;
}

export function readBaseSettings(env: Env, defaults: PortDefaults): BaseSettings {
  const host = readHostSettings(env);
  const { bindHost } = host;
  const grpcPort = readPort(env, "GRPC_PORT", defaults.grpcPort);
  const httpPort = readPort(env, "HTTP_PORT", defaults.httpPort);
  // The orchestrator must reach the worker at an address that works from its side: loopback when
  // the worker listens everywhere or on loopback, else the address it is bound to.
  const reachableHost = bindHost === "0.0.0.0" || bindHost === "::" ? "127.0.0.1" : bindHost;
  return {
    ...host,
    grpcPort,
    httpPort,
    orkAddress: readHostPort(env, "ORK_ADDR", "127.0.0.1:50051"),
    // Built from checked parts when unset; with GRPC_PORT=0 it ends in ":0" until the worker has bound its port.
    advertiseAddress:
      readOptionalString(env, "ADVERTISE_ADDR") === undefined
        ? `${reachableHost.includes(":") ? `[${reachableHost}]` : reachableHost}:${grpcPort}`
        : readHostPort(env, "ADVERTISE_ADDR", ""),
  };
}
