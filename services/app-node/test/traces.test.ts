// Traces for real: the whole system as processes, exporting OTLP/HTTP JSON to a receiver on
// loopback. Each request is one trace: app-node's HTTP span, a client span per call it makes,
// and each rack's server span under it; the caller's traceparent is followed (and its "not
// sampled" flag too), failures carry the error status where the conventions put it, and the log
// lines of every hop name the trace.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";
import { waitUntil } from "../../../compose/local/kit/wait-until.js";
import { OtlpReceiver, type ReceivedSpan, SPAN_KIND, STATUS_CODE } from "../../../compose/local/kit/testing/otlp-receiver.js";

const BOOKS = "bookstore.book.v1.BookService";

describe("traces across every hop (processes, OTLP on loopback)", function () {
  this.timeout(60_000);
  const receiver = new OtlpReceiver();
  let system: RunningSystem;
  let dataDir: string;
  const books: Record<string, string> = {};

  before(async function () {
    this.timeout(90_000);
    dataDir = mkdtempSync(join(tmpdir(), "bookstore-traces-"));
    const endpoint = await receiver.start();
    system = await startSystem({
      portBase: await freePortBase(),
      dataDir,
      env: {
        LOG_LEVEL: "info",
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // Parent-based with a ratio, from the standard variables: every new trace here, and a
        // caller's decision followed.
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "1",
        OTEL_BSP_SCHEDULE_DELAY: "100",
      },
    });
    // One book on each rack (new books take turns).
    for (let i = 0; i < 2; i++) {
      const created = await api("POST", "/v1/books", { title: `Traced ${i}`, author: "Span Writer" }, { "x-request-id": `trace-create-${i}` });
      expect(created.status).to.equal(201);
      const id = String(created.json.id);
      books[id.split(".")[0] ?? ""] = id;
    }
    expect(Object.keys(books).sort()).to.deep.equal(["rack-1", "rack-2"]);
  });

  after(async function () {
    this.timeout(60_000);
    await system?.stop();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${system.tokens.librarian}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** The trace id app-node's log line gives the request with this id (the line may come through the pipe after the answer). */
  async function traceIdOfRequest(requestId: string): Promise<string> {
    const lineOf = () => system.services["app-node"].logs().find((l) => l.requestId === requestId && (l.msg === "request" || l.msg === "request failed"));
    const line = await waitUntil(lineOf, { what: `app-node's line for ${requestId}`, timeoutMs: 5_000 }).catch(() => undefined);
    expect(line, `app-node's line for ${requestId}`).to.not.equal(undefined);
    expect(line?.traceId, "the request line names its trace").to.match(/^[0-9a-f]{32}$/);
    return String(line?.traceId);
  }

  /** Waits until the trace has `count` spans (the batches leave every 100 ms), then gives them. */
  async function traceOf(traceId: string, count: number): Promise<ReceivedSpan[]> {
    await waitUntil(() => receiver.trace(traceId).length >= count, { what: `${count} spans of ${traceId}`, timeoutMs: 10_000, intervalMs: 100 }).catch(() => undefined);
    const spans = receiver.trace(traceId);
    expect(spans.map((s) => `${s.service} ${s.name}`), "spans of the trace").to.have.length(count);
    expect(receiver.rejected).to.deep.equal([]);
    return spans;
  }

  const one = (spans: ReceivedSpan[], test: (span: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
    const found = spans.filter(test);
    expect(found, what).to.have.length(1);
    return found[0] as ReceivedSpan;
  };

  it("makes one trace of a create: the HTTP span, the call, the rack's span, parented in that order", async function () {
    const traceId = await traceIdOfRequest("trace-create-0");
    const spans = await traceOf(traceId, 3);
    const http = one(spans, (s) => s.service === "app-node" && s.kind === SPAN_KIND.SERVER, "app-node's HTTP span");
    expect(http.parentSpanId, "a request without traceparent starts the trace").to.equal("");
    expect(http.name).to.equal("POST /v1/books");
    expect(http.attributes).to.include({ "http.request.method": "POST", "http.route": "/v1/books", "http.response.status_code": 201, "url.path": "/v1/books", "url.scheme": "http" });
    const call = one(spans, (s) => s.service === "app-node" && s.kind === SPAN_KIND.CLIENT, "app-node's client span");
    expect(call.parentSpanId).to.equal(http.spanId);
    expect(call.name).to.equal(`${BOOKS}/CreateBook`);
    expect(call.attributes).to.include({ "rpc.system": "grpc", "rpc.service": BOOKS, "rpc.method": "CreateBook", "rpc.grpc.status_code": 0 });
    const rack = one(spans, (s) => s.service === "wrk-book", "the rack's server span");
    expect(rack.kind).to.equal(SPAN_KIND.SERVER);
    expect(rack.parentSpanId, "the rack's span is the call's child, through traceparent").to.equal(call.spanId);
    expect(rack.attributes).to.include({ "rpc.system": "grpc", "rpc.method": "CreateBook", "rpc.grpc.status_code": 0 });
    expect(spans.map((s) => s.statusCode)).to.deep.equal([STATUS_CODE.UNSET, STATUS_CODE.UNSET, STATUS_CODE.UNSET]);

    // The rack's log line for the call names the same trace and its own span.
    const racks = [system.services["wrk-book-1"], system.services["wrk-book-2"]].flatMap((service) => service.logs());
    const line = racks.find((l) => l.requestId === "trace-create-0" && l.msg === "rpc");
    expect(line).to.include({ traceId, spanId: rack.spanId });
  });

  it("follows the caller's traceparent through a listing that fans out to both racks", async function () {
    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const listed = await api("GET", "/v1/books?pageSize=5", undefined, { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(listed.status).to.equal(200);
    const spans = await traceOf(traceId, 5);
    const http = one(spans, (s) => s.service === "app-node" && s.kind === SPAN_KIND.SERVER, "app-node's HTTP span");
    expect(http.parentSpanId, "the caller's span is the parent").to.equal(callerSpan);
    expect(http.name).to.equal("GET /v1/books");
    const calls = spans.filter((s) => s.kind === SPAN_KIND.CLIENT);
    expect(calls.map((s) => [s.name, s.parentSpanId])).to.deep.equal([`${BOOKS}/ListBooks`, `${BOOKS}/ListBooks`].map((name) => [name, http.spanId]));
    const served = spans.filter((s) => s.service === "wrk-book");
    expect(served.map((s) => s.parentSpanId).sort(), "each rack under its own call").to.deep.equal(calls.map((s) => s.spanId).sort());
  });

  it("exports nothing of a request whose caller did not sample it, and still names the trace in the logs", async function () {
    const traceId = randomBytes(16).toString("hex");
    const requestId = `unsampled-${randomUUID()}`;
    const got = await api("GET", `/v1/books/${books["rack-1"]}`, undefined, { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-00`, "x-request-id": requestId });
    expect(got.status).to.equal(200);
    expect(await traceIdOfRequest(requestId)).to.equal(traceId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.trace(traceId)).to.deep.equal([]);
  });

  it("marks a NotFound as the client's failed call, not the rack's error, and the 404 as no error", async function () {
    const requestId = `missing-${randomUUID()}`;
    const missing = await api("GET", `/v1/books/rack-1.${randomUUID()}`, undefined, { "x-request-id": requestId });
    expect(missing.status).to.equal(404);
    const spans = await traceOf(await traceIdOfRequest(requestId), 3);
    const call = one(spans, (s) => s.kind === SPAN_KIND.CLIENT, "the call");
    expect([call.attributes["rpc.grpc.status_code"], call.statusCode]).to.deep.equal([5, STATUS_CODE.ERROR]);
    const rack = one(spans, (s) => s.service === "wrk-book", "the rack's span");
    expect([rack.attributes["rpc.grpc.status_code"], rack.statusCode]).to.deep.equal([5, STATUS_CODE.UNSET]);
    const http = one(spans, (s) => s.service === "app-node" && s.kind === SPAN_KIND.SERVER, "the HTTP span");
    expect([http.attributes["http.response.status_code"], http.statusCode]).to.deep.equal([404, STATUS_CODE.UNSET]);
  });

  /** The trace ids the `<name>_bucket` lines of `/metrics` carry as exemplars, on lines naming `method`. */
  async function bucketExemplars(httpUrl: string, name: string, method: string): Promise<string[]> {
    const response = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(response.headers.get("content-type"), httpUrl).to.match(/^application\/openmetrics-text; version=1\.0\.0/);
    const text = await response.text();
    expect(text.trimEnd().endsWith("# EOF"), `${httpUrl} ends as OpenMetrics does`).to.equal(true);
    return text
      .split("\n")
      .filter((line) => line.startsWith(`${name}_bucket{`) && line.includes(`grpc_method="${method}"`))
      .map((line) => / # \{trace_id="([0-9a-f]{32})"\} [0-9.e-]+ [0-9.]+$/.exec(line)?.[1])
      .filter((id) => id !== undefined);
  }

  it("leaves the trace id of a traced call as the exemplar of its gRPC latency bucket, on both sides", async function () {
    const traceId = await traceIdOfRequest("trace-create-1");
    expect(await bucketExemplars(system.apiUrl, "grpc_client_handling_seconds", "CreateBook"), "app-node's client histogram").to.include(traceId);
    const racks = [...(await bucketExemplars(system.services["wrk-book-1"].httpUrl, "grpc_server_handling_seconds", "CreateBook")), ...(await bucketExemplars(system.services["wrk-book-2"].httpUrl, "grpc_server_handling_seconds", "CreateBook"))];
    expect(racks, "the rack's server histogram").to.include(traceId);
  });

  it("puts the error status on the failed hop when a rack is gone, and on the 503", async function () {
    await system.services["wrk-book-2"].kill("SIGKILL");
    const requestId = `gone-${randomUUID()}`;
    const gone = await api("GET", `/v1/books/${books["rack-2"]}`, undefined, { "x-request-id": requestId });
    expect(gone.status).to.equal(503);
    const traceId = await traceIdOfRequest(requestId);
    // The rack cannot answer: app-node's two spans, and none of a rack.
    const spans = await traceOf(traceId, 2);
    const call = one(spans, (s) => s.kind === SPAN_KIND.CLIENT, "the failed call");
    expect([call.attributes["rpc.grpc.status_code"], call.statusCode]).to.deep.equal([14, STATUS_CODE.ERROR]);
    const http = one(spans, (s) => s.kind === SPAN_KIND.SERVER, "the HTTP span");
    expect(http.attributes).to.include({ "http.response.status_code": 503, "error.type": "503" });
    expect(http.statusCode).to.equal(STATUS_CODE.ERROR);
  });

  it("leaves the trace id of a traced request as the exemplar of its latency bucket, in OpenMetrics", async function () {
    const traceId = await traceIdOfRequest("trace-create-1");
    const response = await fetch(`${system.apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(response.headers.get("content-type")).to.match(/^application\/openmetrics-text; version=1\.0\.0/);
    const text = await response.text();
    expect(text.trimEnd().endsWith("# EOF")).to.equal(true);
    const buckets = text.split("\n").filter((line) => line.startsWith("http_request_duration_seconds_bucket{") && line.includes('route="/v1/books"') && line.includes('method="POST"'));
    const exemplars = buckets.map((line) => / # \{trace_id="([0-9a-f]{32})"\} ([0-9.e-]+) ([0-9.]+)$/.exec(line)).filter((match) => match !== null);
    expect(exemplars.map((match) => match[1]), "the second create's trace, on the bucket it fell in").to.include(traceId);
  });

  it("gives heartbeats and health checks no traces of their own", function () {
    const routine = receiver.spans.filter((s) => s.name.endsWith("/Heartbeat") || s.name.startsWith("grpc.health.v1."));
    expect(routine.map((s) => `${s.service} ${s.name}`)).to.deep.equal([]);
    expect(receiver.spans.some((s) => s.service === "wrk-ork"), "wrk-ork's own calls are traced").to.equal(true);
  });
});
