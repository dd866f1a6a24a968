// wrk-base run alone as a real process on loopback: health, reflection, the side port, metrics,
// request ids, SIGTERM drain and bad settings, all seen from outside like an operator sees them.
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { connect } from "node:net";
import { callUnary } from "../src/client.js";
import { loadContracts, type GetInfoResponse__Output, type PingResponse__Output, type WorkerServiceClient } from "@bookstore/proto";
import {
  type ServiceProcess,
  checkHealth,
  describeSymbol,
  freePort,
  holdCall,
  httpGet,
  listServices,
  metricValue,
  runUntilExit,
  startService,
  until,
} from "../../../compose/local/kit/testing/process.js";
import { credentialsOf } from "../../../compose/local/kit/testing/tls.js";
import { waitUntil } from "../../../compose/local/kit/wait-until.js";

const WORKER_SERVICE = "bookstore.worker.v1.WorkerService";

describe("wrk-base as a process", function () {
  this.timeout(20_000);
  let service: ServiceProcess;
  let client: WorkerServiceClient;

  before(async () => {
    service = await startService({ service: "wrk-base", env: { RACK_ID: "base-test" } });
    client = new (loadContracts().worker.WorkerService)(service.grpcAddress, credentialsOf("app-node"));
  });

  after(async () => {
    client?.close();
    await service?.stop("SIGKILL");
  });

  it("reports SERVING on gRPC health, for the server and for its service", async () => {
    expect(await checkHealth(service.grpcAddress)).to.equal("SERVING");
    expect(await checkHealth(service.grpcAddress, WORKER_SERVICE)).to.equal("SERVING");
  });

  it("lists its services by reflection, as `grpcurl -cacert ca.pem <addr> list` does", async () => {
    expect(await listServices(service.grpcAddress)).to.include.members([WORKER_SERVICE, "grpc.health.v1.Health"]);
    // grpcurl needs the descriptors to encode a request without proto files.
    const files = await describeSymbol(service.grpcAddress, WORKER_SERVICE);
    const descriptors = Buffer.concat(files).toString("latin1");
    for (const name of ["WorkerService", "Ping", "PingRequest", "GetInfo"]) expect(descriptors).to.include(name);
  });

  it("answers Ping and GetInfo", async () => {
    const pong = await callUnary<PingResponse__Output>((m, o, cb) => client.ping({ message: "hello" }, m, o, cb), { timeoutMs: 2_000 });
    expect(pong.message).to.equal("hello");
    expect(Number(pong.time?.seconds)).to.be.closeTo(Date.now() / 1000, 60);
    const info = await callUnary<GetInfoResponse__Output>((m, o, cb) => client.getInfo({}, m, o, cb), { timeoutMs: 2_000 });
    expect(info.type).to.equal("base");
    expect(info.version).to.match(/^\d+\.\d+\.\d+/);
    expect(info.id).to.match(/^base-/);
  });

  it("serves /healthz, /readyz and 404 on the side port", async () => {
    expect((await httpGet(service.httpUrl, "/healthz")).status).to.equal(200);
    expect(await httpGet(service.httpUrl, "/readyz")).to.deep.equal({ status: 200, text: "ready\n" });
    expect((await httpGet(service.httpUrl, "/nope")).status).to.equal(404);
  });

  it("counts calls in grpc_server_* with service, method, type and code labels", async () => {
    await callUnary((m, o, cb) => client.ping({ message: "count me" }, m, o, cb), { timeoutMs: 2_000 });
    const { text } = await httpGet(service.httpUrl, "/metrics");
    const labels = { grpc_service: WORKER_SERVICE, grpc_method: "Ping", grpc_type: "unary" };
    expect(metricValue(text, "grpc_server_started_total", labels)).to.be.at.least(1);
    expect(metricValue(text, "grpc_server_handled_total", { ...labels, grpc_code: "OK" })).to.be.at.least(1);
    expect(metricValue(text, "grpc_server_handling_seconds_count", { ...labels, grpc_code: "OK" })).to.be.at.least(1);
    expect(metricValue(text, "grpc_server_handling_seconds_bucket", { ...labels, grpc_code: "OK", le: "+Inf" })).to.be.at.least(1);
    expect(metricValue(text, "worker_serving")).to.equal(1);
    expect(metricValue(text, "worker_info", { type: "base" })).to.equal(1);
    expect(metricValue(text, "process_cpu_seconds_total")).to.be.a("number");
  });

  it("logs one JSON line per call with the caller's request id", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", "trace-me-123");
    await new Promise<void>((resolve, reject) => client.ping({ message: "x" }, metadata, { deadline: Date.now() + 2_000 }, (error) => (error ? reject(error) : resolve())));
    const line = await waitUntil(() => service.logs().find((entry) => entry.requestId === "trace-me-123"), { what: "the call's log line", timeoutMs: 2_000, intervalMs: 20 }).catch(() => undefined);
    expect(line).to.include({ rpc: `/${WORKER_SERVICE}/Ping`, code: "OK", service: "wrk-base", msg: "rpc" });
  });

  it("keeps serving while the orchestrator is unreachable, and says so once", async () => {
    const warnings = () => service.logs().filter((entry) => entry.msg === "orchestrator unreachable" && entry.level === "warn");
    await until(() => warnings().length > 0);
    // Retries follow with backoff (250 ms, 500 ms, ...): let some happen, quietly.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(warnings()).to.have.length(1);
    expect(await checkHealth(service.grpcAddress)).to.equal("SERVING");
  });
});

describe("wrk-base shutdown", function () {
  this.timeout(20_000);

  it("on SIGTERM turns NOT_SERVING, lets the call in flight finish, then exits 0", async () => {
    const service = await startService({ service: "wrk-base", env: { RACK_ID: "drain-test" } });
    try {
      const ping = loadContracts().worker.WorkerService.service.Ping;
      const held = await holdCall(service.grpcAddress, ping.path, ping.requestSerialize({ message: "in flight" }));
      // The server has the call when it counts it as started.
      const labels = { grpc_service: WORKER_SERVICE, grpc_method: "Ping" };
      await until(async () => metricValue((await httpGet(service.httpUrl, "/metrics")).text, "grpc_server_started_total", labels) === 1);

      service.kill("SIGTERM");
      await until(async () => (await httpGet(service.httpUrl, "/readyz")).status === 503);
      expect(service.running, "still draining the held call").to.equal(true);

      const result = await held.finish();
      expect(result.code).to.equal(grpc.status.OK);
      expect((ping.responseDeserialize(result.message) as PingResponse__Output).message).to.equal("in flight");

      expect(await service.exited).to.deep.equal({ code: 0, signal: null });
      const stopping = service.logs().find((entry) => entry.msg === "stopping");
      expect(stopping).to.include({ reason: "SIGTERM", inFlight: 1 });
      expect(service.logs().at(-1)).to.include({ msg: "stopped" });
    } finally {
      await service.stop("SIGKILL");
    }
  });

  it("is not held by a connection that never made a call: it closes it once no call is in flight", async () => {
    const service = await startService({ service: "wrk-base", env: { RACK_ID: "drain-test-3" } });
    // A bare TCP connection (a port check, a TLS handshake that never ends): the gRPC library's own
    // graceful stop would wait for it, here until the drain deadline.
    const idle = connect(service.grpcPort, "127.0.0.1");
    try {
      await new Promise((resolve, reject) => idle.once("connect", resolve).once("error", reject));
      expect(await service.stop("SIGTERM", 15_000)).to.deep.equal({ code: 0, signal: null });
      const messages = service.logs().map((entry) => entry.msg);
      expect(messages).to.include("no call in flight: closing the connections still open");
      expect(messages).to.not.include("drain deadline passed: cutting the remaining calls");
    } finally {
      idle.destroy();
      await service.stop("SIGKILL");
    }
  });

  it("refuses new connections once it is draining", async () => {
    const service = await startService({ service: "wrk-base", env: { RACK_ID: "drain-test-2" } });
    try {
      const ping = loadContracts().worker.WorkerService.service.Ping;
      const held = await holdCall(service.grpcAddress, ping.path, ping.requestSerialize({ message: "keep it open" }));
      await until(async () => metricValue((await httpGet(service.httpUrl, "/metrics")).text, "grpc_server_started_total", { grpc_method: "Ping" }) === 1);
      service.kill("SIGTERM");
      await until(async () => (await httpGet(service.httpUrl, "/readyz")).status === 503);
      const error = await checkHealth(service.grpcAddress, "", 1_000).then(
        (status) => new Error(`answered ${status}`),
        (failure: grpc.ServiceError) => failure,
      );
      expect((error as grpc.ServiceError).code).to.equal(grpc.status.UNAVAILABLE);
      expect((await held.finish()).code).to.equal(grpc.status.OK);
      expect((await service.exited).code).to.equal(0);
    } finally {
      await service.stop("SIGKILL");
    }
  });
});

describe("wrk-base settings at start", function () {
  this.timeout(20_000);

  for (const [variable, value] of [
    ["GRPC_PORT", "not-a-port"],
    ["HTTP_PORT", "70000"],
    ["ORK_ADDR", "no-port"],
    ["LOG_LEVEL", "chatty"],
  ] as const) {
    it(`stops at once with one line naming ${variable} when it is bad`, async () => {
      const result = await runUntilExit("wrk-base", { [variable]: value, BIND_HOST: "127.0.0.1" });
      expect(result.code).to.equal(1);
      const lines = result.output.trim().split("\n");
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include(`wrk-base: invalid setting ${variable}=${JSON.stringify(value)}`);
    });
  }

  it("stops with a clear line when its gRPC port is taken", async () => {
    const taken = await startService({ service: "wrk-base", env: { RACK_ID: "port-owner" } });
    try {
      const result = await runUntilExit("wrk-base", { BIND_HOST: "127.0.0.1", GRPC_PORT: String(taken.grpcPort), HTTP_PORT: String(await freePort()) });
      expect(result.code).to.equal(1);
      expect(result.output).to.include(`cannot listen for gRPC on 127.0.0.1:${taken.grpcPort}`);
    } finally {
      await taken.stop("SIGKILL");
    }
  });
});
