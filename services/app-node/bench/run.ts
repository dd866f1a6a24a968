// npm run bench: the full path (app-node → routing client → wrk-book) against two anchors, in one
// run, with autocannon: a bare koa server returning the same JSON, and a bare koa server fetching
// it over one plain grpc-js hop. Prints requests per second, p50 and p99 latency, errors and ratios.
// BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 50) change the load.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { REPO_ROOT, type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 2;
const BOOKS = 200;
const SEARCH_PATH = "/v1/books?q=searchable&pageSize=20";
const TOKEN = { authorization: "Bearer dev-member" };

interface Figures {
  target: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time per request of each process, in microseconds. */
  cpu: Record<string, number>;
}

const TICK_US = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** User + system CPU time of a process so far, in microseconds (from /proc). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

async function fetchText(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${text}`);
  return text;
}

async function seed(system: RunningSystem): Promise<string> {
  let firstId = "";
  for (let i = 0; i < BOOKS; i++) {
    const title = i % 4 === 0 ? `Searchable volume ${i}` : `Ordinary volume ${i}`;
    const text = await fetchText(`${system.apiUrl}/v1/books`, {
      method: "POST",
      headers: { authorization: `Bearer ${system.tokens.librarian}`, "content-type": "application/json" },
      body: JSON.stringify({ title, author: `Author ${i % 17}`, year: 1900 + (i % 120), tags: ["bench"] }),
    });
    firstId ||= (JSON.parse(text) as { id: string }).id;
  }
  return firstId;
}

function startAnchor(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "services/app-node/bench/anchor.ts")], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anchor ${env.ANCHOR} did not start`)), 10_000);
    child.stdout?.once("data", () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`anchor ${env.ANCHOR} exited with ${code}`)));
  });
}

async function load(target: string, url: string, seconds: number, processes: Record<string, number>): Promise<Figures> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMicros(pid)]));
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: TOKEN });
  const requests = Math.max(result.requests.total, 1);
  const cpu = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, (cpuMicros(pid) - (before[name] ?? 0)) / requests]));
  return {
    target,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpu,
  };
}

function machine(): string {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  return `${nproc} cores (nproc), ${model}, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s per target, load average ${loadavg()}`;
}

/** Other work on the machine skews every figure: the load average says how much there was. */
const loadavg = (): string => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "bookstore-bench-"));
  const portBase = await freePortBase(13);
  const anchors: ChildProcess[] = [];
  let system: RunningSystem | undefined;
  try {
    console.log(`machine: ${machine()}`);
    system = await startSystem({ portBase, dataDir: join(work, "data"), logDir: work, env: { LOG_LEVEL: "info" } });
    const bookId = await seed(system);
    const bookPath = `/v1/books/${bookId}`;
    const bookJson = await fetchText(system.apiUrl + bookPath, { headers: TOKEN });
    const searchJson = await fetchText(system.apiUrl + SEARCH_PATH, { headers: TOKEN });
    const racks = `rack-1=${system.services["wrk-book-1"].grpcAddress},rack-2=${system.services["wrk-book-2"].grpcAddress}`;
    const staticUrl = `http://127.0.0.1:${portBase + 11}`;
    const grpcUrl = `http://127.0.0.1:${portBase + 12}`;
    anchors.push(await startAnchor({ ANCHOR: "static", PORT: String(portBase + 11), BOOK_JSON: bookJson, SEARCH_JSON: searchJson }));
    anchors.push(await startAnchor({ ANCHOR: "grpc", PORT: String(portBase + 12), RACKS: racks }));
    // The anchors must answer exactly what the full path answers, or the comparison means nothing.
    for (const [url, path, expected] of [
      [grpcUrl, bookPath, bookJson],
      [grpcUrl, SEARCH_PATH, searchJson],
      [staticUrl, bookPath, bookJson],
    ] as const) {
      const got = await fetchText(url + path);
      if (JSON.stringify(JSON.parse(got)) !== JSON.stringify(JSON.parse(expected))) throw new Error(`anchor ${url}${path} answers differently:\n${got}\n${expected}`);
    }
    const processes: Record<string, number> = { autocannon: process.pid };
    for (const name of ["app-node", "wrk-book-1", "wrk-book-2"] as const) processes[name] = system.services[name].pid ?? 0;
    processes["anchor static"] = anchors[0]?.pid ?? 0;
    processes["anchor grpc"] = anchors[1]?.pid ?? 0;
    console.log(`seeded ${BOOKS} books on two racks; GET ${bookPath}; search GET ${SEARCH_PATH} (${(JSON.parse(searchJson) as { items: unknown[] }).items.length} items)\n`);

    const rows: Array<{ scenario: string; figures: Figures[] }> = [];
    for (const [scenario, path] of [
      ["GET /v1/books/{id}", bookPath],
      ["search", SEARCH_PATH],
    ] as const) {
      const figures: Figures[] = [];
      for (const [target, base] of [
        ["bare koa, fixed JSON", staticUrl],
        ["bare koa + one grpc-js hop", grpcUrl],
        ["full path (app-node)", system.apiUrl],
      ] as const) {
        await load(target, base + path, WARMUP_SECONDS, processes);
        const result = await load(target, base + path, SECONDS, processes);
        const cpu = Object.entries(result.cpu)
          .filter(([, us]) => us >= 1)
          .map(([name, us]) => `${name} ${fmt(us)}`)
          .join(", ");
        console.log(`${scenario.padEnd(20)} ${target.padEnd(28)} ${fmt(result.rps).padStart(7)} req/s  p50 ${fmt(result.p50, 1)} ms  p99 ${fmt(result.p99, 1)} ms  errors ${result.errors}  CPU µs/request: ${cpu}`);
        figures.push(result);
      }
      rows.push({ scenario, figures });
    }

    console.log("\n| scenario | target | req/s | p50 ms | p99 ms | errors | req/s ratio full/anchor | p99 ratio full/anchor |");
    console.log("|---|---|---:|---:|---:|---:|---:|---:|");
    for (const { scenario, figures } of rows) {
      const full = figures[2] as Figures;
      for (const f of figures) {
        const ratios = f === full ? ["—", "—"] : [fmt(full.rps / f.rps, 2), fmt(full.p99 / f.p99, 2)];
        console.log(`| ${scenario} | ${f.target} | ${fmt(f.rps)} | ${fmt(f.p50, 1)} | ${fmt(f.p99, 1)} | ${f.errors} | ${ratios[0]} | ${ratios[1]} |`);
      }
    }
    console.log(`\nload average at the end: ${loadavg()}`);
    console.log("\ntargets (full path against the plain-hop anchor: req/s ≥ 0.8×, p99 ≤ 1.25×, no errors):");
    for (const { scenario, figures } of rows) {
      const [, hop, full] = figures as [Figures, Figures, Figures];
      const rps = full.rps / hop.rps;
      const p99 = full.p99 / hop.p99;
      const met = rps >= 0.8 && p99 <= 1.25 && full.errors === 0;
      console.log(`  ${scenario}: req/s ${fmt(rps, 2)}×, p99 ${fmt(p99, 2)}×, errors ${full.errors}: ${met ? "met" : "missed"}`);
    }
  } finally {
    for (const anchor of anchors) anchor.kill("SIGTERM");
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
