// tpl-wrk-thing as a real process on loopback, called over gRPC like any client would.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { callUnary } from "@bookstore/wrk-base";
import { encodePageToken, fromStruct, loadContracts, type GetInfoResponse__Output, type Thing__Output } from "@bookstore/proto";
import { checkHealth, failureOf, httpGet, inListingOrder, listServices, metricValue } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf } from "../../../compose/local/kit/testing/tls.js";
import { rackForSuite, withRack } from "./support/rack-process.js";
import { thingApi } from "./support/thing-api.js";

const THING_SERVICE = "bookstore.thing.v1.ThingService";
const TIMEOUT = { timeoutMs: 5_000 };

describe("tpl-wrk-thing as a process", function () {
  this.timeout(30_000);
  const worker = rackForSuite("tpl-wrk-thing", {}, thingApi);

  it("reports SERVING and lists the thing service by reflection", async () => {
    expect(await checkHealth(worker.service.grpcAddress, THING_SERVICE)).to.equal("SERVING");
    expect(await listServices(worker.service.grpcAddress)).to.deep.equal([
      "bookstore.thing.v1.ThingService",
      "bookstore.worker.v1.WorkerService",
      "grpc.health.v1.Health",
    ]);
  });

  it("stores things of any type: register, get, update, count, forget", async () => {
    const created = await worker.api.register("lamp", { watts: 40, colours: ["red"], maker: { name: "Acme" } }, ["lighting"]);
    expect(created.version).to.equal(1);
    expect(fromStruct(created.info)).to.deep.equal({ watts: 40, colours: ["red"], maker: { name: "Acme" } });
    expect(await worker.api.get(created.id)).to.deep.equal(created);

    const updated = await worker.api.update(created.id, 1, { watts: 60 }, ["lighting", "bright"]);
    expect(updated).to.deep.include({ version: 2, tags: ["lighting", "bright"] });
    expect(fromStruct(updated.info)).to.deep.equal({ watts: 60 });

    expect(await worker.api.count("lamp")).to.equal(1);
    expect(await worker.api.count("", "bright")).to.equal(1);
    await worker.api.forget(created.id, 2);
    expect((await failureOf(worker.api.get(created.id))).code).to.equal(grpc.status.NOT_FOUND);
  });

  it("pages through a listing with tokens, filtered by type and tag", async () => {
    const made: Thing__Output[] = [];
    for (let i = 0; i < 7; i++) made.push(await worker.api.register("chair", { i }, i % 2 ? ["odd"] : []));
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await worker.api.list({ type: "chair", pageSize: 3, pageToken });
      seen.push(...page.things.map((t) => t.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "");
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(inListingOrder(made).map((t) => t.id));
    const odd = await worker.api.list({ type: "chair", tag: "odd" });
    expect(odd.things.map((t) => t.id)).to.deep.equal(inListingOrder(made.filter((t) => (fromStruct(t.info).i as number) % 2 === 1)).map((t) => t.id));
    expect(odd.things.map((t) => fromStruct(t.info).i).sort()).to.deep.equal([1, 3, 5]);
    expect(odd.nextPageToken).to.equal("");
  });

  it("answers bad input with INVALID_ARGUMENT naming the field, also in the x-invalid-field trailer", async () => {
    const cases: Array<[Promise<unknown>, string, string]> = [
      [worker.api.register(""), "type", "type: required"],
      [worker.api.register("Not A Type"), "type", "type: must be a lowercase letter"],
      [worker.api.register("lamp", {}, ["x".repeat(65)]), "tags[0]", "tags[0]: longer than 64 characters"],
      [worker.api.register("lamp", { blob: "x".repeat(70_000) }), "info", "info: 70011 bytes as JSON"],
      [worker.api.get(""), "id", "id: required"],
      [worker.api.list({ pageSize: 5000 }), "page_size", "page_size: must be from 1 to 1000"],
      [worker.api.list({ pageToken: "garbage" }), "page_token", "page_token: not a token this service issued"],
      [worker.api.update("x.y", -1, {}), "expected_version", "expected_version: must be 0"],
    ];
    for (const [call, field, message] of cases) {
      const error = await failureOf(call);
      expect(error.code, message).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(error.details).to.contain(message);
      expect(error.metadata.get("x-invalid-field")).to.deep.equal([field]);
    }
  });

  it("answers NOT_FOUND for an unknown id and ABORTED for a stale version", async () => {
    const missing = await failureOf(worker.api.get("rack-x.00000000-0000-0000-0000-000000000000"));
    expect(missing.code).to.equal(grpc.status.NOT_FOUND);
    expect(missing.details).to.equal("thing rack-x.00000000-0000-0000-0000-000000000000 not found");

    const thing = await worker.api.register("lamp");
    await worker.api.update(thing.id, 0, { on: true });
    const stale = await failureOf(worker.api.update(thing.id, 1, { on: false }));
    expect(stale.code).to.equal(grpc.status.ABORTED);
    expect(stale.details).to.equal(`thing ${thing.id} is at version 2, not 1: read it again and retry`);
    expect((await failureOf(worker.api.forget(thing.id, 1))).code).to.equal(grpc.status.ABORTED);
  });

  it("accepts a page token made on another rack, as a gateway passes it on", async () => {
    const late = { createdAt: new Date(Date.now() + 60_000).toISOString(), id: "other-rack.zzz" };
    const page = await worker.api.list({ pageToken: encodePageToken(late) });
    expect(page.things).to.deep.equal([]);
  });

  it("shows the calls in grpc_server_* and the things in thing_things", async () => {
    const { text } = await httpGet(worker.service.httpUrl, "/metrics");
    const register = { grpc_service: THING_SERVICE, grpc_method: "RegisterThing", grpc_type: "unary" };
    expect(metricValue(text, "grpc_server_started_total", register)).to.be.at.least(10);
    expect(metricValue(text, "grpc_server_handled_total", { ...register, grpc_code: "OK" })).to.be.at.least(9);
    expect(metricValue(text, "grpc_server_handled_total", { ...register, grpc_code: "InvalidArgument" })).to.equal(4);
    expect(metricValue(text, "grpc_server_handled_total", { grpc_method: "GetThing", grpc_code: "NotFound" })).to.equal(2);
    const workers = new (loadContracts().worker.WorkerService)(worker.service.grpcAddress, credentialsOf("app-node"));
    const info = await callUnary<GetInfoResponse__Output>((m, o, cb) => workers.getInfo({}, m, o, cb), TIMEOUT).finally(() => workers.close());
    expect(metricValue(text, "thing_things", { rack: info.rack, type: "chair" })).to.equal(7);
    expect(metricValue(text, "thing_things", { rack: info.rack, type: "lamp" })).to.equal(1);
  });
});

describe("tpl-wrk-thing durability", function () {
  this.timeout(30_000);

  it("keeps acknowledged things and its rack when killed with SIGKILL and started again", async () => {
    await withRack("tpl-wrk-thing", {}, async (rack) => {
      let api = thingApi(rack.process);
      const written: Thing__Output[] = [];
      for (let i = 0; i < 20; i++) written.push(await api.register("crate", { i }, [`t${i % 3}`]));
      const changed = await api.update(written[0]?.id as string, 1, { i: 0, changed: true });
      api.close();
      expect(await rack.process.stop("SIGKILL")).to.deep.equal({ code: null, signal: "SIGKILL" });

      api = thingApi(await rack.startAgain());
      expect(await api.get(changed.id)).to.deep.equal(changed);
      const all = await api.list({ type: "crate", pageSize: 100 });
      expect(all.things.map((t) => t.id)).to.deep.equal(inListingOrder(written).map((t) => t.id));
      expect(await api.count("crate", "t1")).to.equal(7);
      // Without RACK_ID, the rack made at the first start was kept in DATA_DIR and is served again.
      const rackOf = (id: string) => id.split(".")[0];
      expect(rackOf((await api.register("crate")).id)).to.equal(rackOf(changed.id));
      api.close();
    });
  });
});

describe("tpl-wrk-thing and a changed RACK_ID", function () {
  this.timeout(30_000);

  it("serves the new rack's own file and warns that DATA_DIR holds another rack", async () => {
    await withRack("tpl-wrk-thing", { RACK_ID: "first" }, async (rack) => {
      let api = thingApi(rack.process);
      const kept = await api.register("crate");
      api.close();
      await rack.process.stop("SIGTERM");

      api = thingApi(await rack.startAgain({ RACK_ID: "second" }));
      expect((await failureOf(api.get(kept.id))).code).to.equal(grpc.status.NOT_FOUND);
      api.close();
      const warning = rack.process.logs().find((line) => line.level === "warn" && line.rack === "second");
      expect(warning).to.deep.include({ otherRacks: ["first"], msg: "DATA_DIR holds other racks' files, which this worker does not serve" });
    });
  });
});
