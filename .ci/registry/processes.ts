// Child processes with deadlines, and the local registry they talk to.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { join } from "node:path";

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** Runs a command to its end; rejects with its output when it fails, is missing or overruns. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT"
            ? "is not installed"
            : error.killed
              ? `did not finish within ${timeoutMs} ms`
              : `failed (exit ${String(code)})`;
        reject(new Error(`${command} ${args.join(" ")} ${why}\n${stdout}${stderr}`.trim(), { cause: error }));
      },
    );
  });
}

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  /** The registry's self-signed certificate (PEM file and text): the only root clients trust. */
  readonly certificateFile: string;
  readonly certificate: string;
  /** Stops the registry (SIGTERM, then SIGKILL after a deadline). */
  stop(): Promise<void>;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts Debian's docker-registry on 127.0.0.1 with its storage under `dir`, serving HTTPS with a
 * fresh self-signed certificate for 127.0.0.1, and waits until it answers the registry API.
 * Clients trust that certificate through SSL_CERT_FILE, so skopeo and podman run unchanged,
 * with TLS verified, exactly as against a public registry.
 */
export async function startRegistry(dir: string, readyTimeoutMs = 20_000): Promise<LocalRegistry> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const storage = join(dir, "storage");
  await mkdir(storage, { recursive: true });
  const certificateFile = join(dir, "registry.crt");
  const keyFile = join(dir, "registry.key");
  await run(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certificateFile],
    { timeoutMs: 30_000 },
  );
  const certificate = await readFile(certificateFile, "utf8");
  const config = join(dir, "config.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storage}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${address}`,
      "  tls:",
      `    certificate: ${certificateFile}`,
      `    key: ${keyFile}`,
      "",
    ].join("\n"),
  );
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    if (!(await exited(child, 5000))) {
      child.kill("SIGKILL");
      await exited(child, 5000);
    }
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
    const failed = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (failed) throw new Error(`docker-registry could not start (apt-get install docker-registry): ${failed.message}`);
    try {
      const answer = await httpsGet(`https://${address}/v2/`, certificate, "*/*", 1000);
      if (answer.status === 200) return { address, certificateFile, certificate, stop };
    } catch {
      // not listening yet
    }
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${address} within ${readyTimeoutMs} ms: ${stderr}`);
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A GET over HTTPS that trusts only `ca`, with a deadline. */
export function httpsGet(url: string, ca: string, accept: string, timeoutMs: number): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method: "GET", ca, headers: { accept }, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
}
