// Alertmanager's configuration: the real amtool checks it and resolves its routes; its
// inhibitions name alerts that exist.
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { parse } from "yaml";
import { alertRules } from "../lib/rules.js";
import { ALERTMANAGER_CONFIG, RULES_FILE } from "../../compose/local/kit/testing/stack-paths.js";
import { runToolOk } from "../../compose/local/kit/testing/run-tool.js";

async function receiverFor(...labels: string[]): Promise<string> {
  const result = await runToolOk("amtool", ["config", "routes", "test", `--config.file=${ALERTMANAGER_CONFIG}`, ...labels]);
  return result.stdout.trim();
}

describe("Alertmanager configuration", function () {
  it("amtool check-config accepts it", async function () {
    const result = await runToolOk("amtool", ["check-config", ALERTMANAGER_CONFIG]);
    expect(result.stdout).to.contain("SUCCESS");
  });

  it("routes critical alerts to oncall and the rest to team", async function () {
    expect(await receiverFor("alertname=ServiceDown", "severity=critical", "service=wrk-book")).to.equal("oncall");
    expect(await receiverFor("alertname=HttpLatencyP99High", "severity=warning", "service=app-node")).to.equal("team");
    expect(await receiverFor("alertname=SomethingNew")).to.equal("team");
  });

  it("sends Watchdog to its own receiver, every minute, and nothing else there", async function () {
    expect(await receiverFor("alertname=Watchdog", "severity=none")).to.equal("watchdog");
    expect(await receiverFor("alertname=ServiceDown", "severity=critical", "service=alertmanager")).to.equal("oncall");
    expect(await receiverFor("alertname=PrometheusNotConnectedToAlertmanager", "severity=none")).to.equal("team");
    const config = parse(await readFile(ALERTMANAGER_CONFIG, "utf8")) as { route: { routes: Array<{ receiver: string; repeat_interval?: string }> } };
    expect(config.route.routes.find((route) => route.receiver === "watchdog")?.repeat_interval).to.equal("1m");
  });

  it("inhibits only with and on alerts the rules define", async function () {
    const alerts = alertRules(await readFile(RULES_FILE, "utf8")).map((rule) => rule.alert);
    const config = parse(await readFile(ALERTMANAGER_CONFIG, "utf8")) as { inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[] }> };
    const named: string[] = [];
    for (const rule of config.inhibit_rules) {
      for (const matcher of [...rule.source_matchers, ...rule.target_matchers]) {
        const match = /^alertname=~?"(.+)"$/.exec(matcher);
        if (match) named.push(...(match[1] ?? "").split("|"));
      }
    }
    expect(named).to.have.length.greaterThan(0);
    for (const name of named) expect(alerts, `inhibit rule names ${name}`).to.include(name);
  });
});
