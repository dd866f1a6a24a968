// GRPC_PORT=0 and HTTP_PORT=0: a worker listens on free ports and tells the orchestrator the port
// it bound, not 0 (tests start workers in this process this way, without picking ports first).
import { expect } from "chai";
import { BaseWorker, callUnary } from "@bookstore/wrk-base";
import { loadContracts, type GetInfoResponse__Output } from "@bookstore/proto";
import { httpGet, type ServiceProcess } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, knownTlsEnv } from "../../../compose/local/kit/testing/tls.js";
import { eventually, listWorkers, orkClient, startOrk } from "./support/ork.js";

describe("a worker on port 0", function () {
  this.timeout(30_000);
  let ork: ServiceProcess;
  let worker: BaseWorker;

  before(async () => {
    ork = await startOrk();
    worker = new BaseWorker({
      type: "base",
      version: "0.0.0-test",
      ports: { grpcPort: 50053, httpPort: 9103 },
      env: { BIND_HOST: "127.0.0.1", GRPC_PORT: "0", HTTP_PORT: "0", ORK_ADDR: ork.grpcAddress, LOG_LEVEL: "silent", ...knownTlsEnv("wrk-base") },
    });
    await worker.start();
  });

  after(async () => {
    await worker?.stop("test over");
    await ork?.stop("SIGKILL");
  });

  it("listens on free ports and serves both", async () => {
    expect(worker.grpcPort).to.be.above(0);
    expect(worker.httpPort).to.be.above(0).and.not.equal(worker.grpcPort);
    expect((await httpGet(`http://127.0.0.1:${worker.httpPort}`, "/readyz")).status).to.equal(200);
    const client = new (loadContracts().worker.WorkerService)(`127.0.0.1:${worker.grpcPort}`, credentialsOf("admin"));
    try {
      const info = await callUnary<GetInfoResponse__Output>((m, o, cb) => client.getInfo({}, m, o, cb), { timeoutMs: 2_000 });
      expect(info.advertiseAddress).to.equal(`127.0.0.1:${worker.grpcPort}`);
    } finally {
      client.close();
    }
  });

  it("registers the port it bound", async () => {
    const client = orkClient(ork.grpcAddress);
    try {
      const registered = await eventually("the worker registered", 10_000, async () => (await listWorkers(client, "base")).find((w) => w.id === worker.id) ?? false);
      expect(registered.address).to.equal(`127.0.0.1:${worker.grpcPort}`);
    } finally {
      client.close();
    }
  });
});
