// The smoke test's own parts, against real servers on loopback: a gRPC server with the standard
// health service (the implementation every bookstore server uses), and an unused port.
import { createServer } from "node:net";

import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { HealthImplementation } from "grpc-health-check";

import { checkHealth, retryUntil, runSmoke, smokeConfigFromEnv } from "../smoke/smoke.js";

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("smoke test parts", function () {
  this.timeout(20_000);

  let server: grpc.Server;
  let health: HealthImplementation;
  let target: string;

  before(async () => {
    server = new grpc.Server();
    health = new HealthImplementation({ "": "SERVING" });
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
    );
    target = `127.0.0.1:${port}`;
  });

  after(() => {
    server.forceShutdown();
  });

  it("reads the health of a gRPC server", async () => {
    health.setStatus("", "SERVING");
    expect(await checkHealth(target, 2000)).to.equal("SERVING");
    health.setStatus("", "NOT_SERVING");
    expect(await checkHealth(target, 2000)).to.equal("NOT_SERVING");
  });

  it("fails a health check of a closed port within its deadline", async () => {
    const started = Date.now();
    const closed = `127.0.0.1:${await unusedPort()}`;
    let failure: unknown;
    try {
      await checkHealth(closed, 1000);
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include(closed);
    expect(Date.now() - started).to.be.below(5000);
  });

  it("stops at the first failing step, naming it, and runs nothing after it", async () => {
    health.setStatus("", "NOT_SERVING");
    const lines: string[] = [];
    const steps = await runSmoke(
      {
        appUrl: `http://127.0.0.1:${await unusedPort()}`,
        grpcTargets: [target],
        workerAddresses: [],
        token: "t",
        deadlineMs: 1500,
        requestTimeoutMs: 500,
      },
      (line) => lines.push(line),
    );
    expect(steps).to.have.length(1);
    expect(steps[0]?.ok).to.equal(false);
    expect(steps[0]?.detail).to.match(/SERVING: not achieved before the deadline; last error: .* is NOT_SERVING/);
    expect(lines[0]).to.match(/^FAIL {2}gRPC health of 127\.0\.0\.1:\d+/);
  });

  it("goes on to the gateway once the servers are healthy, and fails there when it is down", async () => {
    health.setStatus("", "SERVING");
    const steps = await runSmoke({
      appUrl: `http://127.0.0.1:${await unusedPort()}`,
      grpcTargets: [target],
      workerAddresses: [],
      token: "t",
      deadlineMs: 1500,
      requestTimeoutMs: 500,
    });
    expect(steps.map((s) => [s.name, s.ok])).to.deep.equal([
      [`gRPC health of ${target}`, true],
      ["gateway ready (GET /readyz)", false],
    ]);
  });

  it("retries until success, and reports the last error at the deadline", async () => {
    let calls = 0;
    expect(
      await retryUntil(Date.now() + 5000, "third time", async () => {
        calls += 1;
        if (calls < 3) throw new Error(`attempt ${calls}`);
        return calls;
      }),
    ).to.equal(3);
    let failure: unknown;
    try {
      await retryUntil(Date.now() + 300, "never", () => Promise.reject(new Error("still broken")));
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.equal("Error: never: not achieved before the deadline; last error: still broken");
  });

  it("reads and validates its settings from the environment", () => {
    const config = smokeConfigFromEnv({
      SMOKE_APP_URL: "http://app-node:3000",
      SMOKE_API_TOKEN: "secret",
      SMOKE_GRPC_TARGETS: "wrk-ork:50051, wrk-book:50052",
      SMOKE_WORKER_ADDRESSES: "wrk-book:50052",
      SMOKE_DEADLINE_SECONDS: "30",
    });
    expect(config).to.deep.equal({
      appUrl: "http://app-node:3000",
      grpcTargets: ["wrk-ork:50051", "wrk-book:50052"],
      workerAddresses: ["wrk-book:50052"],
      token: "secret",
      deadlineMs: 30_000,
      requestTimeoutMs: 5000,
    });
    expect(() => smokeConfigFromEnv({ SMOKE_API_TOKEN: "x" })).to.throw(/SMOKE_APP_URL must be an http\(s\) URL/);
    expect(() => smokeConfigFromEnv({ SMOKE_APP_URL: "http://a:1" })).to.throw(/SMOKE_API_TOKEN is required/);
    expect(() => smokeConfigFromEnv({ SMOKE_APP_URL: "http://a:1", SMOKE_API_TOKEN: "x", SMOKE_GRPC_TARGETS: "nohost" })).to.throw(
      /"nohost" is not host:port/,
    );
    expect(() => smokeConfigFromEnv({ SMOKE_APP_URL: "http://a:1", SMOKE_API_TOKEN: "x", SMOKE_DEADLINE_SECONDS: "-1" })).to.throw(
      /SMOKE_DEADLINE_SECONDS must be a positive number/,
    );
  });
});
