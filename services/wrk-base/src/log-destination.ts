import { pino } from "pino";

/**
 * How much may gather before it is handed on at once. A write per line cost the gateway more CPU
 * than making the line (issue 12 item 6): the lines a busy service logs in one turn of the event
 * loop go out in one write, and no line is held past the end of its turn.
 */
const GATHER_BYTES = 4096;

/** What pino writes to: lines gathered for stdout, handed on by size, at the end of each event-loop turn, and at exit. */
export interface LogDestination {
  write(line: string): void;
  flush(callback?: (error?: Error) => void): void;
}

export function bufferedStdout(): LogDestination {
  // pino's own destination, asynchronous and unbuffered: it writes what it is handed at once (and
  // what comes while a write is out right after it), and pino flushes it synchronously at exit.
  // The gathering is done here, not with its minLength: a flush asked while a write is out is
  // dropped there, and the lines after that write then wait for the next line or the exit.
  const stdout = pino.destination({ dest: 1, sync: false });
  let gathered: string[] = [];
  let size = 0;
  let pending: NodeJS.Immediate | undefined;
  const handOn = (): void => {
    clearImmediate(pending);
    pending = undefined;
    if (gathered.length === 0) return;
    const chunk = gathered.join("");
    gathered = [];
    size = 0;
    stdout.write(chunk);
  };
  // process.exit() ends the loop without another turn: what is gathered goes out synchronously.
  process.once("exit", () => {
    handOn();
    stdout.flushSync();
  });
  return {
    write(line) {
      gathered.push(line);
      size += line.length;
      if (size >= GATHER_BYTES) handOn();
      // Not unref'd: the loop runs the turn's end before it can empty, so nothing waits for the exit.
      else pending ??= setImmediate(handOn);
    },
    flush(callback) {
      handOn();
      stdout.flush(callback);
    },
  };
}
