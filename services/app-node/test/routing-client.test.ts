// The gateway's routing client against the real orchestrator and real workers with racks: the
// path a gateway's calls take, straight to the rack that owns the data.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { RpcError, createLogger, invalidArgument } from "@bookstore/wrk-base";
import { type WorkerServiceClient, loadContracts } from "@bookstore/proto";
import { type ServiceProcess, metricValue } from "../../../compose/local/kit/testing/process.js";
import { gatewayTls } from "../../../compose/local/kit/testing/tls.js";
import { eventually, startOrk, startRackWorker } from "../../wrk-ork/test/support/ork.js";
import { RoutingClient } from "../src/routing/index.js";

describe("routing client with the orchestrator and racks", function () {
  this.timeout(90_000);
  const WorkerService = loadContracts().worker.WorkerService;
  let ork: ServiceProcess;
  let racks: Map<string, ServiceProcess>;
  let registry: Registry;
  let routing: RoutingClient;

  /** GetInfo on a rack through the routing client: which rack answered. */
  async function rackThatAnswers(rack: string, timeoutMs?: number): Promise<string> {
    const info = await routing.call(rack, WorkerService, "GetInfo", {}, { timeoutMs });
    return info.rack;
  }

  before(async () => {
    ork = await startOrk();
    racks = new Map();
    for (const rack of ["r1", "r2", "r3"]) racks.set(rack, await startRackWorker(ork.grpcAddress, rack));
    registry = new Registry();
    routing = new RoutingClient({ orkAddress: ork.grpcAddress, tls: gatewayTls(), type: "rack", log: createLogger("routing-test", "silent"), registry, callTimeoutMs: 2_000, maxBackoffMs: 500 });
    routing.start();
    await eventually("three healthy racks", 15_000, () => routing.healthyRacks().length === 3);
  });

  after(async () => {
    routing.close();
    await Promise.all([ork, ...racks.values()].map((p) => p.stop("SIGKILL")));
  });

  it("knows the table: routes in rack order, a revision, ready", () => {
    expect(routing.ready()).to.equal(true);
    expect(routing.revision).to.be.above(1);
    expect(routing.healthyRacks()).to.deep.equal(["r1", "r2", "r3"]);
    expect(routing.routes().map((r) => [r.type, r.rack, r.address, r.healthy])).to.deep.equal(
      ["r1", "r2", "r3"].map((rack) => ["rack", rack, racks.get(rack)?.grpcAddress, true]),
    );
  });

  it("sends a call straight to the rack named, on one reused channel, and records grpc_client_*", async () => {
    const before = await registry.metrics();
    for (const rack of ["r1", "r2", "r3", "r2"]) expect(await rackThatAnswers(rack)).to.equal(rack);
    expect(routing.client("r1", WorkerService), "one client per rack and service").to.equal(routing.client("r1", WorkerService));
    const text = await registry.metrics();
    const labels = { grpc_service: "bookstore.worker.v1.WorkerService", grpc_method: "GetInfo", grpc_type: "unary" };
    const added = (name: string, series: Record<string, string>): number => (metricValue(text, name, series) ?? 0) - (metricValue(before, name, series) ?? 0);
    // One series per rack called: r2 twice, the others once; each call counted once.
    for (const [rack, calls] of [["r1", 1], ["r2", 2], ["r3", 1]] as const) {
      expect(added("grpc_client_started_total", { ...labels, rack }), rack).to.equal(calls);
      expect(added("grpc_client_handled_total", { ...labels, rack, grpc_code: "OK" }), rack).to.equal(calls);
      expect(added("grpc_client_handling_seconds_count", { ...labels, rack, grpc_code: "OK" }), rack).to.equal(calls);
      expect(added("grpc_client_msg_sent_total", { ...labels, rack }), rack).to.equal(calls);
      expect(added("grpc_client_msg_received_total", { ...labels, rack }), rack).to.equal(calls);
    }
    expect(metricValue(text, "grpc_client_started_total", { grpc_method: "WatchRouting", grpc_type: "server_stream" })).to.be.at.least(1);
    // The watch is one call that never ends: its tables show as messages received.
    expect(metricValue(text, "grpc_client_msg_sent_total", { grpc_method: "WatchRouting", grpc_type: "server_stream" })).to.be.at.least(1);
    expect(metricValue(text, "grpc_client_msg_received_total", { grpc_method: "WatchRouting", grpc_type: "server_stream" })).to.be.at.least(1);
  });

  it("picks create racks by the documented rule: a key sticks to one rack, no key takes turns", () => {
    const forKey = routing.pickRackForCreate("isbn-0262033844");
    for (let i = 0; i < 5; i++) expect(routing.pickRackForCreate("isbn-0262033844")).to.equal(forKey);
    const turns = Array.from({ length: 6 }, () => routing.pickRackForCreate());
    expect([...turns].sort()).to.deep.equal(["r1", "r1", "r2", "r2", "r3", "r3"]);
  });

  it("fans out to every rack", async () => {
    const { results, missingRacks } = await routing.fanOut((rack) => rackThatAnswers(rack));
    expect(Object.fromEntries(results)).to.deep.equal({ r1: "r1", r2: "r2", r3: "r3" });
    expect(missingRacks).to.deep.equal([]);
  });

  it("throws an error that is the caller's fault instead of calling the racks missing", async () => {
    const error = await routing.fanOut(async () => Promise.reject(invalidArgument("page_token", "bad"))).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RpcError).with.property("field", "page_token");
  });

  it("reports a rack that does not answer in time as missing, without waiting on it", async () => {
    const r3 = racks.get("r3") as ServiceProcess;
    r3.kill("SIGSTOP");
    try {
      const { results, missingRacks } = await routing.fanOut((rack) => rackThatAnswers(rack, 500));
      expect(missingRacks).to.deep.equal(["r3"]);
      expect([...results.keys()].sort()).to.deep.equal(["r1", "r2"]);
      // Without a deadline of its own, a call has the client's callTimeoutMs (2 s here).
      const late = await rackThatAnswers("r3").catch((e: unknown) => e);
      expect(late).to.have.property("code", grpc.status.DEADLINE_EXCEEDED);
    } finally {
      r3.kill("SIGCONT");
    }
    await eventually("r3 healthy again", 10_000, async () => routing.healthyRacks().includes("r3") && (await rackThatAnswers("r3")) === "r3");
  });

  it("gives a rack that recovers at the same address a fresh channel, and closes the old one", async () => {
    const r3 = racks.get("r3") as ServiceProcess;
    const before = routing.client<WorkerServiceClient>("r3", WorkerService);
    r3.kill("SIGSTOP");
    try {
      await eventually("r3 unhealthy in the table", 15_000, () => routing.routes().find((r) => r.rack === "r3")?.healthy === false);
    } finally {
      r3.kill("SIGCONT");
    }
    await eventually("r3 healthy again", 15_000, () => routing.healthyRacks().includes("r3"));
    const after = routing.client<WorkerServiceClient>("r3", WorkerService);
    expect(after, "a new client on a new channel").to.not.equal(before);
    expect(before.getChannel().getConnectivityState(false)).to.equal(grpc.connectivityState.SHUTDOWN);
    expect(await rackThatAnswers("r3")).to.equal("r3");
  });

  it("fails fast for the books of a rack that is down and reports it missing in reads", async () => {
    await (racks.get("r2") as ServiceProcess).stop("SIGKILL");
    await eventually("r2 unhealthy in the table", 10_000, () => routing.routes().find((r) => r.rack === "r2")?.healthy === false);
    expect(routing.healthyRacks()).to.deep.equal(["r1", "r3"]);
    expect(() => routing.client("r2", WorkerService)).to.throw(RpcError, "rack r2 is down").with.property("code", grpc.status.UNAVAILABLE);
    expect(() => routing.client("r9", WorkerService)).to.throw(RpcError, "does not exist").with.property("code", grpc.status.NOT_FOUND);
    const { results, missingRacks } = await routing.fanOut((rack) => rackThatAnswers(rack));
    expect(missingRacks).to.deep.equal(["r2"]);
    expect([...results.keys()].sort()).to.deep.equal(["r1", "r3"]);
    for (let i = 0; i < 6; i++) expect(routing.pickRackForCreate(`key-${i}`)).to.be.oneOf(["r1", "r3"]);
  });

  it("keeps the last table while the orchestrator is away, and calls to the racks go on", async () => {
    const revision = routing.revision;
    const grpcPort = String(ork.grpcPort);
    const httpPort = String(ork.httpPort);
    expect(await ork.stop("SIGKILL")).to.include({ signal: "SIGKILL" });
    const samples: string[][] = [];
    const sampler = setInterval(() => samples.push(routing.healthyRacks()), 20);
    try {
      for (let i = 0; i < 5; i++) {
        expect(await rackThatAnswers("r1")).to.equal("r1");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(routing.revision).to.equal(revision);
      expect(routing.ready()).to.equal(true);

      // The orchestrator comes back empty: r1 and r3 register again, the dead r2 does not.
      ork = await startOrk({ GRPC_PORT: grpcPort, HTTP_PORT: httpPort, ORK_WARMUP_SECONDS: "5" });
      await eventually("the new table without r2", 20_000, () => routing.routes().length === 2);
      expect(routing.healthyRacks()).to.deep.equal(["r1", "r3"]);
      expect(await rackThatAnswers("r3")).to.equal("r3");
    } finally {
      clearInterval(sampler);
    }
    // At no moment of the restart did the client lose the racks that were serving.
    expect(samples.length).to.be.above(10);
    const seen = [...new Set(samples.map((sample) => sample.join(",")))];
    for (const sample of samples) expect(sample, `healthy racks seen: ${seen.join(" | ")}`).to.include.members(["r1", "r3"]);
  });

  it("closes: the watch ends and no client is handed out any more", async () => {
    const other = new RoutingClient({ orkAddress: ork.grpcAddress, tls: gatewayTls(), type: "rack", log: createLogger("routing-test", "silent"), registry: new Registry() });
    other.start();
    await eventually("a table", 10_000, () => other.ready());
    expect(other.client("r1", WorkerService)).to.be.instanceOf(grpc.Client);
    other.close();
    other.close();
    expect(() => other.client("r1", WorkerService)).to.throw(RpcError, "closed");
  });
});
