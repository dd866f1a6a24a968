import { expect } from "chai";
import { once } from "node:events";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import * as grpc from "@grpc/grpc-js";
import { invalidArgument } from "@bookstore/wrk-base";
import { ANY_VERSION, ThingStore, type SchemaExtension } from "../src/store.js";
import type { StoredThing } from "../src/thing.js";
import { tempDir } from "../../../compose/local/kit/testing/process.js";
import { failure } from "./support/thrown.js";

describe("tpl-wrk-thing store", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: ThingStore;
  const open = (extension?: SchemaExtension) => ThingStore.open({ path: join(dir.path, "rack-a.sqlite"), rack: "rack-a", extension });

  beforeEach(() => {
    dir = tempDir("thing-store");
    store = open();
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  it("keeps the file in WAL mode with synchronous=FULL, so a commit is on disk when it returns", () => {
    expect(store.db.prepare("PRAGMA journal_mode").get()?.journal_mode).to.equal("wal");
    expect(store.db.prepare("PRAGMA synchronous").get()?.synchronous).to.equal(2); // FULL
    expect(store.db.prepare("PRAGMA user_version").get()?.user_version).to.equal(1);
  });

  it("inserts once per idempotency key: a replay answers the stored thing, another request with the key is refused", () => {
    const content = { type: "gadget", tags: ["red"], info: { size: 3 } };
    const first = store.insertOnce(content, "key-1", "digest-a");
    expect(first.replayed).to.equal(false);
    const again = store.insertOnce(content, "key-1", "digest-a");
    expect(again).to.deep.equal({ thing: first.thing, replayed: true });
    expect(store.count({})).to.equal(1);
    const other = failure(() => store.insertOnce({ ...content, tags: ["blue"] }, "key-1", "digest-b"));
    expect(other.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(other.field).to.equal("idempotency_key");
    expect(other.message).to.include("another request");
    expect(store.count({}), "nothing written by the refused one").to.equal(1);
    // The key is on disk with the thing: a reopened store still knows it.
    store.close();
    store = open();
    expect(store.insertOnce(content, "key-1", "digest-a")).to.deep.equal({ thing: first.thing, replayed: true });
    store.remove(first.thing.id, 0);
    const gone = failure(() => store.insertOnce(content, "key-1", "digest-a"));
    expect(gone.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(gone.message).to.include("deleted since");
    expect(store.insertOnce(content, "key-2", "digest-a").replayed).to.equal(false);
  });

  it("stores a thing with an id in its rack, version 1 and equal timestamps", () => {
    const thing = store.insert({ type: "gadget", tags: ["red"], info: { size: 3, parts: ["a", "b"], meta: { ok: true } } });
    expect(thing.id).to.match(/^rack-a\.[0-9a-f-]{36}$/);
    expect(thing).to.deep.include({ type: "gadget", tags: ["red"], info: { size: 3, parts: ["a", "b"], meta: { ok: true } }, version: 1 });
    expect(thing.createdAt).to.equal(thing.updatedAt);
    expect(new Date(thing.createdAt).toISOString()).to.equal(thing.createdAt);
    expect(store.get(thing.id)).to.deep.equal(thing);
    expect(store.get("rack-a.nothing")).to.equal(undefined);
  });

  it("updates tags and info, one version up, and keeps the tag index in step", () => {
    const thing = store.insert({ type: "gadget", tags: ["red", "old"], info: { n: 1 } });
    const updated = store.update(thing.id, 1, (current) => ({ tags: ["red", "new"], info: { n: (current.info.n as number) + 1 } }));
    expect(updated).to.deep.include({ id: thing.id, tags: ["red", "new"], info: { n: 2 }, version: 2, createdAt: thing.createdAt });
    expect(updated.updatedAt >= thing.updatedAt).to.equal(true);
    expect(store.count({ tag: "old" })).to.equal(0);
    expect(store.count({ tag: "new" })).to.equal(1);
    expect(store.count({ tag: "red" })).to.equal(1);
  });

  it("refuses a write on a stale version with ABORTED naming the current version; 0 skips the check", () => {
    const thing = store.insert({ type: "gadget", tags: [], info: {} });
    store.update(thing.id, 0, () => ({ tags: [], info: { a: 1 } }));
    const stale = failure(() => store.update(thing.id, 1, () => ({ tags: [], info: { a: 2 } })));
    expect(stale.code).to.equal(grpc.status.ABORTED);
    expect(stale.message).to.equal(`thing ${thing.id} is at version 2, not 1: read it again and retry`);
    expect(failure(() => store.remove(thing.id, 5)).code).to.equal(grpc.status.ABORTED);
    expect(store.get(thing.id)?.info).to.deep.equal({ a: 1 });
    store.remove(thing.id, 2);
    expect(store.get(thing.id)).to.equal(undefined);
  });

  it("answers NOT_FOUND for an unknown id, and for a thing of another type when a type is required", () => {
    expect(failure(() => store.update("rack-a.missing", 0, (t) => t)).message).to.equal("thing rack-a.missing not found");
    expect(failure(() => store.remove("rack-a.missing", 0)).code).to.equal(grpc.status.NOT_FOUND);
    const gadget = store.insert({ type: "gadget", tags: [], info: {} });
    const wrongType = failure(() => store.remove(gadget.id, 0, { type: "book" }));
    expect(wrongType.code).to.equal(grpc.status.NOT_FOUND);
    expect(wrongType.message).to.equal(`book ${gadget.id} not found`);
    expect(store.get(gadget.id)).to.not.equal(undefined);
  });

  it("changes nothing when the change is refused half way", () => {
    const thing = store.insert({ type: "gadget", tags: ["a"], info: { v: 1 } });
    const refused = failure(() =>
      store.update(thing.id, 0, () => {
        throw invalidArgument("info.v", "too big");
      }),
    );
    expect(refused.message).to.equal("info.v: too big");
    expect(store.get(thing.id)).to.deep.equal(thing);
    expect(store.db.isTransaction).to.equal(false);
  });

  it("commits several writes in one transaction, or none of them when one is refused", () => {
    const a = store.insert({ type: "gadget", tags: [], info: { n: 1 } });
    const b = store.insert({ type: "gadget", tags: [], info: { n: 1 } });
    // The second write is stale: the first, already made inside the transaction, is undone too.
    const stale = failure(() =>
      store.transaction(() => {
        store.update(a.id, 1, () => ({ tags: [], info: { n: 2 } }));
        store.update(b.id, 7, () => ({ tags: [], info: { n: 2 } }));
      }),
    );
    expect(stale.code).to.equal(grpc.status.ABORTED);
    expect([store.get(a.id), store.get(b.id)]).to.deep.equal([a, b]);
    // A refused inner write that the work catches undoes only itself.
    const made = store.transaction(() => {
      const c = store.insert({ type: "gadget", tags: ["c"], info: {} });
      expect(failure(() => store.transaction(() => store.remove("rack-a.missing", ANY_VERSION))).code).to.equal(grpc.status.NOT_FOUND);
      store.remove(b.id, 1);
      return c;
    });
    expect(store.get(made.id)).to.deep.equal(made);
    expect(store.get(b.id)).to.equal(undefined);
    expect(store.db.isTransaction).to.equal(false);
  });

  it("refuses asynchronous work in a transaction and writes nothing of it", () => {
    expect(() => store.transaction(() => Promise.resolve(store.insert({ type: "gadget", tags: [], info: {} })))).to.throw("must be synchronous");
    expect(store.count({})).to.equal(0);
    expect(store.db.isTransaction).to.equal(false);
  });

  it("loses no write when two connections in two threads race compare-and-sets on one thing", async function () {
    this.timeout(60_000);
    const thing = store.insert({ type: "counter", tags: [], info: { n: 0 } });
    const increments = 60;
    const start = new SharedArrayBuffer(8);
    const racers = [0, 1].map(
      () => new Worker(new URL("./support/cas-racer.ts", import.meta.url), { workerData: { path: join(dir.path, "rack-a.sqlite"), id: thing.id, increments, start } }),
    );
    const results = racers.map((racer) => {
      const messages: Array<{ ready?: boolean; stale?: number }> = [];
      const ready = new Promise<void>((resolve) => racer.on("message", (message) => (messages.push(message), message.ready && resolve())));
      const exited = once(racer, "exit").then(([code]) => ({ code, stale: messages.find((m) => m.stale !== undefined)?.stale }));
      return { ready, exited, errors: once(racer, "error") };
    });
    await Promise.race([Promise.all(results.map((r) => r.ready)), ...results.map((r) => r.errors.then(([error]) => Promise.reject(error)))]);
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    const ends = await Promise.all(results.map((r) => r.exited));
    expect(ends.map((end) => end.code)).to.deep.equal([0, 0]);
    // Each stale read was refused, never written over the other thread's write: every increment counts.
    expect(store.get(thing.id)?.info.n).to.equal(2 * increments);
    expect(store.get(thing.id)?.version).to.equal(1 + 2 * increments);
    const stale = ends.reduce((sum, end) => sum + (end.stale ?? 0), 0);
    expect(stale, "the threads did race (some reads were stale when written)").to.be.greaterThan(0);
  });

  it("deletes the tag rows with the thing", () => {
    const thing = store.insert({ type: "gadget", tags: ["a", "b"], info: {} });
    store.remove(thing.id, 0);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM thing_tags").get()?.n).to.equal(0);
  });

  describe("listing", () => {
    let all: StoredThing[];
    beforeEach(() => {
      // Many inserts share a millisecond: the id breaks those ties.
      all = Array.from({ length: 23 }, (_, i) => store.insert({ type: i % 2 ? "odd" : "even", tags: i % 3 ? [] : ["third"], info: { i } }));
      all.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    });

    function walk(size: number, filter = {}): StoredThing[][] {
      const pages: StoredThing[][] = [];
      let after;
      for (;;) {
        const page = store.list(filter, size, after);
        pages.push(page.things);
        if (!page.next) return pages;
        after = page.next;
      }
    }

    it("pages through everything in (created_at, id) order, each thing once", () => {
      const pages = walk(5);
      expect(pages.map((p) => p.length)).to.deep.equal([5, 5, 5, 5, 3]);
      expect(pages.flat().map((t) => t.id)).to.deep.equal(all.map((t) => t.id));
    });

    it("says there is no next page when the last page is exactly full", () => {
      const page = store.list({}, 23);
      expect(page.things).to.have.length(23);
      expect(page.next).to.equal(undefined);
    });

    it("filters by type and by tag, and pages the filtered listing", () => {
      expect(walk(4, { type: "odd" }).flat().map((t) => t.id)).to.deep.equal(all.filter((t) => t.type === "odd").map((t) => t.id));
      expect(walk(2, { tag: "third" }).flat().map((t) => t.info.i)).to.deep.equal(all.filter((t) => t.tags.includes("third")).map((t) => t.info.i));
      expect(store.count({ type: "even" })).to.equal(12);
      expect(store.count({ type: "even", tag: "third" })).to.equal(4);
      expect(store.countByType()).to.deep.equal([
        { type: "even", count: 12 },
        { type: "odd", count: 11 },
      ]);
    });

    it("continues strictly after any position, also one another rack issued", () => {
      const middle = all[10] as StoredThing;
      const page = store.list({}, 100, { createdAt: middle.createdAt, id: middle.id });
      expect(page.things.map((t) => t.id)).to.deep.equal(all.slice(11).map((t) => t.id));
      // A position from another rack sits between this rack's things in the same order.
      const between = store.list({}, 100, { createdAt: middle.createdAt, id: `${middle.id}~` });
      expect(between.things.every((t) => t.createdAt > middle.createdAt || t.id > `${middle.id}~`)).to.equal(true);
      expect(store.list({}, 10, { createdAt: "2999-01-01T00:00:00.000Z", id: "" }).things).to.deep.equal([]);
    });

    it("applies extra SQL conditions from a subclass", () => {
      const page = store.list({ conditions: [{ sql: "json_extract(info, '$.i') >= ?", params: [20] }] }, 10);
      expect(page.things.map((t) => t.info.i).sort()).to.deep.equal([20, 21, 22]);
    });
  });

  it("keeps what it stored across a close and a new open", () => {
    const thing = store.insert({ type: "gadget", tags: ["kept"], info: { n: 1 } });
    store.close();
    store = open();
    expect(store.get(thing.id)).to.deep.equal(thing);
    expect(store.count({ tag: "kept" })).to.equal(1);
  });

  it("refuses a file written by a newer schema", () => {
    store.close();
    const raw = new DatabaseSync(join(dir.path, "rack-a.sqlite"));
    raw.exec("PRAGMA journal_mode = DELETE");
    raw.exec("PRAGMA user_version = 99");
    raw.close();
    expect(() => open()).to.throw("its schema version is 99; this build knows up to 1");
    // Nothing was changed by the refused open: the file is as the newer build left it.
    const again = new DatabaseSync(join(dir.path, "rack-a.sqlite"));
    expect(again.prepare("PRAGMA user_version").get()?.user_version).to.equal(99);
    expect(again.prepare("PRAGMA journal_mode").get()?.journal_mode).to.equal("delete");
    again.exec("PRAGMA user_version = 1");
    again.close();
    store = open();
  });

  describe("with an extension", () => {
    const extension: SchemaExtension = {
      functions: { code_key: (value) => (typeof value === "string" ? value.toUpperCase() : null) },
      statements: [`CREATE UNIQUE INDEX IF NOT EXISTS gadgets_by_code ON things (code_key(json_extract(info, '$.code'))) WHERE type = 'gadget'`],
      uniqueFields: { gadgets_by_code: "info.code" },
    };

    beforeEach(() => {
      store.close();
      store = open(extension);
    });

    it("runs its functions and statements at open", () => {
      store.insert({ type: "gadget", tags: [], info: { code: "ab-1" } });
      const row = store.db.prepare("SELECT code_key(json_extract(info, '$.code')) AS k FROM things").get();
      expect(row?.k).to.equal("AB-1");
    });

    it("turns a broken unique index into ALREADY_EXISTS naming the field, and stores nothing", () => {
      store.insert({ type: "gadget", tags: [], info: { code: "ab-1" } });
      const duplicate = failure(() => store.insert({ type: "gadget", tags: [], info: { code: "AB-1" } }));
      expect(duplicate.code).to.equal(grpc.status.ALREADY_EXISTS);
      expect(duplicate.message).to.equal("a gadget with this info.code already exists");
      expect(store.count({})).to.equal(1);
      // The same code on an update is refused the same way.
      const other = store.insert({ type: "gadget", tags: [], info: { code: "cd-2" } });
      expect(failure(() => store.update(other.id, 0, () => ({ tags: [], info: { code: "Ab-1" } }))).code).to.equal(grpc.status.ALREADY_EXISTS);
      expect(store.get(other.id)?.version).to.equal(1);
    });
  });
});
