// One development CA per test run (a temporary folder, removed at exit) and certificates made on
// demand from it, so that every process test runs the services with mutual TLS as they ship.
// Made by compose/local/certs.ts, the same code as `npm run certs`.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { type Identity, type TlsSettings, channelCredentials, spiffeIdOf, withServerName } from "@bookstore/wrk-base";
import { type CertSet, ensureCerts, identityOfSpiffeId, tlsEnv } from "../../certs.ts";

const REPO_ROOT = new URL("../../../../", import.meta.url).pathname;
export const TEST_CERTS_DIR = join(tmpdir(), `bookstore-test-certs-${process.pid}`);

/** The stems of the certificates every run has (npm run certs' set): app-node (gateway), wrk-ork, admin, wrk-book-rack-1 ... */
export type KnownStem = "admin" | "app-node" | "wrk-ork" | "wrk-base" | "tpl-wrk-thing" | "wrk-book-rack-1" | "wrk-book-rack-2";

let made = false;
/** Makes the CA and the standard set once, synchronously (so clients can be made anywhere). */
export function testCertsDir(): string {
  if (!made) {
    execFileSync(process.execPath, [join(REPO_ROOT, "compose/local/certs.ts"), "--out", TEST_CERTS_DIR], { stdio: "ignore", timeout: 30_000 });
    made = true;
    process.once("exit", () => rmSync(TEST_CERTS_DIR, { recursive: true, force: true }));
  }
  return TEST_CERTS_DIR;
}

export const testCaFile = (): string => join(testCertsDir(), "ca.pem");

/** TLS_* of one of the standard certificates. */
export function knownTlsEnv(stem: KnownStem): Record<string, string> {
  const dir = testCertsDir();
  return { TLS_CA_FILE: join(dir, "ca.pem"), TLS_CERT_FILE: join(dir, `${stem}.pem`), TLS_KEY_FILE: join(dir, `${stem}-key.pem`) };
}

export function tlsSettingsOf(env: Record<string, string>): TlsSettings {
  return { insecure: false, caFile: env.TLS_CA_FILE as string, certFile: env.TLS_CERT_FILE as string, keyFile: env.TLS_KEY_FILE as string };
}

/** Client credentials with one of the standard certificates, as the services' own clients make them. */
export function credentialsOf(stem: KnownStem): grpc.ChannelCredentials {
  return channelCredentials(tlsSettingsOf(knownTlsEnv(stem)));
}

/**
 * TLS with our CA but no client certificate: what a probe (grpc-health-probe, grpcurl -cacert) has.
 * It checks the host name as they do, as `localhost` (every certificate's DNS SAN) and sent as
 * the TLS server name, not the 127.0.0.1 of the address (Node's DEP0123 for an IP address).
 */
export function probeCredentials(): grpc.ChannelCredentials {
  return sslCredentials(readFileSync(testCaFile()));
}

/** grpc-js's createSsl credentials, verifying and naming the server as `localhost`. */
export function sslCredentials(ca: Buffer, key?: Buffer, cert?: Buffer): grpc.ChannelCredentials {
  return withServerName(grpc.credentials.createSsl(ca, key, cert), "localhost");
}

// Certificates are made one at a time: two makers of one stem at once could pair one's key with the other's certificate.
let queue: Promise<unknown> = Promise.resolve();

/** TLS_* of a certificate for any identity (made when missing). */
export function tlsEnvOf(identity: Identity): Promise<Record<string, string>> {
  const dir = testCertsDir();
  const wanted = identityOfSpiffeId(spiffeIdOf(identity));
  const next = queue.then(() => ensureCerts(dir, [wanted])).then((set: CertSet) => tlsEnv(set, wanted.stem));
  queue = next.catch(() => undefined);
  return next;
}

/** The gateway's TLS settings (app-node's certificate), for a RoutingClient in a test. */
export const gatewayTls = (): TlsSettings => tlsSettingsOf(knownTlsEnv("app-node"));
