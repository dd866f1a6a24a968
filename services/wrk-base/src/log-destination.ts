import { pino } from "pino";

/**
 * How long a log line may wait before it is written, and how much may gather first. A write per
 * line cost the gateway more CPU than making the line (issue 12 item 6); gathered, a busy service
 * writes once per many lines, and an idle one's line is out within FLUSH_AFTER_MS.
 */
const FLUSH_AFTER_MS = 100;
const GATHER_BYTES = 4096;

/** What pino writes to: lines gathered for stdout, flushed by size, by time, and at exit. */
export interface LogDestination {
  write(line: string): void;
  flush(callback?: (error?: Error) => void): void;
}

export function bufferedStdout(): LogDestination {
  // pino's own destination: asynchronous, and flushed synchronously when the process exits.
  const stdout = pino.destination({ dest: 1, sync: false, minLength: GATHER_BYTES });
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    stdout.flush();
  };
  return {
    write(line) {
      stdout.write(line);
      timer ??= setTimeout(flush, FLUSH_AFTER_MS).unref();
    },
    flush(callback) {
      clearTimeout(timer);
      timer = undefined;
      stdout.flush(callback);
    },
  };
}
