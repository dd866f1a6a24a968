// The operator's drills of issue 10, as black-box runs against the whole system on loopback
// (compose/local, the processes `npm start` runs), driven over HTTP and by signals (forged: gRPC on the services' own ports):
//
//   npm run drill -- ork-restart [seconds away]   wrk-ork SIGKILLed under read and create load, back after N s (30)
//   npm run drill -- rack-stop                    rack-2 SIGTERMed under create load
//   npm run drill -- retry-kill                   keyed creates across a SIGKILL of rack-2, every failure retried with its key
//   npm run drill -- forged                       an attacker's gRPC calls on the real ports (no certificate, another CA's,
//                                                 another identity's), then the worker list and the API's answers compared
//   npm run drill -- app-stop                     app-node SIGTERMed under keep-alive GET and create load, then started again
//   npm run drill -- all                          every one, app-stop last
//
// Each prints one JSON line of figures. The orchestrator runs with its defaults (lease 10 s,
// heartbeat 3 s): the figures are those of a real deployment's timings. A forged call that is
// accepted, or a change it made, is said on stderr and the run ends with exit code 1.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { type UnaryInvoker, callUnary, channelCredentials, withServerName } from "@bookstore/wrk-base";
import { loadContracts } from "@bookstore/proto";
import { ensureCerts, identityOfSpiffeId } from "../../../compose/local/certs.ts";
import { type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";
import { waitUntil } from "../../../compose/local/kit/wait-until.ts";

type Token = "librarian" | "member";

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

const HEARTBEAT_SECONDS = 3;

async function api(system: RunningSystem, method: string, path: string, token: Token, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const response = await fetch(system.apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${system.tokens[token]}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  } catch (error) {
    return { status: 0, json: { error: String(error) } };
  }
}

/** Loops that call until stopped, counting answers by kind and status. */
function load(system: RunningSystem, kinds: Record<string, () => Promise<Answer>>, perKind = 3) {
  let running = true;
  const counts: Record<string, { total: number; failed: number; statuses: Record<string, number> }> = {};
  const loops = Object.entries(kinds).flatMap(([kind, call]) => {
    counts[kind] = { total: 0, failed: 0, statuses: {} };
    return Array.from({ length: perKind }, async () => {
      while (running) {
        const answer = await call();
        const count = counts[kind] as { total: number; failed: number; statuses: Record<string, number> };
        count.total++;
        count.statuses[answer.status] = (count.statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 500 || answer.status === 0) count.failed++;
      }
    });
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return counts;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the orchestrator lists every worker UP (after a restart of one). */
async function allUp(system: RunningSystem): Promise<void> {
  await waitUntil(
    async () => {
      const answer = await api(system, "GET", "/v1/workers", "librarian");
      const workers = (answer.json.workers ?? []) as Array<{ state: string }>;
      return workers.length === 4 && workers.every((w) => w.state === "up");
    },
    { what: "every worker UP", timeoutMs: 60_000, intervalMs: 100, failure: () => "not every worker was UP within 60 s" },
  );
}

async function seedBook(system: RunningSystem, rack: string): Promise<string> {
  for (;;) {
    const answer = await api(system, "POST", "/v1/books", "librarian", { title: "Drill seed", author: "Drill" });
    const id = String(answer.json.id ?? "");
    if (answer.status === 201 && id.startsWith(`${rack}.`)) return id;
  }
}

/** Every book a listing pages through (`query` as `name=value&`), and the racks any page missed. */
async function allBooks(system: RunningSystem, query = ""): Promise<{ ids: string[]; missingRacks: string[] }> {
  const ids: string[] = [];
  const missing = new Set<string>();
  let token = "";
  do {
    const page = await api(system, "GET", `/v1/books?${query}pageSize=100${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`, "member");
    if (page.status !== 200) throw new Error(`listing answered ${page.status}`);
    ids.push(...((page.json.items ?? []) as Array<{ id: string }>).map((book) => book.id));
    for (const rack of (page.json.missingRacks ?? []) as string[]) missing.add(rack);
    token = String(page.json.nextPageToken ?? "");
  } while (token !== "");
  return { ids, missingRacks: [...missing].sort() };
}

async function orkRestart(system: RunningSystem, awaySeconds: number): Promise<Record<string, unknown>> {
  const ids = [await seedBook(system, "rack-1"), await seedBook(system, "rack-2")];
  let n = 0;
  const traffic = load(system, {
    get: () => api(system, "GET", `/v1/books/${ids[n++ % 2]}`, "member"),
    list: () => api(system, "GET", "/v1/books?pageSize=10", "member"),
    create: () => api(system, "POST", "/v1/books", "librarian", { title: `Ork drill ${n++}`, author: "Drill" }),
  });
  await sleep(1_000);
  await system.services["wrk-ork"].kill("SIGKILL");
  await sleep(awaySeconds * 1_000);
  await system.services["wrk-ork"].restart();
  const back = performance.now();
  // Whole: every worker UP and heard from since the restart.
  const wholeAfterMs = await waitUntil(
    async () => {
      const answer = await api(system, "GET", "/v1/workers", "librarian");
      const workers = (answer.json.workers ?? []) as Array<{ state: string; lastSeen: string | null }>;
      const since = Date.now() - (performance.now() - back);
      return answer.status === 200 && workers.length === 4 && workers.every((w) => w.state === "up" && Date.parse(w.lastSeen ?? "") >= since) && Math.round(performance.now() - back);
    },
    { what: "the worker list whole", timeoutMs: 60_000 },
  ).catch(() => Number.NaN);
  await sleep(5_000);
  const counts = await traffic.stop();
  return { drill: "ork-restart", awaySeconds, heartbeatSeconds: HEARTBEAT_SECONDS, workerListWholeAfterMs: wholeAfterMs, requests: counts };
}

async function rackStop(system: RunningSystem): Promise<Record<string, unknown>> {
  let n = 0;
  const traffic = load(system, { create: () => api(system, "POST", "/v1/books", "librarian", { title: `Stop drill ${n++}`, author: "Drill" }) }, 6);
  await sleep(1_000);
  const exit = await system.services["wrk-book-2"].kill("SIGTERM");
  await sleep(1_000);
  const counts = await traffic.stop();
  const listing = await api(system, "GET", "/v1/books?pageSize=5", "member");
  await system.services["wrk-book-2"].restart();
  await allUp(system);
  return { drill: "rack-stop", exit, requests: counts, listingMissingRacks: listing.json.missingRacks ?? [] };
}

async function retryKill(system: RunningSystem): Promise<Record<string, unknown>> {
  const run = Math.random().toString(36).slice(2, 8);
  const tag = `drill-${run}`;
  const total = 300;
  let next = 0;
  let retries = 0;
  const made = new Map<number, string>();
  const creator = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      for (;;) {
        const answer = await api(system, "POST", "/v1/books", "librarian", { title: `Keyed ${i}`, author: "Drill", tags: [tag] }, { "idempotency-key": `"${run}-${i}"` });
        if (answer.status === 201) {
          made.set(i, String(answer.json.id));
          break;
        }
        retries++;
        await sleep(100);
      }
    }
  };
  const creators = Array.from({ length: 6 }, creator);
  while (made.size < 50) await sleep(20);
  await system.services["wrk-book-2"].kill("SIGKILL");
  await sleep(2_000);
  await system.services["wrk-book-2"].restart();
  await Promise.all(creators);
  await allUp(system);
  // Every book with the tag, across both racks.
  const { ids } = await allBooks(system, `tag=${tag}&`);
  return { drill: "retry-kill", keyedCreates: total, failedAttemptsRetried: retries, booksStored: ids.length, duplicates: ids.length - made.size };
}

/**
 * An attacker's calls straight on the orchestrator's and rack-1's gRPC ports: a Register of a fake
 * rack-1 and the admin's DrainWorker and ForgetWorker without a certificate, with one of another
 * CA, with a worker's; BookService calls without the gateway's. Each must be refused with its
 * code, and the worker list and the API's answers must be what they were.
 */
async function forged(system: RunningSystem): Promise<Record<string, unknown>> {
  const certs = system.certs;
  if (certs === undefined) throw new Error("forged: the system runs with TLS_INSECURE=1: there is no certificate to forge");
  const ca = readFileSync(certs.caFile);
  const ours = (stem: string): grpc.ChannelCredentials => {
    const files = certs.identities[stem];
    if (files === undefined) throw new Error(`no certificate ${stem} in ${certs.dir}`);
    return channelCredentials({ insecure: false, caFile: certs.caFile, ...files });
  };
  // A certificate claiming rack-1 from a CA the system does not trust, its holder trusting ours.
  const foreign = await ensureCerts(join(system.dataDir, "foreign-ca"), [identityOfSpiffeId("spiffe://bookstore/worker/book/rack-1")]);
  const stranger = foreign.identities["worker-book-rack-1"] as { certFile: string; keyFile: string };
  const as = {
    plaintext: grpc.credentials.createInsecure(),
    "no certificate": withServerName(grpc.credentials.createSsl(ca), "localhost"),
    "another CA's rack-1": withServerName(grpc.credentials.createSsl(ca, readFileSync(stranger.keyFile), readFileSync(stranger.certFile)), "localhost"),
    "rack-1's": ours("wrk-book-rack-1"),
    "rack-2's": ours("wrk-book-rack-2"),
    "the gateway's": ours("app-node"),
    "the admin's": ours("admin"),
  };
  type As = keyof typeof as;

  const bookId = await seedBook(system, "rack-1");
  const workers = await api(system, "GET", "/v1/workers", "librarian");
  const rack1 = ((workers.json.workers ?? []) as Array<{ id: string; rack: string | null }>).find((w) => w.rack === "rack-1");
  if (rack1 === undefined) throw new Error("forged: no rack-1 in the worker list");
  const run = Math.random().toString(36).slice(2, 8);
  const tag = `forged-${run}`;
  const snapshot = async () => {
    const list = await api(system, "GET", "/v1/workers", "librarian");
    const book = await api(system, "GET", `/v1/books/${bookId}`, "member");
    const listing = await allBooks(system);
    return {
      workers: ((list.json.workers ?? []) as Array<Record<string, unknown>>).map(({ id, rack, address, state }) => ({ id, rack, address, state })),
      seededBook: [book.status, book.json],
      listingTotal: listing.ids.length,
      missingRacks: listing.missingRacks,
      forgedBooks: (await allBooks(system, `tag=${tag}&`)).ids.length,
    };
  };
  const before = await snapshot();

  const contracts = loadContracts();
  const clients: grpc.Client[] = [];
  const track = <T extends grpc.Client>(client: T): T => {
    clients.push(client);
    return client;
  };
  const ork = (who: As) => track(new contracts.ork.OrchestratorService(system.services["wrk-ork"].grpcAddress, as[who]));
  const books = (who: As) => track(new contracts.book.BookService(system.services["wrk-book-1"].grpcAddress, as[who]));
  const fake = { id: `book-rack-1-${run}`, type: "book", rack: "rack-1", address: "127.0.0.1:1", version: "6.6.6" };
  const { UNAVAILABLE, UNAUTHENTICATED, PERMISSION_DENIED } = grpc.status;
  const attempts: Array<[string, grpc.status, UnaryInvoker<unknown>]> = [
    ["Register fake rack-1, plaintext", UNAVAILABLE, (m, o, cb) => ork("plaintext").register(fake, m, o, cb)],
    ["Register fake rack-1, no certificate", UNAUTHENTICATED, (m, o, cb) => ork("no certificate").register(fake, m, o, cb)],
    ["Register fake rack-1, another CA's rack-1", UNAUTHENTICATED, (m, o, cb) => ork("another CA's rack-1").register(fake, m, o, cb)],
    ["Register fake rack-1, rack-2's", PERMISSION_DENIED, (m, o, cb) => ork("rack-2's").register(fake, m, o, cb)],
    ["Register real rack-1's id, rack-2's", PERMISSION_DENIED, (m, o, cb) => ork("rack-2's").register({ ...fake, id: rack1.id }, m, o, cb)],
    ["Deregister real rack-1, rack-2's", PERMISSION_DENIED, (m, o, cb) => ork("rack-2's").deregister({ id: rack1.id }, m, o, cb)],
  ];
  for (const [who, code] of [["no certificate", UNAUTHENTICATED], ["another CA's rack-1", UNAUTHENTICATED], ["rack-1's", PERMISSION_DENIED], ["the gateway's", PERMISSION_DENIED]] as const) {
    attempts.push([`DrainWorker rack-1, ${who}`, code, (m, o, cb) => ork(who).drainWorker({ id: rack1.id }, m, o, cb)]);
    attempts.push([`ForgetWorker rack-1, ${who}`, code, (m, o, cb) => ork(who).forgetWorker({ id: rack1.id }, m, o, cb)]);
  }
  for (const [who, code] of [["plaintext", UNAVAILABLE], ["no certificate", UNAUTHENTICATED], ["another CA's rack-1", UNAUTHENTICATED], ["rack-2's", PERMISSION_DENIED], ["the admin's", PERMISSION_DENIED]] as const) {
    attempts.push([`CreateBook on rack-1, ${who}`, code, (m, o, cb) => books(who).createBook({ title: `Forged ${run}`, author: "Nobody", tags: [tag] }, m, o, cb)]);
    attempts.push([`GetBook on rack-1, ${who}`, code, (m, o, cb) => books(who).getBook({ id: bookId }, m, o, cb)]);
  }
  const codes: Record<string, string> = {};
  const byCode: Record<string, number> = {};
  const accepted: string[] = [];
  const unexpected: string[] = [];
  for (const [name, expected, invoke] of attempts) {
    const code = await callUnary(invoke, { timeoutMs: 3_000 }).then(
      () => grpc.status.OK,
      (error: grpc.ServiceError) => error.code,
    );
    codes[name] = grpc.status[code];
    byCode[grpc.status[code]] = (byCode[grpc.status[code]] ?? 0) + 1;
    if (code === grpc.status.OK) accepted.push(name);
    else if (code !== expected) unexpected.push(`${name}: ${grpc.status[code]}, not ${grpc.status[expected]}`);
  }
  for (const client of clients) client.close();
  // Time for a change to show: a route published, a lease or a drain taken up (one heartbeat).
  await sleep(HEARTBEAT_SECONDS * 1_000);
  const after = await snapshot();
  const changed = (Object.keys(before) as Array<keyof typeof before>).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return {
    drill: "forged",
    calls: attempts.length,
    refused: attempts.length - accepted.length,
    byCode,
    accepted,
    unexpected,
    changed: `${changed.length}/${Object.keys(before).length}`,
    changedWhat: changed,
    checked: { workers: after.workers.length, seededBookStatus: after.seededBook[0], listingTotal: after.listingTotal, missingRacks: after.missingRacks, forgedBooks: after.forgedBooks },
    codes,
  };
}

/**
 * One request on a keep-alive agent: the status, or the socket error (ECONNRESET, "socket hang up",
 * ECONNREFUSED...), said to be "on a reused connection" when the agent sent it on a kept one.
 */
function keepAliveCall(system: RunningSystem, agent: Agent | false, method: string, path: string, token?: Token, body?: unknown): Promise<string> {
  return new Promise((resolve) => {
    const headers = { ...(token ? { authorization: `Bearer ${system.tokens[token]}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const call = request(system.apiUrl + path, { method, agent, headers, timeout: 10_000 }, (response) => {
      response.resume().on("end", () => resolve(String(response.statusCode)));
      response.on("error", failed);
    });
    function failed(error: NodeJS.ErrnoException): void {
      resolve(`${error.message === "socket hang up" ? error.message : (error.code ?? error.message)}${call.reusedSocket ? " on a reused connection" : ""}`);
    }
    call.on("timeout", () => call.destroy(new Error("timeout")));
    call.on("error", failed);
    call.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * app-node SIGTERMed under keep-alive GETs and creates (3 loops each, one node:http keep-alive
 * Agent per kind), /readyz polled on new connections from the signal on; then started again.
 */
async function appStop(system: RunningSystem): Promise<Record<string, unknown>> {
  const id = await seedBook(system, "rack-1");
  const app = system.services["app-node"];
  let running = true;
  let n = 0;
  const requests: Record<string, Record<string, number>> = { get: {}, create: {} };
  let signalled = Number.NaN;
  const resetsAtMs: number[] = [];
  const loops = (["get", "create"] as const).flatMap((kind) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 3 });
    return Array.from({ length: 3 }, async () => {
      while (running) {
        const outcome =
          kind === "get"
            ? await keepAliveCall(system, agent, "GET", `/v1/books/${id}`, "member")
            : await keepAliveCall(system, agent, "POST", "/v1/books", "librarian", { title: `App stop drill ${n++}`, author: "Drill" });
        const counts = requests[kind] as Record<string, number>;
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        if (/^(ECONNRESET|socket hang up|EPIPE)/.test(outcome)) resetsAtMs.push(Math.round(performance.now() - signalled));
        if (outcome === "ECONNREFUSED") await sleep(20);
      }
      agent.destroy();
    });
  });
  await sleep(2_000);
  signalled = performance.now();
  const exiting = app.kill("SIGTERM");
  // /readyz on a new connection each time, until the listener is closed (connection refused).
  let readyz503AfterMs: number | undefined;
  let listenerClosedAfterMs: number | undefined;
  while (listenerClosedAfterMs === undefined && performance.now() - signalled < 20_000) {
    const outcome = await keepAliveCall(system, false, "GET", "/readyz");
    const at = Math.round(performance.now() - signalled);
    if (outcome === "503") readyz503AfterMs ??= at;
    if (outcome === "ECONNREFUSED") listenerClosedAfterMs = at;
    await sleep(20);
  }
  const exit = await exiting;
  const exitedAfterMs = Math.round(performance.now() - signalled);
  running = false;
  await Promise.all(loops);
  const all = Object.values(requests).flatMap((counts) => Object.entries(counts));
  const sum = (keep: (outcome: string) => boolean) => all.reduce((total, [outcome, count]) => total + (keep(outcome) ? count : 0), 0);
  const restartedAt = performance.now();
  await app.restart();
  return {
    drill: "app-stop",
    exit,
    answered: sum((o) => /^\d+$/.test(o)),
    serverErrors: sum((o) => Number(o) >= 500),
    resets: resetsAtMs.length,
    resetsAtMs,
    refusedAfterClose: sum((o) => o === "ECONNREFUSED"),
    otherErrors: sum((o) => !/^(\d+|ECONNRESET|socket hang up|EPIPE|ECONNREFUSED)/.test(o)),
    readyz503BeforeClose: readyz503AfterMs !== undefined && (listenerClosedAfterMs === undefined || readyz503AfterMs < listenerClosedAfterMs),
    readyz503AfterMs,
    listenerClosedAfterMs,
    exitedAfterMs,
    readyAgainAfterMs: Math.round(performance.now() - restartedAt),
    requests,
  };
}

const [scenario = "all", arg] = process.argv.slice(2);
const known = ["ork-restart", "rack-stop", "retry-kill", "forged", "app-stop", "all"];
if (!known.includes(scenario)) {
  console.error(`drill: unknown scenario ${scenario}; one of ${known.join(", ")}`);
  process.exit(2);
}
const dataDir = mkdtempSync(join(tmpdir(), "bookstore-drill-"));
const system = await startSystem({ portBase: await freePortBase(), dataDir, env: { LOG_LEVEL: "warn" } });
try {
  if (scenario === "rack-stop" || scenario === "all") console.log(JSON.stringify(await rackStop(system)));
  if (scenario === "retry-kill" || scenario === "all") console.log(JSON.stringify(await retryKill(system)));
  if (scenario === "ork-restart" || scenario === "all") console.log(JSON.stringify(await orkRestart(system, Number(arg ?? 30))));
  if (scenario === "forged" || scenario === "all") {
    const figures = await forged(system);
    console.log(JSON.stringify(figures));
    if ((figures.accepted as string[]).length > 0 || (figures.changedWhat as string[]).length > 0) {
      console.error(`drill: FORGED CALLS GOT THROUGH: accepted ${JSON.stringify(figures.accepted)}, changed ${JSON.stringify(figures.changedWhat)}`);
      process.exitCode = 1;
    }
  }
  if (scenario === "app-stop" || scenario === "all") console.log(JSON.stringify(await appStop(system)));
} finally {
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
