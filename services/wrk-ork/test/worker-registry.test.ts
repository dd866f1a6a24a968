import { expect } from "chai";
import { type RegistryEvents, type RoutingTable, WorkerRegistry, type WorkerState } from "../src/worker-registry.js";
import type { WorkerDescription } from "../src/validation.js";

/** A registry on a clock the test moves by hand, and the events it emitted. */
function setup(options: { leaseMs?: number; healthFailures?: number } = {}) {
  let now = 1_000_000;
  const log: string[] = [];
  const tables: RoutingTable[] = [];
  const events: RegistryEvents = {
    registered: (w) => log.push(`registered ${w.id}`),
    leaseExpired: (w) => log.push(`lease expired ${w.id}`),
    stateChanged: (w, from: WorkerState) => log.push(`${w.id} ${from} -> ${w.state}`),
    removed: (w, why) => log.push(`removed ${w.id}: ${why}`),
    routesChanged: (table) => tables.push(table),
  };
  const registry = new WorkerRegistry({ leaseMs: options.leaseMs ?? 10_000, healthFailures: options.healthFailures ?? 2, now: () => now, events });
  return {
    registry,
    log,
    tables,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

const book = (id: string, rack: string, address: string): WorkerDescription => ({ id, type: "book", rack, address, version: "1.0.0" });

describe("wrk-ork registry", () => {
  it("registers a worker UP with its lease, lists it and routes its rack", () => {
    const { registry, log, tables, now } = setup();
    const worker = registry.register(book("b1", "r1", "10.0.0.1:50052"));
    expect(worker).to.include({ id: "b1", type: "book", rack: "r1", state: "up", reason: "", lastSeenMs: now() });
    expect(log).to.deep.equal(["registered b1"]);
    expect(registry.list()).to.have.length(1);
    expect(registry.table("book")).to.deep.equal({
      revision: 2,
      routes: [{ type: "book", rack: "r1", address: "10.0.0.1:50052", healthy: true, workerId: "b1" }],
    });
    expect(tables.map((t) => t.revision)).to.deep.equal([2]);
  });

  it("starts at revision 1 with an empty table", () => {
    const { registry } = setup();
    expect(registry.table()).to.deep.equal({ revision: 1, routes: [] });
  });

  it("lists by type, rack and id, and filters by type", () => {
    const { registry } = setup();
    registry.register(book("b2", "r2", "h:2"));
    registry.register({ id: "t1", type: "thing", rack: "r0", address: "h:9", version: "" });
    registry.register(book("b1", "r1", "h:1"));
    registry.register(book("a9", "r1", "h:3"));
    expect(registry.list().map((w) => w.id)).to.deep.equal(["a9", "b1", "b2", "t1"]);
    expect(registry.list("thing").map((w) => w.id)).to.deep.equal(["t1"]);
    expect(registry.list("nothing")).to.deep.equal([]);
    expect(registry.table("thing").routes.map((r) => r.workerId)).to.deep.equal(["t1"]);
  });

  it("answers a heartbeat from an unknown worker with REGISTER_AGAIN (the state after a restart)", () => {
    const { registry } = setup();
    expect(registry.heartbeat("never-seen")).to.equal("REGISTER_AGAIN");
    registry.register(book("b1", "r1", "h:1"));
    expect(registry.heartbeat("b1")).to.equal("CONTINUE");
  });

  it("marks a worker DOWN when its lease lapses, and UP again at its next heartbeat", () => {
    const { registry, log, advance, tables } = setup({ leaseMs: 10_000 });
    registry.register(book("b1", "r1", "h:1"));
    advance(10_000);
    registry.expireLeases();
    expect(registry.get("b1")?.state, "at the end of the lease").to.equal("up");
    advance(1);
    registry.expireLeases();
    expect(registry.get("b1")).to.include({ state: "down", reason: "no heartbeat within the 10 s lease" });
    expect(registry.table().routes[0]?.healthy).to.equal(false);
    registry.expireLeases();
    expect(log.filter((line) => line.startsWith("lease expired")), "counted once").to.deep.equal(["lease expired b1"]);

    expect(registry.heartbeat("b1")).to.equal("CONTINUE");
    expect(registry.get("b1")).to.include({ state: "up", reason: "" });
    expect(registry.table().routes[0]?.healthy).to.equal(true);
    expect(log).to.include.members(["b1 up -> down", "b1 down -> up"]);
    expect(tables.map((t) => t.revision)).to.deep.equal([2, 3, 4]);
  });

  it("keeps a worker UP while heartbeats renew its lease", () => {
    const { registry, advance } = setup({ leaseMs: 3_000 });
    registry.register(book("b1", "r1", "h:1"));
    for (let i = 0; i < 10; i++) {
      advance(2_000);
      registry.expireLeases();
      registry.heartbeat("b1");
    }
    expect(registry.get("b1")?.state).to.equal("up");
  });

  it("does not make a new revision for a heartbeat that changes nothing in the routes", () => {
    const { registry, advance } = setup();
    registry.register(book("b1", "r1", "h:1"));
    const before = registry.table().revision;
    advance(1_000);
    registry.heartbeat("b1");
    expect(registry.table().revision).to.equal(before);
    expect(registry.get("b1")?.lastSeenMs).to.equal(1_001_000);
  });

  it("marks a worker DOWN after the set number of failed health checks in a row, UP at the first pass", () => {
    const { registry } = setup({ healthFailures: 2 });
    registry.register(book("b1", "r1", "h:1"));
    registry.recordHealth("b1", "h:1", "UNAVAILABLE: connection refused");
    expect(registry.get("b1")?.state, "one failure is tolerated").to.equal("up");
    registry.recordHealth("b1", "h:1", undefined);
    registry.recordHealth("b1", "h:1", "DEADLINE_EXCEEDED: too slow");
    expect(registry.get("b1")?.state, "the count restarts after a pass").to.equal("up");
    registry.recordHealth("b1", "h:1", "status NOT_SERVING");
    expect(registry.get("b1")).to.include({ state: "down", reason: "health check failed: status NOT_SERVING" });
    registry.recordHealth("b1", "h:1", undefined);
    expect(registry.get("b1")).to.include({ state: "up", reason: "" });
  });

  it("stays DOWN while either the lease or the health check fails, and names both", () => {
    const { registry, advance } = setup({ leaseMs: 1_000, healthFailures: 1 });
    registry.register(book("b1", "r1", "h:1"));
    registry.recordHealth("b1", "h:1", "UNAVAILABLE: gone");
    advance(1_001);
    registry.expireLeases();
    expect(registry.get("b1")?.reason).to.equal("no heartbeat within the 1 s lease; health check failed: UNAVAILABLE: gone");
    registry.heartbeat("b1");
    expect(registry.get("b1")?.state, "the heartbeat alone does not heal a failing check").to.equal("down");
    registry.recordHealth("b1", "h:1", undefined);
    expect(registry.get("b1")?.state).to.equal("up");
  });

  it("ignores a health result for an address the worker no longer has, and for unknown workers", () => {
    const { registry } = setup({ healthFailures: 1 });
    registry.register(book("b1", "r1", "h:1"));
    registry.register(book("b1", "r1", "h:2"));
    registry.recordHealth("b1", "h:1", "UNAVAILABLE: old address");
    registry.recordHealth("zz", "h:1", "UNAVAILABLE");
    expect(registry.get("b1")).to.include({ state: "up", address: "h:2" });
  });

  it("drains: DRAINING, out of routing, DRAIN at the next heartbeat; then a rack stays DOWN, a rackless worker is removed", () => {
    const { registry, log } = setup();
    registry.register(book("b1", "r1", "h:1"));
    registry.register({ id: "w1", type: "base", rack: "", address: "h:9", version: "" });
    expect(registry.drain("b1")).to.include({ id: "b1", state: "draining" });
    expect(registry.table("book").routes).to.deep.equal([{ type: "book", rack: "r1", address: "h:1", healthy: false, workerId: "b1" }]);
    expect(registry.heartbeat("b1")).to.equal("DRAIN");
    registry.recordHealth("b1", "h:1", undefined);
    expect(registry.get("b1")?.state, "a passing check does not end a drain").to.equal("draining");
    expect(registry.checkTargets(), "drained workers are not probed").to.deep.equal([{ id: "w1", address: "h:9" }]);
    expect(registry.deregister("b1")).to.equal(true);
    expect(registry.get("b1"), "its rack still holds data").to.include({ state: "down", reason: "stopped cleanly (deregistered)" });
    expect(registry.table("book").routes).to.deep.equal([{ type: "book", rack: "r1", address: "h:1", healthy: false, workerId: "b1" }]);
    registry.drain("w1");
    expect(registry.deregister("w1")).to.equal(true);
    expect(registry.list().map((w) => w.id)).to.deep.equal(["b1"]);
    expect(log).to.include("removed w1: stopped cleanly (deregistered)");
  });

  it("keeps a rack whose worker stopped cleanly as DOWN: not probed, no lease to lapse, a heartbeat does not revive it", () => {
    const { registry, log, advance } = setup({ leaseMs: 1_000 });
    registry.register(book("b1", "r1", "h:1"));
    expect(registry.deregister("b1")).to.equal(true);
    expect(registry.deregister("b1"), "leaving twice is fine").to.equal(true);
    expect(log).to.include("b1 up -> down");
    expect(registry.checkTargets()).to.deep.equal([]);
    advance(5_000);
    registry.expireLeases();
    expect(log.filter((line) => line.startsWith("lease expired"))).to.deep.equal([]);
    expect(registry.heartbeat("b1")).to.equal("REGISTER_AGAIN");
    expect(registry.get("b1")).to.include({ state: "down", reason: "stopped cleanly (deregistered)" });
  });

  it("drops a stopped rack's entry when a worker of that rack registers, wherever it listens", () => {
    const { registry, log } = setup();
    registry.register(book("b1", "r1", "h:1"));
    registry.register(book("b2", "r2", "h:2"));
    registry.deregister("b1");
    registry.deregister("b2");
    registry.register(book("b3", "r1", "h:3"));
    expect(registry.list().map((w) => `${w.id}:${w.state}`)).to.deep.equal(["b3:up", "b2:down"]);
    expect(log).to.include("removed b1: replaced by b3: its rack is served again");
    expect(registry.forget("b2")).to.equal(true);
    expect(registry.table().routes.map((r) => r.rack)).to.deep.equal(["r1"]);
  });

  it("keeps a drained rack whose lease lapses as DOWN (it stopped without saying so); removes a rackless one", () => {
    const { registry, log, advance } = setup({ leaseMs: 1_000 });
    registry.register(book("b1", "r1", "h:1"));
    registry.register({ id: "w1", type: "base", rack: "", address: "h:9", version: "" });
    registry.drain("b1");
    registry.drain("w1");
    advance(1_001);
    registry.expireLeases();
    expect(registry.get("b1")).to.include({ state: "down", reason: "drained and silent for a lease" });
    expect(registry.get("w1")).to.equal(undefined);
    expect(log).to.include("removed w1: drained and silent for a lease");
  });

  it("forgets at once whatever the state; forgetting or leaving an unknown worker says false", () => {
    const { registry, tables } = setup();
    registry.register(book("b1", "r1", "h:1"));
    expect(registry.forget("b1")).to.equal(true);
    expect(registry.list()).to.deep.equal([]);
    expect(tables.at(-1)).to.deep.equal({ revision: 3, routes: [] });
    expect(registry.forget("b1")).to.equal(false);
    expect(registry.deregister("b1")).to.equal(false);
    expect(registry.heartbeat("b1")).to.equal("REGISTER_AGAIN");
  });

  it("replaces the entry of a worker that registers again with the same id, fresh and UP", () => {
    const { registry, advance } = setup({ leaseMs: 1_000 });
    registry.register(book("b1", "r1", "h:1"));
    registry.drain("b1");
    advance(500);
    registry.register(book("b1", "r1", "h:1"));
    expect(registry.list()).to.have.length(1);
    expect(registry.get("b1")).to.include({ state: "up", lastSeenMs: 1_000_500 });
  });

  it("gives a rack claimed by two workers to the newest UP one, and keeps the other as a standby", () => {
    const { registry, log } = setup({ healthFailures: 1 });
    registry.register(book("old", "r1", "h:1"));
    registry.register(book("new", "r1", "h:2"));
    expect(registry.list().map((w) => `${w.id}:${w.state}`)).to.deep.equal(["new:up", "old:up"]);
    expect(registry.table().routes).to.deep.equal([{ type: "book", rack: "r1", address: "h:2", healthy: true, workerId: "new" }]);

    registry.recordHealth("new", "h:2", "UNAVAILABLE: gone");
    expect(registry.table().routes, "the standby takes over").to.deep.equal([{ type: "book", rack: "r1", address: "h:1", healthy: true, workerId: "old" }]);

    registry.recordHealth("old", "h:1", "UNAVAILABLE: gone too");
    expect(registry.table().routes, "none UP: the newest, unhealthy").to.deep.equal([{ type: "book", rack: "r1", address: "h:2", healthy: false, workerId: "new" }]);

    registry.recordHealth("new", "h:2", undefined);
    expect(registry.table().routes[0]).to.include({ workerId: "new", healthy: true });
    expect(log.filter((line) => line.startsWith("removed"))).to.deep.equal([]);
  });

  it("replaces an older worker of the same type at the same address (a restart of that process)", () => {
    const { registry, log } = setup();
    registry.register(book("b-old", "r1", "h:1"));
    registry.register({ id: "t-other", type: "thing", rack: "r1", address: "h:1", version: "" });
    registry.register(book("b-new", "r1", "h:1"));
    expect(registry.list().map((w) => w.id)).to.deep.equal(["b-new", "t-other"]);
    expect(log).to.include("removed b-old: replaced by b-new at the same address");
  });

  it("routes every worker without a rack on its own", () => {
    const { registry } = setup();
    registry.register({ id: "base-2", type: "base", rack: "", address: "h:2", version: "" });
    registry.register({ id: "base-1", type: "base", rack: "", address: "h:1", version: "" });
    expect(registry.table("base").routes.map((r) => `${r.workerId}@${r.address}`)).to.deep.equal(["base-1@h:1", "base-2@h:2"]);
  });

  it("routes every rack of a type, ordered by type and rack", () => {
    const { registry } = setup();
    registry.register(book("b3", "r3", "h:3"));
    registry.register(book("b1", "r1", "h:1"));
    registry.register({ id: "t1", type: "thing", rack: "r2", address: "h:4", version: "" });
    expect(registry.table().routes.map((r) => `${r.type}/${r.rack}`)).to.deep.equal(["book/r1", "book/r3", "thing/r2"]);
  });
});
