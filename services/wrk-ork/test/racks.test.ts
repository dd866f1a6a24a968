// Racks that stop, as a gateway's routing client sees them, with the real orchestrator and real
// rack workers: a graceful stop leaves the routing table before the rack refuses calls, the
// stopped rack stays known (DOWN, named missing) until an operator forgets it, and a rack that was
// never known is NOT_FOUND rather than UNAVAILABLE.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { RoutingClient } from "@bookstore/app-node";
import { RpcError, callUnary, createLogger } from "@bookstore/wrk-base";
import { type OrchestratorServiceClient, loadContracts } from "@bookstore/proto";
import type { ServiceProcess } from "../../../compose/local/kit/testing/process.js";
import { gatewayTls } from "../../../compose/local/kit/testing/tls.js";
import { eventually, listWorkers, orkClient, startOrk, startRackWorker, workerIdOf } from "./support/ork.js";

describe("racks that stop, with the orchestrator and a routing client", function () {
  this.timeout(60_000);
  const WorkerService = loadContracts().worker.WorkerService;
  let ork: ServiceProcess;
  let client: OrchestratorServiceClient;
  let routing: RoutingClient;
  const racks = new Map<string, ServiceProcess>();

  async function startRack(rack: string): Promise<ServiceProcess> {
    const worker = await startRackWorker(ork.grpcAddress, rack);
    racks.set(rack, worker);
    return worker;
  }

  before(async () => {
    ork = await startOrk();
    client = orkClient(ork.grpcAddress);
    await startRack("r1");
    await startRack("r2");
    routing = new RoutingClient({ orkAddress: ork.grpcAddress, tls: gatewayTls(), type: "rack", log: createLogger("racks-test", "silent"), registry: new Registry(), callTimeoutMs: 2_000, maxBackoffMs: 500 });
    routing.start();
    await eventually("two healthy racks", 15_000, () => routing.healthyRacks().length === 2);
  });

  after(async () => {
    routing.close();
    client.close();
    await Promise.all([ork, ...racks.values()].map((p) => p.stop("SIGKILL")));
  });

  it("leaves the routing table before it refuses calls: a graceful stop under load fails no call while another rack is up", async () => {
    const answeredBy = new Map<string, number>();
    const failures: string[] = [];
    let running = true;
    // What a gateway does for each create: pick a healthy rack from the table, call it.
    const load = async (): Promise<void> => {
      while (running) {
        try {
          const rack = routing.pickRackForCreate();
          const info = await routing.call(rack, WorkerService, "GetInfo", {});
          answeredBy.set(info.rack, (answeredBy.get(info.rack) ?? 0) + 1);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const loops = Array.from({ length: 4 }, load);
    await eventually("both racks answering", 5_000, () => (answeredBy.get("r2") ?? 0) > 10 && (answeredBy.get("r1") ?? 0) > 10);
    const exit = await (racks.get("r2") as ServiceProcess).stop("SIGTERM");
    const r2Answers = answeredBy.get("r2") ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(loops);

    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(failures, "calls that failed").to.deep.equal([]);
    expect(answeredBy.get("r2"), "nothing reached r2 after it exited").to.equal(r2Answers);
    expect(routing.healthyRacks()).to.deep.equal(["r1"]);
  });

  it("keeps the cleanly stopped rack known as DOWN, past its lease: named missing, UNAVAILABLE; a rack never known is NOT_FOUND", async () => {
    const [r2] = await listWorkers(client, "rack").then((workers) => workers.filter((w) => w.rack === "r2"));
    expect(r2).to.include({ state: "WORKER_STATE_DOWN", reason: "stopped cleanly (deregistered)" });
    // The lease is 3 s here: a lapse must not turn the record into anything else.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await listWorkers(client, "rack")).map((w) => [w.rack, w.state, w.reason])).to.deep.equal([
      ["r1", "WORKER_STATE_UP", ""],
      ["r2", "WORKER_STATE_DOWN", "stopped cleanly (deregistered)"],
    ]);
    expect(routing.routes().map((route) => [route.rack, route.healthy])).to.deep.equal([
      ["r1", true],
      ["r2", false],
    ]);
    const { results, missingRacks } = await routing.fanOut((rack) => routing.call(rack, WorkerService, "GetInfo", {}));
    expect(missingRacks).to.deep.equal(["r2"]);
    expect([...results.keys()]).to.deep.equal(["r1"]);
    expect(() => routing.client("r2", WorkerService)).to.throw(RpcError, "rack r2 is down").with.property("code", grpc.status.UNAVAILABLE);
    expect(() => routing.client("r9", WorkerService)).to.throw(RpcError, "rack r9 does not exist").with.property("code", grpc.status.NOT_FOUND);
  });

  it("forgets a stopped rack on an operator's word; a rack that comes back elsewhere replaces its stopped entry", async () => {
    const [r2] = (await listWorkers(client, "rack")).filter((w) => w.rack === "r2");
    await callUnary((m, o, cb) => client.forgetWorker({ id: r2?.id ?? "" }, m, o, cb), { timeoutMs: 2_000 });
    await eventually("r2 gone from the table", 5_000, () => routing.routes().every((route) => route.rack !== "r2"));
    expect(() => routing.client("r2", WorkerService)).to.throw(RpcError).with.property("code", grpc.status.NOT_FOUND);
    expect((await routing.fanOut((rack) => routing.call(rack, WorkerService, "GetInfo", {}))).missingRacks).to.deep.equal([]);

    // r1 stops cleanly and starts again on other ports: one entry for r1, the new one, UP.
    const oldR1 = racks.get("r1") as ServiceProcess;
    const oldId = await workerIdOf(oldR1);
    expect(await oldR1.stop("SIGTERM")).to.deep.equal({ code: 0, signal: null });
    const newR1 = await startRack("r1");
    const newId = await workerIdOf(newR1);
    await eventually("the new r1 routed", 10_000, () => routing.routes().find((route) => route.rack === "r1")?.workerId === newId && routing.healthyRacks().includes("r1"));
    const listed = (await listWorkers(client, "rack")).map((w) => [w.id, w.state]);
    expect(listed).to.deep.equal([[newId, "WORKER_STATE_UP"]]);
    expect(listed.flat()).to.not.include(oldId);
    expect((await routing.call("r1", WorkerService, "GetInfo", {})).id).to.equal(newId);
  });
});
