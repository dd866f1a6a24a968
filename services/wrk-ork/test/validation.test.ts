import { expect } from "chai";
import { RpcError, SettingsError, isHostPort } from "@bookstore/wrk-base";
import * as grpc from "@grpc/grpc-js";
import { readOrkSettings } from "../src/settings.js";
import { validateRegistration, validateTypeFilter, validateWorkerId } from "../src/validation.js";

const good = { id: "book-r1-0a1b2c3d", type: "book", rack: "r1", address: "127.0.0.1:50052", version: "0.1.0" };

/** The field an INVALID_ARGUMENT names, or a failure when something else happened. */
function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(RpcError);
    expect((error as RpcError).code).to.equal(grpc.status.INVALID_ARGUMENT);
    return (error as RpcError).field;
  }
  return undefined;
}

describe("wrk-ork validation", () => {
  it("accepts a worker as BaseWorker describes itself, with or without a rack", () => {
    expect(validateRegistration(good)).to.deep.equal(good);
    expect(validateRegistration({ ...good, rack: "" }).rack).to.equal("");
    expect(validateRegistration({ ...good, address: "[::1]:50052" }).address).to.equal("[::1]:50052");
    expect(validateRegistration({ ...good, address: "wrk-book:50052" }).address).to.equal("wrk-book:50052");
  });

  it("rejects each bad field with INVALID_ARGUMENT naming it", () => {
    expect(fieldOf(() => validateRegistration({ ...good, id: "" }))).to.equal("id");
    expect(fieldOf(() => validateRegistration({ ...good, id: "has space" }))).to.equal("id");
    expect(fieldOf(() => validateRegistration({ ...good, id: "x".repeat(129) }))).to.equal("id");
    expect(fieldOf(() => validateRegistration({ ...good, type: "" }))).to.equal("type");
    expect(fieldOf(() => validateRegistration({ ...good, type: "Book" }))).to.equal("type");
    expect(fieldOf(() => validateRegistration({ ...good, rack: "R1" }))).to.equal("rack");
    expect(fieldOf(() => validateRegistration({ ...good, rack: "-r1" }))).to.equal("rack");
    expect(fieldOf(() => validateRegistration({ ...good, address: "" }))).to.equal("address");
    expect(fieldOf(() => validateRegistration({ ...good, address: "127.0.0.1" }))).to.equal("address");
    expect(fieldOf(() => validateRegistration({ ...good, address: "127.0.0.1:0" }))).to.equal("address");
    expect(fieldOf(() => validateRegistration({ ...good, address: "127.0.0.1:70000" }))).to.equal("address");
    expect(fieldOf(() => validateRegistration({ ...good, version: "v".repeat(65) }))).to.equal("version");
  });

  it("checks ids and type filters of the other calls", () => {
    expect(fieldOf(() => validateWorkerId(""))).to.equal("id");
    expect(validateWorkerId("base-none-12ab34cd")).to.equal("base-none-12ab34cd");
    expect(validateTypeFilter("")).to.equal("");
    expect(fieldOf(() => validateTypeFilter("no spaces"))).to.equal("type");
  });

  it("knows a host:port", () => {
    expect(isHostPort("a:1")).to.equal(true);
    expect(isHostPort("a:")).to.equal(false);
    expect(isHostPort(":1")).to.equal(false);
  });
});

describe("wrk-ork settings", () => {
  it("has the documented defaults", () => {
    expect(readOrkSettings({})).to.deep.equal({
      leaseSeconds: 10,
      heartbeatSeconds: 3,
      healthCheckIntervalMs: 2000,
      healthCheckTimeoutMs: 1000,
      healthFailures: 2,
      warmupSeconds: 10,
      dataDir: undefined,
    });
  });

  it("keeps the registry in DATA_DIR when it is set", () => {
    expect(readOrkSettings({ DATA_DIR: "/data" }).dataDir).to.equal("/data");
  });

  it("takes the warm-up from the lease unless set", () => {
    expect(readOrkSettings({ ORK_LEASE_SECONDS: "4", ORK_HEARTBEAT_SECONDS: "1" }).warmupSeconds).to.equal(4);
    expect(readOrkSettings({ ORK_WARMUP_SECONDS: "0" }).warmupSeconds).to.equal(0);
  });

  it("refuses a heartbeat interval that is not shorter than the lease, naming the variable", () => {
    expect(() => readOrkSettings({ ORK_LEASE_SECONDS: "3", ORK_HEARTBEAT_SECONDS: "3" }))
      .to.throw(SettingsError, "ORK_HEARTBEAT_SECONDS")
      .with.property("variable", "ORK_HEARTBEAT_SECONDS");
    expect(() => readOrkSettings({ ORK_HEALTH_CHECK_INTERVAL_MS: "fast" })).to.throw(SettingsError, "ORK_HEALTH_CHECK_INTERVAL_MS");
  });
});
