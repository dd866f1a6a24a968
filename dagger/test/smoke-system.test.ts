// The smoke test that `dagger call stack-test` runs, run here for real against the whole system
// as processes on loopback (compose/local/system.ts, what `npm start` runs; needs the build).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { freePortBase, startSystem, systemPorts, type RunningSystem } from "../../compose/local/system.js";
import { runSmoke } from "../smoke/smoke.js";

describe("the stack smoke test against the running system", function () {
  this.timeout(90_000);

  let system: RunningSystem | undefined;
  let dataDir: string;
  let portBase: number;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "bookstore-smoke-"));
    portBase = await freePortBase();
    system = await startSystem({ portBase, dataDir, env: { LOG_LEVEL: "warn" }, readyTimeoutMs: 30_000 });
  });

  after(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("passes every step: gRPC health, readiness, workers, a book's life", async () => {
    const ports = systemPorts(portBase);
    const grpc = Object.values(ports)
      .map((p) => p.grpc)
      .filter((p): p is number => p !== undefined)
      .map((p) => `127.0.0.1:${p}`);
    const workers = (["wrk-book-1", "wrk-book-2", "wrk-base", "tpl-wrk-thing"] as const).map((n) => `127.0.0.1:${ports[n].grpc}`);
    const lines: string[] = [];
    const steps = await runSmoke(
      {
        appUrl: (system as RunningSystem).apiUrl,
        grpcTargets: grpc,
        workerAddresses: workers,
        token: (system as RunningSystem).tokens.librarian,
        deadlineMs: 30_000,
        requestTimeoutMs: 5000,
        ...((system as RunningSystem).certs ? { caFile: (system as RunningSystem).certs?.caFile } : {}),
      },
      (line) => lines.push(line),
    );
    expect(steps.filter((s) => !s.ok), lines.join("\n")).to.deep.equal([]);
    expect(steps.map((s) => s.name)).to.include.members([
      "gateway ready (GET /readyz)",
      "workers up (GET /v1/workers)",
      "create a book (POST /v1/books)",
      "read it back (GET /v1/books/{id})",
      "find it (GET /v1/books?q=...)",
      "delete it (DELETE /v1/books/{id})",
    ]);
    expect(steps).to.have.length(grpc.length + 6);
  });

  it("fails, naming the step, when a worker it expects is not there", async () => {
    const steps = await runSmoke({
      appUrl: (system as RunningSystem).apiUrl,
      grpcTargets: [],
      workerAddresses: ["127.0.0.1:1"],
      token: (system as RunningSystem).tokens.librarian,
      deadlineMs: 1500,
      requestTimeoutMs: 1000,
    });
    expect(steps.at(-1)?.name).to.equal("workers up (GET /v1/workers)");
    expect(steps.at(-1)?.ok).to.equal(false);
    expect(steps.at(-1)?.detail).to.include("not up yet: 127.0.0.1:1");
  });
});
