// A thing worker made from the template the way docs/contributing.md tells: a subclass that
// overrides the hooks. It runs in this process on loopback and is called over real gRPC.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { callUnary, invalidArgument } from "@bookstore/wrk-base";
import {
  fromStruct,
  loadContracts,
  toStruct,
  type JsonObject,
  type RegisterThingResponse__Output,
  type ThingServiceClient,
  type UpdateThingResponse__Output,
} from "@bookstore/proto";
import type { SchemaExtension } from "../src/store.js";
import type { StoredThing, ThingContent } from "../src/thing.js";
import { ThingWorker } from "../src/worker.js";
import { failureOf, freePort, httpGet, metricValue, tempDir } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, knownTlsEnv } from "../../../compose/local/kit/testing/tls.js";

/** Gadgets: a code that is required, stored in capitals, unique in the rack and never changed. */
class GadgetWorker extends ThingWorker {
  protected override thingTypes(): readonly string[] {
    return ["gadget"];
  }

  protected override validateThing(content: ThingContent, previous: StoredThing | undefined): ThingContent {
    const code = content.info.code;
    if (typeof code !== "string" || code.trim() === "") throw invalidArgument("info.code", "required");
    const normalized = code.trim().toUpperCase();
    if (previous && previous.info.code !== normalized) throw invalidArgument("info.code", "cannot change");
    return { ...content, info: { ...content.info, code: normalized } };
  }

  protected override schemaExtension(): SchemaExtension {
    return {
      statements: [`CREATE UNIQUE INDEX IF NOT EXISTS gadgets_by_code ON things (json_extract(info, '$.code')) WHERE type = 'gadget'`],
      uniqueFields: { gadgets_by_code: "info.code" },
    };
  }
}

describe("tpl-wrk-thing hooks, in a subclass", function () {
  this.timeout(10_000);
  let dir: ReturnType<typeof tempDir>;
  let worker: GadgetWorker;
  let client: ThingServiceClient;
  let httpUrl: string;

  const register = (type: string, info: JsonObject, tags: string[] = []) =>
    callUnary<RegisterThingResponse__Output>((m, o, cb) => client.registerThing({ type, tags, info: toStruct(info) }, m, o, cb), { timeoutMs: 2_000 });

  before(async () => {
    dir = tempDir("gadgets");
    // ORK_ADDR: a port nothing listens on, so the worker runs alone (its registration retries in the background).
    const [grpcPort, httpPort, orkPort] = [await freePort(), await freePort(), await freePort()];
    httpUrl = `http://127.0.0.1:${httpPort}`;
    worker = new GadgetWorker({
      name: "wrk-gadget",
      type: "gadget",
      version: "0.0.0-test",
      ports: { grpcPort, httpPort },
      env: { BIND_HOST: "127.0.0.1", GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ORK_ADDR: `127.0.0.1:${orkPort}`, DATA_DIR: dir.path, RACK_ID: "gadgets-1", LOG_LEVEL: "silent", ...knownTlsEnv("tpl-wrk-thing") },
    });
    await worker.start();
    client = new (loadContracts().thing.ThingService)(`127.0.0.1:${grpcPort}`, credentialsOf("app-node"));
  });

  after(async () => {
    client?.close();
    await worker?.stop("test over");
    dir?.remove();
  });

  it("accepts only its own types", async () => {
    const error = await failureOf(register("book", { code: "x" }));
    expect(error.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(error.details).to.equal("type: this worker stores only gadget");
    expect(error.metadata.get("x-invalid-field")).to.deep.equal(["type"]);
  });

  it("runs its validation, which names the field, and stores what it normalized", async () => {
    const missing = await failureOf(register("gadget", { colour: "red" }));
    expect(missing.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(missing.details).to.equal("info.code: required");
    expect(missing.metadata.get("x-invalid-field")).to.deep.equal(["info.code"]);

    const { thing } = await register("gadget", { code: " g-1 ", colour: "red" }, ["new"]);
    expect(thing?.id).to.match(/^gadgets-1\./);
    expect(fromStruct(thing?.info)).to.deep.equal({ code: "G-1", colour: "red" });
  });

  it("gives its validation the stored thing on an update", async () => {
    const { thing } = await register("gadget", { code: "g-2" });
    const update = (code: string) =>
      callUnary<UpdateThingResponse__Output>((m, o, cb) => client.updateThing({ id: thing?.id, expectedVersion: 1, tags: [], info: toStruct({ code }) }, m, o, cb), { timeoutMs: 2_000 });
    expect((await failureOf(update("g-3"))).details).to.equal("info.code: cannot change");
    expect((await update("G-2")).thing?.version).to.equal(2);
  });

  it("uses its unique index: a second thing with the same code is ALREADY_EXISTS", async () => {
    await register("gadget", { code: "dup" });
    const error = await failureOf(register("gadget", { code: "DUP" }));
    expect(error.code).to.equal(grpc.status.ALREADY_EXISTS);
    expect(error.details).to.equal("a gadget with this info.code already exists");
  });

  it("counts its things in thing_things{rack,type}", async () => {
    const { text } = await httpGet(httpUrl, "/metrics");
    expect(metricValue(text, "thing_things", { rack: "gadgets-1", type: "gadget" })).to.equal(3); // G-1, G-2 and DUP
  });
});
