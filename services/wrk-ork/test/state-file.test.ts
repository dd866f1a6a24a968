import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createLogger } from "@bookstore/wrk-base";
import { STATE_FILE, StateFile } from "../src/state-file.js";
import { WorkerRegistry } from "../src/worker-registry.js";
import { tempDir } from "../../../compose/local/kit/testing/process.js";

describe("wrk-ork state file", () => {
  const log = createLogger("state-test", "silent");

  it("has no state before the first save, and gives back what was saved", () => {
    const dir = tempDir("ork-state");
    try {
      const file = new StateFile(join(dir.path, "made-on-load"), log);
      expect(file.load()).to.equal(undefined);
      const state = { format: 1 as const, incarnation: 7, workers: [{ id: "b1", type: "book", rack: "r1", address: "h:1", version: "1", lastSeenMs: 5, stopped: "stopped cleanly (deregistered)" }] };
      file.save(state);
      expect(file.load()).to.deep.equal(state);
      expect(readdirSync(file.dataDir), "no temporary file left beside it").to.deep.equal([STATE_FILE]);
    } finally {
      dir.remove();
    }
  });

  for (const [what, text] of [
    ["not JSON (a cut write of another tool)", '{"format":1,"incarn'],
    ["JSON of the wrong shape", '{"format":1,"incarnation":-1,"workers":[{"id":""}]}'],
  ] as const) {
    it(`moves a file that is ${what} aside, keeping its bytes, and starts without state`, () => {
      const dir = tempDir("ork-state-bad");
      try {
        writeFileSync(join(dir.path, STATE_FILE), text);
        expect(new StateFile(dir.path, log).load()).to.equal(undefined);
        const files = readdirSync(dir.path);
        expect(files).to.have.length(1);
        expect(files[0]).to.match(/^ork-state\.json\.bad-\d+$/);
        expect(readFileSync(join(dir.path, files[0] as string), "utf8")).to.equal(text);
      } finally {
        dir.remove();
      }
    });
  }

  it("restores a registry from its snapshot: not heard from until a heartbeat, a stopped rack stays stopped", () => {
    let now = 1_000;
    const first = new WorkerRegistry({ leaseMs: 10_000, healthFailures: 1, now: () => now });
    first.register({ id: "b1", type: "book", rack: "r1", address: "h:1", version: "1" });
    first.register({ id: "b2", type: "book", rack: "r2", address: "h:2", version: "1" });
    first.register({ id: "w1", type: "base", rack: "", address: "h:9", version: "1" });
    first.deregister("b2");
    now = 50_000;
    const second = new WorkerRegistry({ leaseMs: 10_000, healthFailures: 1, now: () => now });
    second.restore(first.snapshot());
    expect(second.list().map((w) => [w.id, w.state, w.reason, w.lastSeenMs])).to.deep.equal([
      ["w1", "up", "", 1_000],
      ["b1", "up", "", 1_000],
      ["b2", "down", "stopped cleanly (deregistered)", 1_000],
    ]);
    expect(second.awaitingEvidence()).to.equal(2);
    expect(second.heartbeat("b1")).to.equal("CONTINUE");
    expect(second.awaitingEvidence()).to.equal(1);
    second.recordHealth("w1", "h:9", "UNAVAILABLE: gone");
    expect(second.awaitingEvidence(), "found down is evidence too").to.equal(0);
    expect(second.table("book").routes.map((r) => [r.rack, r.healthy])).to.deep.equal([
      ["r1", true],
      ["r2", false],
    ]);
  });
});
