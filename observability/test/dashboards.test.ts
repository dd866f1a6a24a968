// Grafana dashboards as code: the committed JSON is what the TypeScript renders, every panel has
// queries Grafana can run, on catalogued metrics, with variables the dashboard defines.
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { parse } from "yaml";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { renderDashboards } from "../grafana/src/index.js";
import { staleDashboardFiles } from "../grafana/src/generate.js";
import { NOT_PROBES, PROMETHEUS } from "../grafana/src/panels.js";
import { annotationQueries, expandVariables, labelValuesVariables, panelQueries, regexOfValues } from "../grafana/src/queries.js";
import { selectableNames } from "../lib/metric-catalog.js";
import { metricNames, selectors, variablesIn } from "../lib/promql.js";
import { alertRules, alertThreshold } from "../lib/rules.js";
import { COMPOSE_FILE, GRAFANA_DATASOURCES, RULES_FILE } from "../../compose/local/kit/testing/stack-paths.js";

interface FieldDefaults {
  custom?: { thresholdsStyle?: { mode?: string } };
  thresholds?: { mode: string; steps: Array<{ value: number | null; color: string }> };
}

function defaultsOf(panel: unknown): FieldDefaults {
  return ((panel as { fieldConfig?: { defaults?: FieldDefaults } }).fieldConfig?.defaults ?? {});
}

function leafPanels(dashboard: Dashboard): Array<{ type: string; title?: string; description?: string }> {
  return (dashboard.panels ?? []).filter((panel) => panel.type !== "row") as Array<{ type: string; title?: string; description?: string }>;
}

describe("Grafana dashboards", function () {
  const rendered = renderDashboards();

  it("are committed as generated: run `npm run dashboards` when this fails", async function () {
    expect(await staleDashboardFiles()).to.deep.equal([]);
  });

  it("cover the overview, gRPC per method, orchestrator, books and Node process health", function () {
    expect(rendered.map((r) => r.dashboard.uid)).to.deep.equal([
      "bookstore-overview",
      "bookstore-grpc",
      "bookstore-orchestrator",
      "bookstore-books",
      "bookstore-node",
    ]);
  });

  it("query the Prometheus data source that provisioning creates", async function () {
    const provisioned = parse(await readFile(GRAFANA_DATASOURCES, "utf8")) as { datasources: Array<{ uid: string; type: string }> };
    expect(provisioned.datasources.some((d) => d.uid === PROMETHEUS.uid && d.type === PROMETHEUS.type)).to.equal(true);
    for (const { dashboard } of rendered) {
      for (const panel of dashboard.panels ?? []) {
        if (panel.type === "row") continue;
        expect(panel.datasource, `${dashboard.uid}: ${panel.title}`).to.deep.equal(PROMETHEUS);
      }
    }
  });

  it("give every panel a unique id and at least one query with its own refId", function () {
    for (const { dashboard } of rendered) {
      const ids = (dashboard.panels ?? []).map((panel) => panel.id);
      expect(new Set(ids).size, dashboard.uid).to.equal(ids.length);
      for (const panel of dashboard.panels ?? []) {
        if (panel.type === "row") continue;
        const refIds = (("targets" in panel ? panel.targets : undefined) ?? []).map((t) => (t as { refId?: string }).refId);
        expect(refIds.length, `${dashboard.uid}: ${panel.title}`).to.be.greaterThan(0);
        expect(new Set(refIds).size, `${dashboard.uid}: ${panel.title}`).to.equal(refIds.length);
      }
    }
  });

  it("use only catalogued metrics, in panels and in variables", function () {
    const known = [...selectableNames()];
    for (const { dashboard } of rendered) {
      for (const query of panelQueries(dashboard)) {
        for (const name of metricNames(query.expr)) expect(known, `${dashboard.uid} "${query.panelTitle}" uses ${name}`).to.include(name);
      }
      for (const variable of labelValuesVariables(dashboard)) {
        for (const name of metricNames(variable.selector ?? "")) expect(known, `${dashboard.uid} $${variable.name} uses ${name}`).to.include(name);
      }
    }
  });

  it("use only variables the dashboard defines, each defined before it is used", function () {
    for (const { dashboard } of rendered) {
      const defined = labelValuesVariables(dashboard).map((v) => v.name);
      const builtins = ["__rate_interval", "__interval"];
      for (const query of panelQueries(dashboard)) {
        for (const name of variablesIn(query.expr)) expect([...defined, ...builtins], `${dashboard.uid} "${query.panelTitle}"`).to.include(name);
      }
      labelValuesVariables(dashboard).forEach((variable, index) => {
        for (const name of variablesIn(variable.selector ?? "")) expect(defined.slice(0, index), `$${variable.name}`).to.include(name);
      });
    }
  });

  it("leave probes and scrapes out of every HTTP panel", function () {
    let checked = 0;
    for (const { dashboard } of rendered) {
      for (const query of panelQueries(dashboard)) {
        for (const selector of selectors(query.expr).filter((s) => s.metric.startsWith("http_request"))) {
          expect(selector.text, `${dashboard.uid} "${query.panelTitle}"`).to.contain(NOT_PROBES);
          checked++;
        }
      }
    }
    expect(checked).to.be.greaterThan(0);
  });

  it("draw every threshold line where the rules file or the compose file puts it", async function () {
    const rules = new Map(alertRules(await readFile(RULES_FILE, "utf8")).map((rule) => [rule.alert, rule]));
    const limits = (parse(await readFile(COMPOSE_FILE, "utf8")) as { "x-service-limits": { resources: { limits: { cpus: string; memory: string } } } })["x-service-limits"].resources.limits;
    const sources = new Set<string>();
    for (const { dashboard } of rendered) {
      for (const panel of leafPanels(dashboard).filter((p) => p.type === "timeseries")) {
        const defaults = defaultsOf(panel);
        const where = `${dashboard.uid} "${panel.title}"`;
        if ((defaults.custom?.thresholdsStyle?.mode ?? "off") === "off") continue;
        const steps = defaults.thresholds?.steps ?? [];
        expect(steps.map((step) => step.color), where).to.deep.equal(["green", "red"]);
        const line = steps[1]?.value;
        const alert = /Dashed line: alert (\w+)/.exec(panel.description ?? "")?.[1];
        const limit = /Dashed line: the compose limit (cpus|memory)/.exec(panel.description ?? "")?.[1];
        if (alert) {
          const rule = rules.get(alert);
          expect(rule, `${where} names alert ${alert}`).to.not.equal(undefined);
          if (rule) expect(line, where).to.equal(alertThreshold(rule).value);
          sources.add(alert);
        } else if (limit === "memory") {
          expect(limits.memory, "compose writes the memory limit in MiB").to.match(/^\d+M$/);
          expect(line, where).to.equal(Number.parseInt(limits.memory, 10) * 1024 * 1024);
          sources.add(limit);
        } else if (limit === "cpus") {
          expect(line, where).to.equal(Number(limits.cpus));
          sources.add(limit);
        } else {
          expect.fail(`${where}: a threshold line that names no alert or limit`);
        }
      }
    }
    expect([...sources]).to.have.members(["GrpcServerErrorRatioHigh", "GrpcClientErrorRatioHigh", "HttpErrorRatioHigh", "GrpcLatencyP99High", "HttpLatencyP99High", "cpus", "memory"]);
  });

  it("colour every stat by steps that mean something, never Grafana's default red at 80", function () {
    for (const { dashboard } of rendered) {
      for (const panel of leafPanels(dashboard).filter((p) => p.type === "stat")) {
        const steps = defaultsOf(panel).thresholds?.steps ?? [];
        const where = `${dashboard.uid} "${panel.title}"`;
        expect(steps.length, where).to.be.within(1, 2);
        expect(steps[0]?.value, where).to.equal(null);
        if (steps.length === 1) expect(steps[0]?.color, `${where}: one colour is the neutral one`).to.equal("text");
        else expect(steps[1]?.value, where).to.equal(1);
      }
    }
  });

  it("give every time series a table legend ranked by each series' highest value, with its last", function () {
    for (const { dashboard } of rendered) {
      for (const panel of leafPanels(dashboard).filter((p) => p.type === "timeseries")) {
        const legend = (panel as { options?: { legend?: Record<string, unknown> } }).options?.legend;
        expect(legend, `${dashboard.uid} "${panel.title}"`).to.deep.include({ displayMode: "table", calcs: ["lastNotNull", "max"], sortBy: "Max", sortDesc: true });
      }
    }
  });

  it("show trace ids (exemplars) on every latency panel over a histogram that carries them, once per panel", function () {
    // The services' OpenMetrics carry the sampled call's trace id on these (services/*/test/traces.test.ts).
    const withExemplars = ["http_request_duration_seconds_bucket", "grpc_server_handling_seconds_bucket", "grpc_client_handling_seconds_bucket"];
    let checked = 0;
    for (const { dashboard } of rendered) {
      for (const panel of leafPanels(dashboard).filter((p) => p.type === "timeseries")) {
        const targets = (panel as { targets?: Array<{ expr?: string; exemplar?: boolean }> }).targets ?? [];
        const latency = targets.filter((t) => t.expr?.includes("histogram_quantile(") && withExemplars.some((name) => t.expr?.includes(name)));
        if (latency.length === 0) continue;
        // One query per panel is enough: the same trace ids twice would only draw each point twice.
        expect(latency.filter((t) => t.exemplar === true), `${dashboard.uid} "${panel.title}"`).to.have.lengthOf(1);
        checked++;
      }
    }
    expect(checked, "latency panels found").to.be.at.least(4);
  });

  it("start the overview with a status row whose stats count what each alert's rule counts", async function () {
    const rules = new Map(alertRules(await readFile(RULES_FILE, "utf8")).map((rule) => [rule.alert, rule.expr]));
    const overview = rendered.find((r) => r.dashboard.uid === "bookstore-overview")?.dashboard;
    const first = overview?.panels?.[0] as { type: string; title?: string } | undefined;
    expect(first).to.include({ type: "row", title: "Status" });
    const status = panelQueries(overview as Dashboard).slice(0, 6);
    expect(status.map((q) => q.panelTitle)).to.deep.equal([
      "Critical alerts firing", "Warnings firing", "Targets down", "Book racks down", "Racks running, not registered", "Racks missing from listings",
    ]);
    for (const [title, alert] of [["Targets down", "ServiceDown"], ["Book racks down", "BookRackDown"], ["Racks running, not registered", "BookRackNotRegistered"], ["Racks missing from listings", "ListingsMissingRack"]] as const) {
      expect(status.find((q) => q.panelTitle === title)?.expr).to.equal(`count(${rules.get(alert)}) or vector(0)`);
    }
  });

  it("annotate alerts firing, restarts and new versions, on catalogued metrics", function () {
    const known = [...selectableNames()];
    for (const { dashboard } of rendered) {
      const annotations = annotationQueries(dashboard);
      expect(annotations.map((a) => a.name), dashboard.uid).to.deep.equal(["Alerts firing", "Restarts", "New versions"]);
      for (const { name, expr } of annotations) for (const metric of metricNames(expr)) expect(known, `${dashboard.uid} annotation ${name}`).to.include(metric);
    }
  });

  it("link to each other in the top bar (no inControlsMenu placement), carrying time and variables", function () {
    for (const { dashboard } of rendered) {
      expect(dashboard.links, dashboard.uid).to.have.length(1);
      const link = dashboard.links?.[0];
      expect(link, dashboard.uid).to.not.have.property("placement");
      expect(link).to.include({ type: "dashboards", keepTime: true, includeVars: true });
      for (const annotation of dashboard.annotations?.list ?? []) expect(annotation, dashboard.uid).to.not.have.property("placement");
    }
  });

  it("draw up/down as state timelines with words, not overlapping lines", function () {
    const orchestrator = rendered.find((r) => r.dashboard.uid === "bookstore-orchestrator")?.dashboard as Dashboard;
    const byTitle = new Map(leafPanels(orchestrator).map((p) => [p.title, p as { type: string; fieldConfig?: { defaults?: { mappings?: Array<{ options: Record<string, { text: string }> }> } } }]));
    for (const [title, up] of [["Racks up (orchestrator's view)", "UP"], ["Serving state per process", "SERVING"], ["Known workers", "UP"]] as const) {
      const panel = byTitle.get(title);
      expect(panel?.type, title).to.equal(title === "Known workers" ? "table" : "state-timeline");
      expect(panel?.fieldConfig?.defaults?.mappings?.[0]?.options["1"]?.text, title).to.equal(up);
    }
  });

  it("fill variables in as Grafana does, and refuse an unknown one", function () {
    const expr = 'rate(x{service=~"$service", instance=~"${instance}"}[$__rate_interval])';
    const filled = expandVariables(expr, { variables: { service: regexOfValues(["wrk-book"]), instance: regexOfValues(["127.0.0.1:9102", "127.0.0.1:9105"]) }, rateInterval: "1m" });
    expect(filled).to.equal('rate(x{service=~"(wrk-book)", instance=~"(127\\\\.0\\\\.0\\\\.1:9102|127\\\\.0\\\\.0\\\\.1:9105)"}[1m])');
    expect(() => expandVariables("up{a=\"$nope\"}", { variables: {}, rateInterval: "1m" })).to.throw(/unknown variable \$nope/);
  });
});

describe("PromQL metric names", function () {
  it("are read out of selectors, not functions, labels, keywords or durations", function () {
    expect(metricNames('histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{status_code=~"5..", x="a{b}"}[5m] offset 1h)))'))
      .to.deep.equal(["http_request_duration_seconds_bucket"]);
    expect(metricNames("max by (rack) (worker_info) unless on (rack) (max by (rack) (ork_worker_up) == 1) or vector(0) * 1e3"))
      .to.deep.equal(["worker_info", "ork_worker_up"]);
  });

  it("come with their matchers as written, braces inside strings and Grafana variables included", function () {
    expect(selectors('sum by (service) (rate(grpc_server_handled_total{service=~"${service}", grpc_code=~"A|B"}[$__rate_interval])) / up'))
      .to.deep.equal([
        { metric: "grpc_server_handled_total", text: 'grpc_server_handled_total{service=~"${service}", grpc_code=~"A|B"}' },
        { metric: "up", text: "up" },
      ]);
    expect(selectors('x{a="}"} or y {b="{"}')).to.deep.equal([
      { metric: "x", text: 'x{a="}"}' },
      { metric: "y", text: 'y{b="{"}' },
    ]);
  });
});
