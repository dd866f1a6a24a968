import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Registry } from "prom-client";
import { RpcError, createLogger } from "@bookstore/wrk-base";
import { type PagePosition, comparePositions, decodePageToken, encodePageToken, loadContracts } from "@bookstore/proto";
import { rendezvousRack } from "../src/routing/create-rule.js";
import { mergePages } from "../src/routing/merge-pages.js";
import { rackOfId } from "../src/routing/rack-id.js";
import { RoutingClient } from "../src/routing/routing-client.js";

interface Item {
  id: string;
  createdAt: string;
}
const position = (item: Item): PagePosition => ({ createdAt: item.createdAt, id: item.id });
const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

/** A deterministic pseudo-random sequence (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("routing: ids name their rack", () => {
  it("reads the rack of <rack>.<uuid>", () => {
    expect(rackOfId("r1.6f1c2a4e-8d3b-4c1e-9a0b-2f1d3c4b5a69")).to.equal("r1");
    expect(rackOfId("rack-7.x")).to.equal("rack-7");
  });

  it("says undefined for ids without a valid rack", () => {
    for (const id of ["", "nodot", ".uuid", "r1.", "R1.uuid", "-r.uuid", `${"a".repeat(41)}.uuid`, "r 1.uuid"]) {
      expect(rackOfId(id), id).to.equal(undefined);
    }
  });
});

describe("routing: the rule for creates", () => {
  const racks = ["r1", "r2", "r3", "r4"];

  it("sends a key to the same rack every time, whatever the order of the racks", () => {
    const first = rendezvousRack("isbn-978-0-13-468599-1", racks);
    expect(first).to.be.oneOf(racks);
    expect(rendezvousRack("isbn-978-0-13-468599-1", [...racks].reverse())).to.equal(first);
    expect(rendezvousRack("anything", [])).to.equal(undefined);
  });

  it("spreads keys over the racks, and moves only the keys of a rack that leaves", () => {
    const keys = Array.from({ length: 400 }, (_, i) => `key-${i}`);
    const before = new Map(keys.map((key) => [key, rendezvousRack(key, racks)]));
    const counts = new Map<string, number>();
    for (const rack of before.values()) counts.set(rack as string, (counts.get(rack as string) ?? 0) + 1);
    for (const rack of racks) expect(counts.get(rack), rack).to.be.within(60, 140);

    const after = new Map(keys.map((key) => [key, rendezvousRack(key, ["r1", "r2", "r4"])]));
    for (const key of keys) {
      if (before.get(key) !== "r3") expect(after.get(key), key).to.equal(before.get(key));
      else expect(after.get(key)).to.not.equal("r3");
    }
  });
});

describe("routing: merging the pages of racks", () => {
  it("merges in (createdAt, id) order and cuts at the page size with the position of the last kept item", () => {
    const r1 = [{ id: "r1.b", createdAt: at(1) }, { id: "r1.c", createdAt: at(4) }];
    const r2 = [{ id: "r2.a", createdAt: at(2) }, { id: "r2.d", createdAt: at(4) }];
    const r3 = [{ id: "r3.z", createdAt: at(1) }];
    const page = mergePages([r1, r2, r3], 3, position);
    expect(page.items.map((item) => item.id)).to.deep.equal(["r1.b", "r3.z", "r2.a"]);
    expect(page.next).to.deep.equal({ createdAt: at(2), id: "r2.a" });

    const all = mergePages([r1, r2, r3], 10, position);
    expect(all.items.map((item) => item.id), "equal times: by id").to.deep.equal(["r1.b", "r3.z", "r2.a", "r1.c", "r2.d"]);
    expect(all.next, "everything fits and no rack has more").to.equal(undefined);
  });

  it("gives a next position when a rack has more, even when the merged page is not full", () => {
    const page = mergePages([{ items: [{ id: "r1.a", createdAt: at(1) }], more: true }, [{ id: "r2.a", createdAt: at(2) }]], 5, position);
    expect(page.items).to.have.length(2);
    expect(page.next).to.deep.equal({ createdAt: at(2), id: "r2.a" });
  });

  it("handles no racks and empty pages", () => {
    expect(mergePages<Item>([], 5, position)).to.deep.equal({ items: [] });
    expect(mergePages<Item>([[], { items: [], more: false }], 5, position)).to.deep.equal({ items: [] });
  });

  it("refuses a page size below 1", () => {
    expect(() => mergePages<Item>([], 0, position)).to.throw(RangeError);
    expect(() => mergePages<Item>([], 1.5, position)).to.throw(RangeError);
  });

  it("pages through several racks with one token: every item once, in order", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      // Three racks with overlapping times, some identical, as concurrent creates make them.
      const racks: Item[][] = ["r1", "r2", "r3"].map((rack) =>
        Array.from({ length: Math.floor(next() * 25) }, (_, i) => ({ id: `${rack}.${String(i).padStart(3, "0")}`, createdAt: at(Math.floor(next() * 30)) })).sort((a, b) =>
          comparePositions(position(a), position(b)),
        ),
      );
      const pageSize = 1 + Math.floor(next() * 7);
      const seen: string[] = [];
      let token = "";
      for (let round = 0; round < 200; round++) {
        const after = decodePageToken(token);
        // What each rack answers: up to pageSize items strictly after the token, and whether it has more.
        const pages = racks.map((items) => {
          const rest = items.filter((item) => !after || comparePositions(position(item), after) > 0);
          return { items: rest.slice(0, pageSize), more: rest.length > pageSize };
        });
        const page = mergePages(pages, pageSize, position);
        expect(page.items.length, `seed ${seed}`).to.be.at.most(pageSize);
        seen.push(...page.items.map((item) => item.id));
        if (!page.next) break;
        token = encodePageToken(page.next);
      }
      const expected = racks
        .flat()
        .sort((a, b) => comparePositions(position(a), position(b)))
        .map((item) => item.id);
      expect(seen, `seed ${seed}, page size ${pageSize}`).to.deep.equal(expected);
    }
  });
});

describe("routing client before any table", () => {
  // An orchestrator address where nothing listens: the client must answer at once from what it knows.
  const routing = new RoutingClient({ orkAddress: "127.0.0.1:1", tls: { insecure: true }, type: "book", log: createLogger("test", "silent"), registry: new Registry() });
  after(() => routing.close());

  it("is not ready, knows no routes and fails fast with UNAVAILABLE", async () => {
    routing.start();
    expect(routing.revision).to.equal(0);
    expect(routing.ready()).to.equal(false);
    expect(routing.routes()).to.deep.equal([]);
    expect(routing.healthyRacks()).to.deep.equal([]);
    expect(() => routing.pickRackForCreate()).to.throw(RpcError).with.property("code", grpc.status.UNAVAILABLE);
    expect(() => routing.client("r1", loadContracts().worker.WorkerService)).to.throw(RpcError, "not known").with.property("code", grpc.status.UNAVAILABLE);
    expect(await routing.fanOut(async () => 1)).to.deep.equal({ results: new Map(), missingRacks: [] });
  });

  it("fails a call at once with UNAVAILABLE, as a promise", async () => {
    const error = await routing.call("r1", loadContracts().worker.WorkerService, "GetInfo", {}).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RpcError).with.property("code", grpc.status.UNAVAILABLE);
  });

  it("needs a type", () => {
    expect(() => new RoutingClient({ orkAddress: "127.0.0.1:1", tls: { insecure: true }, type: "", log: createLogger("test", "silent"), registry: new Registry() })).to.throw("type");
  });
});
