// npm run test:stack: the book system's services of compose/docker-compose.yml, brought up for real
// with Debian's podman-compose (1.0.3) and podman, from the images `npm run test:images` built in
// this checkout's store (localhost/bookstore/<service>:test-<arch>). docs/deployment.md, "Tested
// here", says what this covers and what it does not.
//
//  1. reads the compose file as Compose v2 does (compose-load.ts), with the settings an operator
//     gives (API_TOKENS; the API published on a free port of 127.0.0.1) and IMAGE_TAG=test-<arch>;
//  2. runs the one-shot jobs first, each to exit code 0 (the `certs` job: the development CA in its
//     volume, from the orchestrator image's own tool; Compose v2's `condition:
//     service_completed_successfully`), then starts the services level by level in depends_on
//     order, each level once the one before is healthy (`condition: service_healthy`; podman-compose
//     1.0.3 waits for neither), running each container's health check as podman's timer would (no
//     systemd here); every gRPC hop is then mutual TLS with the job's certificates;
//  3. holds every container to the compose file (podman inspect: read-only root, capabilities,
//     init, tmpfs, limits, restart policy, stop timeout, networks, volumes, settings, port);
//  4. calls the API through the published port: books on both racks, the workers, metrics only on
//     the unpublished port;
//  5. kills a rack's container (SIGKILL to its init from the host, as a crash or an OOM kill), and
//     waits for the restart policy, the health check and the API to bring its books back;
//  6. stops every service with SIGTERM (exit code 0 expected) and removes containers, volumes and
//     networks; prints the figures and "N passed, N failed".
// The monitoring services are not run: their images cannot be pulled here.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { testImage } from "../../.ci/images/build.js";
import { containerLogs, waitHealthy } from "../../.ci/images/container-checks.js";
import { IMAGES_DIR, hostArch, podman, run } from "../../.ci/images/podman.js";
import { COMPOSE_FILE } from "../local/kit/testing/stack-paths.js";
import { freePort } from "../local/kit/free-port.ts";
import { waitUntil } from "../local/kit/wait-until.ts";
import { loadComposeDict } from "./compose-load.js";
import { builtService, composeProject, type ComposeProject, type ComposeService } from "./compose-model.js";
import { ramInBytes } from "./compose-rules.js";
import { podmanComposeInput, podmanComposeYaml } from "./podman-compose-input.js";

const PROJECT = "bookstore-stack-test";
const LIBRARIAN = "stack-test-librarian-token";
const HEALTHY_TIMEOUT_MS = 120_000;
const RECOVERY_TIMEOUT_MS = 120_000;
const COMMAND_TIMEOUT_MS = 120_000;
const HTTP_DEADLINE_MS = 5_000;
/** The rack this run kills. */
const KILLED_RACK = "wrk-book-1";

let passed = 0;
const failures: string[] = [];
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s`;

function pass(message: string): void {
  passed += 1;
  console.log(`[${elapsed()}] ok   ${message}`);
}

function fail(message: string): void {
  failures.push(message);
  console.log(`[${elapsed()}] FAIL ${message}`);
}

function check(ok: boolean, message: string, detail = ""): void {
  if (ok) pass(message);
  else fail(detail ? `${message}: ${detail}` : message);
}

const containerName = (service: string): string => `${PROJECT}_${service}_1`;

/** The book system's services: the ones the compose file builds from the recipe services/Dockerfile. */
function bookServices(project: ComposeProject): string[] {
  return Object.entries(project.services)
    .filter(([, service]) => builtService(service) !== "")
    .map(([name]) => name);
}

const serviceDir = (service: ComposeService): string => builtService(service);

/** The one-shot jobs (restart "no", as the certs job) that the services wait to have exited 0. */
function jobsOf(project: ComposeProject, services: readonly string[]): string[] {
  const needed = new Set(services.flatMap((name) => Object.entries(project.services[name]?.depends_on ?? {}).filter(([, d]) => d.condition === "service_completed_successfully").map(([job]) => job)));
  return [...needed].filter((name) => project.services[name]?.restart === "no").sort();
}

/** Start levels: each service after every service it depends on (the jobs have run before). */
function startLevels(project: ComposeProject, services: readonly string[], jobs: readonly string[]): string[][] {
  const levels: string[][] = [];
  const placed = new Set<string>(jobs);
  const total = services.length + jobs.length;
  while (placed.size < total) {
    const next = services.filter((name) => !placed.has(name) && Object.keys(project.services[name]?.depends_on ?? {}).every((d) => placed.has(d)));
    if (next.length === 0) throw new Error(`cannot order ${services.filter((n) => !placed.has(n)).join(", ")}: a dependency outside ${services.join(", ")} or a cycle`);
    levels.push(next);
    for (const name of next) placed.add(name);
  }
  return levels;
}

/** One value the selected services all share (podman-compose 1.0.3 takes it for every `run`). */
function shared<T>(project: ComposeProject, services: readonly string[], what: string, read: (s: ComposeService) => T): T {
  const values = [...new Set(services.map((name) => JSON.stringify(read(project.services[name] as ComposeService))))];
  if (values.length !== 1 || values[0] === undefined) throw new Error(`the services differ in ${what} (${values.join(", ")}): podman-compose 1.0.3 can pass only one`);
  return JSON.parse(values[0]) as T;
}

const durationSeconds = (text: string | undefined): number => {
  const match = /^(\d+)s$/.exec(text ?? "");
  if (!match) throw new Error(`stop_grace_period '${text}': expected whole seconds such as 30s`);
  return Number(match[1]);
};

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${LIBRARIAN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_DEADLINE_MS),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

interface Inspected {
  State: { Status: string; Pid: number; ExitCode: number };
  RestartCount: number;
  Config: { Env: string[]; StopTimeout: number };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    SecurityOpt: string[] | null;
    Init: boolean;
    Tmpfs: Record<string, string> | null;
    RestartPolicy: { Name: string };
    Memory: number;
    NanoCpus: number;
    PidsLimit: number;
    PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
  };
  EffectiveCaps: string[] | null;
  Mounts: Array<{ Type: string; Name?: string; Destination: string }>;
  NetworkSettings: { Networks: Record<string, unknown> };
}

async function inspect(service: string): Promise<Inspected> {
  const result = await podman(["inspect", containerName(service)], { timeoutMs: COMMAND_TIMEOUT_MS });
  const [first] = JSON.parse(result.stdout) as Inspected[];
  if (!first) throw new Error(`podman inspect ${containerName(service)}: no container`);
  return first;
}

/** The container as the compose file describes it; every difference is a failure. */
async function checkContainer(project: ComposeProject, name: string, publishedPort: number): Promise<void> {
  const s = project.services[name] as ComposeService;
  const c = await inspect(name);
  const limits = s.deploy?.resources?.limits ?? {};
  const differences: string[] = [];
  const expectEqual = (what: string, actual: unknown, wanted: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) differences.push(`${what} is ${JSON.stringify(actual)}, the file says ${JSON.stringify(wanted)}`);
  };
  expectEqual("read-only root", c.HostConfig.ReadonlyRootfs, s.read_only === true);
  expectEqual("effective capabilities", c.EffectiveCaps ?? [], []);
  expectEqual("no-new-privileges", (c.HostConfig.SecurityOpt ?? []).some((o) => o.startsWith("no-new-privileges")), (s.security_opt ?? []).some((o) => o.startsWith("no-new-privileges")));
  expectEqual("init", c.HostConfig.Init, s.init === true);
  expectEqual("tmpfs", Object.keys(c.HostConfig.Tmpfs ?? {}).sort(), s.tmpfs.map((t) => t.split(":")[0]).sort());
  expectEqual("restart policy", c.HostConfig.RestartPolicy.Name, s.restart);
  expectEqual("memory limit", c.HostConfig.Memory, ramInBytes(limits.memory ?? 0));
  expectEqual("cpus", c.HostConfig.NanoCpus / 1e9, Number(limits.cpus ?? 0));
  expectEqual("pids limit", c.HostConfig.PidsLimit, limits.pids);
  expectEqual("stop timeout", c.Config.StopTimeout, durationSeconds(s.stop_grace_period));
  expectEqual("networks", Object.keys(c.NetworkSettings.Networks).sort(), Object.keys(s.networks).map((n) => `${PROJECT}_${n}`).sort());
  const named = s.volumes.filter((v) => v.type === "volume").map((v) => `${PROJECT}_${v.source}:${v.target}`);
  expectEqual("named volumes", c.Mounts.filter((m) => m.Type === "volume").map((m) => `${m.Name ?? ""}:${m.Destination}`).sort(), named.sort());
  for (const [key, value] of Object.entries(s.environment)) if (!c.Config.Env.includes(`${key}=${value ?? ""}`)) differences.push(`setting ${key} is not ${value ?? ""}`);
  const bindings = Object.entries(c.HostConfig.PortBindings ?? {}).flatMap(([port, list]) => (list ?? []).map((b) => `${b.HostIp}:${b.HostPort}:${port}`));
  expectEqual("published ports", bindings, s.ports.length > 0 ? [`127.0.0.1:${publishedPort}:3000/tcp`] : []);
  check(differences.length === 0, `${name}: the container is what the compose file says`, differences.join("; "));
}

function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<Exclude<T, undefined | false>> {
  return waitUntil(probe, { what, timeoutMs, intervalMs: 250, failure: (last) => `${what}: not within ${timeoutMs / 1000} s${last ? ` (last: ${last})` : ""}` });
}

/** Containers, volumes and networks of this project, from this run or an earlier one that died. */
async function removeProject(): Promise<void> {
  const filter = `label=io.podman.compose.project=${PROJECT}`;
  const ids = (await podman(["ps", "-a", "-q", "--filter", filter], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout.split("\n").filter(Boolean);
  if (ids.length > 0) await podman(["rm", "--force", "--volumes", ...ids], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
  const volumes = (await podman(["volume", "ls", "-q"], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout.split("\n").filter((v) => v.startsWith(`${PROJECT}_`));
  if (volumes.length > 0) await podman(["volume", "rm", "--force", ...volumes], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
  const networks = (await podman(["network", "ls", "--format", "{{.Name}}"], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout.split("\n").filter((n) => n.startsWith(`${PROJECT}_`));
  if (networks.length > 0) await podman(["network", "rm", "--force", ...networks], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
}

interface Book {
  id: string;
  title: string;
  status: string;
}

async function main(): Promise<void> {
  const arch = hostArch();
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const env = { API_TOKENS: `${LIBRARIAN}:librarian`, IMAGE_REGISTRY: "localhost/bookstore", IMAGE_TAG: `test-${arch}`, APP_NODE_BIND_ADDRESS: "127.0.0.1", APP_NODE_PORT: String(port) };
  const dict = loadComposeDict(COMPOSE_FILE, env);
  const project = composeProject(dict, dirname(COMPOSE_FILE));
  const services = bookServices(project);
  const jobs = jobsOf(project, services);
  const levels = startLevels(project, services, jobs);
  const version = (await run("podman-compose", ["version"], { timeoutMs: 30_000 })).stdout.match(/^podman-composer? version *(\S+)/m)?.[1] ?? "?";
  console.log(`podman-compose ${version}; services ${services.join(", ")}; API on ${api}`);

  for (const name of services) {
    const service = project.services[name] as ComposeService;
    const image = testImage(serviceDir(service), arch);
    if (service.image !== image) throw new Error(`${name}: the compose file names ${service.image}, the image checks build ${image}`);
    const exists = await podman(["image", "exists", image], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
    if (exists.code !== 0) throw new Error(`${image} is not in this checkout's podman store: run npm run test:images first`);
  }

  const pids = shared(project, services, "deploy.resources.limits.pids", (s) => s.deploy?.resources?.limits?.pids);
  const stopSeconds = shared(project, services, "stop_grace_period", (s) => durationSeconds(s.stop_grace_period));
  // --read-only-tmpfs=false: podman adds tmpfs on /run, /tmp and /var/tmp to a read-only container
  // by default, Docker does not; without them the container has only the file's tmpfs, as there.
  // A folder of its own: podman-compose 1.0.3 reads `.env` beside the file and lets it override the
  // caller's settings, so compose/.env of a working copy must not be read.
  const work = mkdtempSync(join(tmpdir(), "bookstore-stack-"));
  const file = join(work, "docker-compose.yml");
  writeFileSync(file, podmanComposeYaml(podmanComposeInput(dict, [...jobs, ...services])));
  const compose = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    run("podman-compose", ["--podman-path", join(IMAGES_DIR, "podman.sh"), "-p", PROJECT, "-f", file, `--podman-run-args=--pids-limit=${pids} --stop-timeout=${stopSeconds} --read-only-tmpfs=false`, ...args], {
      cwd: work,
      timeoutMs: COMMAND_TIMEOUT_MS,
    });

  await removeProject();
  try {
    // ---- 2. the jobs (the development CA), each to exit 0; then up, level by level, health-gated
    for (const job of jobs) {
      await compose(["up", "-d", "--no-build", job]);
      const exit = await waitFor(`${job} exited`, HEALTHY_TIMEOUT_MS, async () => {
        const state = (await inspect(job)).State;
        return state.Status === "exited" ? state.ExitCode : undefined;
      });
      if (exit !== 0) throw new Error(`${job} exited with code ${exit}: ${await containerLogs(containerName(job))}`);
      pass(`${job} ran to exit code 0`);
    }
    const healthyAt = new Map<string, number>();
    for (const level of levels) {
      await compose(["up", "-d", "--no-build", ...level]);
      for (const name of level) {
        const state = await inspect(name).catch(() => undefined);
        if (state?.State.Status !== "running") throw new Error(`${name} did not start (${state?.State.Status ?? "no container"}): ${await containerLogs(containerName(name))}`);
      }
      for (const name of level) {
        await waitHealthy(containerName(name), HEALTHY_TIMEOUT_MS);
        healthyAt.set(name, (performance.now() - started) / 1000);
      }
      pass(`healthy: ${level.join(", ")}`);
    }
    const upSeconds = Math.max(...healthyAt.values());

    // ---- 3. the containers against the file
    for (const name of services) await checkContainer(project, name, port);

    // ---- 4. the API through the published port
    const health = await http("GET", `${api}/healthz`);
    check(health.status === 200, "GET /healthz through the published port", health.text);
    const books: Book[] = [];
    for (let i = 0; i < 20 && new Set(books.map((b) => b.id.split(".")[0])).size < 2; i++) {
      const created = await http("POST", `${api}/v1/books`, { title: `Stack test ${i}`, author: "Podman Compose" });
      if (created.status !== 201) throw new Error(`POST /v1/books: ${created.status} ${created.text}`);
      books.push(created.json as unknown as Book);
    }
    const racks = [...new Set(books.map((b) => b.id.split(".")[0]))].sort();
    check(racks.join() === "rack-1,rack-2", `books created on both racks (${books.length} books)`, racks.join());
    const killedRackId = project.services[KILLED_RACK]?.environment.RACK_ID ?? "";
    const kept = books.find((b) => b.id.startsWith(`${killedRackId}.`));
    if (!kept) throw new Error(`no book on ${killedRackId}`);
    const out = await http("POST", `${api}/v1/books/${kept.id}/checkout`, { borrower: "stack-test" });
    check(out.status === 200, `checked out ${kept.id}`, out.text);
    const listed = await http("GET", `${api}/v1/books?pageSize=100`);
    const listedIds = ((listed.json?.items ?? []) as Book[]).map((b) => b.id);
    check(books.every((b) => listedIds.includes(b.id)), "GET /v1/books lists every book of both racks", listed.text.slice(0, 300));
    const workers = await http("GET", `${api}/v1/workers`);
    const serving = ((workers.json?.workers ?? []) as Array<{ type: string; rack: string }>).map((w) => `${w.type}:${w.rack}`);
    check(["book:rack-1", "book:rack-2", "thing:thing-1"].every((w) => serving.includes(w)), "GET /v1/workers shows both book racks and the thing rack", serving.join(", "));
    const publicMetrics = await http("GET", `${api}/metrics`);
    check(publicMetrics.status === 404, "GET /metrics through the published port: 404", String(publicMetrics.status));
    const metricsPort = project.services["app-node"]?.environment.METRICS_PORT ?? "";
    const script = `fetch('http://127.0.0.1:${metricsPort}/metrics',{signal:AbortSignal.timeout(3000)}).then(r=>r.text()).then(t=>process.stdout.write(t),()=>process.exit(1))`;
    const inside = await podman(["exec", containerName("app-node"), "node", "-e", script], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
    check(/^http_requests_total\{/m.test(inside.stdout), `app-node serves /metrics on its unpublished port ${metricsPort}`, inside.stderr.slice(0, 200));

    // ---- 5. a rack killed, and back with its data
    const before = await inspect(KILLED_RACK);
    const killedAt = performance.now();
    process.kill(before.State.Pid, "SIGKILL");
    const restarted = await waitFor(`${KILLED_RACK} restarted`, RECOVERY_TIMEOUT_MS, async () => {
      const now = await inspect(KILLED_RACK);
      return now.RestartCount > before.RestartCount && now.State.Status === "running" ? (performance.now() - killedAt) / 1000 : undefined;
    });
    await waitHealthy(containerName(KILLED_RACK), RECOVERY_TIMEOUT_MS);
    const healthyAgain = (performance.now() - killedAt) / 1000;
    const back = await waitFor(`GET /v1/books/${kept.id} after the kill`, RECOVERY_TIMEOUT_MS, async () => {
      const answer = await http("GET", `${api}/v1/books/${kept.id}`);
      return answer.status === 200 ? answer : undefined;
    });
    const servedAgain = (performance.now() - killedAt) / 1000;
    const book = back.json as unknown as Book;
    check(book.title === kept.title && book.status === "checked_out", `${KILLED_RACK} came back with its data (${kept.id} still checked out)`, back.text);
    const relisted = await http("GET", `${api}/v1/books?pageSize=100`);
    check(books.every((b) => ((relisted.json?.items ?? []) as Book[]).some((x) => x.id === b.id)), "every book is listed again after the kill", relisted.text.slice(0, 300));

    // ---- 6. SIGTERM: each service stops cleanly, dependents first
    for (const level of [...levels].reverse()) {
      for (const name of level) {
        const stopping = performance.now();
        await podman(["stop", "--time", String(stopSeconds), containerName(name)], { timeoutMs: (stopSeconds + 30) * 1000 });
        const exit = (await inspect(name)).State.ExitCode;
        check(exit === 0, `${name} stops on SIGTERM with exit code 0 (${((performance.now() - stopping) / 1000).toFixed(1)} s)`, `exit ${exit}`);
      }
    }

    console.log(`\nFigures (podman ${arch}, 2 shared cores):`);
    console.log(`  time to healthy, first \`up\` to the last service healthy: ${upSeconds.toFixed(1)} s (${levels.map((l) => l.map((n) => `${n} ${healthyAt.get(n)?.toFixed(1)} s`).join(", ")).join(" | ")})`);
    console.log(`  rack recovery after SIGKILL of ${KILLED_RACK}: restarted ${restarted.toFixed(1)} s, healthy ${healthyAgain.toFixed(1)} s, its book served again ${servedAgain.toFixed(1)} s`);
  } catch (error) {
    fail((error as Error).message);
  } finally {
    await compose(["down", "-v"]).catch(() => undefined);
    await removeProject();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${passed} passed, ${failures.length} failed`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`test:stack: ${(error as Error).message}`);
  process.exitCode = 1;
});
