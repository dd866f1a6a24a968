// The observability stack against the running system, without containers: every service as a
// process on loopback (compose/local/system.ts), Debian's Prometheus with a configuration made
// from observability/prometheus/prometheus.yml (same jobs, labels and relabeling; loopback targets;
// 1 s scrapes) and the same rules with every `for` cut to 2 s, and Debian's Alertmanager with the
// same routes, posting to a local webhook server. It waits until every target is up, runs every
// query of every dashboard panel and requires data, then kills a book rack and waits for the
// alerts to fire and the page to arrive.
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { type RunningSystem, SERVICE_NAMES, freePortBase, specOf, startSystem } from "../../compose/local/system.js";
import { allOf, annotationQueries, expandVariables, labelValuesVariables, panelQueries } from "../grafana/src/queries.js";
import { loopbackAlertmanagerConfig } from "../lib/loopback-alertmanager.js";
import { JOBS_NOT_RUN_ON_LOOPBACK, loopbackPrometheusConfig } from "../lib/loopback-prometheus.js";
import { METRIC_CATALOG } from "../lib/metric-catalog.js";
import { selectors } from "../lib/promql.js";
import { SERVER_ERROR_CODES } from "../grafana/src/panels.js";
import { alertRules, withFor } from "../lib/rules.js";
import { ALERTMANAGER_CONFIG, PROMETHEUS_CONFIG, RULES_FILE, repoPath } from "../../compose/local/kit/testing/stack-paths.js";
import { PrometheusApi, eventually, hasFiniteValue, type Sample } from "./support/prometheus-api.js";
import { freePort } from "../../compose/local/kit/testing/process.js";
import { ToolProcess } from "./support/processes.js";
import { WebhookSink } from "./support/webhook-sink.js";
import { OtlpReceiver } from "../../compose/local/kit/testing/otlp-receiver.js";

/** What `$__rate_interval` becomes: several 1 s scrapes, and short enough to see fresh traffic. */
const RATE_INTERVAL = "30s";

/**
 * Selectors of events a healthy system need not have had: server errors, 5xx, lease expiries. A
 * panel shows 0 for them (its query falls back to a zero baseline); every other selector must
 * match series, or the baseline would hide a wrong metric or label.
 */
function selectsEventsOnly(selector: string): boolean {
  const eventMetrics = METRIC_CATALOG.filter((family) => family.appearsOnFirstEvent).map((family) => family.name);
  return selector.includes(`grpc_code=~"${SERVER_ERROR_CODES}"`) || selector.includes('status_code=~"5.."') || eventMetrics.some((name) => selector.startsWith(name));
}

describe("observability against the running system (live)", function () {
  this.timeout(60_000);
  let workDir: string;
  let system: RunningSystem | undefined;
  let prometheus: ToolProcess | undefined;
  let alertmanager: ToolProcess | undefined;
  const sink = new WebhookSink();
  // Every service exports its spans here (every trace sampled, the default sampler), so the gRPC
  // latency histograms carry exemplars that Prometheus must scrape and keep.
  const receiver = new OtlpReceiver();
  let api: PrometheusApi;
  let librarian: string;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${system?.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${librarian}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Traffic through every path the dashboards show: create, list, search, get, checkout, return, a 404. */
  async function traffic(round: number): Promise<void> {
    for (let i = 0; i < 6; i++) {
      const created = await call("POST", "/v1/books", { title: `Live ${round}.${i}`, author: "Observability Test", tags: ["live"] });
      expect(created.status, JSON.stringify(created.json)).to.equal(201);
      const id = String(created.json.id);
      expect((await call("GET", `/v1/books/${id}`)).status).to.equal(200);
      expect((await call("POST", `/v1/books/${id}/checkout`, { borrower: "reader" })).status).to.equal(200);
      if (i % 2 === 0) expect((await call("POST", `/v1/books/${id}/return`)).status).to.equal(200);
    }
    expect((await call("GET", "/v1/books?q=live&pageSize=5")).status).to.equal(200);
    expect((await call("GET", "/v1/books/rack-1.00000000-0000-4000-8000-000000000000")).status).to.equal(404);
  }

  before(async function () {
    this.timeout(90_000);
    workDir = await mkdtemp(join(tmpdir(), "bookstore-live-"));

    system = await startSystem({
      portBase: await freePortBase(),
      dataDir: join(workDir, "data"),
      env: {
        LOG_LEVEL: "warn",
        // A dead rack is down in the orchestrator within a second or two.
        ORK_LEASE_SECONDS: "3",
        ORK_HEARTBEAT_SECONDS: "1",
        ORK_HEALTH_CHECK_INTERVAL_MS: "250",
        ORK_HEALTH_CHECK_TIMEOUT_MS: "200",
        ORK_HEALTH_FAILURES: "2",
        OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
        OTEL_BSP_SCHEDULE_DELAY: "200",
      },
    });
    librarian = system.tokens.librarian;
    const { services } = system;
    // Each catalogued service is one scrape job; its processes (wrk-book's two racks) its targets.
    const serviceTargets: Record<string, string[]> = {};
    for (const name of SERVICE_NAMES) (serviceTargets[specOf(name).name] ??= []).push(`127.0.0.1:${services[name]?.ports.http}`);

    const webhookBase = await sink.start();
    const alertmanagerPort = await freePort();
    await writeFile(join(workDir, "alertmanager.yml"), loopbackAlertmanagerConfig(await readFile(ALERTMANAGER_CONFIG, "utf8"), webhookBase));
    alertmanager = new ToolProcess("prometheus-alertmanager", [
      `--config.file=${join(workDir, "alertmanager.yml")}`,
      `--storage.path=${join(workDir, "alertmanager")}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      "--cluster.listen-address=",
    ]);
    await alertmanager.waitHttpOk(`http://127.0.0.1:${alertmanagerPort}/-/ready`, 20_000);

    const prometheusPort = await freePort();
    await writeFile(join(workDir, "rules.yml"), withFor(await readFile(RULES_FILE, "utf8"), "2s"));
    const config = loopbackPrometheusConfig(await readFile(PROMETHEUS_CONFIG, "utf8"), {
      targets: {
        prometheus: [`127.0.0.1:${prometheusPort}`],
        alertmanager: [`127.0.0.1:${alertmanagerPort}`],
        ...serviceTargets,
      },
      notRunHere: JOBS_NOT_RUN_ON_LOOPBACK,
      ruleFiles: [join(workDir, "rules.yml")],
      alertmanager: `127.0.0.1:${alertmanagerPort}`,
      scrapeInterval: "1s",
      evaluationInterval: "1s",
    });
    await writeFile(join(workDir, "prometheus.yml"), config);
    prometheus = new ToolProcess("prometheus", [
      `--config.file=${join(workDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(workDir, "prometheus")}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      // Watchdog fires at the first evaluation, before the notifier has found its Alertmanager, and
      // that first send is dropped; a firing alert is sent again after this delay (1m by default).
      "--rules.alert.resend-delay=2s",
      // As compose runs it: the exemplars of the scraped OpenMetrics are kept.
      "--enable-feature=exemplar-storage",
    ]);
    api = new PrometheusApi(`http://127.0.0.1:${prometheusPort}`);
    await prometheus.waitHttpOk(`${api.baseUrl}/-/ready`, 20_000);
  });

  after(async function () {
    this.timeout(60_000);
    await system?.stop();
    await prometheus?.stop("SIGTERM", 5_000);
    await alertmanager?.stop("SIGTERM", 5_000);
    await sink.stop();
    await receiver.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("sees every target of every job up, each with its service label", async function () {
    const targets = await eventually("every target up", 30_000, async () => {
      const active = await api.targets();
      return active.length === SERVICE_NAMES.length + 2 && active.every((t) => t.health === "up") ? active : undefined;
    });
    const byService = new Map<string, number>();
    for (const target of targets) byService.set(target.labels.service ?? "", (byService.get(target.labels.service ?? "") ?? 0) + 1);
    const expected: Record<string, number> = { prometheus: 1, alertmanager: 1 };
    for (const name of SERVICE_NAMES) expected[specOf(name).name] = (expected[specOf(name).name] ?? 0) + 1;
    expect(Object.fromEntries(byService)).to.deep.equal(expected);
    expect(expected).to.include({ "wrk-book": 2, "wrk-ork": 1, "app-node": 1 });
  });

  it("finds every catalogued metric in the scraped data", async function () {
    await traffic(0);
    const missing: string[] = [];
    await eventually("the metrics after traffic", 15_000, async () => {
      missing.length = 0;
      for (const family of METRIC_CATALOG) {
        if (family.appearsOnFirstEvent) continue;
        const name = family.type === "histogram" ? `${family.name}_bucket` : family.name;
        if ((await api.query(`count(${name})`)).length === 0) missing.push(family.name);
      }
      return missing.length === 0 ? true : undefined;
    }).catch(() => undefined);
    expect(missing, "catalogued metrics no service exports").to.deep.equal([]);
    // The rack label the dashboards and BookRackNotRegistered rely on, from each rack's own series.
    const racks = (await api.query('max by (rack) (worker_info{type="book"})')).map((s) => s.metric.rack).sort();
    expect(racks).to.deep.equal(["rack-1", "rack-2"]);
  });

  it("keeps the trace ids of the gRPC latency exemplars, the racks' and app-node's, each a trace that was exported", async function () {
    await traffic(3);
    for (const [service, histogram] of [
      ["wrk-book", "grpc_server_handling_seconds_bucket"],
      ["app-node", "grpc_client_handling_seconds_bucket"],
    ] as const) {
      const traceIds = await eventually(`${service}'s ${histogram} exemplars`, 15_000, async () => {
        const found = (await api.exemplars(`${histogram}{service="${service}",grpc_method="CreateBook"}`, 120)).flatMap((series) => series.exemplars.map((e) => e.labels.trace_id ?? ""));
        return found.length > 0 ? found : undefined;
      });
      expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id)), traceIds.join(" ")).to.equal(true);
      const exported = await eventually("the exemplars' traces exported", 10_000, async () => (traceIds.every((id) => receiver.trace(id).length > 0) ? true : undefined)).catch(() => false);
      expect(exported, `${service}'s exemplar traces reached the OTLP receiver`).to.equal(true);
    }
  });

  it("returns data for every query of every dashboard panel", async function () {
    this.timeout(120_000);
    await traffic(1);
    // A few scrapes after the traffic, so every rate() window holds two samples of it.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await traffic(2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const dir = repoPath("observability/grafana/dashboards/");
    const failures: string[] = [];
    let checked = 0;
    for (const file of (await readdir(dir)).filter((name) => name.endsWith(".json")).sort()) {
      const dashboard = JSON.parse(await readFile(`${dir}${file}`, "utf8")) as Dashboard;
      // Variables as Grafana fills them: each one's values, in order, "All" chosen.
      const variables: Record<string, string> = {};
      for (const variable of labelValuesVariables(dashboard)) {
        const selector = variable.selector === undefined ? undefined : expandVariables(variable.selector, { variables, rateInterval: RATE_INTERVAL });
        const values = await api.labelValues(variable.label, selector);
        if (values.length === 0) failures.push(`${dashboard.uid}: variable $${variable.name} has no values (${selector})`);
        variables[variable.name] = allOf(variable, values);
      }
      // Annotations: events a healthy system need not have had, so they must run, not return data.
      for (const annotation of annotationQueries(dashboard)) {
        await api.queryRange(annotation.expr, 20, 1).catch((error: Error) => failures.push(`${dashboard.uid} annotation ${annotation.name}: ${error.message}`));
      }
      for (const query of panelQueries(dashboard)) {
        const expr = expandVariables(query.expr, { variables, rateInterval: RATE_INTERVAL });
        let result: Sample[];
        try {
          result = query.instant ? await api.query(expr) : await api.queryRange(expr, 20, 1);
        } catch (error) {
          failures.push(`${dashboard.uid} "${query.panelTitle}" ${query.refId}: ${(error as Error).message}`);
          continue;
        }
        checked++;
        if (!hasFiniteValue(result)) failures.push(`${dashboard.uid} "${query.panelTitle}" ${query.refId}: no data for ${expr}`);
        for (const selector of selectors(expr)) {
          if (selectsEventsOnly(selector.text)) continue;
          if ((await api.query(`count(${selector.text})`)).length === 0) {
            failures.push(`${dashboard.uid} "${query.panelTitle}" ${query.refId}: no series match ${selector.text}`);
          }
        }
      }
    }
    expect(failures).to.deep.equal([]);
    expect(checked).to.be.greaterThan(40);
  });

  it("matches series with every selector of every alert rule, so no rule watches a misspelt label", async function () {
    const unmatched: string[] = [];
    for (const rule of alertRules(await readFile(RULES_FILE, "utf8"))) {
      for (const selector of selectors(rule.expr)) {
        if (selectsEventsOnly(selector.text)) continue;
        if ((await api.query(`count(${selector.text})`)).length === 0) unmatched.push(`${rule.alert}: ${selector.text}`);
      }
    }
    expect(unmatched).to.deep.equal([]);
  });

  it("fires Watchdog at once and delivers it to its own receiver only", async function () {
    const watchdog = await eventually("Watchdog firing", 15_000, async () =>
      (await api.alerts()).find((a) => a.labels.alertname === "Watchdog" && a.state === "firing"),
    );
    expect(watchdog.labels).to.deep.equal({ alertname: "Watchdog", severity: "none" });
    const delivered = await eventually("a webhook to watchdog", 20_000, async () =>
      sink.received.find((n) => n.path === "/watchdog" && (n.body.alerts ?? []).some((a) => a.status === "firing" && a.labels.alertname === "Watchdog")),
    );
    // Prometheus adds its external labels on the way out: the receiver can tell which stack is alive.
    expect((delivered.body.alerts ?? []).map((a) => a.labels)).to.deep.equal([{ alertname: "Watchdog", severity: "none", stack: "bookstore" }]);
    const elsewhere = sink.received.filter((n) => n.path !== "/watchdog" && (n.body.alerts ?? []).some((a) => a.labels.alertname === "Watchdog"));
    expect(elsewhere.map((n) => n.path)).to.deep.equal([]);
  });

  it("fires no alert but Watchdog while the system is healthy, and the status row is all 0", async function () {
    const firing = (await api.alerts()).filter((alert) => alert.state === "firing" && alert.labels.alertname !== "Watchdog");
    expect(firing.map((alert) => alert.labels)).to.deep.equal([]);
    const overview = JSON.parse(await readFile(repoPath("observability/grafana/dashboards/bookstore-overview.json"), "utf8")) as Dashboard;
    const statusRow = panelQueries(overview).slice(0, 6);
    const values = await Promise.all(statusRow.map(async (q) => [q.panelTitle, Number((await api.query(q.expr))[0]?.value?.[1])] as const));
    expect(Object.fromEntries(values)).to.deep.equal(Object.fromEntries(statusRow.map((q) => [q.panelTitle, 0])));
  });

  it("fires ServiceDown and BookRackDown when a book rack is killed, and pages oncall", async function () {
    const rack = system?.services["wrk-book-2"];
    if (!rack) throw new Error("no wrk-book-2");
    const instance = `127.0.0.1:${rack.ports.http}`;
    await rack.kill("SIGKILL");

    const down = await eventually("ServiceDown firing for the killed rack", 30_000, async () =>
      (await api.alerts()).find((a) => a.labels.alertname === "ServiceDown" && a.labels.instance === instance && a.state === "firing"),
    );
    expect(down.labels).to.include({ service: "wrk-book", job: "wrk-book", severity: "critical" });

    const rackDown = await eventually("BookRackDown firing for rack-2", 30_000, async () =>
      (await api.alerts()).find((a) => a.labels.alertname === "BookRackDown" && a.state === "firing"),
    );
    expect(rackDown.labels).to.include({ rack: "rack-2", severity: "critical" });

    // Only the killed rack: its twin and the other services stay quiet (and Watchdog fires on).
    const firing = (await api.alerts()).filter((a) => a.state === "firing" && a.labels.alertname !== "Watchdog");
    expect(firing.every((a) => a.labels.rack === "rack-2" || a.labels.instance === instance), JSON.stringify(firing)).to.equal(true);

    // The overview's status row, queried as Grafana queries it: red (1 or more) where it should be.
    const overview = JSON.parse(await readFile(repoPath("observability/grafana/dashboards/bookstore-overview.json"), "utf8")) as Dashboard;
    const status = async (title: string): Promise<number> => {
      const query = panelQueries(overview).find((q) => q.panelTitle === title);
      if (!query) throw new Error(`no panel ${title}`);
      return Number((await api.query(query.expr))[0]?.value?.[1] ?? Number.NaN);
    };
    expect(await status("Critical alerts firing")).to.be.at.least(2);
    expect(await status("Book racks down")).to.equal(1);
    expect(await status("Racks running, not registered")).to.equal(0);

    const page = await eventually("a webhook to oncall", 30_000, async () =>
      sink.received.find((n) => n.path === "/oncall" && (n.body.alerts ?? []).some((a) => a.status === "firing" && a.labels.alertname === "ServiceDown")),
    );
    expect(page.body.status).to.equal("firing");
  });
});
