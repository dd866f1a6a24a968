import { expect } from "chai";
import { retryUntil, waitUntil } from "../wait-until.ts";

describe("kit: waitUntil", () => {
  it("returns the check's first value that is neither undefined nor false", async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls < 3 ? false : `after ${calls}`), { what: "three calls", timeoutMs: 2_000, intervalMs: 1 });
    expect(value).to.equal("after 3");
  });

  it("fails once at the deadline, naming what it waited for and the last failure", async () => {
    const failure = await waitUntil(
      () => {
        throw new Error("HTTP 503");
      },
      { what: "the API ready", timeoutMs: 60, intervalMs: 5 },
    ).catch((error: unknown) => error as Error);
    expect((failure as Error).message).to.equal("the API ready: not within 60 ms (last: HTTP 503)");
  });

  it("takes the caller's message and stops at once on stopOn", async () => {
    const worded = await waitUntil(() => false, { what: "x", timeoutMs: 20, intervalMs: 5, failure: (last, ms) => `no x in ${ms} ms (${last ?? "no error"})` }).catch((error: unknown) => error as Error);
    expect((worded as Error).message).to.equal("no x in 20 ms (no error)");
    const started = Date.now();
    const stopped = await waitUntil(() => false, { what: "y", timeoutMs: 5_000, stopOn: () => new Error("the child exited") }).catch((error: unknown) => error as Error);
    expect((stopped as Error).message).to.equal("the child exited");
    expect(Date.now() - started).to.be.below(1_000);
  });

  it("retryUntil returns what the attempt resolves, retrying while it throws", async () => {
    let calls = 0;
    const value = await retryUntil(
      async () => {
        if (++calls < 2) throw new Error("not yet");
        return 0;
      },
      { what: "zero", timeoutMs: 1_000, intervalMs: 1 },
    );
    expect(value).to.equal(0);
  });
});
