import { pino, type Logger } from "pino";
import { type LogDestination, bufferedStdout } from "./log-destination.js";
import type { LogLevel } from "./settings.js";
import { activeTraceFields } from "./tracing.js";

export type { Logger };

/** Keys whose values never reach a log line, on the line itself or one level down (settings, metadata). */
const SECRET_KEYS = ["authorization", "token"] as const;
const CENSOR = "[redacted]";

/**
 * A copy of `value` with its secret keys censored: the same prototype and own properties, each
 * read through (an Error's stack may be computed on first read), so an Error stays one.
 */
function withoutSecrets(value: object): object {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(value)) {
    const enumerable = Object.getOwnPropertyDescriptor(value, key)?.enumerable ?? true;
    Object.defineProperty(copy, key, { value: (value as Record<PropertyKey, unknown>)[key], enumerable, writable: true, configurable: true });
  }
  for (const key of SECRET_KEYS) if (Object.hasOwn(copy, key)) copy[key] = CENSOR;
  return copy;
}

function hasSecret(value: object): boolean {
  return SECRET_KEYS.some((key) => Object.hasOwn(value, key));
}

/**
 * The line's fields with the secrets inside any field's object censored (`metadata.authorization`,
 * `settings.token`); pino's redaction censors them at the top of a line and of a child's bindings.
 * Most lines hold none and go through uncopied: this runs on every line, where pino's wildcard
 * paths cost half as much again as the rest of a request line.
 */
export function censorNestedSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === "object" && value !== null && hasSecret(value)) (copy ??= { ...fields })[key] = withoutSecrets(value);
  }
  return copy ?? fields;
}

/**
 * JSON lines on stdout, one logger per process; `service` names the writer in aggregated logs.
 * `destination`: where the lines go instead (a test's capture).
 */
export function createLogger(service: string, level: LogLevel, destination?: LogDestination): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: censorNestedSecrets },
      // Secrets may travel in settings or metadata; never let them reach a log line.
      redact: { paths: [...SECRET_KEYS], censor: CENSOR },
      // A line written while a request runs names its trace (fields the line sets itself win).
      mixin: activeTraceFields,
    },
    destination ?? (level === "silent" ? undefined : bufferedStdout()),
  );
}
