// promtool unit tests of what the panels answer: synthetic series in, the panels' own queries
// (read out of the rendered dashboards, variables filled in) evaluated, exact answers expected.
// The live test shows that every query returns data from the real services; these show that the
// data is right in the cases an operator meets at 3 a.m. `npm run dashboards` writes them to
// observability/prometheus/tests/panels.test.yml, with the alert rules loaded (the status row
// reads `ALERTS`); `promtool test rules` runs them in the test suite.
import { stringify } from "yaml";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { expandVariables, labelValuesVariables, panelQueries } from "./queries.js";

/** Grafana's `$__rate_interval` for series one minute apart: four scrapes and more. */
export const RATE_INTERVAL = "5m";

interface Series {
  series: string;
  values: string;
}

interface Expect {
  dashboard: string;
  panel: string;
  /** The panel's query; A when not given. */
  refId?: string;
  /** Variables chosen; every other one is "All" (its `allValue`, else `.*`). */
  variables?: Record<string, string>;
  /** Minutes after the first sample. */
  at: number;
  /** Expected samples: labels (as promtool writes them, `{a="b"}`) and value. */
  samples: Array<{ labels: string; value: number }>;
}

interface Scenario {
  name: string;
  series: Series[];
  expect: Expect[];
}

function labels(set: Record<string, string>): string {
  return `{${Object.entries(set).map(([key, value]) => `${key}="${value}"`).join(", ")}}`;
}

function series(name: string, set: Record<string, string>, values: string): Series {
  return { series: `${name}${labels(set)}`, values };
}

// Targets as the compose stack's Prometheus labels them.
const ORK = { job: "wrk-ork", service: "wrk-ork", instance: "10.0.1.2:9101" };
const RACK_1 = { job: "wrk-book", service: "wrk-book", instance: "10.0.1.5:9102" };
const RACK_2 = { job: "wrk-book", service: "wrk-book", instance: "10.0.1.6:9102" };
const BASE = { job: "wrk-base", service: "wrk-base", instance: "10.0.1.3:9103" };
const THING = { job: "tpl-wrk-thing", service: "tpl-wrk-thing", instance: "10.0.1.4:9104" };
const APP = { job: "app-node", service: "app-node", instance: "10.0.1.7:9100" };

/** `up` and `worker_info` of every service; `rack2` gives rack-2's values (it may die: a failed scrape marks its series `stale`). */
function system(minutes: number, rack2 = `1x${minutes}`, rack2Info = rack2): Series[] {
  const steady = `1x${minutes}`;
  return [
    series("up", ORK, steady),
    series("up", RACK_1, steady),
    series("up", RACK_2, rack2),
    series("up", BASE, steady),
    series("up", THING, steady),
    series("up", APP, steady),
    series("worker_info", { ...ORK, worker_id: "ork", type: "ork", version: "0.1.0" }, steady),
    series("worker_info", { ...RACK_1, worker_id: "b1", type: "book", rack: "rack-1", version: "0.1.0" }, steady),
    series("worker_info", { ...RACK_2, worker_id: "b2", type: "book", rack: "rack-2", version: "0.1.0" }, rack2Info),
    series("worker_info", { ...BASE, worker_id: "w1", type: "base", version: "0.1.0" }, steady),
    series("worker_info", { ...THING, worker_id: "t1", type: "thing", rack: "thing-1", version: "0.1.0" }, steady),
    series("worker_info", { ...APP, type: "gateway", version: "0.1.0" }, steady),
  ];
}

const SLOW_PING_P99 = 0.9950000000000001;
const PING = { grpc_service: "bookstore.worker.v1.WorkerService", grpc_method: "Ping", grpc_type: "unary", grpc_code: "OK" };

/** A histogram's buckets of `perMinute` calls a minute, all between the bucket below `le` and `le`. */
function calls(target: Record<string, string>, method: Record<string, string>, le: string, perMinute: number, minutes: number): Series[] {
  const buckets = ["0.005", "0.01", "0.5", "1", "+Inf"];
  return buckets.map((bucket) =>
    series("grpc_server_handling_seconds_bucket", { ...target, ...method, le: bucket }, Number(bucket) < Number(le) ? `0x${minutes}` : `0+${perMinute}x${minutes}`),
  );
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "a dead book rack turns the status row red",
    // rack-2 dies at minute 5: its target is down, its worker_info goes stale, wrk-ork marks it
    // down, and the listings from then on leave its books out.
    series: [
      ...system(20, "1x5 0x15", "1x5 stale"),
      series("ork_worker_up", { ...ORK, worker_id: "b1", type: "book", rack: "rack-1" }, "1x20"),
      series("ork_worker_up", { ...ORK, worker_id: "b2", type: "book", rack: "rack-2" }, "1x5 0x15"),
      series("http_listings_missing_rack_total", { ...APP, rack: "rack-1" }, "0x20"),
      series("http_listings_missing_rack_total", { ...APP, rack: "rack-2" }, "0x5 1+2x15"),
    ],
    expect: [
      ...["Critical alerts firing", "Warnings firing", "Targets down", "Book racks down", "Racks running, not registered", "Racks missing from listings"].map(
        (panel): Expect => ({ dashboard: "bookstore-overview", panel, at: 4, samples: [{ labels: "{}", value: 0 }] }),
      ),
      // ServiceDown and BookRackDown fire after their minute; ListingsMissingRack after 5.
      { dashboard: "bookstore-overview", panel: "Critical alerts firing", at: 12, samples: [{ labels: "{}", value: 2 }] },
      { dashboard: "bookstore-overview", panel: "Warnings firing", at: 12, samples: [{ labels: "{}", value: 1 }] },
      { dashboard: "bookstore-overview", panel: "Targets down", at: 7, samples: [{ labels: "{}", value: 1 }] },
      { dashboard: "bookstore-overview", panel: "Book racks down", at: 7, samples: [{ labels: "{}", value: 1 }] },
      { dashboard: "bookstore-overview", panel: "Racks running, not registered", at: 7, samples: [{ labels: "{}", value: 0 }] },
      { dashboard: "bookstore-overview", panel: "Racks missing from listings", at: 7, samples: [{ labels: "{}", value: 1 }] },
    ],
  },
  {
    name: "a slow Ping on one service shows as slow, not averaged with another service's Ping",
    // wrk-book answers Ping in 0.5 to 1 s; wrk-base, with 99 times the calls, in 5 to 10 ms.
    // Grouped by method alone, the p99 would be about 0.01 s. (0.9950000000000001 is 0.5 +
    // 0.99 × 0.5 as floating point computes it.)
    series: [
      ...system(15),
      ...calls({ ...RACK_1 }, PING, "1", 1, 15),
      ...calls({ ...BASE }, PING, "0.01", 99, 15),
    ],
    expect: [
      {
        dashboard: "bookstore-grpc",
        panel: "p99 latency by method (unary)",
        at: 10,
        samples: [
          { labels: '{grpc_method="Ping", grpc_service="bookstore.worker.v1.WorkerService", service="wrk-book"}', value: SLOW_PING_P99 },
          { labels: '{grpc_method="Ping", grpc_service="bookstore.worker.v1.WorkerService", service="wrk-base"}', value: 0.00995 },
        ],
      },
      {
        dashboard: "bookstore-grpc",
        panel: "p99 latency by method (unary)",
        variables: { rack: "rack-1" },
        at: 10,
        samples: [{ labels: '{grpc_method="Ping", grpc_service="bookstore.worker.v1.WorkerService", service="wrk-book"}', value: SLOW_PING_P99 }],
      },
      {
        dashboard: "bookstore-overview",
        panel: "gRPC latency (unary calls)",
        at: 10,
        samples: [
          { labels: '{service="wrk-base"}', value: 0.00995 },
          { labels: '{service="wrk-book"}', value: SLOW_PING_P99 },
        ],
      },
    ],
  },
  {
    name: "a stream that has not finished counts as in flight",
    // app-node's WatchRouting stream has been open since wrk-ork started: started 1, no handled
    // series at all. GetRoutingTable calls all finished.
    series: [
      ...system(10),
      series("grpc_server_started_total", { ...ORK, grpc_service: "bookstore.ork.v1.OrchestratorService", grpc_method: "WatchRouting", grpc_type: "server_stream" }, "1x10"),
      series("grpc_server_started_total", { ...ORK, grpc_service: "bookstore.ork.v1.OrchestratorService", grpc_method: "ListWorkers", grpc_type: "unary" }, "0+5x10"),
      series("grpc_server_handled_total", { ...ORK, grpc_service: "bookstore.ork.v1.OrchestratorService", grpc_method: "ListWorkers", grpc_type: "unary", grpc_code: "OK" }, "0+5x10"),
    ],
    expect: [
      {
        dashboard: "bookstore-grpc",
        panel: "Calls and streams in flight",
        at: 5,
        samples: [
          { labels: '{grpc_method="ListWorkers", grpc_service="bookstore.ork.v1.OrchestratorService", service="wrk-ork"}', value: 0 },
          { labels: '{grpc_method="WatchRouting", grpc_service="bookstore.ork.v1.OrchestratorService", service="wrk-ork"}', value: 1 },
        ],
      },
    ],
  },
  {
    name: "the first lease expiry of a worker type counts",
    // wrk-ork exports the counter at 0 from the type's first registration; the first book lease
    // lapses at minute 5.
    series: [
      ...system(15),
      series("ork_lease_expiries_total", { ...ORK, type: "book" }, "0x5 1x10"),
      series("ork_lease_expiries_total", { ...ORK, type: "base" }, "0x15"),
    ],
    expect: [
      { dashboard: "bookstore-orchestrator", panel: "Lease expiries in the last 5 minutes", at: 4, samples: [{ labels: '{type="base"}', value: 0 }, { labels: '{type="book"}', value: 0 }] },
      { dashboard: "bookstore-orchestrator", panel: "Lease expiries in the last 5 minutes", at: 7, samples: [{ labels: '{type="base"}', value: 0 }, { labels: '{type="book"}', value: 1 }] },
    ],
  },
];

/** The query of a panel with its variables filled in: the chosen ones, the others "All". */
function queryOf(dashboards: readonly Dashboard[], expect: Expect): string {
  const dashboard = dashboards.find((d) => d.uid === expect.dashboard);
  if (!dashboard) throw new Error(`no dashboard ${expect.dashboard}`);
  const query = panelQueries(dashboard).find((q) => q.panelTitle === expect.panel && q.refId === (expect.refId ?? "A"));
  if (!query) throw new Error(`${expect.dashboard}: no panel "${expect.panel}" with query ${expect.refId ?? "A"}`);
  const variables: Record<string, string> = {};
  for (const variable of labelValuesVariables(dashboard)) variables[variable.name] = expect.variables?.[variable.name] ?? variable.allValue ?? ".*";
  return expandVariables(query.expr, { variables, rateInterval: RATE_INTERVAL });
}

/** panels.test.yml: the scenarios with each expectation's query taken from the dashboards. */
export function renderPanelTests(dashboards: readonly Dashboard[]): string {
  const file = {
    rule_files: ["../rules/bookstore.rules.yml"],
    evaluation_interval: "1m",
    tests: SCENARIOS.map((scenario) => ({
      name: scenario.name,
      interval: "1m",
      input_series: scenario.series,
      promql_expr_test: scenario.expect.map((expect) => ({
        expr: queryOf(dashboards, expect),
        eval_time: `${expect.at}m`,
        exp_samples: expect.samples,
      })),
    })),
  };
  const header = "# Generated by `npm run dashboards` from observability/grafana/src/panel-tests.ts: do not edit.\n# The panels' own queries on synthetic series; run by observability/test (promtool test rules).\n";
  return header + stringify(file, { lineWidth: 0 });
}
