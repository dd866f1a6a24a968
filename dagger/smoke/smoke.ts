// The end-to-end smoke test of a running bookstore: the gRPC health of every server, then HTTP
// through the gateway (readiness, the workers the orchestrator knows, and one book created, read,
// found, deleted). Used by `dagger call stack-test` against the built images, and runnable against
// any running system (see stack-smoke.ts). Every request has a deadline; the whole run has one.

import { checkHealth as checkServerHealth, probeTls } from "../../compose/local/kit/grpc-health.ts";
import { retryUntil as retryWithin } from "../../compose/local/kit/wait-until.ts";

export interface SmokeConfig {
  /** Base URL of app-node, e.g. http://app-node:3000. */
  readonly appUrl: string;
  /** `host:port` of every gRPC server to health-check. */
  readonly grpcTargets: readonly string[];
  /** Addresses the workers advertise; each must be listed as up by GET /v1/workers. */
  readonly workerAddresses: readonly string[];
  /** Bearer token of a librarian. */
  readonly token: string;
  /** How long the system may take to become ready, for the whole run. */
  readonly deadlineMs: number;
  /** Deadline of one request. */
  readonly requestTimeoutMs: number;
  /**
   * PEM file of the services' CA (TLS_CA_FILE): the health checks speak TLS without a client
   * certificate, as a probe does (health is open to it). Plaintext when absent (TLS_INSECURE=1).
   */
  readonly caFile?: string;
}

export interface SmokeStep {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

const RETRY_INTERVAL_MS = 500;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Retries `attempt` until it succeeds or the deadline passes; then fails with its last error (the kit's retryUntil). */
export function retryUntil<T>(deadlineAt: number, what: string, attempt: () => Promise<T>): Promise<T> {
  return retryWithin(attempt, { what, timeoutMs: deadlineAt - Date.now(), intervalMs: RETRY_INTERVAL_MS, failure: (last) => `${what}: not achieved before the deadline; last error: ${last ?? "never tried"}` });
}

/** One grpc.health.v1.Health/Check of the whole server (service ""), the kit's; over TLS as a probe with `caFile`. */
export async function checkHealth(target: string, timeoutMs: number, caFile?: string): Promise<string> {
  try {
    return await checkServerHealth(target, { timeoutMs, ...(caFile === undefined ? {} : probeTls(target, caFile)) });
  } catch (error) {
    throw new Error(`${target}: ${message(error)}`, { cause: error });
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One HTTP request with a deadline; the body is parsed as JSON when it is JSON. */
export async function request(
  config: Pick<SmokeConfig, "appUrl" | "token" | "requestTimeoutMs">,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${config.token}`, "x-request-id": `smoke-${Date.now()}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(new URL(path, config.appUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(config.requestTimeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text);
  return { status: response.status, body: parsed };
}

function expectStatus(answer: HttpAnswer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
}

interface BookJson {
  id: string;
  title: string;
  author: string;
}

function asBook(value: unknown, what: string): BookJson {
  const book = value as Partial<BookJson> | null;
  if (!book || typeof book.id !== "string" || typeof book.title !== "string") {
    throw new Error(`${what}: not a book: ${JSON.stringify(value).slice(0, 300)}`);
  }
  return book as BookJson;
}

interface PlannedStep {
  readonly name: string;
  readonly run: () => Promise<string>;
}

/** The steps against one system, in order; later steps use what earlier ones created. */
function plan(config: SmokeConfig, deadlineAt: number): PlannedStep[] {
  const http = (method: string, path: string, body?: unknown): Promise<HttpAnswer> => request(config, method, path, body);
  const marker = `smoke${Date.now().toString(36)}`;
  let book: BookJson | undefined;
  const created = (): BookJson => {
    if (!book) throw new Error("no book was created");
    return book;
  };
  const bookPath = (): string => `/v1/books/${encodeURIComponent(created().id)}`;

  const health: PlannedStep[] = config.grpcTargets.map((target) => ({
    name: `gRPC health of ${target}`,
    run: () =>
      retryUntil(deadlineAt, `${target} SERVING`, async () => {
        const status = await checkHealth(target, config.requestTimeoutMs, config.caFile);
        if (status !== "SERVING") throw new Error(`${target} is ${status}`);
        return status;
      }),
  }));

  return [
    ...health,
    {
      name: "gateway ready (GET /readyz)",
      run: () =>
        retryUntil(deadlineAt, "GET /readyz 200", async () => {
          expectStatus(await http("GET", "/readyz"), 200, "GET /readyz");
          return "200";
        }),
    },
    {
      name: "workers up (GET /v1/workers)",
      run: () =>
        retryUntil(deadlineAt, `workers ${config.workerAddresses.join(", ")} up`, async () => {
          const answer = await http("GET", "/v1/workers");
          expectStatus(answer, 200, "GET /v1/workers");
          const workers = (answer.body as { workers?: Array<{ address?: string; state?: string }> }).workers ?? [];
          const missing = config.workerAddresses.filter((a) => !workers.some((w) => w.address === a && w.state === "up"));
          if (missing.length > 0) throw new Error(`not up yet: ${missing.join(", ")}`);
          return `${workers.length} workers listed, the ${config.workerAddresses.length} expected ones up`;
        }),
    },
    {
      name: "create a book (POST /v1/books)",
      // Retried: the gateway answers 503 until it routes to a book rack.
      run: async () => {
        const answer = await retryUntil(deadlineAt, "POST /v1/books 201", async () => {
          const a = await http("POST", "/v1/books", { title: `Stack test ${marker}`, author: "Dagger Smoke", tags: ["smoke"] });
          expectStatus(a, 201, "POST /v1/books");
          return a;
        });
        book = asBook(answer.body, "POST /v1/books");
        return book.id;
      },
    },
    {
      name: "read it back (GET /v1/books/{id})",
      run: async () => {
        const answer = await http("GET", bookPath());
        expectStatus(answer, 200, "GET /v1/books/{id}");
        const read = asBook(answer.body, "GET /v1/books/{id}");
        if (read.title !== created().title) throw new Error(`title ${JSON.stringify(read.title)} != ${JSON.stringify(created().title)}`);
        return read.title;
      },
    },
    {
      name: "find it (GET /v1/books?q=...)",
      run: async () => {
        const answer = await http("GET", `/v1/books?q=${marker}`);
        expectStatus(answer, 200, "GET /v1/books?q=");
        const items = (answer.body as { items?: unknown[] }).items ?? [];
        if (!items.some((item) => (item as Partial<BookJson>).id === created().id)) {
          throw new Error(`search for ${marker} did not return ${created().id}`);
        }
        return `${items.length} result(s)`;
      },
    },
    {
      name: "delete it (DELETE /v1/books/{id})",
      run: async () => {
        expectStatus(await http("DELETE", bookPath()), 204, "DELETE /v1/books/{id}");
        expectStatus(await http("GET", bookPath()), 404, "GET after DELETE");
        return "204, then 404";
      },
    },
  ];
}

/** Runs every step in order and stops at the first failure. Returns the steps that ran. */
export async function runSmoke(config: SmokeConfig, log: (line: string) => void = () => {}): Promise<SmokeStep[]> {
  const steps: SmokeStep[] = [];
  for (const planned of plan(config, Date.now() + config.deadlineMs)) {
    const started = Date.now();
    try {
      const detail = await planned.run();
      steps.push({ name: planned.name, ok: true, detail, ms: Date.now() - started });
      log(`ok    ${planned.name}: ${detail}`);
    } catch (error) {
      steps.push({ name: planned.name, ok: false, detail: message(error), ms: Date.now() - started });
      log(`FAIL  ${planned.name}: ${message(error)}`);
      break;
    }
  }
  return steps;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
}

function positiveNumber(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads the settings that `dagger call stack-test` sets (see dagger/module/src/lib/stack.ts). */
export function smokeConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SmokeConfig {
  const appUrl = env.SMOKE_APP_URL ?? "";
  if (!/^https?:\/\/[^/\s]+/.test(appUrl)) throw new Error(`SMOKE_APP_URL must be an http(s) URL, got ${JSON.stringify(appUrl)}`);
  const token = env.SMOKE_API_TOKEN ?? "";
  if (token === "") throw new Error("SMOKE_API_TOKEN is required");
  const grpcTargets = list(env.SMOKE_GRPC_TARGETS);
  for (const target of grpcTargets) {
    if (!/^[^:\s]+:\d{1,5}$/.test(target)) throw new Error(`SMOKE_GRPC_TARGETS: "${target}" is not host:port`);
  }
  return {
    appUrl,
    grpcTargets,
    workerAddresses: list(env.SMOKE_WORKER_ADDRESSES),
    token,
    deadlineMs: positiveNumber(env, "SMOKE_DEADLINE_SECONDS", 120) * 1000,
    requestTimeoutMs: positiveNumber(env, "SMOKE_REQUEST_TIMEOUT_SECONDS", 5) * 1000,
    ...(env.TLS_CA_FILE?.trim() ? { caFile: env.TLS_CA_FILE.trim() } : {}),
  };
}
