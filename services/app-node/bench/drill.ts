// The operator's drills of issue 10, as black-box runs against the whole system on loopback
// (compose/local, the processes `npm start` runs), driven over HTTP and by signals only:
//
//   npm run drill -- ork-restart [seconds away]   wrk-ork SIGKILLed under read and create load, back after N s (30)
//   npm run drill -- rack-stop                    rack-2 SIGTERMed under create load
//   npm run drill -- retry-kill                   keyed creates across a SIGKILL of rack-2, every failure retried with its key
//   npm run drill -- all
//
// Each prints one JSON line of figures. The orchestrator runs with its defaults (lease 10 s,
// heartbeat 3 s): the figures are those of a real deployment's timings.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";

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
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const answer = await api(system, "GET", "/v1/workers", "librarian");
    const workers = (answer.json.workers ?? []) as Array<{ state: string }>;
    if (workers.length === 4 && workers.every((w) => w.state === "up")) return;
    await sleep(100);
  }
  throw new Error("not every worker was UP within 60 s");
}

async function seedBook(system: RunningSystem, rack: string): Promise<string> {
  for (;;) {
    const answer = await api(system, "POST", "/v1/books", "librarian", { title: "Drill seed", author: "Drill" });
    const id = String(answer.json.id ?? "");
    if (answer.status === 201 && id.startsWith(`${rack}.`)) return id;
  }
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
  let wholeAfterMs = Number.NaN;
  while (performance.now() - back < 60_000) {
    const answer = await api(system, "GET", "/v1/workers", "librarian");
    const workers = (answer.json.workers ?? []) as Array<{ state: string; lastSeen: string | null }>;
    const since = Date.now() - (performance.now() - back);
    if (answer.status === 200 && workers.length === 4 && workers.every((w) => w.state === "up" && Date.parse(w.lastSeen ?? "") >= since)) {
      wholeAfterMs = Math.round(performance.now() - back);
      break;
    }
    await sleep(50);
  }
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
  const ids: string[] = [];
  let token = "";
  do {
    const page = await api(system, "GET", `/v1/books?tag=${tag}&pageSize=100${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`, "member");
    ids.push(...((page.json.items ?? []) as Array<{ id: string }>).map((book) => book.id));
    token = String(page.json.nextPageToken ?? "");
  } while (token !== "");
  return { drill: "retry-kill", keyedCreates: total, failedAttemptsRetried: retries, booksStored: ids.length, duplicates: ids.length - made.size };
}

const [scenario = "all", arg] = process.argv.slice(2);
const known = ["ork-restart", "rack-stop", "retry-kill", "all"];
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
} finally {
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
