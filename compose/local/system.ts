// The whole system as processes on loopback: every service of the catalogue, wrk-book as two racks,
// each `node services/<name>/dist/main.js` (build first). `npm start` runs this file;
// the end-to-end tests and the live Prometheus test import `startSystem` and use other ports.
//
// The services, their roles and default ports come from services/catalogue.json (read with the
// pipeline's parser); this file adds only how the local system runs some of them differently
// (wrk-book as two racks, the data folders and log labels of the shipped workers). Any other
// catalogued service runs as one process of its own name, a worker with its data in
// <dataDir>/<name>: a new worker needs no edit here.
//
// One file with erasable TypeScript only, so that Node 24 runs it as it is (`node system.ts`);
// the parser it imports is erasable TypeScript without imports, hence its `.ts` specifier.
import { mkdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CATALOGUE_FILE, parseCatalogue, serviceNames, servicePorts, serviceSpec, type ServiceSpec } from "../../dagger/module/src/lib/services.ts";
import { prettyFactory } from "pino-pretty";
import { freePortBlock } from "./kit/free-port.ts";
import { type Exit, Supervised } from "./kit/supervisor.ts";
import { waitUntil } from "./kit/wait-until.ts";
import { type CertSet, NPM_START_RACKS, catalogueIdentities, certStem, ensureCerts, tlsEnv } from "./certs.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const CATALOGUE = parseCatalogue(readFileSync(join(REPO_ROOT, CATALOGUE_FILE), "utf8"));

/** Services that run as more than one process here: their processes, in start order. */
const LOCAL_INSTANCES: Readonly<Record<string, readonly string[]>> = { "wrk-book": ["wrk-book-1", "wrk-book-2"] };
/** The racks those run as (RACK_ID below), each with a certificate bound to it. */
const LOCAL_RACKS = NPM_START_RACKS;

/** The processes the shipped services run as, which the tests and docs name. */
type ShippedProcess = "wrk-ork" | "wrk-book-1" | "wrk-book-2" | "wrk-base" | "tpl-wrk-thing" | "app-node";
/** A process of the local system: one of the shipped ones, or a catalogued service's own name. */
export type ServiceName = ShippedProcess | (string & {});
/** One value per process; the shipped processes' are always there. */
export type PerProcess<T> = Record<ShippedProcess, T> & Record<string, T>;

/** The processes of the local system, each an instance of a catalogued service, in catalogue order. */
const INSTANCE_OF: ReadonlyMap<ServiceName, string> = new Map(
  serviceNames(CATALOGUE).flatMap((service) => (LOCAL_INSTANCES[service] ?? [service]).map((name) => [name, service] as const)),
);
export const SERVICE_NAMES: readonly ServiceName[] = [...INSTANCE_OF.keys()];

/** `record`'s value for a process of this system; a clear error for a name that is none. */
function of<T>(record: Readonly<Record<string, T>>, name: ServiceName): T {
  const value = record[name];
  if (value === undefined) throw new Error(`no process ${name} in the local system (${CATALOGUE_FILE})`);
  return value;
}

/** The catalogue's entry of the service a process runs. */
export function specOf(name: ServiceName): ServiceSpec {
  const service = INSTANCE_OF.get(name);
  if (service === undefined) throw new Error(`no process ${name} in the local system (${CATALOGUE_FILE})`);
  return serviceSpec(CATALOGUE, service);
}

/** The development tokens `npm start` gives app-node: one per role. */
export const DEV_TOKENS = { librarian: "dev-librarian", member: "dev-member" } as const;
export const DEV_API_TOKENS = `${DEV_TOKENS.librarian}:librarian:librarian,${DEV_TOKENS.member}:member:member`;

interface Ports {
  grpc?: number;
  http: number;
}

/**
 * The ports with no `portBase`: the first instance of a service has the catalogue's (the
 * contract's defaults), each further one (the second rack) the first free ones above its own.
 */
function defaultPorts(): PerProcess<Ports> {
  const taken = new Set(CATALOGUE.services.flatMap(servicePorts));
  // The first port above the service's own that no catalogued service and no earlier process
  // holds: wrk-book-2 keeps 50055 and 9105 (the docs' second rack) when a worker is added above.
  const nextFree = (after: number): number => {
    let port = after + 1;
    while (taken.has(port)) port++;
    taken.add(port);
    return port;
  };
  const seen = new Set<string>();
  const ports = {} as PerProcess<Ports>;
  for (const name of SERVICE_NAMES) {
    const spec = specOf(name);
    const first = !seen.has(spec.name);
    seen.add(spec.name);
    const http_ = first ? spec.httpPort : nextFree(spec.httpPort);
    if (spec.grpcPort === null) ports[name] = { http: http_ };
    else ports[name] = { grpc: first ? spec.grpcPort : nextFree(spec.grpcPort), http: http_ };
  }
  return ports;
}

/** How many ports a system needs from `portBase` on. */
export const PORT_COUNT = Object.values(defaultPorts()).reduce((count, ports) => count + (ports.grpc === undefined ? 1 : 2), 0);

/**
 * The contract's default ports, or a block of PORT_COUNT ports from `portBase`, handed out in the
 * order of the default HTTP ports (gRPC first), so each process keeps its place in the block.
 */
export function systemPorts(portBase?: number): PerProcess<Ports> {
  const defaults = defaultPorts();
  if (portBase === undefined) return defaults;
  let next = portBase;
  const ports = {} as PerProcess<Ports>;
  for (const name of [...SERVICE_NAMES].sort((a, b) => of(defaults, a).http - of(defaults, b).http)) {
    ports[name] = of(defaults, name).grpc === undefined ? { http: next++ } : { grpc: next++, http: next++ };
  }
  return ports;
}

/**
 * The first port of `count` consecutive free ports on 127.0.0.1 (the kit's freePortBlock: at
 * random below Linux's ephemeral range). Never the contract's defaults.
 */
export async function freePortBase(count = PORT_COUNT, attempts = 50): Promise<number> {
  return freePortBlock(count, attempts);
}

export type { Exit } from "./kit/supervisor.ts";

export interface LogLine {
  service: ServiceName;
  line: string;
}

/** One service of the system, run as a child process (the kit's Supervised), started again on the same ports and data. */
export class ServiceHandle {
  static readonly MAX_LINES = 20_000;

  readonly name: ServiceName;
  readonly ports: Ports;
  private readonly envOf: (start: number) => Record<string, string>;
  private readonly supervised: Supervised;
  private starts = 0;

  // Plain assignments: Node runs this file by stripping types, which parameter properties defeat.
  constructor(
    name: ServiceName,
    ports: Ports,
    envOf: (start: number) => Record<string, string>,
    onLine: (line: LogLine) => void,
    onExit: (name: ServiceName, exit: Exit) => void,
    logDir?: string,
  ) {
    this.name = name;
    this.ports = ports;
    this.envOf = envOf;
    this.supervised = new Supervised({
      name,
      command: process.execPath,
      args: [join(REPO_ROOT, "services", name.replace(/-\d$/, ""), "dist", "main.js")],
      cwd: REPO_ROOT,
      // A process group of its own: a Ctrl-C in the terminal reaches only the runner, which then
      // stops the services in order (the API first, the orchestrator last).
      detached: true,
      logFile: logDir === undefined ? undefined : join(logDir, `${name}.log`),
      maxLines: ServiceHandle.MAX_LINES,
      onLine: (line) => onLine({ service: name, line }),
      onExit: (exit) => onExit(name, exit),
    });
  }

  /** The lines it wrote (stdout and stderr), the last MAX_LINES of them; none with a `logDir`. */
  get lines(): string[] {
    return this.supervised.lines;
  }

  get grpcAddress(): string {
    if (this.ports.grpc === undefined) throw new Error(`${this.name} has no gRPC port`);
    return `127.0.0.1:${this.ports.grpc}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  get pid(): number | undefined {
    return this.supervised.pid;
  }

  get running(): boolean {
    return this.supervised.running;
  }

  /** Settles when the current process has exited. */
  get exited(): Promise<Exit> {
    return this.supervised.exited;
  }

  /** The JSON log lines written so far. */
  logs(): Array<Record<string, unknown>> {
    return this.supervised.logs();
  }

  /** Starts the process; `waitReady` tells when it serves. */
  spawn(): void {
    this.supervised.start(this.envOf(this.starts++));
  }

  /** Sends a signal and waits for the exit; SIGKILL follows when it outlives `timeoutMs`. */
  kill(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<Exit> {
    return this.supervised.stop(signal, timeoutMs);
  }

  /** Starts it again (after `kill`) on the same ports and data, and waits until it is ready. */
  async restart(timeoutMs = 15_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is still running: kill it first`);
    this.spawn();
    await this.waitReady(timeoutMs);
  }

  /** Waits until its `/readyz` answers 200. */
  async waitReady(timeoutMs = 15_000): Promise<void> {
    await waitUntil(
      async () => {
        const response = await fetch(`${this.httpUrl}/readyz`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        return true;
      },
      {
        what: `${this.name} ready`,
        timeoutMs,
        intervalMs: 25,
        stopOn: () => {
          const exit = this.supervised.lastExit;
          if (exit === undefined) return undefined;
          const said = this.lines.slice(-5).join("\n");
          return new Error(`${this.name} exited (code ${exit.code}, signal ${exit.signal}) before it was ready${said ? `:\n${said}` : ""}`);
        },
        failure: (last) => `${this.name} was not ready within ${timeoutMs} ms (last: ${last ?? "no answer"})`,
      },
    );
  }
}

export interface SystemOptions {
  /** First of PORT_COUNT consecutive ports; the contract's default ports when absent. */
  portBase?: number;
  /** Where the racks and the thing worker keep their data (a folder each inside it). */
  dataDir: string;
  /** Extra environment for every service (LOG_LEVEL, ORK_LEASE_SECONDS, ...). */
  env?: Record<string, string>;
  /** Extra environment for one service. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Called with every line a service writes. */
  onLine?: (line: LogLine) => void;
  /**
   * Send each service's output to `<logDir>/<service>.log` instead of through this process (no
   * `onLine`, no `lines`): for a benchmark, where reading every log line here would take CPU.
   */
  logDir?: string;
  /** Called when a service exits, whatever the reason. */
  onExit?: (name: ServiceName, exit: Exit) => void;
  /** How long the whole system may take to be ready. */
  readyTimeoutMs?: number;
  /** app-node's `API_TOKENS` (`token:role[:subject]`, comma-separated); the development tokens when not given. */
  apiTokens?: string;
  /** Where the development CA and the certificates are (made when missing); `<dataDir>/certs` by default. */
  certsDir?: string;
}

export interface RunningSystem {
  apiUrl: string;
  /** The development tokens: the ones app-node accepts unless `apiTokens` was given. */
  tokens: typeof DEV_TOKENS;
  dataDir: string;
  /** The CA and certificates the services use (admin's for an operator's client); undefined with TLS_INSECURE=1. */
  certs: CertSet | undefined;
  services: PerProcess<ServiceHandle>;
  /** Milliseconds from the first spawn until everything was ready. */
  readyAfterMs: number;
  /** Stops everything gracefully: the API first, then the workers, the orchestrator last. */
  stop(): Promise<PerProcess<Exit>>;
}

/** The processes whose service has `role` in the catalogue. */
function instancesOf(role: ServiceSpec["role"]): ServiceName[] {
  return SERVICE_NAMES.filter((name) => specOf(name).role === role);
}
const ORCHESTRATOR = instancesOf("orchestrator")[0] as ServiceName;
const GATEWAY = instancesOf("gateway")[0] as ServiceName;
const WORKER_NAMES = instancesOf("worker");

/** Starts every service and waits until the API serves and the orchestrator has every worker UP. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const ports = systemPorts(options.portBase);
  const dataDir = resolve(options.dataDir);
  const orkAddress = `127.0.0.1:${of(ports, ORCHESTRATOR).grpc}`;
  // A worker with no entry here keeps its data in <dataDir>/<its name> (one rack, RACK_ID unset:
  // the template names the rack after the worker).
  const own: Record<string, Record<string, string>> = {
    // Nothing can have registered with a brand-new system's orchestrator, so it need not wait for
    // workers before it publishes routes; started again, it waits until the workers it keeps in
    // its DATA_DIR were heard from (at most its default, one lease).
    "wrk-ork": { DATA_DIR: join(dataDir, "ork") },
    "wrk-book-1": { RACK_ID: "rack-1", DATA_DIR: join(dataDir, "rack-1") },
    "wrk-book-2": { RACK_ID: "rack-2", DATA_DIR: join(dataDir, "rack-2") },
    "wrk-base": {},
    "tpl-wrk-thing": { DATA_DIR: join(dataDir, "thing") },
    "app-node": { API_TOKENS: options.apiTokens ?? DEV_API_TOKENS },
  };
  for (const name of WORKER_NAMES) own[name] ??= { DATA_DIR: join(dataDir, name) };
  // Mutual TLS unless turned off: one certificate per process, the racks' bound to their rack.
  const insecure = (options.env?.TLS_INSECURE ?? process.env.TLS_INSECURE)?.trim() === "1";
  const certs = insecure ? undefined : await ensureCerts(options.certsDir ?? join(dataDir, "certs"), catalogueIdentities(CATALOGUE, LOCAL_RACKS));
  const certOf = (name: ServiceName): string => {
    const rack = own[name]?.RACK_ID;
    return certStem(specOf(name).name, rack !== undefined && LOCAL_RACKS[specOf(name).name]?.includes(rack) ? rack : undefined);
  };
  for (const name of SERVICE_NAMES) {
    const folder = own[name]?.DATA_DIR;
    if (folder !== undefined) mkdirSync(folder, { recursive: true });
  }
  const envOf = (name: ServiceName) => (start: number) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      BIND_HOST: "127.0.0.1",
      ORK_ADDR: orkAddress,
      HTTP_PORT: String(of(ports, name).http),
      ...(of(ports, name).grpc === undefined ? {} : { GRPC_PORT: String(of(ports, name).grpc) }),
      ...own[name],
      ...(certs ? tlsEnv(certs, certOf(name)) : {}),
      ...(name === ORCHESTRATOR && start === 0 ? { ORK_WARMUP_SECONDS: "0" } : {}),
      ...options.env,
      ...options.serviceEnv?.[name],
    };
    return env;
  };
  const onLine = options.onLine ?? (() => undefined);
  const onExit = options.onExit ?? (() => undefined);
  const services = Object.fromEntries(SERVICE_NAMES.map((name) => [name, new ServiceHandle(name, of(ports, name), envOf(name), onLine, onExit, options.logDir)])) as Record<
    ServiceName,
    ServiceHandle
  >;

  const stop = async (): Promise<PerProcess<Exit>> => {
    const exits = {} as PerProcess<Exit>;
    exits[GATEWAY] = await of(services, GATEWAY).kill("SIGTERM");
    await Promise.all(WORKER_NAMES.map(async (name) => (exits[name] = await of(services, name).kill("SIGTERM"))));
    exits[ORCHESTRATOR] = await of(services, ORCHESTRATOR).kill("SIGTERM");
    return exits;
  };

  // The services have process groups of their own, so nothing else would stop them if this
  // process ended without `stop()` (a crash, a test run cut short): kill what is left on exit.
  const killLeftovers = (): void => {
    for (const service of Object.values(services)) if (service.running && service.pid) process.kill(service.pid, "SIGKILL");
  };
  process.on("exit", killLeftovers);
  const stopAndForget = async (): Promise<PerProcess<Exit>> => {
    const exits = await stop();
    process.off("exit", killLeftovers);
    return exits;
  };

  const startedAt = performance.now();
  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  try {
    for (const name of SERVICE_NAMES) of(services, name).spawn();
    await Promise.all(SERVICE_NAMES.map((name) => of(services, name).waitReady(timeoutMs)));
    await waitForWorkersUp(of(services, ORCHESTRATOR).httpUrl, WORKER_NAMES.length, timeoutMs - (performance.now() - startedAt));
  } catch (error) {
    await stopAndForget();
    throw error;
  }
  return {
    apiUrl: of(services, GATEWAY).httpUrl,
    tokens: DEV_TOKENS,
    dataDir,
    certs,
    services,
    readyAfterMs: performance.now() - startedAt,
    stop: stopAndForget,
  };
}

/**
 * Waits until the orchestrator counts `count` workers UP, read from its `ork_workers` series (no
 * token needed, so this works whatever API_TOKENS holds; the API's own readiness is checked apart).
 */
async function waitForWorkersUp(orkHttpUrl: string, count: number, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const response = await fetch(`${orkHttpUrl}/metrics`, { signal: AbortSignal.timeout(1_000) });
      const text = await response.text();
      let up = 0;
      for (const match of text.matchAll(/^ork_workers\{[^}]*state="up"[^}]*\} (\d+)$/gm)) up += Number(match[1]);
      if (up < count) throw new Error(`${up} of ${count} workers up`);
      return true;
    },
    { what: "the workers up", timeoutMs, failure: (last) => `the workers were not all up in time (last: ${last ?? "no answer"})` },
  );
}

// ---- npm start ----

/** Log labels that are not the process's name. */
const LABELS: Record<string, string> = { "wrk-book-1": "rack-1", "wrk-book-2": "rack-2", "tpl-wrk-thing": "thing" };
const labelOf = (name: ServiceName): string => LABELS[name] ?? name;
const WIDTH = Math.max(...SERVICE_NAMES.map((name) => labelOf(name).length));
/** One pino-pretty prettifier per process: its label after the time, on every line. */
const PRETTY = new Map<ServiceName, (line: string) => string>();
function prettifierOf(service: ServiceName): (line: string) => string {
  let pretty = PRETTY.get(service);
  if (pretty === undefined) {
    const label = labelOf(service).padEnd(WIDTH);
    pretty = prettyFactory({ colorize: false, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service", singleLine: true, customPrettifiers: { time: (time) => `${String(time)} ${label}` } });
    PRETTY.set(service, pretty);
  }
  return pretty;
}

/** A pino JSON line as pino-pretty prints it, `12:00:01 rack-1   INFO: serving {"id":…}`; other lines as `rack-1   | …`. */
export function formatLine({ service, line }: LogLine): string {
  if (!line.startsWith("{")) return `${labelOf(service).padEnd(WIDTH)} | ${line}`;
  const pretty = prettifierOf(service)(line).replace(/\n$/, "");
  return pretty === line ? `${labelOf(service).padEnd(WIDTH)} | ${line}` : pretty;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string", default: join(REPO_ROOT, ".data") },
      "port-base": { type: "string" },
      "json-logs": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  // Settings from the environment win: an operator's own API_TOKENS replace the development ones.
  const fromEnvironment = process.env.API_TOKENS?.trim() ? process.env.API_TOKENS : undefined;
  const portBase = values["port-base"] === undefined ? undefined : Number(values["port-base"]);
  if (portBase !== undefined && !(Number.isInteger(portBase) && portBase > 0 && portBase + PORT_COUNT <= 65_536)) {
    console.error(`--port-base must be a port number with ${PORT_COUNT - 1} more ports above it`);
    process.exit(2);
  }
  const print = values.quiet ? () => undefined : values["json-logs"] ? (l: LogLine) => console.log(l.line) : (l: LogLine) => console.log(formatLine(l));
  let stopping = false;
  let system: RunningSystem | undefined;
  const stopAll = async (reason: string, code: number): Promise<void> => {
    if (stopping) {
      // A second Ctrl-C: do not wait any longer.
      for (const service of Object.values(system?.services ?? {})) if (service.running) void service.kill("SIGKILL");
      return;
    }
    stopping = true;
    console.log(`bookstore: stopping (${reason})…`);
    const exits = system ? await system.stop() : undefined;
    const unclean = exits ? Object.entries(exits).filter(([, exit]) => exit.code !== 0) : [];
    for (const [name, exit] of unclean) console.error(`bookstore: ${name} ended with code ${exit.code} signal ${exit.signal}`);
    console.log("bookstore: stopped");
    process.exit(code || (unclean.length ? 1 : 0));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll(signal, 0));

  try {
    system = await startSystem({
      portBase,
      apiTokens: fromEnvironment,
      dataDir: values["data-dir"],
      onLine: print,
      onExit: (name, exit) => {
        // After the start, a service that dies takes the system down: a half system misleads.
        if (system && !stopping) void stopAll(`${name} exited with code ${exit.code} signal ${exit.signal}`, 1);
      },
    });
  } catch (error) {
    console.error(`bookstore: could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  const inside = relative(process.cwd(), system.dataDir);
  const data = inside === "" ? "." : inside.startsWith("..") ? system.dataDir : inside;
  // Tokens from the environment are secrets: the ready line says where they came from, never what they are.
  const tokens = fromEnvironment
    ? `Authorization: Bearer <a token of API_TOKENS>, ${fromEnvironment.split(",").length} from the environment`
    : `Authorization: Bearer ${DEV_TOKENS.librarian} as librarian, Bearer ${DEV_TOKENS.member} as member: the development tokens, set API_TOKENS for others`;
  console.log(`bookstore: ready in ${(system.readyAfterMs / 1000).toFixed(1)} s. API: ${system.apiUrl} (${tokens}); data in ${data}/; Ctrl-C stops everything.`);
  console.log(
    system.certs
      ? `bookstore: gRPC is mutual TLS; the CA and an admin certificate for grpcurl are in ${relative(process.cwd(), system.certs.dir) || "."}/ (ca.pem, admin.pem, admin-key.pem)`
      : "bookstore: TLS_INSECURE=1: gRPC is plaintext, for development only",
  );
}

if (import.meta.main) await main();
