// End to end: the whole system as real processes on loopback (compose/local), driven only over
// HTTP (the API) and by signals: CRUD, search and paging across two racks, conflicting checkouts,
// auth, a rack killed and started again, the orchestrator killed and started again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { expect } from "chai";
import { type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";
import { metricValue } from "../../../compose/local/kit/testing/process.js";
import { waitUntil } from "../../../compose/local/kit/wait-until.js";

const CALL_TIMEOUT_MS = 1_000;

interface Book {
  id: string;
  title: string;
  author: string;
  isbn: string | null;
  year: number | null;
  tags: string[];
  status: "available" | "checked_out";
  borrower: string | null;
  createdAt: string;
  version: number;
}

interface Answer<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Headers;
  ms: number;
}

describe("the whole system, end to end", function () {
  this.timeout(60_000);
  let system: RunningSystem;
  let dataDir: string;
  const run = Math.random().toString(36).slice(2, 8);

  before(async function () {
    this.timeout(60_000);
    dataDir = mkdtempSync(join(tmpdir(), "bookstore-e2e-"));
    system = await startSystem({
      portBase: await freePortBase(),
      dataDir,
      env: {
        LOG_LEVEL: "info",
        // Short orchestrator timings so that a dead rack is noticed within a second or two.
        ORK_LEASE_SECONDS: "3",
        ORK_HEARTBEAT_SECONDS: "1",
        ORK_HEALTH_CHECK_INTERVAL_MS: "250",
        ORK_HEALTH_CHECK_TIMEOUT_MS: "200",
        ORK_HEALTH_FAILURES: "2",
        CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      },
    });
    console.log(`      (system ready in ${Math.round(system.readyAfterMs)} ms)`);
  });

  after(async function () {
    this.timeout(60_000);
    if (system) {
      const exits = await system.stop();
      for (const [name, exit] of Object.entries(exits)) expect(exit, name).to.deep.equal({ code: 0, signal: null });
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** One API call as a client makes it, with its own deadline so that nothing can hang the test. */
  async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: "librarian" | "member" | string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token === "librarian" || options.token === "member" ? system.tokens[options.token] : options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const startedAt = performance.now();
    const response = await fetch(system.apiUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as T, headers: response.headers, ms: performance.now() - startedAt };
  }

  async function createBook(fields: Record<string, unknown>): Promise<Book> {
    const answer = await api<Book>("POST", "/v1/books", { token: "librarian", body: fields });
    expect(answer.status, JSON.stringify(answer.json)).to.equal(201);
    return answer.json;
  }

  /** Every book a listing returns, following nextPageToken to the end. */
  async function listAll(query: string, pageSize: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const answer = await api<{ items: Book[]; nextPageToken: string; missingRacks?: string[] }>(
        "GET",
        `/v1/books?${query}&pageSize=${pageSize}${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`,
        { token: "member" },
      );
      expect(answer.status).to.equal(200);
      expect(answer.json.missingRacks).to.equal(undefined);
      expect(answer.json.items.length).to.be.at.most(pageSize);
      ids.push(...answer.json.items.map((book) => book.id));
      token = answer.json.nextPageToken;
      pages++;
      expect(pages).to.be.below(50);
    } while (token !== "");
    return { ids, pages };
  }

  async function workers(): Promise<Array<{ id: string; type: string; rack: string | null; state: string }>> {
    const answer = await api<{ workers: Array<{ id: string; type: string; rack: string | null; state: string }> }>("GET", "/v1/workers", { token: "librarian" });
    expect(answer.status, JSON.stringify(answer.json)).to.equal(200);
    return answer.json.workers;
  }

  function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<Exclude<T, undefined | false>> {
    return waitUntil(probe, { what, timeoutMs, intervalMs: 100 });
  }

  const rackOf = (id: string): string => id.slice(0, id.indexOf("."));

  it("serves the API with every worker registered", async () => {
    const list = await workers();
    const books = list.filter((w) => w.type === "book");
    expect(books.map((w) => [w.rack, w.state])).to.deep.equal([
      ["rack-1", "up"],
      ["rack-2", "up"],
    ]);
    expect(list.map((w) => w.type).sort()).to.deep.equal(["base", "book", "book", "thing"]);
    expect((await api("GET", "/readyz")).status).to.equal(200);
  });

  it("creates, reads, changes and deletes a book", async () => {
    const created = await api<Book>("POST", "/v1/books", {
      token: "librarian",
      body: { title: "Dune", author: "Frank Herbert", isbn: "978-0-441-17271-9", year: 1965, tags: ["sf", `run-${run}`] },
    });
    expect(created.status).to.equal(201);
    const book = created.json;
    expect(book).to.include({ title: "Dune", author: "Frank Herbert", year: 1965, status: "available", borrower: null, version: 1 });
    expect(rackOf(book.id)).to.match(/^rack-[12]$/);
    expect(created.headers.get("location")).to.equal(`/v1/books/${book.id}`);

    expect((await api<Book>("GET", `/v1/books/${book.id}`, { token: "member" })).json).to.deep.equal(book);

    const changed = await api<Book>("PATCH", `/v1/books/${book.id}`, { token: "librarian", body: { title: "Dune (1965)", year: null, expectedVersion: 1 } });
    expect(changed.status).to.equal(200);
    expect(changed.json).to.include({ title: "Dune (1965)", year: null, author: "Frank Herbert", version: 2 });
    const stale = await api("PATCH", `/v1/books/${book.id}`, { token: "librarian", body: { title: "Stale", expectedVersion: 1 } });
    expect(stale.status).to.equal(409);
    expect(stale.json).to.have.nested.property("error.code", "ABORTED");

    // The rack checks the ISBN's check digit; its field comes back through the gRPC trailer.
    const badIsbn = await api("PATCH", `/v1/books/${book.id}`, { token: "librarian", body: { isbn: "978-0-441-17271-0" } });
    expect(badIsbn.status).to.equal(400);
    expect(badIsbn.json).to.have.nested.property("error.details[0].field", "isbn");

    expect((await api("DELETE", `/v1/books/${book.id}?expectedVersion=2`, { token: "librarian" })).status).to.equal(204);
    const gone = await api("GET", `/v1/books/${book.id}`, { token: "member" });
    expect(gone.status).to.equal(404);
    expect(gone.json).to.have.nested.property("error.code", "NOT_FOUND");
    expect((await api("GET", "/v1/books/no-rack-in-this-id", { token: "member" })).status).to.equal(404);
  });

  it("searches and pages across both racks", async () => {
    const tag = `page-${run}`;
    const created: Book[] = [];
    for (let i = 0; i < 13; i++) {
      created.push(await createBook({ title: `${i % 3 === 0 ? "Zyzzyva" : "Common"} volume ${i}`, author: `Author ${i}`, tags: [tag] }));
    }
    expect(new Set(created.map((b) => rackOf(b.id)))).to.deep.equal(new Set(["rack-1", "rack-2"]));

    const { ids, pages } = await listAll(`tag=${tag}`, 4);
    expect(pages).to.equal(4);
    // Listings are in (createdAt, id) order: books made in the same millisecond go by id.
    const inOrder = [...created].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    expect(ids).to.deep.equal(inOrder.map((b) => b.id));

    const found = await api<{ items: Book[]; nextPageToken: string }>("GET", `/v1/books?q=zyzzyva&tag=${tag}`, { token: "member" });
    const rare = new Set(created.filter((_, i) => i % 3 === 0).map((b) => b.id));
    expect(found.json.items.map((b) => b.id)).to.deep.equal(inOrder.filter((b) => rare.has(b.id)).map((b) => b.id));
    expect(found.json.nextPageToken).to.equal("");
  });

  it("lends a book to exactly one of many concurrent checkouts", async () => {
    const book = await createBook({ title: "Contested", author: "Many Readers", tags: [`run-${run}`] });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api<Book>("POST", `/v1/books/${book.id}/checkout`, { token: "librarian", body: { borrower: `reader-${i}` } })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).to.deep.equal([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)?.json;
    expect(answers.find((a) => a.status === 409)?.json).to.have.nested.property("error.code", "FAILED_PRECONDITION");
    const now = (await api<Book>("GET", `/v1/books/${book.id}`, { token: "member" })).json;
    expect(now).to.include({ status: "checked_out", borrower: winner?.borrower });
  });

  it("lets members borrow and return only as themselves", async () => {
    const book = await createBook({ title: "Member's pick", author: "Someone", tags: [`run-${run}`] });
    expect((await api("POST", `/v1/books/${book.id}/checkout`, { token: "member", body: { borrower: "someone-else" } })).status).to.equal(403);
    const out = await api<Book>("POST", `/v1/books/${book.id}/checkout`, { token: "member" });
    expect(out.status).to.equal(200);
    expect(out.json).to.include({ status: "checked_out", borrower: "member" });
    expect((await api("POST", `/v1/books/${book.id}/return`, { token: "member" })).json).to.include({ status: "available", borrower: null });
    const again = await api("POST", `/v1/books/${book.id}/return`, { token: "member" });
    expect(again.status).to.equal(409);

    const lent = await createBook({ title: "Lent to another", author: "Someone", tags: [`run-${run}`] });
    expect((await api("POST", `/v1/books/${lent.id}/checkout`, { token: "librarian", body: { borrower: "ada" } })).status).to.equal(200);
    expect((await api("POST", `/v1/books/${lent.id}/return`, { token: "member" })).status).to.equal(403);
    expect((await api("POST", `/v1/books/${lent.id}/return`, { token: "librarian" })).status).to.equal(200);
  });

  it("refuses calls without a token (401) or with a role too small (403)", async () => {
    expect((await api("GET", "/v1/books")).status).to.equal(401);
    expect((await api("GET", "/v1/books", { token: "not-a-known-token" })).status).to.equal(401);
    expect((await api("POST", "/v1/books", { token: "member", body: { title: "T", author: "A" } })).status).to.equal(403);
    expect((await api("GET", "/v1/workers", { token: "member" })).status).to.equal(403);
  });

  it("carries the request id into the rack's log, and never logs a token", async () => {
    const book = await createBook({ title: "Traced", author: "Someone" });
    const requestId = `e2e-${run}-trace`;
    const answer = await api("GET", `/v1/books/${book.id}`, { token: "member", headers: { "x-request-id": requestId } });
    expect(answer.headers.get("x-request-id")).to.equal(requestId);
    const rack = rackOf(book.id) === "rack-1" ? system.services["wrk-book-1"] : system.services["wrk-book-2"];
    await eventually("the rack's log line", async () => (rack.logs().some((l) => l.requestId === requestId) ? true : undefined), 3_000);
    // Log lines arrive through a pipe, which may be read after the HTTP answer: wait for them.
    const gatewayLine = await eventually("the gateway's log line", async () => system.services["app-node"].logs().find((l) => l.requestId === requestId), 3_000);
    expect(gatewayLine).to.include({ route: "/v1/books/:id", status: 200 });
    for (const service of Object.values(system.services)) {
      const text = service.lines.join("\n");
      expect(text, service.name).not.to.include(system.tokens.librarian);
      expect(text, service.name).not.to.include(system.tokens.member);
    }
  });

  it("reports a killed rack as missing, fails its books fast with 503, and gets them all back when it returns", async () => {
    const tag = `kill-${run}`;
    const created: Book[] = [];
    for (let i = 0; i < 6; i++) created.push(await createBook({ title: `Survivor ${i}`, author: "Rack Test", tags: [tag] }));
    const onRack2 = created.filter((b) => rackOf(b.id) === "rack-2");
    const onRack1 = created.filter((b) => rackOf(b.id) === "rack-1");
    expect(onRack2.length).to.be.greaterThan(0);

    const rack2 = system.services["wrk-book-2"];
    await rack2.kill("SIGKILL");

    // At once, before the orchestrator has noticed: calls fail fast, the listing names the rack.
    for (const book of onRack2) {
      const answer = await api("GET", `/v1/books/${book.id}`, { token: "member" });
      expect(answer.status).to.equal(503);
      expect(answer.ms).to.be.below(CALL_TIMEOUT_MS + 1_000);
    }
    const partial = await api<{ items: Book[]; missingRacks?: string[] }>("GET", `/v1/books?tag=${tag}`, { token: "member", headers: { "x-request-id": `e2e-${run}-partial` } });
    expect(partial.status).to.equal(200);
    expect(partial.json.missingRacks).to.deep.equal(["rack-2"]);
    expect(partial.json.items.map((b) => b.id).sort()).to.deep.equal(onRack1.map((b) => b.id).sort());
    expect(partial.ms).to.be.below(CALL_TIMEOUT_MS + 1_000);
    const partialLine = await eventually("the listing's log line", async () => system.services["app-node"].logs().find((line) => line.requestId === `e2e-${run}-partial`), 3_000);
    expect(partialLine).to.deep.include({ status: 200, missingRacks: ["rack-2"] });
    // The 200 that lacks a rack's books is counted by rack; the rack that answered is at 0.
    const metrics = await (await fetch(`${system.apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    expect(metricValue(metrics, "http_listings_missing_rack_total", { rack: "rack-2" })).to.be.at.least(1);
    expect(metricValue(metrics, "http_listings_missing_rack_total", { rack: "rack-1" })).to.equal(0);
    expect(metricValue(metrics, "worker_info", { type: "gateway" }), "app-node's version, for the dashboards").to.equal(1);
    expect(metricValue(metrics, "grpc_client_handled_total", { rack: "rack-1", grpc_method: "ListBooks", grpc_code: "OK" }), "client calls name their rack").to.be.at.least(1);

    // Once the orchestrator has marked it down, new books all go to the rack that is up.
    await eventually("rack-2 down", async () => ((await workers()).some((w) => w.rack === "rack-2" && w.state === "down") ? true : undefined));
    for (let i = 0; i < 3; i++) expect(rackOf((await createBook({ title: `While rack-2 is away ${i}`, author: "Rack Test", tags: [tag] })).id)).to.equal("rack-1");
    const down = await api("GET", `/v1/books/${onRack2[0]?.id}`, { token: "member" });
    expect(down.status).to.equal(503);
    expect(down.json).to.have.nested.property("error.message", "book rack rack-2 is down");

    await rack2.restart();
    await eventually("rack-2 routable again", async () => ((await api("GET", `/v1/books/${onRack2[0]?.id}`, { token: "member" })).status === 200 ? true : undefined));
    for (const book of onRack2) expect((await api<Book>("GET", `/v1/books/${book.id}`, { token: "member" })).json).to.deep.equal(book);
    const all = await listAll(`tag=${tag}`, 100);
    expect(all.ids).to.include.members(created.map((b) => b.id));
    expect(all.ids).to.have.length(created.length + 3);
  });

  it("stops a rack gracefully under create load without a failed create, then names it missing until it is back", async () => {
    const onRack2 = await eventually("a book on rack-2", async () => {
      const book = await createBook({ title: "Before rack-2 stops", author: "Stop Test" });
      return rackOf(book.id) === "rack-2" ? book : undefined;
    });
    // A graceful stop of rack-2 under create load: it leaves the table before it refuses calls,
    // so no create fails while rack-1 is up; then it stays named as missing, and its books 503.
    const rack2 = system.services["wrk-book-2"];
    const failedCreates: string[] = [];
    let creating = true;
    const creator = async (): Promise<void> => {
      for (let i = 0; creating; i++) {
        const answer = await api("POST", "/v1/books", { token: "librarian", body: { title: `Created while rack-2 stops ${i}`, author: "Stop Test" } });
        if (answer.status !== 201) failedCreates.push(`${answer.status} ${JSON.stringify(answer.json)}`);
      }
    };
    const creators = Array.from({ length: 4 }, creator);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rack2.kill("SIGTERM")).to.deep.equal({ code: 0, signal: null });
    await new Promise((resolve) => setTimeout(resolve, 200));
    creating = false;
    await Promise.all(creators);
    expect(failedCreates, "creates that failed while rack-1 was up").to.deep.equal([]);
    const stoppedRack = await api("GET", `/v1/books/${onRack2.id}`, { token: "member" });
    expect(stoppedRack.status).to.equal(503);
    expect(stoppedRack.json).to.have.nested.property("error.message", "book rack rack-2 is down");
    const listing = await api<{ missingRacks?: string[] }>("GET", "/v1/books?pageSize=5", { token: "member" });
    expect(listing.status).to.equal(200);
    expect(listing.json.missingRacks, "a cleanly stopped rack is named missing").to.deep.equal(["rack-2"]);
    const neverKnown = await api("GET", "/v1/books/rack-9.0b6e8f5c-4a7d-4c4e-9f1e-2d1c6c1f7a10", { token: "member" });
    expect(neverKnown.status, "a rack never known names no book").to.equal(404);
    expect(neverKnown.json).to.have.nested.property("error.code", "NOT_FOUND");
    await rack2.restart();
    await eventually("rack-2 routed again", async () => ((await api("GET", `/v1/books/${onRack2.id}`, { token: "member" })).status === 200 ? true : undefined));
  });

  it("makes a create with an Idempotency-Key once: a retry answers the same book, other fields 422, and retries across a rack kill make no duplicate", async () => {
    const tag = `idem-${run}`;
    const body = { title: "Once only", author: "Idem Test", tags: [tag] };
    const create = (key: string, fields: Record<string, unknown>) => api<Book>("POST", "/v1/books", { token: "librarian", body: fields, headers: { "idempotency-key": key } });
    const first = await create(`"k-${run}-once"`, body);
    expect(first.status).to.equal(201);
    expect(first.headers.get("idempotency-replayed")).to.equal(null);
    // The draft's quoted string and the bare key name the same key.
    for (const key of [`"k-${run}-once"`, `k-${run}-once`]) {
      const again = await create(key, body);
      expect(again.status, key).to.equal(201);
      expect(again.json, key).to.deep.equal(first.json);
      expect(again.headers.get("idempotency-replayed"), key).to.equal("true");
    }
    const other = await create(`"k-${run}-once"`, { ...body, title: "Another book" });
    expect(other.status).to.equal(422);
    expect(other.json).to.have.nested.property("error.code", "IDEMPOTENCY_KEY_REUSED");
    const bad = await create(`"unterminated`, body);
    expect(bad.status).to.equal(400);
    expect(bad.json).to.have.nested.property("error.details[0].field", "Idempotency-Key");

    // Creates with keys while rack-2 is killed and comes back: every failed one is retried with
    // its key until it succeeds. Each key must end as exactly one book.
    const rack2 = system.services["wrk-book-2"];
    const keys = Array.from({ length: 40 }, (_, i) => i);
    const made = new Map<number, string>();
    let retried = 0;
    let next = 0;
    const creator = async (): Promise<void> => {
      while (next < keys.length) {
        const i = next++;
        const deadline = Date.now() + 30_000;
        for (;;) {
          const answer = await create(`"k-${run}-${i}"`, { title: `Keyed ${i}`, author: "Idem Test", tags: [tag] });
          if (answer.status === 201) {
            made.set(i, answer.json.id);
            break;
          }
          expect([503, 504], JSON.stringify(answer.json)).to.include(answer.status);
          expect(Date.now(), `key ${i} never succeeded`).to.be.below(deadline);
          retried++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const creators = Array.from({ length: 4 }, creator);
    await eventually("some keyed creates made", async () => (made.size >= 8 ? true : undefined));
    await rack2.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await rack2.restart();
    await Promise.all(creators);
    expect(made.size).to.equal(keys.length);
    const all = await eventually("every rack answering", async () => {
      const listed = await listAll(`tag=${tag}`, 100).catch(() => undefined);
      return listed;
    });
    const titles = (await Promise.all(all.ids.map(async (id) => (await api<Book>("GET", `/v1/books/${id}`, { token: "member" })).json.title))).sort();
    expect(all.ids, "one book per key, no duplicate").to.have.length(keys.length + 1);
    expect(new Set(titles).size).to.equal(keys.length + 1);
    expect(all.ids).to.include.members([...made.values()]);
    console.log(`      (${keys.length} keyed creates across a rack kill: ${retried} failed attempts retried with their key, 0 duplicates)`);
  });

  it("keeps book traffic going while the orchestrator is away, and routes again when it returns", async () => {
    const before = await createBook({ title: "Before the orchestrator left", author: "Ork Test" });
    const workerPids = (["wrk-book-1", "wrk-book-2", "wrk-base", "tpl-wrk-thing"] as const).map((name) => system.services[name].pid);
    const ork = system.services["wrk-ork"];
    await ork.kill("SIGKILL");

    expect((await api("GET", `/v1/books/${before.id}`, { token: "member" })).status).to.equal(200);
    const during = await createBook({ title: "While the orchestrator is away", author: "Ork Test" });
    expect((await api("POST", `/v1/books/${during.id}/checkout`, { token: "librarian", body: { borrower: "ada" } })).status).to.equal(200);
    const list = await api<{ missingRacks?: string[] }>("GET", "/v1/books?pageSize=5", { token: "member" });
    expect(list.status).to.equal(200);
    expect(list.json.missingRacks).to.equal(undefined);
    const noOrk = await api("GET", "/v1/workers", { token: "librarian" });
    expect(noOrk.status).to.equal(503);
    expect(noOrk.ms).to.be.below(CALL_TIMEOUT_MS + 1_000);

    await ork.restart();
    const list2 = await eventually("every worker registered again", async () => {
      const now = await workers();
      return now.length === 4 && now.every((w) => w.state === "up") ? now : undefined;
    });
    expect(list2.filter((w) => w.type === "book").map((w) => w.rack)).to.deep.equal(["rack-1", "rack-2"]);
    expect((["wrk-book-1", "wrk-book-2", "wrk-base", "tpl-wrk-thing"] as const).map((name) => system.services[name].pid)).to.deep.equal(workerPids);
    // The gateway follows the new orchestrator's table: a rack that leaves it is no longer
    // routed to, and routed to again when it is back.
    const onRack2 = await eventually("a book on rack-2", async () => {
      const book = await createBook({ title: "After the orchestrator returned", author: "Ork Test" });
      return rackOf(book.id) === "rack-2" ? book : undefined;
    });
    const rack2 = system.services["wrk-book-2"];
    expect(await rack2.kill("SIGTERM")).to.deep.equal({ code: 0, signal: null });
    await eventually("rack-2 down in the gateway's table", async () => {
      const answer = await api("GET", `/v1/books/${onRack2.id}`, { token: "member" });
      return answer.status === 503 && JSON.stringify(answer.json).includes("book rack rack-2 is down") ? true : undefined;
    });
    for (let i = 0; i < 3; i++) expect(rackOf((await createBook({ title: `Only rack-1 now ${i}`, author: "Ork Test" })).id)).to.equal("rack-1");
    await rack2.restart();
    await eventually("rack-2 routed again", async () => ((await api("GET", `/v1/books/${onRack2.id}`, { token: "member" })).status === 200 ? true : undefined));
  });

  it("stops app-node under keep-alive load without resetting a request: not ready first, then closed cleanly", async () => {
    const book = await createBook({ title: "Read while the API stops", author: "Stop Test" });
    const app = system.services["app-node"];
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
    const seen = { answered: 0, closing: 0, failed: [] as string[] };
    let signalled = false;
    // What a load balancer does: it polls readiness and sends nothing more once it says 503.
    let inRotation = true;
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest(`${system.apiUrl}${path}`, { agent, headers, timeout: 10_000 }, (res) => {
          res.resume().on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
        req.on("error", (error) => reject(new Error(`${(error as NodeJS.ErrnoException).code ?? error.message}${req.reusedSocket ? " on a reused connection" : ""}`)));
        req.end();
      });
    const auth = { authorization: `Bearer ${system.tokens.member}` };
    const reader = async () => {
      while (inRotation) {
        try {
          const answer = await get(`/v1/books/${book.id}`, auth);
          expect(answer.status).to.equal(200);
          seen.answered++;
          if (signalled && answer.connection === "close") seen.closing++;
        } catch (error) {
          seen.failed.push((error as Error).message);
          if (seen.failed.length > 20) return;
        }
      }
    };
    const balancer = async () => {
      while (inRotation) {
        if ((await get("/readyz")).status === 503) inRotation = false;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const clients = [...Array.from({ length: 6 }, reader), balancer()];
    await new Promise((resolve) => setTimeout(resolve, 300));
    signalled = true;
    const exit = await app.kill("SIGTERM");
    await Promise.all(clients);
    agent.destroy();
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(seen.failed, "requests reset or cut").to.deep.equal([]);
    expect(inRotation, "/readyz said 503 before the port closed").to.equal(false);
    expect(seen.closing, "answers after the signal closed their connection").to.be.above(0);
    await app.restart();
  });
});
