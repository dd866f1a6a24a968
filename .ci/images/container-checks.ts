// Runs a built image and checks it the way an operator would rely on it: the process is not root,
// the image's own HEALTHCHECK turns healthy, the service answers on its published port (gRPC
// health, or GET /healthz), its server reflection satisfies a strict client (buf curl), and the
// stop signal stops it cleanly. Only 127.0.0.1 is talked to.

import { join } from "node:path";
import { checkHealth, probeTls } from "../../compose/local/kit/grpc-health.ts";
import { waitUntil } from "../../compose/local/kit/wait-until.ts";
import type { Arch } from "./podman.js";
import { REPO_ROOT, podman, run } from "./podman.js";

const COMMAND_TIMEOUT_MS = 60_000;

export interface ContainerSpec {
  name: string;
  image: string;
  arch: Arch;
  env: Readonly<Record<string, string>>;
  /** Container ports to publish on random ports of 127.0.0.1. */
  ports: readonly number[];
  /** `--volume` arguments. */
  volumes?: readonly string[];
}

export async function startContainer(spec: ContainerSpec): Promise<void> {
  await podman(["rm", "--force", "--ignore", "--volumes", spec.name], { timeoutMs: COMMAND_TIMEOUT_MS });
  const args = ["run", "--detach", "--name", spec.name, `--platform=linux/${spec.arch}`];
  for (const port of spec.ports) args.push("--publish", `127.0.0.1::${port}`);
  for (const [key, value] of Object.entries(spec.env)) args.push("--env", `${key}=${value}`);
  for (const volume of spec.volumes ?? []) args.push("--volume", volume);
  // podman logs a systemd error about health check timers here (no systemd in CI); the checks
  // below run the image's HEALTHCHECK themselves with `podman healthcheck run`.
  await podman([...args, spec.image], { timeoutMs: COMMAND_TIMEOUT_MS });
}

/** The 127.0.0.1 address a container port is published on. */
export async function publishedAddress(name: string, port: number): Promise<string> {
  const result = await podman(["port", name, `${port}/tcp`], { timeoutMs: COMMAND_TIMEOUT_MS });
  const address = result.stdout.trim().split("\n")[0]?.trim() ?? "";
  if (!/^127\.0\.0\.1:\d+$/.test(address)) throw new Error(`${name}: port ${port} is not published on 127.0.0.1 (podman port says '${address}')`);
  return address;
}

/** The user id that PID 1 of the container (the service) runs as, read from /proc inside. */
export async function serviceUid(name: string): Promise<number> {
  const script = "const m=/^Uid:\\s+(\\d+)/m.exec(require('fs').readFileSync('/proc/1/status','utf8'));process.stdout.write(m?m[1]:'?')";
  const result = await podman(["exec", name, "node", "-e", script], { timeoutMs: COMMAND_TIMEOUT_MS });
  const uid = Number(result.stdout.trim());
  if (!Number.isInteger(uid)) throw new Error(`${name}: cannot read the uid of PID 1 (got '${result.stdout}')`);
  return uid;
}

/** Runs the image's HEALTHCHECK until it passes; the container's health status must then be healthy. */
export async function waitHealthy(name: string, timeoutMs: number): Promise<{ seconds: number; attempts: number }> {
  const started = performance.now();
  let attempts = 0;
  let wrongStatus: Error | undefined;
  await waitUntil(
    async () => {
      attempts += 1;
      const result = await podman(["healthcheck", "run", name], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
      if (result.code !== 0) throw new Error((result.stdout + result.stderr).trim().split("\n").at(-1) ?? "");
      const status = await podman(["inspect", "--format", "{{.State.Health.Status}}", name], { timeoutMs: COMMAND_TIMEOUT_MS });
      if (status.stdout.trim() !== "healthy") wrongStatus = new Error(`${name}: HEALTHCHECK passed but the status is '${status.stdout.trim()}'`);
      return wrongStatus === undefined;
    },
    { what: `${name} healthy`, timeoutMs, intervalMs: 1_000, stopOn: () => wrongStatus, failure: (last) => `${name}: HEALTHCHECK not healthy after ${timeoutMs / 1000} s (${attempts} runs; last: ${last ?? ""})` },
  );
  return { seconds: (performance.now() - started) / 1000, attempts };
}

/**
 * Asks until the answer is SERVING or the time is up; the last error explains a failure. Over TLS
 * with `caFile`, as a probe: the smoke test's health check, the one `stack-test` runs.
 */
export async function waitGrpcServing(address: string, timeoutMs: number, caFile?: string): Promise<number> {
  const started = performance.now();
  const tls = caFile === undefined ? {} : probeTls(address, caFile);
  await waitUntil(
    async () => {
      const status = await checkHealth(address, { timeoutMs: 2_000, ...tls }).catch((error: Error) => {
        throw new Error(`${address}: ${error.message}`, { cause: error });
      });
      if (status !== "SERVING") throw new Error(`status ${status}`);
      return true;
    },
    { what: `gRPC health at ${address}`, timeoutMs, intervalMs: 500, failure: (last) => `gRPC health at ${address} not SERVING after ${timeoutMs / 1000} s (last: ${last ?? ""})` },
  );
  return (performance.now() - started) / 1000;
}

/**
 * The methods `buf curl --list-methods` finds by server reflection alone: buf links the files it is
 * sent with Go's protobuf runtime, as grpcurl does, so this fails when the image's reflection
 * serves descriptors a strict client cannot use.
 */
export async function reflectedMethods(address: string, timeoutMs: number, caFile?: string): Promise<string[]> {
  const buf = join(REPO_ROOT, "node_modules", "@bufbuild", "buf", "bin", "buf");
  // Reflection is open to any TLS client: the CA only, as `grpcurl -cacert ... list` would.
  const transport = caFile === undefined ? ["--http2-prior-knowledge", `http://${address}`] : ["--cacert", caFile, `https://${address}`];
  const result = await run(
    process.execPath,
    [buf, "curl", "--protocol", "grpc", "--connect-timeout", "5", "--list-methods", ...transport],
    { timeoutMs },
  );
  return result.stdout.trim().split("\n").filter(Boolean);
}

/** GETs /healthz until it answers 200 or the time is up. */
export async function waitHttpHealthz(address: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await waitUntil(
    async () => {
      const response = await fetch(`http://${address}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return true;
    },
    { what: `GET http://${address}/healthz`, timeoutMs, intervalMs: 500, failure: (last) => `GET http://${address}/healthz not 200 after ${timeoutMs / 1000} s (last: ${last ?? ""})` },
  );
  return (performance.now() - started) / 1000;
}

/** Stops with the image's STOPSIGNAL; a service that drains cleanly exits 0 before the kill. */
export async function stopContainer(name: string, graceSeconds: number): Promise<number> {
  await podman(["stop", "--time", String(graceSeconds), name], { timeoutMs: (graceSeconds + 30) * 1000 });
  const result = await podman(["inspect", "--format", "{{.State.ExitCode}}", name], { timeoutMs: COMMAND_TIMEOUT_MS });
  return Number(result.stdout.trim());
}

export async function containerLogs(name: string): Promise<string> {
  const result = await podman(["logs", "--tail", "20", name], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
  return (result.stdout + result.stderr).trim();
}

/** Removes the container and its anonymous volume (the images with data declare VOLUME /data). */
export async function removeContainer(name: string): Promise<void> {
  await podman(["rm", "--force", "--ignore", "--volumes", name], { timeoutMs: COMMAND_TIMEOUT_MS, allowFailure: true });
}

export async function imageArchitecture(image: string): Promise<string> {
  const result = await podman(["image", "inspect", "--format", "{{.Architecture}}", image], { timeoutMs: COMMAND_TIMEOUT_MS });
  return result.stdout.trim();
}

/** The uncompressed size of an image in bytes, as podman counts it. */
export async function imageSize(image: string): Promise<number> {
  const result = await podman(["image", "inspect", "--format", "{{.Size}}", image], { timeoutMs: COMMAND_TIMEOUT_MS });
  return Number(result.stdout.trim());
}
