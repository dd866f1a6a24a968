// wrk-ork and real workers as processes on loopback: registration, health, lease, restart, drain,
// forget, the watch stream and graceful stop, seen the way operators and gateways see them.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { INVALID_FIELD_TRAILER, callUnary } from "@bookstore/wrk-base";
import type { OrchestratorServiceClient, RegisterResponse__Output } from "@bookstore/proto";
import { type ServiceProcess, httpGet, listServices, metricValue } from "../../../compose/local/kit/testing/process.js";
import { TableWatch, eventually, listWorkers, orkClient, startBaseWorker, startOrk, workerIdOf, workerOrkClient } from "./support/ork.js";

describe("wrk-ork with real workers", function () {
  this.timeout(60_000);
  const running: ServiceProcess[] = [];
  const clients: OrchestratorServiceClient[] = [];
  const watches: TableWatch[] = [];

  async function ork(env: Record<string, string> = {}): Promise<{ process: ServiceProcess; client: OrchestratorServiceClient }> {
    const process = await startOrk(env);
    running.push(process);
    const client = orkClient(process.grpcAddress);
    clients.push(client);
    return { process, client };
  }

  async function baseWorker(orkAddress: string): Promise<ServiceProcess> {
    const worker = await startBaseWorker(orkAddress);
    running.push(worker);
    return worker;
  }

  function watch(client: OrchestratorServiceClient, type = ""): TableWatch {
    const w = new TableWatch(client, type);
    watches.push(w);
    return w;
  }

  /** An orchestrator, a watch of its whole table, and one base worker it routes to as healthy. */
  async function orkWithHealthyWorker() {
    const { process, client } = await ork();
    const w = watch(client);
    const worker = await baseWorker(process.grpcAddress);
    const id = await workerIdOf(worker);
    await eventually("UP", 10_000, () => w.route("", id)?.healthy === true);
    return { process, client, w, worker, id };
  }

  afterEach(async () => {
    for (const w of watches.splice(0)) w.cancel();
    for (const c of clients.splice(0)) c.close();
    await Promise.all(running.splice(0).map((p) => p.stop("SIGKILL")));
  });

  it("serves the orchestrator contract with health and reflection, and does not register with itself", async () => {
    const { process, client } = await ork();
    expect(await listServices(process.grpcAddress)).to.include.members(["bookstore.ork.v1.OrchestratorService", "grpc.health.v1.Health"]);
    expect(await listWorkers(client)).to.deep.equal([]);
    expect((await httpGet(process.httpUrl, "/readyz")).status).to.equal(200);
  });

  it("registers with no orchestrator even when ORK_ADDR names one: registration is a part workers add, not the host's", async () => {
    const { process: first } = await ork();
    const { process: second } = await ork({ ORK_ADDR: first.grpcAddress });
    // The second one serves before the worker starts: a registration of its own would have reached
    // the first one before the worker's did (refused, its certificate is no worker's, but logged).
    await baseWorker(first.grpcAddress);
    const registers = () => first.logs().filter((line) => line.msg === "rpc" && line.rpc === "/bookstore.ork.v1.OrchestratorService/Register");
    await eventually("the worker's Register logged", 10_000, () => registers().length > 0);
    expect(registers().map((line) => line.code), "the worker's Register only").to.deep.equal(["OK"]);
    const lines = second.logs().map((line) => line.msg);
    expect(lines).to.not.include("orchestrator unreachable");
    expect(lines).to.not.include("registered with the orchestrator");
  });

  it("registers a wrk-base process: UP in ListWorkers, in the watched table, and in the metrics", async () => {
    const { process, client } = await ork();
    const w = watch(client, "base");
    const worker = await baseWorker(process.grpcAddress);
    const id = await workerIdOf(worker);

    const [listed] = await eventually("the worker listed", 10_000, async () => {
      const workers = await listWorkers(client, "base");
      return workers.length === 1 && workers;
    });
    expect(listed).to.include({ id, type: "base", rack: "", address: worker.grpcAddress, state: "WORKER_STATE_UP", version: "0.1.0", reason: "" });
    expect(Math.abs(Number(listed?.lastSeen?.seconds) * 1000 - Date.now())).to.be.below(5_000);

    await eventually("the route in the watch", 5_000, () => w.route("", id)?.healthy === true);
    expect(w.tables[0]?.routes, "the current table comes at once: empty before the worker").to.deep.equal([]);
    const revisions = w.tables.map((t) => t.revision);
    expect(revisions).to.deep.equal([...revisions].sort((a, b) => a - b));

    // Health checks run every 200 ms here: wait for the first passing one to be counted.
    const metrics = await eventually("a health check counted", 5_000, async () => {
      const text = (await httpGet(process.httpUrl, "/metrics")).text;
      const checks = metricValue(text, "grpc_client_handled_total", { grpc_service: "grpc.health.v1.Health", grpc_method: "Check", grpc_type: "unary", grpc_code: "OK" });
      return checks !== undefined && checks > 0 && text;
    });
    expect(metricValue(metrics, "ork_workers", { type: "base", state: "up" })).to.equal(1);
    expect(metricValue(metrics, "ork_workers", { type: "base", state: "down" })).to.equal(0);
    expect(metricValue(metrics, "ork_worker_up", { worker_id: id, type: "base", rack: "" })).to.equal(1);
    expect(metricValue(metrics, "ork_registrations_total", { type: "base" })).to.equal(1);
  });

  it("marks a SIGKILLed worker DOWN with a reason, takes it out of the healthy routes, counts the lapsed lease", async () => {
    const { process, client, w, worker, id } = await orkWithHealthyWorker();

    await worker.stop("SIGKILL");
    await eventually("unhealthy route", 5_000, () => w.route("", id)?.healthy === false);
    const [down] = await listWorkers(client);
    expect(down).to.include({ id, state: "WORKER_STATE_DOWN" });
    expect(down?.reason).to.match(/health check failed: UNAVAILABLE/);

    await eventually("the lease lapsed", 10_000, async () => (await listWorkers(client))[0]?.reason.includes("no heartbeat within the 3 s lease") === true);
    const metrics = (await httpGet(process.httpUrl, "/metrics")).text;
    expect(metricValue(metrics, "ork_workers", { type: "base", state: "down" })).to.equal(1);
    expect(metricValue(metrics, "ork_worker_up", { worker_id: id })).to.equal(0);
    expect(metricValue(metrics, "ork_lease_expiries_total", { type: "base" })).to.equal(1);
  });

  it("rebuilds after its own restart: the worker is told to register again and does so by itself", async () => {
    const first = await ork();
    const worker = await baseWorker(first.process.grpcAddress);
    const id = await workerIdOf(worker);
    await eventually("registered", 10_000, async () => (await listWorkers(first.client)).length === 1);

    expect(await first.process.stop("SIGTERM")).to.deep.equal({ code: 0, signal: null });
    const second = await ork({ GRPC_PORT: String(first.process.grpcPort), HTTP_PORT: String(first.process.httpPort) });
    const [back] = await eventually("registered again", 15_000, async () => {
      const workers = await listWorkers(second.client);
      return workers.length === 1 && workers;
    });
    expect(back).to.include({ id, state: "WORKER_STATE_UP" });
    await eventually("the worker's log line", 5_000, () => worker.logs().some((line) => line.msg === "the orchestrator does not know this worker: registering again"));
    expect(worker.running).to.equal(true);
  });

  it("drains a worker: out of routing at once, then the worker stops by itself with exit code 0 and leaves", async () => {
    const { client, w, worker, id } = await orkWithHealthyWorker();

    const answer = await callUnary<{ worker: { id: string; state: string } | null }>((m, o, cb) => client.drainWorker({ id }, m, o, cb), { timeoutMs: 2_000 });
    expect(answer.worker).to.include({ id, state: "WORKER_STATE_DRAINING" });
    await eventually("out of routing", 2_000, () => w.route("", id)?.healthy === false);

    expect(await worker.exited).to.deep.equal({ code: 0, signal: null });
    // "exit" can come before the last output is read: wait for the final line.
    await eventually("the worker's last line", 5_000, () => worker.logs().some((line) => line.msg === "stopped"));
    expect(worker.logs().map((line) => line.msg)).to.include.members(["the orchestrator drains this worker: stopping", "left the orchestrator"]);
    await eventually("removed", 2_000, async () => (await listWorkers(client)).length === 0);
    await eventually("its route gone", 2_000, () => w.route("", id) === undefined);
  });

  it("forgets a worker at once; a live worker then registers again on its own", async () => {
    const { process, client } = await ork();
    const worker = await baseWorker(process.grpcAddress);
    const id = await workerIdOf(worker);
    await eventually("registered", 10_000, async () => (await listWorkers(client)).length === 1);

    await callUnary((m, o, cb) => client.forgetWorker({ id }, m, o, cb), { timeoutMs: 2_000 });
    // The log line travels through a pipe, the answer through a socket: wait for the line.
    await eventually("the removal logged", 5_000, () => process.logs().some((line) => line.msg === "worker removed" && line.why === "forgotten by an operator"));
    await eventually("registered again", 10_000, async () => (await listWorkers(client)).some((w) => w.id === id));
    const metrics = (await httpGet(process.httpUrl, "/metrics")).text;
    expect(metricValue(metrics, "ork_registrations_total", { type: "base" })).to.equal(2);

    const error = await callUnary((m, o, cb) => client.forgetWorker({ id: "nobody" }, m, o, cb), { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).to.have.property("code", grpc.status.NOT_FOUND);
    const drainError = await callUnary((m, o, cb) => client.drainWorker({ id: "nobody" }, m, o, cb), { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(drainError).to.have.property("code", grpc.status.NOT_FOUND);
  });

  it("refuses a bad registration with INVALID_ARGUMENT naming the field, and a heartbeat of a stranger with REGISTER_AGAIN", async () => {
    const { process: orkProcess } = await ork();
    const client = await workerOrkClient(orkProcess.grpcAddress, "book", "r1");
    let trailer: grpc.Metadata | undefined;
    const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
      const call = client.register(
        { id: "x-1", type: "book", rack: "r1", address: "no-port", version: "1" },
        new grpc.Metadata(),
        { deadline: Date.now() + 2_000 },
        (e) => (e ? resolve(e) : reject(new Error("accepted"))),
      );
      call.on("status", (status) => (trailer = status.metadata));
    });
    expect(error.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(error.details).to.match(/^address: /);
    expect(trailer?.get(INVALID_FIELD_TRAILER)).to.deep.equal(["address"]);

    const answer = await callUnary<{ action: string }>((m, o, cb) => client.heartbeat({ id: "stranger" }, m, o, cb), { timeoutMs: 2_000 });
    expect(answer.action).to.equal("HEARTBEAT_ACTION_REGISTER_AGAIN");

    const registered = await callUnary<RegisterResponse__Output>(
      (m, o, cb) => client.register({ id: "x-1", type: "book", rack: "r1", address: "127.0.0.1:1", version: "1" }, m, o, cb),
      { timeoutMs: 2_000 },
    );
    expect(registered).to.include({ leaseSeconds: 3, heartbeatIntervalSeconds: 1 });
    // Without DATA_DIR the incarnation is the start time: another at every start.
    expect(registered.incarnation).to.be.within(Date.now() - 600_000, Date.now());
  });

  it("filters the watch by type and sends a table only when that type's routes change", async () => {
    const { client, process: orkProcess } = await ork();
    const workers = { thing: await workerOrkClient(orkProcess.grpcAddress, "thing", "r1"), book: await workerOrkClient(orkProcess.grpcAddress, "book", "r1") };
    const books = watch(client, "book");
    const everything = watch(client);
    await eventually("first tables", 5_000, () => books.tables.length === 1 && everything.tables.length === 1);
    const register = (id: string, type: string, port: number) =>
      callUnary((m, o, cb) => workers[type as "thing" | "book"].register({ id, type, rack: "r1", address: `127.0.0.1:${port}`, version: "" }, m, o, cb), { timeoutMs: 2_000 });
    // Addresses nothing listens on: the health checks mark them DOWN soon; the test looks at the first tables.
    await register("t-1", "thing", 1);
    await register("b-1", "book", 2);
    await eventually("both seen", 5_000, () => everything.route("r1", "b-1") !== undefined && books.route("r1", "b-1") !== undefined);
    expect(books.tables.every((t) => t.routes.every((r) => r.type === "book"))).to.equal(true);
    expect(books.tables.some((t) => t.routes.some((r) => r.workerId === "t-1"))).to.equal(false);
    expect(everything.tables.some((t) => t.routes.some((r) => r.workerId === "t-1"))).to.equal(true);
    // Each table a watcher gets differs from the one before.
    for (const w of [books, everything]) {
      for (let i = 1; i < w.tables.length; i++) expect(w.tables[i]?.routes).to.not.deep.equal(w.tables[i - 1]?.routes);
    }
  });

  it("holds the first table until the warm-up is over, so gateways never see the empty table of a restart", async () => {
    const { process, client } = await ork({ ORK_WARMUP_SECONDS: "2" });
    const w = watch(client);
    await eventually("the first table after the warm-up", 10_000, () => w.tables.length === 1);
    // Evidence rather than a clock in the test: the stream was open and waiting when the warm-up
    // ended, and its first table came after that moment.
    const over = await eventually("the end of the warm-up logged", 5_000, () => process.logs().find((line) => line.msg === "warm-up over: sending the routing table to watchers") ?? false);
    expect(over).to.include({ watchers: 1, reason: "the warm-up time passed" });
    expect(w.receivedAt[0]).to.be.at.least(Date.parse(String(over.time)));
  });

  it("ends open watch streams cleanly at SIGTERM and exits 0 without waiting out the drain deadline", async () => {
    const { process, client } = await ork();
    const w = watch(client);
    await eventually("watching", 5_000, () => w.tables.length === 1);
    expect(await process.stop("SIGTERM")).to.deep.equal({ code: 0, signal: null });
    expect((await w.ended()).code).to.equal(grpc.status.OK);
    // A stop that waited on the stream would cut it at the drain deadline and say so.
    await eventually("the last line", 5_000, () => process.logs().some((line) => line.msg === "stopped"));
    expect(process.logs().map((line) => line.msg)).to.not.include("drain deadline passed: cutting the remaining calls");
  });
});
