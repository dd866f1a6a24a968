// The gRPC series' words and counts: `grpc_code` spelled as grpc-go and go-grpc-prometheus spell
// it, so community dashboards match; messages counted each way, once per message.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { GrpcMetrics, createMetricRegistry, grpcCodeLabel } from "../src/metrics.js";

describe("gRPC metrics", () => {
  it("spells every code as grpc-go's codes.Code.String() does", () => {
    const codes = Object.values(grpc.status).filter((value): value is number => typeof value === "number");
    expect(codes.map(grpcCodeLabel)).to.deep.equal([
      "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
      "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
      "DataLoss", "Unauthenticated",
    ]);
    expect(grpcCodeLabel(42 as grpc.status)).to.equal("Code(42)");
  });

  it("counts messages each way and the end once, with the code in Go's words", async () => {
    const registry = new Registry();
    const metrics = new GrpcMetrics(registry, "server");
    const call = metrics.begin("bookstore.ork.v1.OrchestratorService", "WatchRouting", "server_stream");
    call.received();
    for (let i = 0; i < 3; i++) call.sent();
    call.end(grpc.status.UNAVAILABLE);
    call.end(grpc.status.OK);
    const value = async (name: string): Promise<Array<[Record<string, string | number>, number]>> =>
      (await registry.getSingleMetric(name)?.get())?.values.map((v) => [v.labels, v.value] as [Record<string, string | number>, number]) ?? [];
    const labels = { grpc_service: "bookstore.ork.v1.OrchestratorService", grpc_method: "WatchRouting", grpc_type: "server_stream" };
    expect(await value("grpc_server_msg_received_total")).to.deep.equal([[labels, 1]]);
    expect(await value("grpc_server_msg_sent_total")).to.deep.equal([[labels, 3]]);
    expect(await value("grpc_server_handled_total")).to.deep.equal([[{ ...labels, grpc_code: "Unavailable" }, 1]]);
  });

  it("leaves a sampled call's trace id on its latency bucket in OpenMetrics, and only there", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const scrape = async (registry: Registry): Promise<string[]> => {
      const metrics = new GrpcMetrics(registry, "client");
      metrics.begin("bookstore.book.v1.BookService", "GetBook", "unary", "rack-1").end(grpc.status.OK, traceId);
      metrics.begin("bookstore.book.v1.BookService", "GetBook", "unary", "rack-1").end(grpc.status.OK);
      return (await registry.metrics()).split("\n").filter((line) => line.startsWith("grpc_client_handling_seconds_"));
    };
    const open = await scrape(createMetricRegistry({ openMetrics: true }));
    const withExemplar = open.filter((line) => line.includes(` # {trace_id="${traceId}"} `));
    expect(withExemplar, "one bucket carries the trace").to.have.length(1);
    expect(withExemplar[0]).to.match(/^grpc_client_handling_seconds_bucket\{[^}]*\} [12] # /);
    for (const label of ['grpc_method="GetBook"', 'rack="rack-1"', 'grpc_code="OK"', "le="]) expect(withExemplar[0]).to.include(label);
    expect(open.find((line) => line.startsWith("grpc_client_handling_seconds_count")), "both calls counted").to.match(/ 2$/);
    // The text format cannot carry exemplars: the same calls, counted, and no trace id written.
    const text = await scrape(createMetricRegistry());
    expect(text.some((line) => line.includes("trace_id"))).to.equal(false);
    expect(text.find((line) => line.startsWith("grpc_client_handling_seconds_count"))).to.match(/ 2$/);
  });
});
