// The gateway in this process, with no orchestrator behind it: everything a request meets before
// any rack (auth, validation, limits, routing errors, probes, metrics, request ids, shutdown).
import { createServer, type Server, type Socket } from "node:net";
import { expect } from "chai";
import { Gateway } from "../src/gateway.js";

const TOKENS = "test-librarian:librarian:ada,test-member:member:grace";

/** A TCP port that accepts connections and never answers: every gRPC call to it waits out its deadline. */
async function blackHole(): Promise<{ address: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe("app-node HTTP app (no racks behind it)", function () {
  this.timeout(10_000);
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let gateway: Gateway;
  let base: string;

  before(async () => {
    hole = await blackHole();
    gateway = new Gateway({
      BIND_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      ORK_ADDR: hole.address,
      API_TOKENS: TOKENS,
      LOG_LEVEL: "silent",
      CALL_TIMEOUT_MS: "300",
      SHUTDOWN_TIMEOUT_MS: "3000",
    });
    await gateway.start();
    base = `http://127.0.0.1:${gateway.port}`;
  });

  after(async () => {
    await gateway.stop("test over");
    hole.close();
  });

  const librarian = { authorization: "Bearer test-librarian" };
  const member = { authorization: "Bearer test-member" };

  async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    return { status: response.status, headers: response.headers, text, json: type.includes("json") && text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  /** grpc_client_started_total of BookService, summed over its methods. */
  async function grpcCallsStarted(): Promise<number> {
    const text = (await call("GET", "/metrics")).text;
    return [...text.matchAll(/^grpc_client_started_total\{[^}]*grpc_service="bookstore\.book\.v1\.BookService"[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  it("is alive but not ready without a routing table", async () => {
    expect((await call("GET", "/healthz")).json).to.deep.equal({ status: "ok" });
    const ready = await call("GET", "/readyz");
    expect(ready.status).to.equal(503);
    expect(ready.json).to.have.nested.property("error.code", "UNAVAILABLE");
  });

  it("asks for a bearer token (401) and a role that may do it (403)", async () => {
    const missing = await call("GET", "/v1/books");
    expect(missing.status).to.equal(401);
    expect(missing.headers.get("www-authenticate")).to.equal('Bearer realm="bookstore"');
    expect(missing.json).to.deep.equal({ error: { code: "UNAUTHENTICATED", message: "missing bearer token: send Authorization: Bearer <token>" } });
    const unknown = await call("GET", "/v1/books", { authorization: "Bearer not-a-token-we-know" });
    expect(unknown.status).to.equal(401);
    expect(unknown.text).not.to.include("not-a-token-we-know");
    const json = { ...member, "content-type": "application/json" };
    expect((await call("POST", "/v1/books", json, '{"title":"T","author":"A"}')).status).to.equal(403);
    expect((await call("GET", "/v1/workers", member)).json).to.have.nested.property("error.code", "PERMISSION_DENIED");
    expect((await call("DELETE", "/v1/books/rack-1.x", member)).status).to.equal(403);
  });

  it("checks the token before reading the body", async () => {
    const response = await call("POST", "/v1/books", { "content-type": "application/json" }, "{not json");
    expect(response.status).to.equal(401);
  });

  it("answers 400 with one detail per bad field", async () => {
    const response = await call("POST", "/v1/books", { ...librarian, "content-type": "application/json" }, JSON.stringify({ author: "", year: "1965", extra: 1 }));
    expect(response.status).to.equal(400);
    const error = (response.json as { error: { code: string; details: Array<{ field: string }> } }).error;
    expect(error.code).to.equal("INVALID_ARGUMENT");
    expect(error.details.map((d) => d.field).sort()).to.deep.equal(["author", "extra", "title", "year"]);
    const query = await call("GET", "/v1/books?pageSize=5000&sort=title", member);
    expect((query.json as { error: { details: Array<{ field: string }> } }).error.details.map((d) => d.field).sort()).to.deep.equal(["pageSize", "sort"]);
    const token = await call("GET", "/v1/books?pageToken=garbage", member);
    expect(token.json).to.deep.equal({
      error: { code: "INVALID_ARGUMENT", message: "pageToken: not a token this API issued", details: [{ field: "pageToken", message: "not a token this API issued" }] },
    });
  });

  it("answers 400 to malformed JSON and 413 to a body over the limit", async () => {
    const json = { ...librarian, "content-type": "application/json" };
    const malformed = await call("POST", "/v1/books", json, '{"title": ');
    expect(malformed.status).to.equal(400);
    expect(malformed.json).to.have.nested.property("error.details[0].field", "body");
    const large = await call("POST", "/v1/books", json, JSON.stringify({ title: "x".repeat(40_000), author: "A" }));
    expect(large.status).to.equal(413);
    expect(large.json).to.have.nested.property("error.code", "PAYLOAD_TOO_LARGE");
  });

  it("answers 404 to an id that names no rack, and 503 at once to a rack it does not know", async () => {
    const noRack = await call("GET", "/v1/books/not-an-id", member);
    expect(noRack.status).to.equal(404);
    expect(noRack.json).to.have.nested.property("error.code", "NOT_FOUND");
    const callsBefore = await grpcCallsStarted();
    const unknownRack = await call("GET", "/v1/books/rack-9.0b6e8f5c", member);
    expect(unknownRack.status).to.equal(503);
    expect(unknownRack.json).to.have.nested.property("error.message", "book rack rack-9 is not known to the orchestrator");
    // Refused before any call: nothing waited for a deadline.
    expect(await grpcCallsStarted()).to.equal(callsBefore);
    expect((await call("GET", "/v1/books", member)).status).to.equal(503);
    expect((await call("POST", "/v1/books", { ...librarian, "content-type": "application/json" }, '{"title":"T","author":"A"}')).status).to.equal(503);
  });

  it("answers 504 when the orchestrator does not answer within the deadline", async () => {
    const startedAt = Date.now();
    const response = await call("GET", "/v1/workers", librarian);
    expect(response.status).to.equal(504);
    expect(response.json).to.have.nested.property("error.code", "DEADLINE_EXCEEDED");
    expect(Date.now() - startedAt).to.be.within(250, 2_000);
  });

  it("answers unknown paths with 404 and known paths with other methods with 405, in the same shape", async () => {
    const unknown = await call("GET", "/v2/nothing");
    expect(unknown.json).to.deep.equal({ error: { code: "NOT_FOUND", message: "no route GET /v2/nothing" } });
    const wrongMethod = await call("PUT", "/v1/books", librarian);
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get("allow")).to.include("GET").and.to.include("POST");
    expect(wrongMethod.json).to.have.nested.property("error.code", "METHOD_NOT_ALLOWED");
  });

  it("keeps a safe x-request-id and makes one otherwise", async () => {
    expect((await call("GET", "/healthz", { "x-request-id": "abc-123" })).headers.get("x-request-id")).to.equal("abc-123");
    const made = (await call("GET", "/healthz", { "x-request-id": "bad id\twith spaces" })).headers.get("x-request-id");
    expect(made).to.match(/^[0-9a-f-]{36}$/);
  });

  it("counts requests by route pattern, never by raw path", async () => {
    await call("GET", "/v1/books/not-an-id", member);
    await call("GET", "/no/such/path/12345");
    const metrics = (await call("GET", "/metrics")).text;
    expect(metrics).to.match(/http_requests_total\{method="GET",route="\/v1\/books\/:id",status_code="404"\} \d+/);
    expect(metrics).to.match(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/books\/:id",status_code="404"\} \d+/);
    expect(metrics).to.match(/http_requests_total\{method="GET",route="unmatched",status_code="404"\} \d+/);
    expect(metrics).not.to.include("not-an-id");
    expect(metrics).not.to.include("12345");
    expect(metrics).to.include("process_cpu_seconds_total");
  });

  it("serves its OpenAPI document without a token", async () => {
    const response = await call("GET", "/openapi.json");
    expect(response.status).to.equal(200);
    expect(response.json).to.have.property("openapi", "3.1.0");
  });

  it("on stop: not ready at once, lets an in-flight request finish, then closes", async () => {
    const inFlight = call("GET", "/v1/workers", librarian); // waits out its 300 ms deadline
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = gateway.stop("test");
    const finished = await inFlight;
    expect(finished.status).to.equal(504);
    await stopped;
    let refused = false;
    await fetch(`${base}/healthz`).catch(() => (refused = true));
    expect(refused).to.equal(true);
  });
});
