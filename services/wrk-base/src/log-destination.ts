import { pino } from "pino";

/**
 * How much may gather before it is written at once. A write per line cost the gateway more CPU
 * than making the line (issue 12 item 6); gathered, the lines a busy service writes in one turn of
 * the event loop go out in one write, and a line is never held past the end of its turn.
 */
const GATHER_BYTES = 4096;

/** What pino writes to: lines gathered for stdout, flushed by size, at the end of each event-loop turn, and at exit. */
export interface LogDestination {
  write(line: string): void;
  flush(callback?: (error?: Error) => void): void;
}

export function bufferedStdout(): LogDestination {
  // pino's own destination: asynchronous, and flushed synchronously when the process exits.
  const stdout = pino.destination({ dest: 1, sync: false, minLength: GATHER_BYTES });
  let pending: NodeJS.Immediate | undefined;
  const flush = (): void => {
    pending = undefined;
    stdout.flush();
  };
  return {
    write(line) {
      stdout.write(line);
      pending ??= setImmediate(flush).unref();
    },
    flush(callback) {
      clearImmediate(pending);
      pending = undefined;
      stdout.flush(callback);
    },
  };
}
