// The gateway in this process, with no orchestrator behind it: everything a request meets before
// any rack (auth, validation, limits, routing errors, probes, metrics, request ids, shutdown).
import { type IncomingHttpHeaders, request as httpRequest } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { Gateway } from "../src/gateway.js";
import { knownTlsEnv } from "../../../compose/local/kit/testing/tls.js";

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
      ...knownTlsEnv("app-node"),
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

  function rawRequest(method: string, path: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(base + path, { method }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on("error", reject).end();
    });
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

  it("refuses a body it cannot decode as its Content-Encoding says: 415, in the error shape", async () => {
    const json = { ...member, "content-type": "application/json" };
    const unknown = await call("POST", "/v1/books/rack-1.x/checkout", { ...json, "content-encoding": "compress" }, "{}");
    expect(unknown.status).to.equal(415);
    expect(unknown.json).to.deep.equal({
      error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Encoding compress is not accepted: send identity, gzip, deflate or br" },
    });
    const corrupt = await call("POST", "/v1/books/rack-1.x/return", { ...json, "content-encoding": "gzip" }, "{}");
    expect(corrupt.status).to.equal(415);
    expect(corrupt.json).to.have.nested.property("error.message", "the body is not valid gzip");
    const zipped = await fetch(`${base}/v1/books`, {
      method: "POST",
      headers: { ...librarian, "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ author: "A" })),
    });
    // Decoded, then validated: the title is missing.
    expect(await zipped.json()).to.have.nested.property("error.details[0].field", "title");
  });

  it("refuses text that is not UTF-8 or not Unicode (400 naming the field) and other charsets (415)", async () => {
    const json = { ...librarian, "content-type": "application/json" };
    const bytes = Buffer.concat([Buffer.from('{"title":"T","author":"Ad'), Buffer.from([0xc3, 0x28]), Buffer.from('a"}')]);
    const invalidUtf8 = await fetch(`${base}/v1/books`, { method: "POST", headers: json, body: bytes });
    expect(invalidUtf8.status).to.equal(400);
    expect(await invalidUtf8.json()).to.deep.equal({
      error: { code: "INVALID_ARGUMENT", message: "author: not valid UTF-8 text", details: [{ field: "author", message: "not valid UTF-8 text" }] },
    });
    const surrogate = await call("POST", "/v1/books", json, '{"title":"T","author":"A","tags":["ok","\\ud800x"]}');
    expect(surrogate.status).to.equal(400);
    expect(surrogate.json).to.have.nested.property("error.details[0].field", "tags.1");
    expect(surrogate.json).to.have.nested.property("error.details[0].message", "not valid Unicode text (a lone surrogate)");
    const latin1 = await call("POST", "/v1/books", { ...librarian, "content-type": "application/json; charset=iso-8859-1" }, '{"title":"T","author":"A"}');
    expect(latin1.status).to.equal(415);
    expect(latin1.json).to.have.nested.property("error.code", "UNSUPPORTED_MEDIA_TYPE");
    // UTF-8 named either way is fine (then 503: no rack behind this gateway).
    expect((await call("POST", "/v1/books", { ...librarian, "content-type": "application/json; charset=UTF-8" }, '{"title":"T\uFFFD","author":"A"}')).status).to.equal(503);
  });

  it("answers with nosniff and no-store, and 405 in the error shape to methods the API does not serve", async () => {
    for (const path of ["/healthz", "/v1/books", "/nowhere"]) {
      const { headers } = await call("GET", path, member);
      expect(headers.get("x-content-type-options"), path).to.equal("nosniff");
      expect(headers.get("cache-control"), path).to.equal("no-store");
    }
    for (const path of ["/v1/books", "/nowhere"]) {
      // fetch refuses to send TRACE: plain node:http does.
      const answer = await rawRequest("TRACE", path);
      expect(answer.status, path).to.equal(405);
      expect(answer.headers.allow, path).to.include("GET");
      expect(JSON.parse(answer.text), path).to.have.nested.property("error.code", "METHOD_NOT_ALLOWED");
    }
  });

  it("refuses a bad Idempotency-Key with 400 naming the header, before any call", async () => {
    const callsBefore = await grpcCallsStarted();
    for (const key of ['"unterminated', '"with space" extra', "", `"${"k".repeat(256)}"`, '"caf\u00e9"']) {
      const answer = await call("POST", "/v1/books", { ...librarian, "content-type": "application/json", "idempotency-key": key }, '{"title":"T","author":"A"}');
      expect(answer.status, JSON.stringify(key)).to.equal(400);
      expect(answer.json, JSON.stringify(key)).to.have.nested.property("error.details[0].field", "Idempotency-Key");
    }
    expect(await grpcCallsStarted()).to.equal(callsBefore);
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
