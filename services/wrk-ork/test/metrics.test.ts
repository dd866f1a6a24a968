import { expect } from "chai";
import { Registry } from "prom-client";
import { orkMetrics } from "../src/metrics.js";
import { WorkerRegistry } from "../src/worker-registry.js";
import { metricValue } from "../../../compose/local/kit/testing/process.js";

describe("wrk-ork metrics", () => {
  it("counts workers by type and state at scrape time, one up-series per known worker", async () => {
    let now = 0;
    const prom = new Registry();
    const metrics: { current?: ReturnType<typeof orkMetrics> } = {};
    const workers = new WorkerRegistry({
      leaseMs: 1_000,
      healthFailures: 1,
      now: () => now,
      events: {
        registered: (w) => metrics.current?.registered(w.type),
        leaseExpired: (w) => metrics.current?.leaseExpired(w.type),
      },
    });
    metrics.current = orkMetrics(prom, workers);

    workers.register({ id: "b1", type: "book", rack: "r1", address: "h:1", version: "" });
    workers.register({ id: "b2", type: "book", rack: "r2", address: "h:2", version: "" });
    workers.register({ id: "b3", type: "book", rack: "r3", address: "h:3", version: "" });
    workers.register({ id: "t1", type: "thing", rack: "r1", address: "h:4", version: "" });
    workers.drain("b3");
    now = 600;
    workers.heartbeat("b1");
    workers.heartbeat("t1");
    now = 1_200;
    workers.expireLeases(); // b2 lapses; b3 (drained) lapses and stops: its rack stays known, DOWN

    let text = await prom.metrics();
    expect(metricValue(text, "ork_workers", { type: "book", state: "up" })).to.equal(1);
    expect(metricValue(text, "ork_workers", { type: "book", state: "down" })).to.equal(2);
    expect(metricValue(text, "ork_workers", { type: "book", state: "draining" })).to.equal(0);
    expect(metricValue(text, "ork_workers", { type: "thing", state: "up" })).to.equal(1);
    expect(metricValue(text, "ork_worker_up", { worker_id: "b1", type: "book", rack: "r1" })).to.equal(1);
    expect(metricValue(text, "ork_worker_up", { worker_id: "b2", type: "book", rack: "r2" })).to.equal(0);
    expect(metricValue(text, "ork_worker_up", { worker_id: "b3", type: "book", rack: "r3" }), "a stopped rack stays, down").to.equal(0);
    expect(metricValue(text, "ork_registrations_total", { type: "book" })).to.equal(3);
    expect(metricValue(text, "ork_lease_expiries_total", { type: "book" })).to.equal(2);
    expect(metricValue(text, "ork_lease_expiries_total", { type: "thing" }), "at 0 from the first registration").to.equal(0);

    workers.forget("b2");
    workers.forget("b3");
    workers.deregister("t1");
    text = await prom.metrics();
    expect(metricValue(text, "ork_worker_up", { worker_id: "b2" }), "forgotten worker, removed series").to.equal(undefined);
    expect(metricValue(text, "ork_worker_up", { worker_id: "b3" }), "forgotten worker, removed series").to.equal(undefined);
    expect(metricValue(text, "ork_worker_up", { worker_id: "t1", type: "thing", rack: "r1" }), "stopped cleanly, its rack stays").to.equal(0);
    expect(metricValue(text, "ork_workers", { type: "thing", state: "up" }), "a type once seen stays, at 0").to.equal(0);
    expect(metricValue(text, "ork_workers", { type: "thing", state: "down" })).to.equal(1);
  });
});
