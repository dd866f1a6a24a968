import { expect } from "chai";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SettingsError } from "@bookstore/wrk-base";
import { RACK_FILE, readThingSettings, resolveRack } from "../src/data-dir.js";
import { tempDir } from "../../../compose/local/kit/testing/process.js";

describe("tpl-wrk-thing data folder and rack", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("thing-data")));
  afterEach(() => dir.remove());

  it("defaults DATA_DIR to .data/<service> under the current directory", () => {
    expect(readThingSettings({}, "wrk-book", "/srv/app")).to.deep.equal({ dataDir: "/srv/app/.data/wrk-book", rackId: undefined });
    expect(readThingSettings({ DATA_DIR: "data", RACK_ID: "r1" }, "wrk-book", "/srv/app")).to.deep.equal({ dataDir: "/srv/app/data", rackId: "r1" });
    expect(readThingSettings({ DATA_DIR: "/var/lib/books" }, "wrk-book", "/srv/app").dataDir).to.equal("/var/lib/books");
  });

  it("refuses a bad RACK_ID by name", () => {
    expect(() => readThingSettings({ RACK_ID: "Rack One" }, "x")).to.throw(SettingsError, 'invalid setting RACK_ID="Rack One"');
  });

  it("uses RACK_ID when it is set, and writes no rack file then", () => {
    expect(resolveRack(dir.path, "shelf-7")).to.equal("shelf-7");
    expect(readdirSync(dir.path)).to.deep.equal([]);
  });

  it("makes a rack once, keeps it in DATA_DIR/rack-id and finds it again", () => {
    const data = join(dir.path, "nested", "data");
    const rack = resolveRack(data, undefined);
    expect(rack).to.match(/^rack-[0-9a-f]{8}$/);
    expect(readFileSync(join(data, RACK_FILE), "utf8")).to.equal(`${rack}\n`);
    expect(resolveRack(data, undefined)).to.equal(rack);
    expect(readdirSync(data)).to.deep.equal([RACK_FILE]); // nothing left aside
  });

  it("refuses a rack file that does not hold a rack id, naming the file", () => {
    writeFileSync(join(dir.path, RACK_FILE), "../etc\n");
    expect(() => resolveRack(dir.path, undefined)).to.throw(`${join(dir.path, RACK_FILE)} holds "../etc", which is not a rack id`);
  });

  it("says which DATA_DIR it cannot use", () => {
    const file = join(dir.path, "a-file");
    writeFileSync(file, "");
    expect(() => resolveRack(join(file, "sub"), undefined)).to.throw(`cannot use DATA_DIR=${join(file, "sub")}`);
  });
});
