// Run a service the way an operator does and talk to it the way grpcurl, Prometheus and a slow
// client do: start `node services/<name>/dist/main.js` as a real process on loopback (the kit's
// Supervised), wait until its gRPC health says SERVING, list its services by reflection, scrape
// /metrics, hold a call open, stop it with a signal and read what it wrote. Shared by the tests of
// every service, the generator's and the dagger tests (compose/local/kit/testing: no test imports
// another package's test folder).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http2 from "node:http2";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import descriptor from "protobufjs/ext/descriptor/index.js";
import { comparePositions, fromTimestamp, type Timestamp__Output } from "@bookstore/proto";
import type { Identity } from "@bookstore/wrk-base";
import { CATALOGUE_FILE, parseCatalogue } from "../../../../dagger/module/src/lib/services.ts";
import { workerTypeOf } from "../../certs.ts";
import { runCommand } from "../command.ts";
import { freePort } from "../free-port.ts";
import { checkHealth as checkServerHealth } from "../grpc-health.ts";
import { type Exit, Supervised, type SupervisedOptions } from "../supervisor.ts";
import { waitUntil } from "../wait-until.ts";
import { type KnownStem, knownTlsEnv, probeCredentials, tlsEnvOf } from "./tls.ts";

export { freePort } from "../free-port.ts";
export type { Exit } from "../supervisor.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A fresh temporary folder and a function that removes it. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface StartOptions {
  /** Folder name under services/, for example "wrk-book". */
  service: string;
  /** Extra environment (DATA_DIR, RACK_ID, ...). GRPC_PORT, HTTP_PORT, BIND_HOST and ORK_ADDR are set unless given. */
  env?: Record<string, string>;
  /** How long the service may take to report SERVING. */
  servingTimeoutMs?: number;
  /** What health is asked with until SERVING, when not the process's own probe() (a server whose certificate has expired). */
  probe?: grpc.ChannelCredentials;
}

/** A service running as a child process: the kit's Supervised with its two ports. */
export class ServiceProcess extends Supervised {
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Whether it was started with TLS_INSECURE=1 (plaintext gRPC). */
  readonly insecure: boolean;
  /** Milliseconds from spawn until gRPC health first answered SERVING. */
  servingAfterMs = Number.NaN;

  constructor(options: SupervisedOptions, grpcPort: number, httpPort: number, insecure = false) {
    super(options);
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.insecure = insecure;
  }

  get grpcAddress(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Its gRPC URL for buf curl: https with TLS, http with TLS_INSECURE=1. */
  get grpcUrl(): string {
    return `${this.insecure ? "http" : "https"}://127.0.0.1:${this.grpcPort}`;
  }

  /** What a probe connects with: our CA and no client certificate (plaintext with TLS_INSECURE=1). */
  probe(): grpc.ChannelCredentials {
    return this.insecure ? grpc.credentials.createInsecure() : probeCredentials();
  }

  /** Waits until its gRPC health answers SERVING (asked with `probe`); fails at once if it exits. */
  async waitServing(timeoutMs: number, probe = this.probe()): Promise<void> {
    await waitUntil(async (remainingMs) => {
      const status = await checkHealth(this.grpcAddress, "", Math.min(500, remainingMs), probe).catch((error: grpc.ServiceError) => {
        throw new Error(error.details ?? String(error));
      });
      if (status !== "SERVING") throw new Error(status);
      return true;
    }, { what: "SERVING", timeoutMs, intervalMs: 10, stopOn: () => this.exitedEarly(), failure: (last) => `not SERVING after ${timeoutMs} ms (last: ${last ?? "no answer yet"})` });
  }
}

const CATALOGUE = parseCatalogue(readFileSync(join(REPO_ROOT, CATALOGUE_FILE), "utf8"));

/** The identity a service's certificate names: its role, and for a worker its type and RACK_ID. */
export function identityOfService(service: string, rack: string | undefined): Identity {
  const role = CATALOGUE.services.find((spec) => spec.name === service)?.role ?? "worker";
  if (role !== "worker") return { role };
  return rack ? { role: "worker", type: workerTypeOf(service), rack } : { role: "worker", type: workerTypeOf(service) };
}

/** The TLS settings a test gives a process unless it set its own (TLS_INSECURE or TLS_* files). */
export async function tlsEnvFor(identity: Identity, env: Record<string, string> | undefined): Promise<Record<string, string>> {
  if (env?.TLS_INSECURE === "1" || env?.TLS_CA_FILE !== undefined) return {};
  return tlsEnvOf(identity);
}

function entryPoint(service: string): string {
  return join(REPO_ROOT, "services", service, "dist", "main.js");
}

/**
 * Starts `node services/<service>/dist/main.js` on free loopback ports and waits until it is SERVING.
 * A free port can be taken by another process before the child binds it: then it tries new ports.
 */
export async function startService(options: StartOptions): Promise<ServiceProcess> {
  const portsGiven = options.env?.GRPC_PORT !== undefined || options.env?.HTTP_PORT !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServiceOnce(options);
    } catch (error) {
      if (portsGiven || attempt === 3 || !/EADDRINUSE|cannot listen/.test((error as Error).message)) throw error;
    }
  }
}

/**
 * Starts `args` of node (an entry point and its flags) as a service on free loopback ports with
 * `env` (the TLS settings of `identity` unless `env` has its own) and waits until it is SERVING;
 * kills it when it does not get there. What startService does for a service's dist/main.js, and
 * what a test's own worker (wrk-ork's rack worker) starts with.
 */
export async function startNodeService(name: string, args: readonly string[], identity: Identity, env: Record<string, string> = {}, options: Pick<StartOptions, "servingTimeoutMs" | "probe"> = {}): Promise<ServiceProcess> {
  const grpcPort = Number(env.GRPC_PORT ?? (await freePort()));
  const httpPort = Number(env.HTTP_PORT ?? (await freePort()));
  // A port nothing listens on: registration retries in the background and must not block serving.
  const orkAddress = env.ORK_ADDR ?? `127.0.0.1:${await freePort()}`;
  const tls = await tlsEnvFor(identity, env);
  const startedAt = performance.now();
  const service = new ServiceProcess(
    {
      name,
      command: process.execPath,
      args,
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", BIND_HOST: "127.0.0.1", ...tls, ...env, GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ORK_ADDR: orkAddress },
    },
    grpcPort,
    httpPort,
    env.TLS_INSECURE === "1",
  ).start();
  try {
    await service.waitServing(options.servingTimeoutMs ?? 10_000, options.probe);
  } catch (error) {
    await service.stop("SIGKILL");
    throw new Error(`${name} did not become SERVING: ${(error as Error).message}\n${service.output()}`, { cause: error });
  }
  service.servingAfterMs = performance.now() - startedAt;
  return service;
}

function startServiceOnce(options: StartOptions): Promise<ServiceProcess> {
  return startNodeService(options.service, [entryPoint(options.service)], identityOfService(options.service, options.env?.RACK_ID), options.env, options);
}

/**
 * Starts several services at once; when one fails, the others that did start are stopped before
 * the error is thrown, so a failed `before` hook leaves no process behind.
 */
export async function startServices(list: readonly StartOptions[]): Promise<ServiceProcess[]> {
  const results = await Promise.allSettled(list.map((options) => startService(options)));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (!failed) return results.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value);
  await Promise.all(results.map((result) => (result.status === "fulfilled" ? result.value.stop() : undefined)));
  throw failed.reason;
}

/** Runs a service that is expected to exit on its own (a bad setting) and returns its exit and output. */
export async function runUntilExit(service: string, env: Record<string, string>, timeoutMs = 10_000): Promise<Exit & { output: string }> {
  const tls = await tlsEnvFor(identityOfService(service, env.RACK_ID), env);
  const result = await runCommand(process.execPath, [entryPoint(service)], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", ...tls, ...env }, timeoutMs, allowFailure: true, allowTimeout: true });
  return { code: result.code, signal: result.signal, output: result.stdout + result.stderr };
}

/** grpc.health.v1.Health/Check (the kit's checkHealth), asked as a probe with the test CA unless other credentials are given; "" is the whole server. */
export function checkHealth(address: string, service = "", timeoutMs = 2_000, credentials = probeCredentials()): Promise<string> {
  return checkServerHealth(address, { service, timeoutMs, credentials });
}

// ---- server reflection, the way `grpcurl list` asks ----

type ReflectionRequest = { listServices?: string; fileContainingSymbol?: string; fileByFilename?: string };
type ReflectionResponse = {
  listServicesResponse?: { service: Array<{ name: string }> } | null;
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] } | null;
  errorResponse?: { errorCode: number; errorMessage: string } | null;
};

let reflectionMethod: protoLoader.MethodDefinition<ReflectionRequest, ReflectionResponse> | undefined;

function reflectionInfo(): protoLoader.MethodDefinition<ReflectionRequest, ReflectionResponse> {
  if (reflectionMethod) return reflectionMethod;
  // The v1 protocol, which grpcurl tries first; @grpc/reflection ships its proto.
  const root = dirname(createRequire(import.meta.url).resolve("@grpc/reflection/package.json"));
  const definition = protoLoader.loadSync("grpc/reflection/v1/reflection.proto", { includeDirs: [join(root, "build", "proto")], defaults: true, oneofs: true });
  const serviceDefinition = definition["grpc.reflection.v1.ServerReflection"] as protoLoader.ServiceDefinition;
  reflectionMethod = serviceDefinition.ServerReflectionInfo as protoLoader.MethodDefinition<ReflectionRequest, ReflectionResponse>;
  return reflectionMethod;
}

/** One request on the ServerReflectionInfo stream and its answer. */
async function askReflection(address: string, request: ReflectionRequest, timeoutMs: number): Promise<ReflectionResponse> {
  const method = reflectionInfo();
  // Reflection is open to a TLS client without a certificate, as grpcurl -cacert lists.
  const client = new grpc.Client(address, probeCredentials());
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const call = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, new grpc.Metadata(), {
        deadline: Date.now() + timeoutMs,
      });
      call.once("data", (response: ReflectionResponse) => {
        resolve(response);
        call.end();
      });
      call.once("error", reject);
      call.write(request);
    });
  } finally {
    client.close();
  }
}

/** The services a server lists by reflection: what `grpcurl -plaintext <address> list` prints. */
export async function listServices(address: string, timeoutMs = 2_000): Promise<string[]> {
  const response = await askReflection(address, { listServices: "*" }, timeoutMs);
  if (!response.listServicesResponse) throw new Error(`no service list: ${JSON.stringify(response.errorResponse)}`);
  return response.listServicesResponse.service.map((service) => service.name).sort();
}

/** The file descriptors that define a symbol: what grpcurl reads for `describe` and to encode requests. */
export async function describeSymbol(address: string, symbol: string, timeoutMs = 2_000): Promise<Buffer[]> {
  const response = await askReflection(address, { fileContainingSymbol: symbol }, timeoutMs);
  if (!response.fileDescriptorResponse) throw new Error(`no descriptor for ${symbol}: ${JSON.stringify(response.errorResponse)}`);
  return response.fileDescriptorResponse.fileDescriptorProto;
}

/**
 * What grpcurl does for `describe`: the file that defines a symbol, then each import it has not got
 * by file name, until every import is there. Returns the encoded files by name.
 */
export async function reflectedFiles(address: string, symbol: string, timeoutMs = 2_000): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const imports = new Map<string, string[]>();
  const take = (encoded: Buffer[]): void => {
    for (const bytes of encoded) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as { name: string; dependency: string[] };
      files.set(file.name, bytes);
      imports.set(file.name, file.dependency);
    }
  };
  take(await describeSymbol(address, symbol, timeoutMs));
  for (let missing = [...imports.values()].flat().find((name) => !files.has(name)); missing; missing = [...imports.values()].flat().find((name) => !files.has(name))) {
    const response = await askReflection(address, { fileByFilename: missing }, timeoutMs);
    if (!response.fileDescriptorResponse) throw new Error(`no file ${missing}: ${JSON.stringify(response.errorResponse)}`);
    take(response.fileDescriptorResponse.fileDescriptorProto);
    if (!files.has(missing)) throw new Error(`asked for ${missing}, got ${[...files.keys()].join(", ")}`);
  }
  return files;
}

// ---- buf curl, a strict reflection client ----

export interface BufCurlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `buf curl --protocol grpc --http2-prior-knowledge <args>` (the @bufbuild/buf the project
 * installs) with a deadline. buf links what reflection sends with Go's protobuf runtime, as grpcurl
 * does, so what works here works for grpcurl too. Never throws for a non-zero exit: the caller checks.
 */
export function bufCurl(args: readonly string[], timeoutMs = 20_000, identity: KnownStem | "none" = "app-node"): Promise<BufCurlResult> {
  const buf = join(REPO_ROOT, "node_modules", "@bufbuild", "buf", "bin", "buf");
  // An https URL is TLS (ALPN h2) with our CA and, unless "none", a client certificate; http is h2c.
  const tls = args.some((arg) => arg.startsWith("https://"));
  const files = identity === "none" ? undefined : knownTlsEnv(identity);
  const transport = !tls
    ? ["--http2-prior-knowledge"]
    : files
      ? ["--cacert", files.TLS_CA_FILE as string, "--cert", files.TLS_CERT_FILE as string, "--key", files.TLS_KEY_FILE as string]
      : ["--cacert", knownTlsEnv("admin").TLS_CA_FILE as string];
  return runCommand(process.execPath, [buf, "curl", "--protocol", "grpc", ...transport, "--connect-timeout", "5", ...args], { cwd: REPO_ROOT, timeoutMs, allowFailure: true, allowTimeout: true });
}

/** A buf curl call that must succeed; its JSON answer. */
export async function bufCurlJson<T = Record<string, unknown>>(args: readonly string[], timeoutMs?: number, identity?: KnownStem | "none"): Promise<T> {
  const result = await bufCurl(args, timeoutMs, identity);
  if (result.code !== 0) throw new Error(`buf curl ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

// ---- the HTTP side port ----

/** GET a path of the side port; every call has a deadline. */
export async function httpGet(baseUrl: string, path: string, timeoutMs = 2_000): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, text: await response.text() };
}

/**
 * The value of one series in Prometheus text, matched by name and the given labels (other labels
 * may be present); undefined when no series matches.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map<string, string>();
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) present.set(pair[1] as string, pair[2] as string);
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

// ---- a call held open by a slow client ----

export interface HeldCallResult {
  /** grpc-status of the call. */
  code: number;
  details: string;
  /** The response message (without its 5-byte frame header); empty when the call failed. */
  message: Buffer;
}

export interface HeldCall {
  /** Sends the rest of the request and waits for the status. */
  finish(): Promise<HeldCallResult>;
  close(): void;
}

/**
 * Starts a unary call over raw HTTP/2 and sends only part of its request: to the server the call
 * has begun (it counts in grpc_server_started_total and holds the connection) but cannot be
 * handled until `finish()` sends the rest. This is what a slow client or a slow network does, and
 * it lets a test deliver a signal while a call is really in flight.
 */
export async function holdCall(address: string, path: string, request: Uint8Array, timeoutMs = 10_000, identity: KnownStem | "insecure" = "app-node"): Promise<HeldCall> {
  if (request.length === 0) throw new Error("holdCall needs a request of at least one byte to hold back");
  const files = identity === "insecure" ? undefined : knownTlsEnv(identity);
  const session = files
    ? http2.connect(`https://${address}`, {
        ca: readFileSync(files.TLS_CA_FILE as string),
        cert: readFileSync(files.TLS_CERT_FILE as string),
        key: readFileSync(files.TLS_KEY_FILE as string),
        // The certificates name 127.0.0.1 and localhost.
        servername: "localhost",
      })
    : http2.connect(`http://${address}`);
  session.on("error", () => undefined); // surfaced through the stream below
  const stream = session.request({
    ":method": "POST",
    ":path": path,
    "content-type": "application/grpc",
    te: "trailers",
    "grpc-timeout": `${timeoutMs}m`,
  });
  const frame = Buffer.alloc(5 + request.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(request.length, 1);
  Buffer.from(request).copy(frame, 5);
  const chunks: Buffer[] = [];
  let headers: http2.IncomingHttpHeaders = {};
  stream.on("response", (h) => (headers = { ...headers, ...h }));
  stream.on("trailers", (t) => (headers = { ...headers, ...t }));
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve, reject) => {
    stream.once("close", () => resolve());
    stream.once("error", reject);
  });
  await new Promise<void>((resolve, reject) => {
    session.once("connect", () => resolve());
    session.once("error", reject);
  });
  // The frame header only: the server knows a message is coming, but not all of it.
  await new Promise<void>((resolve, reject) => stream.write(frame.subarray(0, 5), (error) => (error ? reject(error) : resolve())));
  return {
    async finish() {
      stream.end(frame.subarray(5));
      await closed;
      session.close();
      const body = Buffer.concat(chunks);
      return {
        code: Number(headers["grpc-status"] ?? -1),
        details: decodeURIComponent(String(headers["grpc-message"] ?? "")),
        message: body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)) : Buffer.alloc(0),
      };
    },
    close() {
      stream.close();
      session.destroy();
    },
  };
}

// ---- expecting failures ----

/** The error a call failed with; fails itself when the call succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("the call succeeded, but a failure was expected");
}

/** Waits until `check` holds, polling every 20 ms, for at most `timeoutMs` (the kit's waitUntil). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  await waitUntil(check, { what: "condition", timeoutMs, intervalMs: 20, failure: () => `condition not met within ${timeoutMs} ms` });
}

// ---- listing order ----

/**
 * Items in the order every rack lists them: by creation time, then by id. Things made one after
 * the other can share a millisecond, and then the id decides, so a test must not expect the order
 * in which it made them.
 */
export function inListingOrder<T extends { id: string; createdAt: Timestamp__Output | null }>(items: readonly T[]): T[] {
  const key = (item: T) => ({ createdAt: fromTimestamp(item.createdAt) ?? "", id: item.id });
  return [...items].sort((a, b) => comparePositions(key(a), key(b)));
}
