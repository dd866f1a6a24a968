// The server interceptor with a real gRPC server on loopback: the request id the access log line
// names is the one the handler sees and would forward, whether the caller sent a good one, a bad
// one or none.
import { Writable } from "node:stream";
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { pino } from "pino";
import { Registry } from "prom-client";
import { type PingResponse__Output, type WorkerServiceClient, loadContracts } from "@bookstore/proto";
import { callUnary } from "../src/client.js";
import { channelCredentials } from "../src/tls/credentials.js";
import { GrpcMetrics } from "../src/metrics.js";
import { unary } from "../src/rpc.js";
import { REQUEST_ID_HEADER } from "../src/request-id.js";
import { InFlight, observeCalls } from "../src/server-interceptor.js";

describe("server interceptor: one request id per call", () => {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const WorkerService = loadContracts().worker.WorkerService;
  let server: grpc.Server;
  let client: WorkerServiceClient;

  before(async () => {
    server = new grpc.Server({ interceptors: [observeCalls(new GrpcMetrics(new Registry(), "server"), new InFlight(), log)] });
    // The handler answers with the request id it was given and the one in the metadata it would
    // forward, so the test can compare both with the log.
    server.addService(WorkerService.service, {
      Ping: unary(log, (_request, context) => ({ message: JSON.stringify([context.requestId, context.metadata.get(REQUEST_ID_HEADER)[0]]) })),
      GetInfo: unary(log, () => ({})),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = new WorkerService(`127.0.0.1:${port}`, channelCredentials({ insecure: true }));
  });

  after(() => {
    client.close();
    server.forceShutdown();
  });

  /** Pings with `requestId` in the metadata (none when undefined): the id the handler saw and the one logged. */
  async function ping(requestId: string | undefined): Promise<{ handler: string; forwarded: unknown; logged: unknown }> {
    const before = lines.length;
    const answer = await callUnary<PingResponse__Output>((m, o, cb) => client.ping({ message: "" }, m, o, cb), { timeoutMs: 5_000, requestId });
    // The access line is written when the status is sent, which is before the answer arrives here.
    const access = lines.slice(before).find((line) => line.msg === "rpc");
    const [handler, forwarded] = JSON.parse(answer.message) as [string, unknown];
    return { handler, forwarded, logged: access?.requestId };
  }

  it("keeps a caller's safe request id", async () => {
    expect(await ping("req-42")).to.deep.equal({ handler: "req-42", forwarded: "req-42", logged: "req-42" });
  });

  it("gives a call without one a new id that the handler and the access log share", async () => {
    const { handler, forwarded, logged } = await ping(undefined);
    expect(handler).to.match(/^[0-9a-f-]{36}$/);
    expect([forwarded, logged]).to.deep.equal([handler, handler]);
  });

  it("replaces an unsafe id, and the handler sees the replacement, not the caller's text", async () => {
    const { handler, forwarded, logged } = await ping("two words <x>");
    expect(handler).to.match(/^[0-9a-f-]{36}$/);
    expect([forwarded, logged]).to.deep.equal([handler, handler]);
  });
});
