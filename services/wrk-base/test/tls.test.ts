// The TLS pieces on their own: who may call what, the identities certificates name, and a server
// that takes up a replaced certificate without a restart.
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type TLSSocket, createServer as createTlsServer } from "node:tls";
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { ensureCerts, identityOfSpiffeId, type CertSet } from "../../../compose/local/certs.ts";
import { decide } from "../src/tls/authorize.js";
import { certificatesLoaded, serverCredentials } from "../src/tls/credentials.js";
import { identitiesInSubjectAltName, parseSpiffeId, spiffeIdOf } from "../src/tls/identity.js";
import { checkHealth, failureOf, tempDir, until } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, probeCredentials, sslCredentials, testCertsDir } from "../../../compose/local/kit/testing/tls.js";

describe("service identities", () => {
  it("reads the SPIFFE IDs the certificates carry, and nothing else", () => {
    expect(parseSpiffeId("spiffe://bookstore/worker/book/rack-1")).to.deep.equal({ role: "worker", type: "book", rack: "rack-1" });
    expect(parseSpiffeId("spiffe://bookstore/worker/thing")).to.deep.equal({ role: "worker", type: "thing" });
    expect(parseSpiffeId("spiffe://bookstore/admin")).to.deep.equal({ role: "admin" });
    for (const other of ["spiffe://elsewhere/admin", "spiffe://bookstore/root", "spiffe://bookstore/worker/book/rack-1/x", "spiffe://bookstore/admin?x", "https://bookstore/admin"]) {
      expect(parseSpiffeId(other), other).to.equal(undefined);
    }
    expect(spiffeIdOf({ role: "worker", type: "book", rack: "rack-2" })).to.equal("spiffe://bookstore/worker/book/rack-2");
    expect(identitiesInSubjectAltName("DNS:localhost, URI:spiffe://bookstore/gateway, IP Address:127.0.0.1")).to.deep.equal([{ role: "gateway" }]);
    // Node quotes an entry that holds a comma: such an entry is never an identity.
    expect(identitiesInSubjectAltName('URI:"spiffe://bookstore/admin, x"')).to.deep.equal([]);
  });

  it("decides by method: health and reflection open, the rest by role, UNAUTHENTICATED without an identity", () => {
    const ork = "/bookstore.ork.v1.OrchestratorService/";
    expect(decide("/grpc.health.v1.Health/Check", undefined)).to.deep.equal({ allowed: true });
    expect(decide("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", undefined)).to.deep.equal({ allowed: true });
    expect(decide(`${ork}Register`, undefined)).to.include({ allowed: false, code: grpc.status.UNAUTHENTICATED });
    expect(decide(`${ork}Register`, { role: "worker", type: "book" })).to.deep.equal({ allowed: true });
    expect(decide(`${ork}Register`, { role: "admin" })).to.include({ allowed: false, code: grpc.status.PERMISSION_DENIED });
    expect(decide(`${ork}DrainWorker`, { role: "admin" })).to.deep.equal({ allowed: true });
    expect(decide(`${ork}ForgetWorker`, { role: "gateway" })).to.include({ code: grpc.status.PERMISSION_DENIED });
    expect(decide("/bookstore.book.v1.BookService/GetBook", { role: "gateway" })).to.deep.equal({ allowed: true });
    expect(decide("/bookstore.book.v1.BookService/GetBook", { role: "admin" })).to.include({ code: grpc.status.PERMISSION_DENIED });
    expect(decide("/bookstore.worker.v1.WorkerService/Ping", { role: "orchestrator" })).to.deep.equal({ allowed: true });
  });
});

describe("the TLS server name clients send", function () {
  this.timeout(10_000);
  // A bare TLS server with a worker's certificate: what matters is the handshake's server name.
  const names: string[] = [];
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }): void => void warnings.push(`${warning.code ?? ""} ${warning.message}`);
  const certs = testCertsDir();
  const server = createTlsServer({
    ca: readFileSync(join(certs, "ca.pem")),
    cert: readFileSync(join(certs, "wrk-base.pem")),
    key: readFileSync(join(certs, "wrk-base-key.pem")),
    ALPNProtocols: ["h2"],
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    names.push(String(socket.servername));
    socket.destroy();
  });
  let port = 0;

  before(async () => {
    process.on("warning", onWarning);
    port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  });
  after(() => {
    process.off("warning", onWarning);
    server.close();
  });

  const handshake = async (credentials: grpc.ChannelCredentials): Promise<string> => {
    const before = names.length;
    const client = new grpc.Client(`127.0.0.1:${port}`, credentials);
    client.getChannel().getConnectivityState(true);
    try {
      await until(() => names.length > before, 5_000);
    } finally {
      client.close();
    }
    return names[before] as string;
  };

  it("is a name, never the IP address of the target (no DEP0123), for the services' clients and the probes", async () => {
    expect(await handshake(credentialsOf("admin"))).to.equal("bookstore");
    expect(await handshake(probeCredentials())).to.equal("localhost");
    expect(warnings.filter((warning) => warning.startsWith("DEP0123"))).to.deep.equal([]);
  });
});

describe("certificate rotation", function () {
  this.timeout(20_000);
  const dir = tempDir("tls-rotation");
  let server: grpc.Server;
  let port = 0;
  let first: CertSet;
  let second: CertSet;
  const live = { ca: join(dir.path, "ca.pem"), cert: join(dir.path, "server.pem"), key: join(dir.path, "server-key.pem") };
  const install = (set: CertSet): void => {
    const files = set.identities["worker-base"];
    if (!files) throw new Error("no certificate");
    copyFileSync(set.caFile, live.ca);
    copyFileSync(files.certFile, live.cert);
    copyFileSync(files.keyFile, live.key);
  };
  // A fresh connection each time (a channel of its own), trusting only the given CA.
  const healthWith = (set: CertSet) =>
    checkHealth(`127.0.0.1:${port}`, "", 2_000, sslCredentials(readFileSync(set.caFile)));

  before(async () => {
    const identity = identityOfSpiffeId("spiffe://bookstore/worker/base");
    first = await ensureCerts(join(dir.path, "first"), [identity]);
    second = await ensureCerts(join(dir.path, "second"), [identity]);
    install(first);
    server = new grpc.Server();
    new HealthImplementation({ "": "SERVING" }).addToServer(server);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", serverCredentials({ insecure: false, caFile: live.ca, certFile: live.cert, keyFile: live.key }, 200), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  });

  after(() => {
    server?.forceShutdown();
    dir.remove();
  });

  it("serves a certificate replaced on disk to new connections, without a restart", async () => {
    await until(async () => (await healthWith(first).catch(() => "")) === "SERVING", 5_000);
    expect((await failureOf(healthWith(second))).code).to.equal(grpc.status.UNAVAILABLE);
    install(second);
    await until(async () => (await healthWith(second).catch(() => "")) === "SERVING", 5_000);
    expect((await failureOf(healthWith(first))).code).to.equal(grpc.status.UNAVAILABLE);
  });
});

describe("certificates loaded before serving", function () {
  this.timeout(20_000);
  const dir = tempDir("tls-loaded");
  after(() => dir.remove());

  it("resolves once the files are read: a server bound then answers its first connection", async () => {
    const set = await ensureCerts(dir.path, [identityOfSpiffeId("spiffe://bookstore/worker/base")]);
    const files = set.identities["worker-base"];
    if (!files) throw new Error("no certificate");
    const tls = { insecure: false, caFile: set.caFile, certFile: files.certFile, keyFile: files.keyFile } as const;
    await certificatesLoaded(tls);
    const server = new grpc.Server();
    new HealthImplementation({ "": "SERVING" }).addToServer(server);
    try {
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", serverCredentials(tls), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
      // No retry: the first connection must not be dropped for credentials still loading.
      expect(await checkHealth(`127.0.0.1:${port}`, "", 2_000, sslCredentials(readFileSync(set.caFile)))).to.equal("SERVING");
    } finally {
      server.forceShutdown();
    }
  });

  it("rejects, naming the file, when one cannot be read", async () => {
    const missing = join(dir.path, "no-such-ca.pem");
    const error = await certificatesLoaded({ insecure: false, caFile: missing, certFile: missing, keyFile: missing }).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error?.message).to.include(missing);
  });
});
