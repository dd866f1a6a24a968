// npm run bench: the full path (app-node → routing client → wrk-book) against two anchors, in one
// run, with autocannon: a bare koa server returning the same JSON, and a bare koa server fetching
// it over one plain grpc-js hop. The whole system runs twice: tracing off (no OTLP endpoint, as in
// `npm start`), then tracing on (every service exporting to an OTLP receiver in this process, with
// the sampling compose deploys: parent-based, ratio 0.1), each full path measured beside the
// plain hop against the same racks. Prints requests per second, p50 and p99 latency, errors,
// ratios, CPU per request and whether the targets are met.
// BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50) and BENCH_TRACE_RATIO (default 0.1,
// the traced run's OTEL_TRACES_SAMPLER_ARG) change it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { REPO_ROOT, type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";
import { OtlpReceiver } from "../../../compose/local/kit/testing/otlp-receiver.ts";
import { tlsEnv } from "../../../compose/local/certs.ts";
import { Supervised } from "../../../compose/local/kit/supervisor.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 2;
const BOOKS = 200;
const SEARCH_PATH = "/v1/books?q=searchable&pageSize=20";
const TOKEN = { authorization: "Bearer dev-member" };
// The sampling compose/docker-compose.yml deploys (OTEL_TRACES_SAMPLER_ARG's default there).
const TRACE_RATIO = process.env.BENCH_TRACE_RATIO ?? "0.1";

/** The targets for the full path against the plain-hop anchor (issue 12 item 6). */
const TARGETS = {
  "GET /v1/books/{id}": { rps: 0.9, p99: 1.25 },
  search: { rps: 0.95, p99: undefined },
} as const;
type Scenario = keyof typeof TARGETS;

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

/** An anchor (bench/anchor.ts) as a child process (the kit's Supervised), once it says "listening". */
async function startAnchor(env: Record<string, string>): Promise<Supervised> {
  const anchor = new Supervised({
    name: `anchor ${env.ANCHOR}`,
    command: process.execPath,
    args: [join(REPO_ROOT, "services/app-node/bench/anchor.ts")],
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    onLine: (line) => line !== "listening" && console.error(line),
  }).start();
  await anchor.waitFor((line) => line === "listening", { timeoutMs: 10_000, what: `anchor ${env.ANCHOR} started` }).catch(async (error: unknown) => {
    await anchor.stop("SIGKILL");
    throw error;
  });
  return anchor;
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

interface Row {
  mode: string;
  scenario: Scenario;
  figures: Figures[];
}

/**
 * One system (tracing as `env` says), seeded, with its two anchors; loads each scenario on each
 * target. `withStatic`: also the fixed-JSON anchor (once per bench is enough: it calls nothing).
 */
async function measure(mode: string, env: Record<string, string>, withStatic: boolean): Promise<Row[]> {
  const work = mkdtempSync(join(tmpdir(), "bookstore-bench-"));
  const portBase = await freePortBase(13);
  const anchors: Supervised[] = [];
  let system: RunningSystem | undefined;
  try {
    system = await startSystem({ portBase, dataDir: join(work, "data"), logDir: work, env: { LOG_LEVEL: "info", ...env } });
    const bookId = await seed(system);
    const bookPath = `/v1/books/${bookId}`;
    const bookJson = await fetchText(system.apiUrl + bookPath, { headers: TOKEN });
    const searchJson = await fetchText(system.apiUrl + SEARCH_PATH, { headers: TOKEN });
    const racks = `rack-1=${system.services["wrk-book-1"].grpcAddress},rack-2=${system.services["wrk-book-2"].grpcAddress}`;
    const staticUrl = `http://127.0.0.1:${portBase + 11}`;
    const grpcUrl = `http://127.0.0.1:${portBase + 12}`;
    anchors.push(await startAnchor({ ANCHOR: "static", PORT: String(portBase + 11), BOOK_JSON: bookJson, SEARCH_JSON: searchJson }));
    // The plain hop speaks to the racks as the gateway does: mutual TLS with the gateway's certificate.
    const gatewayTls = system.certs ? tlsEnv(system.certs, "app-node") : { TLS_INSECURE: "1" };
    anchors.push(await startAnchor({ ANCHOR: "grpc", PORT: String(portBase + 12), RACKS: racks, ...gatewayTls }));
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
    console.log(`${mode}: seeded ${BOOKS} books on two racks; GET ${bookPath}; search GET ${SEARCH_PATH} (${(JSON.parse(searchJson) as { items: unknown[] }).items.length} items)`);

    const rows: Row[] = [];
    for (const [scenario, path] of [
      ["GET /v1/books/{id}", bookPath],
      ["search", SEARCH_PATH],
    ] as const) {
      const figures: Figures[] = [];
      const targets: Array<readonly [string, string]> = [
        ...(withStatic ? [["bare koa, fixed JSON", staticUrl] as const] : []),
        ["bare koa + one grpc-js hop", grpcUrl],
        [`full path (app-node), ${mode}`, system.apiUrl],
      ];
      for (const [target, base] of targets) {
        await load(target, base + path, WARMUP_SECONDS, processes);
        const result = await load(target, base + path, SECONDS, processes);
        const cpu = Object.entries(result.cpu)
          .filter(([, us]) => us >= 1)
          .map(([name, us]) => `${name} ${fmt(us)}`)
          .join(", ");
        console.log(`${scenario.padEnd(20)} ${target.padEnd(38)} ${fmt(result.rps).padStart(7)} req/s  p50 ${fmt(result.p50, 1)} ms  p99 ${fmt(result.p99, 1)} ms  errors ${result.errors}  CPU µs/request: ${cpu}`);
        figures.push(result);
      }
      rows.push({ mode, scenario, figures });
    }
    return rows;
  } finally {
    for (const anchor of anchors) anchor.kill("SIGTERM");
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const receiver = new OtlpReceiver();
  try {
    console.log(`machine: ${machine()}`);
    const endpoint = await receiver.start();
    const rows = await measure("tracing off", {}, true);
    console.log(`load average: ${loadavg()}\n`);
    rows.push(
      ...(await measure("tracing on", { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: TRACE_RATIO }, false)),
    );
    // Tracing on must really have exported, in OTLP/JSON the receiver accepts, or the run measured nothing.
    const services = [...new Set(receiver.spans.map((span) => span.service))].sort();
    console.log(`tracing on: ${receiver.spans.length} spans received (sampling parentbased_traceidratio ${TRACE_RATIO}) from ${services.join(", ")}; rejected exports: ${receiver.rejected.length}`);
    if (receiver.spans.length === 0 || receiver.rejected.length > 0 || !services.includes("app-node")) throw new Error(`the traced run exported no usable spans: ${receiver.rejected.join("; ")}`);

    console.log("\n| scenario | target | req/s | p50 ms | p99 ms | errors | req/s full/hop | p99 full/hop | app-node CPU µs/req |");
    console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const { scenario, figures } of rows) {
      const full = figures[figures.length - 1] as Figures;
      const hop = figures[figures.length - 2] as Figures;
      for (const f of figures) {
        const ratios = f === full ? [fmt(full.rps / hop.rps, 2), fmt(full.p99 / hop.p99, 2)] : ["—", "—"];
        const gatewayCpu = f.cpu["app-node"] ?? 0;
        console.log(`| ${scenario} | ${f.target} | ${fmt(f.rps)} | ${fmt(f.p50, 1)} | ${fmt(f.p99, 1)} | ${f.errors} | ${ratios[0]} | ${ratios[1]} | ${gatewayCpu >= 1 ? fmt(gatewayCpu) : "—"} |`);
      }
    }
    console.log(`\nload average at the end: ${loadavg()}`);
    console.log("\ntargets (full path against the plain-hop anchor measured beside it; GET: req/s ≥ 0.9×, p99 ≤ 1.25×; search: req/s ≥ 0.95×; no errors):");
    for (const { mode, scenario, figures } of rows) {
      const [hop, full] = figures.slice(-2) as [Figures, Figures];
      const target = TARGETS[scenario];
      const rps = full.rps / hop.rps;
      const p99 = full.p99 / hop.p99;
      const met = rps >= target.rps && (target.p99 === undefined || p99 <= target.p99) && full.errors === 0;
      console.log(`  ${mode}, ${scenario}: req/s ${fmt(rps, 2)}×, p99 ${fmt(p99, 2)}×, errors ${full.errors}, app-node ${fmt(full.cpu["app-node"] ?? 0)} µs CPU/request (hop's anchor ${fmt(hop.cpu["anchor grpc"] ?? 0)}): ${met ? "met" : "missed"}`);
    }
  } finally {
    await receiver.stop();
  }
}

await main();
