// The orchestrator killed and started again under a gateway's call load, with the real workers:
// with its DATA_DIR it comes back knowing them, ends its warm-up once each was heard from, and the
// worker list is whole within two heartbeat intervals; without its state the gateway keeps the
// healthy routes the new orchestrator does not have yet. Not one call fails in either case.
import { expect } from "chai";
import { Registry } from "prom-client";
import { RoutingClient } from "@bookstore/app-node";
import { createLogger } from "@bookstore/wrk-base";
import { type OrchestratorServiceClient, fromTimestamp, loadContracts } from "@bookstore/proto";
import { type ServiceProcess, tempDir } from "../../../compose/local/kit/testing/process.js";
import { gatewayTls } from "../../../compose/local/kit/testing/tls.js";
import { eventually, listWorkers, orkClient, startBaseWorker, startOrk, startRackWorker } from "./support/ork.js";

/** Heartbeats every 2 s here (lease 6 s): "two heartbeat intervals" is 4 s. */
const HEARTBEAT_SECONDS = 2;
const TIMINGS = { ORK_LEASE_SECONDS: "6", ORK_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) };

describe("the orchestrator restarted under load", function () {
  this.timeout(90_000);
  const WorkerService = loadContracts().worker.WorkerService;
  const data = tempDir("ork-restart");
  let ork: ServiceProcess;
  let client: OrchestratorServiceClient;
  let routing: RoutingClient;
  const workers: ServiceProcess[] = [];
  /** Loads still running: a failed test must not leave its loops calling for ever. */
  const loads = new Set<{ stop: () => Promise<unknown> }>();

  /** Calls as a gateway makes them (a create rule pick, and reads of each rack) until stopped. */
  function callLoad(): { stop: () => Promise<{ calls: number; failures: string[]; samples: string[][] }> } {
    let running = true;
    let calls = 0;
    const failures: string[] = [];
    const samples: string[][] = [];
    const sampler = setInterval(() => samples.push(routing.healthyRacks()), 20);
    const loop = async (rack?: string): Promise<void> => {
      while (running) {
        try {
          await routing.call(rack ?? routing.pickRackForCreate(), WorkerService, "GetInfo", {});
          calls++;
        } catch (error) {
          failures.push((error as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const loops = [loop(), loop(), loop("r1"), loop("r2")];
    const load = {
      async stop() {
        loads.delete(load);
        running = false;
        clearInterval(sampler);
        await Promise.all(loops);
        return { calls, failures, samples };
      },
    };
    loads.add(load);
    return load;
  }

  async function restartOrk(env: Record<string, string>): Promise<void> {
    const { grpcPort, httpPort } = ork;
    client.close();
    expect(await ork.stop("SIGKILL")).to.include({ signal: "SIGKILL" });
    // An outage long enough for the workers' retries to back off several times.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    ork = await startOrk({ ...TIMINGS, GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ...env });
    client = orkClient(ork.grpcAddress);
  }

  before(async () => {
    ork = await startOrk({ ...TIMINGS, DATA_DIR: data.path });
    client = orkClient(ork.grpcAddress);
    workers.push(await startRackWorker(ork.grpcAddress, "r1"), await startRackWorker(ork.grpcAddress, "r2"), await startBaseWorker(ork.grpcAddress));
    routing = new RoutingClient({ orkAddress: ork.grpcAddress, tls: gatewayTls(), type: "rack", log: createLogger("restart-test", "silent"), registry: new Registry(), callTimeoutMs: 2_000, maxBackoffMs: 500 });
    routing.start();
    await eventually("two healthy racks", 15_000, () => routing.healthyRacks().length === 2);
    await eventually("three workers", 10_000, async () => (await listWorkers(client)).length === 3);
  });

  afterEach(async () => {
    await Promise.all([...loads].map((load) => load.stop()));
  });

  after(async () => {
    routing.close();
    client.close();
    await Promise.all([ork, ...workers].map((p) => p.stop("SIGKILL")));
    data.remove();
  });

  it("comes back with its DATA_DIR knowing every worker: no failed call, the list whole within two heartbeat intervals, the warm-up over on evidence", async () => {
    const firstIncarnation = routing.incarnation;
    expect(firstIncarnation).to.equal(1);
    const load = callLoad();
    // A warm-up that only a timer ended would hold the table back 20 s.
    await restartOrk({ DATA_DIR: data.path, ORK_WARMUP_SECONDS: "20" });
    const restartedAt = Date.now();

    const remembered = await listWorkers(client);
    expect(remembered.map((w) => [w.type, w.rack]), "known at once, from its DATA_DIR").to.deep.equal([
      ["base", ""],
      ["rack", "r1"],
      ["rack", "r2"],
    ]);
    // Whole: every worker UP and heard from since the restart.
    await eventually("every worker heard from", 2 * HEARTBEAT_SECONDS * 1000, async () =>
      (await listWorkers(client)).every((w) => w.state === "WORKER_STATE_UP" && Date.parse(fromTimestamp(w.lastSeen) ?? "") >= restartedAt - 1_000),
    );
    const wholeAfterMs = Date.now() - restartedAt;
    await eventually("the new incarnation's table", 5_000, () => routing.incarnation === 2);
    const warm = await eventually("the warm-up's end", 5_000, () => ork.logs().find((line) => line.msg === "warm-up over: sending the routing table to watchers") ?? false);
    expect(warm).to.include({ reason: "every remembered worker was heard from or found down" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { calls, failures, samples } = await load.stop();

    expect(failures, "calls that failed").to.deep.equal([]);
    expect(calls).to.be.above(50);
    for (const sample of samples) expect(sample).to.deep.equal(["r1", "r2"]);
    expect(wholeAfterMs).to.be.below(2 * HEARTBEAT_SECONDS * 1000);
    console.log(`      (worker list whole ${wholeAfterMs} ms after the restart; ${calls} calls, 0 failed)`);
  });

  it("without its state, the gateway keeps the healthy routes the new orchestrator does not have yet: no failed call", async () => {
    const empty = tempDir("ork-restart-empty");
    try {
      const load = callLoad();
      // No warm-up and nobody remembered: its first table is empty, then fills as workers register.
      await restartOrk({ DATA_DIR: empty.path, ORK_WARMUP_SECONDS: "0" });
      await eventually("the new incarnation's table", 5_000, () => routing.incarnation === 1);
      await eventually("both racks registered again", 4 * HEARTBEAT_SECONDS * 1000, () =>
        routing.routes().every((route) => route.healthy) && ork.logs().filter((line) => line.msg === "worker registered").length === 3,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { calls, failures, samples } = await load.stop();
      expect(failures, "calls that failed").to.deep.equal([]);
      expect(calls).to.be.above(50);
      for (const sample of samples) expect(sample).to.deep.equal(["r1", "r2"]);
      expect(ork.logs().find((line) => line.msg === "registry kept in DATA_DIR"), "it started knowing nobody").to.include({ remembered: 0, incarnation: 1 });
    } finally {
      empty.remove();
    }
  });
});
