// Waiting on evidence: poll a check until it holds, with one clear error on timeout. Part of the
// kit (compose/local/kit): erasable TypeScript that plain Node 24 runs, used by `npm start`, the
// tests, the benchmark and .ci. Use it instead of writing a `while (Date.now() < deadline)` loop.

export interface WaitOptions {
  /** What is waited for, as the error names it: "wrk-ork SERVING". */
  what: string;
  timeoutMs: number;
  /** Pause between two attempts; 50 ms unless given. */
  intervalMs?: number;
  /**
   * Asked after every attempt that did not hold: an error stops the wait at once and is thrown as it is (the
   * process waited on has exited, say), instead of waiting out the deadline.
   */
  stopOn?: () => Error | undefined;
  /**
   * The error message on timeout, from the last failure (undefined when no attempt threw);
   * `<what>: not within <timeoutMs> ms (last: …)` unless given.
   */
  failure?: (last: string | undefined, timeoutMs: number) => string;
}

/** What a check answers: `undefined` or `false` is "not yet", anything else is the result. */
export type Check<T> = (remainingMs: number) => Promise<T | undefined | false> | T | undefined | false;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls `check` until it answers a value (not `undefined`, not `false`) and returns that value. A
 * check that throws has not held yet; its message is the "last" of the timeout error, so a check
 * says why it failed by throwing (`throw new Error("HTTP 503")`).
 */
export async function waitUntil<T>(check: Check<T>, options: WaitOptions): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + Math.max(options.timeoutMs, 0);
  const interval = options.intervalMs ?? 50;
  let last: string | undefined;
  for (;;) {
    try {
      const value = await check(Math.max(deadline - Date.now(), 1));
      if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    } catch (error) {
      last = reason(error);
    }
    const stopped = options.stopOn?.();
    if (stopped) throw stopped;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(interval, left));
  }
  throw new Error(options.failure ? options.failure(last, options.timeoutMs) : `${options.what}: not within ${options.timeoutMs} ms (last: ${last ?? "never true"})`);
}

/** Calls `attempt` until it resolves and returns its result: a `waitUntil` for work that fails by throwing. */
export async function retryUntil<T>(attempt: (remainingMs: number) => Promise<T>, options: WaitOptions): Promise<T> {
  const box = await waitUntil(async (remainingMs) => ({ value: await attempt(remainingMs) }), options);
  return box.value;
}
