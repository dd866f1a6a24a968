// Prometheus configuration and alert rules: the real promtool checks them, runs the rules' unit
// tests, and the rules are held to the conventions docs/monitoring.md and the dashboards rely on.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { NOT_PROBES, SERVER_ERROR_CODES } from "../grafana/src/panels.js";
import * as grpc from "@grpc/grpc-js";
import { probeRoutes } from "../../services/app-node/src/system-routes.js";
import { grpcCodeLabel } from "../../services/wrk-base/src/metrics.js";
import { selectableNames } from "../lib/metric-catalog.js";
import { metricNames, selectors } from "../lib/promql.js";
import { alertRules, alertThreshold, withFor, type AlertRule } from "../lib/rules.js";
import { MONITORING_DOC, PROMETHEUS_CONFIG, RULES_FILE, RULES_TEST_FILE, repoPath } from "../../compose/local/kit/testing/stack-paths.js";
import { runTool, runToolOk } from "../../compose/local/kit/testing/run-tool.js";

interface RuleTestFile {
  tests: Array<{ name?: string; alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add((match[1] ?? "").trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-"));
  }
  return anchors;
}

describe("Prometheus configuration and alert rules", function () {
  let rules: AlertRule[];

  before(async function () {
    rules = alertRules(await readFile(RULES_FILE, "utf8"));
  });

  it("promtool check config accepts prometheus.yml (but for the storage block, checked below)", async function () {
    // Debian's promtool 2.42 does not know `storage.tsdb.retention` (Prometheus 3.8 and later).
    const { storage: _storage, ...rest } = parse(await readFile(PROMETHEUS_CONFIG, "utf8")) as Record<string, unknown>;
    const dir = await mkdtemp(`${tmpdir()}/prometheus-config-`);
    try {
      await writeFile(`${dir}/prometheus.yml`, stringify(rest));
      const result = await runToolOk("promtool", ["check", "config", `${dir}/prometheus.yml`]);
      expect(result.stdout).to.contain("SUCCESS");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps samples for a retention Prometheus 3.13 reads from the file", async function () {
    // config/config.go v3.13.2: storage.tsdb.retention has time (a duration), size, percentage.
    const { storage } = parse(await readFile(PROMETHEUS_CONFIG, "utf8")) as { storage: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.keys(storage)).to.deep.equal(["tsdb"]);
    const retention = storage.tsdb?.retention ?? {};
    expect(Object.keys(retention).filter((key) => !["time", "size", "percentage"].includes(key))).to.deep.equal([]);
    expect(String(retention.time)).to.match(/^(\d+(y|w|d|h|m|s|ms))+$/);
  });

  it("promtool check rules accepts the rule files", async function () {
    const result = await runToolOk("promtool", ["check", "rules", RULES_FILE]);
    expect(result.stdout).to.match(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it("promtool test rules passes every unit test of the rules", async function () {
    const result = await runTool("promtool", ["test", "rules", RULES_TEST_FILE], { cwd: repoPath("observability/prometheus/tests") });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.contain("SUCCESS");
  });

  it("promtool test rules fails when a rule changes under its tests", async function () {
    // Proof that the unit tests bite: the same tests against rules that wait five times longer.
    const dir = await mkdtemp(`${tmpdir()}/rules-`);
    try {
      const slower = (await readFile(RULES_FILE, "utf8")).replace(/for: 1m/g, "for: 5m");
      await writeFile(`${dir}/bookstore.rules.yml`, slower);
      const tests = (await readFile(RULES_TEST_FILE, "utf8")).replace("../rules/bookstore.rules.yml", `${dir}/bookstore.rules.yml`);
      await writeFile(`${dir}/tests.yml`, tests);
      const result = await runTool("promtool", ["test", "rules", `${dir}/tests.yml`]);
      expect(result.code).to.not.equal(0);
      expect(result.stdout + result.stderr).to.contain("alertname: ServiceDown");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("has the alerts the stack promises", function () {
    expect(rules.map((rule) => rule.alert)).to.include.members([
      "ServiceDown",
      "ServiceMissing",
      "BookRackNotRegistered",
      "BookRackDown",
      "ListingsMissingRack",
      "WorkerStuckNotServing",
      "GrpcServerErrorRatioHigh",
      "GrpcClientErrorRatioHigh",
      "HttpErrorRatioHigh",
      "HttpLatencyP99High",
      "GrpcLatencyP99High",
      "Watchdog",
      "PrometheusRuleEvaluationFailures",
      "PrometheusAlertSendingFailing",
      "PrometheusNotConnectedToAlertmanager",
      "PrometheusConfigReloadFailed",
      "AlertmanagerConfigReloadFailed",
      "AlertmanagerNotificationsFailing",
    ]);
  });

  it("gives every alert a severity, a summary, a description and a runbook section that exists", async function () {
    const anchors = headingAnchors(await readFile(MONITORING_DOC, "utf8"));
    for (const rule of rules) {
      // Only the dead man's switch is neither: it pages nobody by firing, only by stopping.
      expect(rule.alert === "Watchdog" ? ["none"] : ["critical", "warning"], rule.alert).to.include(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).to.be.a("string").and.not.empty;
      expect(rule.annotations.description, rule.alert).to.be.a("string").and.not.empty;
      const runbook = rule.annotations.runbook ?? "";
      expect(runbook, rule.alert).to.match(/^docs\/monitoring\.md#/);
      expect([...anchors], `${rule.alert}: no heading for ${runbook}`).to.include(runbook.split("#")[1]);
    }
  });

  it("has a unit test that fires each alert and one that does not", async function () {
    const file = parse(await readFile(RULES_TEST_FILE, "utf8")) as RuleTestFile;
    const cases = file.tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(mine.some((c) => (c.exp_alerts ?? []).length > 0), `${rule.alert} never fires in a test`).to.equal(true);
      // Watchdog has no quiet case by design: its test shows it firing from the first evaluation on.
      if (rule.alert !== "Watchdog") expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${rule.alert} has no quiet case`).to.equal(true);
    }
  });

  it("uses only catalogued metrics", function () {
    const known = selectableNames();
    for (const rule of rules) {
      for (const name of metricNames(rule.expr)) expect([...known], `${rule.alert} uses ${name}`).to.include(name);
    }
  });

  it("counts the same gRPC codes as server errors as the dashboards do, each spelled as the services write grpc_code", function () {
    const written = Object.values(grpc.status).filter((value): value is number => typeof value === "number").map(grpcCodeLabel);
    for (const code of SERVER_ERROR_CODES.split("|")) expect(written, code).to.include(code);
    const errorRules = rules.filter((rule) => rule.expr.includes("grpc_code=~"));
    expect(errorRules).to.have.length.greaterThan(0);
    for (const rule of errorRules) expect(rule.expr, rule.alert).to.contain(`grpc_code=~"${SERVER_ERROR_CODES}"`);
  });

  it("leaves app-node's probes and scrapes out of every HTTP alert, with the dashboards' matcher", function () {
    expect(NOT_PROBES).to.equal(`route!~"${probeRoutes.map((route) => route.path).join("|")}"`);
    const httpRules = rules.filter((rule) => rule.expr.includes("http_request"));
    expect(httpRules.map((rule) => rule.alert)).to.have.members(["HttpErrorRatioHigh", "HttpLatencyP99High"]);
    for (const rule of httpRules) {
      for (const selector of selectors(rule.expr).filter((s) => s.metric.startsWith("http_request"))) {
        expect(selector.text, rule.alert).to.contain(NOT_PROBES);
      }
    }
  });

  it("names each alert's threshold, the value the dashboards draw", function () {
    const threshold = (alert: string) => alertThreshold(rules.find((rule) => rule.alert === alert) ?? { alert, expr: "" });
    expect(threshold("GrpcServerErrorRatioHigh")).to.deep.equal({ operator: ">", value: 0.05 });
    expect(threshold("HttpErrorRatioHigh")).to.deep.equal({ operator: ">", value: 0.05 });
    expect(threshold("GrpcLatencyP99High")).to.deep.equal({ operator: ">", value: 0.5 });
    expect(threshold("HttpLatencyP99High")).to.deep.equal({ operator: ">", value: 1 });
    expect(threshold("BookRackDown")).to.deep.equal({ operator: "==", value: 0 });
    expect(alertThreshold({ alert: "x", expr: 'rate(a{code=~"5..", b!="1"}[5m]) >= 2e-3 and b > 10' })).to.deep.equal({ operator: ">=", value: 0.002 });
    expect(() => alertThreshold({ alert: "x", expr: "absent(up)" })).to.throw(/alert x: no comparison/);
  });

  it("can shorten every for for a live test, leaving the rules otherwise the same", async function () {
    const text = await readFile(RULES_FILE, "utf8");
    const short = alertRules(withFor(text, "2s"));
    expect(short.map((rule) => rule.for)).to.deep.equal(rules.map(() => "2s"));
    expect(short.map((rule) => rule.expr)).to.deep.equal(rules.map((rule) => rule.expr));
  });
});
