// Child processes with deadlines, and the local registry they talk to.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { CommandError, runCommand } from "../../compose/local/kit/command.ts";
import { freePort } from "../../compose/local/kit/free-port.ts";
import { Supervised } from "../../compose/local/kit/supervisor.ts";
import { waitUntil } from "../../compose/local/kit/wait-until.ts";

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** Runs a command to its end (the kit's runCommand); rejects with its output when it fails, is missing or overruns. */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  try {
    return (await runCommand(command, args, { env: options.env ?? process.env, cwd: options.cwd, timeoutMs })).stdout;
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const why = error.failure === "missing" ? "is not installed" : error.failure === "timeout" ? `did not finish within ${timeoutMs} ms` : `failed (exit ${String(error.result.code ?? error.result.signal)})`;
    throw new Error(`${command} ${args.join(" ")} ${why}\n${error.result.stdout}${error.result.stderr}`.trim(), { cause: error });
  }
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
  const registry = new Supervised({ name: "docker-registry", command: "docker-registry", args: ["serve", config], maxLines: 40 }).start();
  const stop = async (): Promise<void> => {
    await registry.stop("SIGTERM", 5_000);
  };
  try {
    await waitUntil(
      async () => (await httpsGet(`https://${address}/v2/`, certificate, "*/*", 1000)).status === 200,
      {
        what: "docker-registry",
        timeoutMs: readyTimeoutMs,
        intervalMs: 100,
        stopOn: () => {
          const failed = registry.startError;
          if (failed) return new Error(`docker-registry could not start (apt-get install docker-registry): ${failed.message}`);
          const exit = registry.lastExit;
          return exit ? new Error(`docker-registry exited with ${exit.code}: ${registry.tail()}`) : undefined;
        },
        failure: () => `docker-registry did not answer on ${address} within ${readyTimeoutMs} ms: ${registry.tail()}`,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, certificateFile, certificate, stop };
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
