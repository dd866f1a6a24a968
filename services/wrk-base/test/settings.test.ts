import { expect } from "chai";
import {
  SettingsError,
  readBaseSettings,
  readHostPort,
  readInteger,
  readLogLevel,
  readOptionalString,
  readPort,
  readRackId,
  readString,
} from "../src/settings.js";

describe("wrk-base settings", () => {
  it("falls back to the default when a variable is unset or blank", () => {
    expect(readString({}, "X", "d")).to.equal("d");
    expect(readString({ X: "   " }, "X", "d")).to.equal("d");
    expect(readString({ X: " v " }, "X", "d")).to.equal("v");
    expect(readOptionalString({ X: "" }, "X")).to.equal(undefined);
    expect(readPort({}, "GRPC_PORT", 50052)).to.equal(50052);
  });

  it("reads ports from 1 to 65535, 0 for any free one, and names the variable of a bad one", () => {
    expect(readPort({ P: "1" }, "P", 9)).to.equal(1);
    expect(readPort({ P: "65535" }, "P", 9)).to.equal(65535);
    expect(readPort({ P: "0" }, "P", 9)).to.equal(0);
    for (const bad of ["65536", "-1", "80a", "1.5", "0x50"]) {
      expect(() => readPort({ GRPC_PORT: bad }, "GRPC_PORT", 1), bad).to.throw(SettingsError, `GRPC_PORT="${bad}"`);
    }
  });

  it("reads whole numbers within bounds", () => {
    expect(readInteger({ N: "-3" }, "N", 0, -5, 5)).to.equal(-3);
    expect(() => readInteger({ N: "6" }, "N", 0, -5, 5)).to.throw(SettingsError, "from -5 to 5");
    expect(() => readInteger({ N: "2e3" }, "N", 0, 0, 5000)).to.throw(SettingsError);
  });

  it("reads host:port addresses, IPv6 in brackets", () => {
    expect(readHostPort({ A: "wrk-ork:50051" }, "A", "x:1")).to.equal("wrk-ork:50051");
    expect(readHostPort({ A: "[::1]:50051" }, "A", "x:1")).to.equal("[::1]:50051");
    expect(readHostPort({}, "A", "127.0.0.1:50051")).to.equal("127.0.0.1:50051");
    for (const bad of ["wrk-ork", "wrk-ork:", ":50051", "host:99999", "::1:50051", "http://h:1"]) {
      expect(() => readHostPort({ ORK_ADDR: bad }, "ORK_ADDR", "x:1"), bad).to.throw(SettingsError, "ORK_ADDR");
    }
  });

  it("reads log levels in any case and refuses others", () => {
    expect(readLogLevel({ L: "DEBUG" }, "L", "info")).to.equal("debug");
    expect(() => readLogLevel({ LOG_LEVEL: "loud" }, "LOG_LEVEL", "info")).to.throw(SettingsError, "expected one of fatal, error");
  });

  it("accepts rack ids that fit in a thing id and a file name", () => {
    expect(readRackId({ RACK_ID: "rack-1" }, "RACK_ID")).to.equal("rack-1");
    expect(readRackId({}, "RACK_ID")).to.equal(undefined);
    for (const bad of ["Rack", "-a", "a.b", "a/b", "x".repeat(41), "a b"]) {
      expect(() => readRackId({ RACK_ID: bad }, "RACK_ID"), bad).to.throw(SettingsError, "RACK_ID");
    }
  });

  it("puts the whole problem in one line: variable, value and what was expected", () => {
    const error = new SettingsError("HTTP_PORT", "abc", "expected a port number from 1 to 65535");
    expect(error.message).to.equal('invalid setting HTTP_PORT="abc": expected a port number from 1 to 65535');
    expect(error.message).not.to.include("\n");
  });

  it("advertises an address the orchestrator can reach", () => {
    const defaults = { grpcPort: 50052, httpPort: 9102 };
    // TLS is a setting of its own (tls.test.ts); off here so that each line is about one thing.
    const dev = { TLS_INSECURE: "1" };
    expect(readBaseSettings(dev, defaults)).to.deep.equal({
      bindHost: "0.0.0.0",
      grpcPort: 50052,
      httpPort: 9102,
      orkAddress: "127.0.0.1:50051",
      advertiseAddress: "127.0.0.1:50052",
      logLevel: "info",
      shutdownDrainMs: 1000,
      tls: { insecure: true },
    });
    expect(readBaseSettings({ ...dev, SHUTDOWN_DRAIN_MS: "0" }, defaults).shutdownDrainMs).to.equal(0);
    expect(() => readBaseSettings({ ...dev, SHUTDOWN_DRAIN_MS: "-1" }, defaults)).to.throw("SHUTDOWN_DRAIN_MS");
    expect(readBaseSettings({ ...dev, BIND_HOST: "::1", GRPC_PORT: "6000" }, defaults).advertiseAddress).to.equal("[::1]:6000");
    expect(readBaseSettings({ ...dev, BIND_HOST: "10.0.0.5" }, defaults).advertiseAddress).to.equal("10.0.0.5:50052");
    expect(readBaseSettings({ ...dev, ADVERTISE_ADDR: "wrk-book:50052" }, defaults).advertiseAddress).to.equal("wrk-book:50052");
    // The worker puts its bound port in place of the 0 once it listens.
    expect(readBaseSettings({ ...dev, GRPC_PORT: "0" }, defaults).advertiseAddress).to.equal("127.0.0.1:0");
    expect(() => readBaseSettings({ ...dev, ADVERTISE_ADDR: "wrk-book" }, defaults)).to.throw(SettingsError, "ADVERTISE_ADDR");
  });
});
