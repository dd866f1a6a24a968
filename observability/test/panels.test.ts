// The panels' answers on synthetic series (observability/prometheus/tests/panels.test.yml,
// generated from the dashboards' own queries): promtool passes them, and fails them when a query
// goes back to one of the wrong answers they pin.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { PANEL_TESTS_FILE } from "../grafana/src/generate.js";
import { RULES_FILE } from "../../compose/local/kit/testing/stack-paths.js";
import { runTool } from "../../compose/local/kit/testing/run-tool.js";

/** promtool test rules on `text` in place of panels.test.yml, the rules file beside it. */
async function promtoolOn(text: string): Promise<{ code: number | null; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "panel-tests-"));
  try {
    await writeFile(join(dir, "panels.test.yml"), text.replace("../rules/bookstore.rules.yml", RULES_FILE));
    const result = await runTool("promtool", ["test", "rules", join(dir, "panels.test.yml")]);
    return { code: result.code, output: result.stdout + result.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("panel answers on synthetic series (promtool)", function () {
  let text: string;

  before(async function () {
    text = await readFile(PANEL_TESTS_FILE, "utf8");
  });

  it("pin the cases an operator meets: a dead rack, a slow method on one service, an open stream, a first lease expiry", function () {
    const names = (parse(text) as { tests: Array<{ name: string }> }).tests.map((test) => test.name);
    expect(names).to.deep.equal([
      "a dead book rack turns the status row red",
      "a slow Ping on one service shows as slow, not averaged with another service's Ping",
      "a stream that has not finished counts as in flight",
      "the first lease expiry of a worker type counts",
    ]);
  });

  it("pass promtool test rules", async function () {
    const result = await promtoolOn(text);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.contain("SUCCESS");
  });

  it("fail when latency is grouped by method alone, as it was", async function () {
    const merged = text.replaceAll("sum by (service, grpc_service, grpc_method, le)", "sum by (grpc_method, le)");
    expect(merged).to.not.equal(text);
    const result = await promtoolOn(merged);
    expect(result.code).to.not.equal(0);
    expect(result.output).to.contain("histogram_quantile(0.99, sum by (grpc_method, le)");
  });

  it("fail when the expiry counter is born at 1, as it was", async function () {
    const bornAtOne = text.replace('values: 0x5 1x10', 'values: _x5 1x10');
    expect(bornAtOne).to.not.equal(text);
    const result = await promtoolOn(bornAtOne);
    expect(result.code).to.not.equal(0);
    expect(result.output).to.contain("ork_lease_expiries_total");
  });
});
