// METRICS_PORT: /metrics on a port of its own (the compose stack publishes only the API's port).
import { SettingsError } from "@bookstore/wrk-base";
import { expect } from "chai";
import { Gateway } from "../src/gateway.js";
import { readGatewaySettings } from "../src/settings.js";
import { knownTlsEnv } from "../../../compose/local/kit/testing/tls.js";

const BASE_ENV = { ...knownTlsEnv("app-node"), BIND_HOST: "127.0.0.1", HTTP_PORT: "0", API_TOKENS: "test-token-1:librarian", LOG_LEVEL: "silent", ORK_ADDR: "127.0.0.1:9", SHUTDOWN_TIMEOUT_MS: "1000" };

describe("app-node with METRICS_PORT", function () {
  let gateway: Gateway;

  before(async function () {
    gateway = new Gateway({ ...BASE_ENV, METRICS_PORT: "0" });
    await gateway.start();
  });

  after(async function () {
    await gateway.stop("test over");
  });

  it("serves /metrics on the metrics port, with the API's request metrics", async function () {
    await fetch(`http://127.0.0.1:${gateway.port}/healthz`);
    expect(gateway.metricsPort).to.be.a("number").and.not.equal(gateway.port);
    const response = await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.match(/^http_requests_total\{[^}]*route="\/healthz"/m);
  });

  it("answers 404 for /metrics on the API's port, and serves only /metrics on the other", async function () {
    const api = await fetch(`http://127.0.0.1:${gateway.port}/metrics`);
    expect(api.status).to.equal(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
    expect((await fetch(`http://127.0.0.1:${gateway.port}/healthz`)).status).to.equal(200);
    expect((await fetch(`http://127.0.0.1:${gateway.metricsPort}/v1/books`)).status).to.equal(404);
  });

  it("keeps /metrics on the API's port when unset or empty, and refuses the API's own port", function () {
    expect(readGatewaySettings({ ...BASE_ENV }).metricsPort).to.equal(undefined);
    expect(readGatewaySettings({ ...BASE_ENV, METRICS_PORT: " " }).metricsPort).to.equal(undefined);
    expect(() => readGatewaySettings({ ...BASE_ENV, HTTP_PORT: "3000", METRICS_PORT: "3000" })).to.throw(SettingsError, "METRICS_PORT");
    expect(() => readGatewaySettings({ ...BASE_ENV, METRICS_PORT: "x" })).to.throw(SettingsError, "METRICS_PORT");
  });
});
