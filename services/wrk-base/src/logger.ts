import { pino, type Logger } from "pino";
import type { LogLevel } from "./settings.js";
import { activeTraceFields } from "./tracing.js";

export type { Logger };

/** JSON lines on stdout, one logger per process; `service` names the writer in aggregated logs. */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A line written while a request runs names its trace (fields the line sets itself win).
    mixin: activeTraceFields,
    // Secrets may travel in settings or metadata; never let them reach a log line.
    redact: { paths: ["authorization", "*.authorization", "token", "*.token"], censor: "[redacted]" },
  });
}
