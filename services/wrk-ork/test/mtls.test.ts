// Mutual TLS between the services, tried as an attacker on the network would (issue 10, item 2):
// real processes (wrk-ork, a wrk-book rack), a gateway's routing client, and forged calls without
// a certificate, with another identity's, and with one from another CA. Every forged call is
// refused before a handler runs and changes nothing: the gateway keeps the real rack's route.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { RoutingClient } from "@bookstore/app-node";
import { callUnary, channelCredentials, createLogger } from "@bookstore/wrk-base";
import { type BookServiceClient, type ListBooksResponse__Output, type OrchestratorServiceClient, loadContracts } from "@bookstore/proto";
import { ensureCerts, identityOfSpiffeId } from "../../../compose/local/certs.ts";
import { type ServiceProcess, checkHealth, failureOf, runUntilExit, startService, tempDir } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, gatewayTls, knownTlsEnv, probeCredentials, sslCredentials, testCaFile, tlsEnvOf, tlsSettingsOf } from "../../../compose/local/kit/testing/tls.js";
import { eventually, listWorkers, orkClient, startOrk, workerIdOf } from "./support/ork.js";

const contracts = loadContracts();
const forgedRegistration = { id: "book-rack-1-f0f0f0f0", type: "book", rack: "rack-1", address: "127.0.0.1:1", version: "6.6.6" };

describe("mutual TLS: forged control-plane and data calls are refused and change nothing", function () {
  this.timeout(60_000);
  let ork: ServiceProcess;
  let rack: ServiceProcess;
  let rackId: string;
  let admin: OrchestratorServiceClient;
  let routing: RoutingClient;
  const data = tempDir("mtls-rack");
  const otherCa = tempDir("mtls-other-ca");
  const clients: grpc.Client[] = [];

  const orkAs = (credentials: grpc.ChannelCredentials): OrchestratorServiceClient => {
    const client = new contracts.ork.OrchestratorService(ork.grpcAddress, credentials);
    clients.push(client);
    return client;
  };
  const booksAs = (credentials: grpc.ChannelCredentials): BookServiceClient => {
    const client = new contracts.book.BookService(rack.grpcAddress, credentials);
    clients.push(client);
    return client;
  };
  const register = (client: OrchestratorServiceClient, request = forgedRegistration) =>
    callUnary((m, o, cb) => client.register(request, m, o, cb), { timeoutMs: 3_000 });
  const listBooks = (client: BookServiceClient) => callUnary<ListBooksResponse__Output>((m, o, cb) => client.listBooks({}, m, o, cb), { timeoutMs: 3_000 });
  /** What the system looks like: the workers the orchestrator knows and the gateway's route of rack-1. */
  const snapshot = async () => ({
    workers: (await listWorkers(admin)).map((w) => ({ id: w.id, rack: w.rack, address: w.address, state: w.state })),
    route: routing.routes().find((r) => r.rack === "rack-1"),
  });
  /** Credentials of a certificate signed by a CA the cluster does not trust, itself trusting ours. */
  const fromOtherCa = async (): Promise<grpc.ChannelCredentials> => {
    const set = await ensureCerts(otherCa.path, [identityOfSpiffeId("spiffe://bookstore/admin")]);
    const files = set.identities.admin;
    if (!files) throw new Error("no admin certificate of the other CA");
    return sslCredentials(readFileSync(testCaFile()), readFileSync(files.keyFile), readFileSync(files.certFile));
  };

  before(async () => {
    ork = await startOrk();
    rack = await startService({ service: "wrk-book", env: { ORK_ADDR: ork.grpcAddress, RACK_ID: "rack-1", DATA_DIR: data.path, LOG_LEVEL: "debug" } });
    rackId = await workerIdOf(rack);
    admin = orkClient(ork.grpcAddress);
    routing = new RoutingClient({ orkAddress: ork.grpcAddress, tls: gatewayTls(), type: "book", log: createLogger("mtls-test", "silent"), registry: new Registry() });
    routing.start();
    await eventually("the gateway routes rack-1 to the real rack", 15_000, () => routing.routes().find((r) => r.rack === "rack-1")?.address === rack.grpcAddress);
  });

  after(async () => {
    for (const client of clients) client.close();
    admin?.close();
    routing?.close();
    await Promise.all([rack?.stop(), ork?.stop()]);
    data.remove();
    otherCa.remove();
  });

  it("keeps health and reflection open to a TLS client without a certificate (probes)", async () => {
    expect(await checkHealth(ork.grpcAddress, "", 2_000, probeCredentials())).to.equal("SERVING");
    expect(await checkHealth(rack.grpcAddress, "bookstore.book.v1.BookService", 2_000, probeCredentials())).to.equal("SERVING");
  });

  it("refuses a plaintext client at the transport", async () => {
    const error = await failureOf(checkHealth(ork.grpcAddress, "", 2_000, grpc.credentials.createInsecure()));
    expect(error.code).to.equal(grpc.status.UNAVAILABLE);
  });

  it("answers a Register of rack-1 without a certificate UNAUTHENTICATED; the gateway keeps the real rack", async () => {
    const before = await snapshot();
    const error = await failureOf(register(orkAs(probeCredentials())));
    expect(error.code, error.details).to.equal(grpc.status.UNAUTHENTICATED);
    expect(error.details).to.include("client certificate");
    expect(await snapshot()).to.deep.equal(before);
    expect(before.route?.address).to.equal(rack.grpcAddress);
  });

  it("answers a Register of rack-1 with rack-2's certificate PERMISSION_DENIED", async () => {
    const before = await snapshot();
    const rack2 = channelCredentials(tlsSettingsOf(await tlsEnvOf({ role: "worker", type: "book", rack: "rack-2" })));
    const error = await failureOf(register(orkAs(rack2)));
    expect(error.code, error.details).to.equal(grpc.status.PERMISSION_DENIED);
    expect(error.details).to.include("spiffe://bookstore/worker/book/rack-2");
    // Nor may it take over the real rack's id, heartbeat for it or make it leave.
    const takeover = await failureOf(register(orkAs(rack2), { ...forgedRegistration, id: rackId, rack: "rack-2" }));
    expect(takeover.code).to.equal(grpc.status.PERMISSION_DENIED);
    const heartbeat = await failureOf(callUnary((m, o, cb) => orkAs(rack2).heartbeat({ id: rackId }, m, o, cb), { timeoutMs: 3_000 }));
    expect(heartbeat.code).to.equal(grpc.status.PERMISSION_DENIED);
    const leave = await failureOf(callUnary((m, o, cb) => orkAs(rack2).deregister({ id: rackId }, m, o, cb), { timeoutMs: 3_000 }));
    expect(leave.code).to.equal(grpc.status.PERMISSION_DENIED);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("answers a Register as another type PERMISSION_DENIED (a base worker cannot be a book rack)", async () => {
    const error = await failureOf(register(orkAs(credentialsOf("wrk-base"))));
    expect(error.code, error.details).to.equal(grpc.status.PERMISSION_DENIED);
  });

  it("refuses a certificate from another CA as no certificate at all", async () => {
    const before = await snapshot();
    const stranger = orkAs(await fromOtherCa());
    const error = await failureOf(register(stranger));
    expect(error.code, error.details).to.equal(grpc.status.UNAUTHENTICATED);
    const drain = await failureOf(callUnary((m, o, cb) => stranger.drainWorker({ id: rackId }, m, o, cb), { timeoutMs: 3_000 }));
    expect(drain.code).to.equal(grpc.status.UNAUTHENTICATED);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("lets only an admin drain or forget: without a certificate UNAUTHENTICATED, as the gateway or a worker PERMISSION_DENIED", async () => {
    const before = await snapshot();
    for (const [credentials, code] of [
      [probeCredentials(), grpc.status.UNAUTHENTICATED],
      [credentialsOf("app-node"), grpc.status.PERMISSION_DENIED],
      [credentialsOf("wrk-book-rack-1"), grpc.status.PERMISSION_DENIED],
    ] as const) {
      const client = orkAs(credentials);
      const drain = await failureOf(callUnary((m, o, cb) => client.drainWorker({ id: rackId }, m, o, cb), { timeoutMs: 3_000 }));
      const forget = await failureOf(callUnary((m, o, cb) => client.forgetWorker({ id: rackId }, m, o, cb), { timeoutMs: 3_000 }));
      expect([drain.code, forget.code], drain.details).to.deep.equal([code, code]);
    }
    expect(await snapshot()).to.deep.equal(before);
    expect(rack.running).to.equal(true);
    // The admin passes the check: an unknown id is then NOT_FOUND, from the handler.
    const unknown = await failureOf(callUnary((m, o, cb) => admin.forgetWorker({ id: "book-rack-9-00000000" }, m, o, cb), { timeoutMs: 3_000 }));
    expect(unknown.code).to.equal(grpc.status.NOT_FOUND);
  });

  it("serves BookService on the rack's port to the gateway only", async () => {
    const created = await callUnary((m, o, cb) => booksAs(credentialsOf("app-node")).createBook({ title: "Dune", author: "Frank Herbert" }, m, o, cb), { timeoutMs: 3_000 });
    expect(created).to.have.property("book");
    const count = (await listBooks(booksAs(credentialsOf("app-node")))).books.length;
    expect((await failureOf(listBooks(booksAs(probeCredentials())))).code).to.equal(grpc.status.UNAUTHENTICATED);
    expect((await failureOf(listBooks(booksAs(await fromOtherCa())))).code).to.equal(grpc.status.UNAUTHENTICATED);
    for (const stem of ["admin", "wrk-ork", "wrk-book-rack-2"] as const) {
      const error = await failureOf(listBooks(booksAs(credentialsOf(stem))));
      expect(error.code, stem).to.equal(grpc.status.PERMISSION_DENIED);
    }
    const write = await failureOf(callUnary((m, o, cb) => booksAs(probeCredentials()).createBook({ title: "Forged", author: "Nobody" }, m, o, cb), { timeoutMs: 3_000 }));
    expect(write.code).to.equal(grpc.status.UNAUTHENTICATED);
    expect((await listBooks(booksAs(credentialsOf("app-node")))).books.length).to.equal(count);
  });

  it("logs and counts the refusals", async () => {
    await eventually("a refused call in the orchestrator's log", 5_000, () =>
      ork.logs().some((line) => line.msg === "rpc" && line.code === "UNAUTHENTICATED" && line.rpc === "/bookstore.ork.v1.OrchestratorService/Register"),
    );
  });
});

describe("TLS settings at start", function () {
  this.timeout(30_000);

  it("TLS_INSECURE=1 serves plaintext, checks nobody, and warns once at start", async () => {
    const worker = await startService({ service: "wrk-base", env: { TLS_INSECURE: "1" } });
    try {
      expect(await checkHealth(worker.grpcAddress, "", 2_000, grpc.credentials.createInsecure())).to.equal("SERVING");
      const client = new contracts.worker.WorkerService(worker.grpcAddress, grpc.credentials.createInsecure());
      const pong = await callUnary((m, o, cb) => client.ping({ message: "plain" }, m, o, cb), { timeoutMs: 2_000 });
      client.close();
      expect(pong).to.have.property("message", "plain");
      const warnings = worker.logs().filter((line) => line.level === "warn" && String(line.msg).includes("TLS is off"));
      expect(warnings).to.have.length(1);
    } finally {
      await worker.stop();
    }
  });

  it("stops at once with one line naming TLS_CA_FILE when it is missing, and TLS_KEY_FILE when it is not a key", async () => {
    const missing = await runUntilExit("wrk-base", { TLS_CA_FILE: "" });
    expect(missing.code).to.equal(1);
    expect(missing.output).to.match(/TLS_CA_FILE/);
    const env = knownTlsEnv("wrk-base");
    const wrongKey = await runUntilExit("wrk-base", { ...env, TLS_KEY_FILE: env.TLS_CA_FILE as string });
    expect(wrongKey.code).to.equal(1);
    expect(wrongKey.output).to.match(/TLS_KEY_FILE/);
    const noFile = await runUntilExit("wrk-base", { ...env, TLS_CERT_FILE: join("/nonexistent-bookstore-test", "absent.pem") });
    expect(noFile.output).to.match(/TLS_CERT_FILE.*cannot read/);
  });
});
