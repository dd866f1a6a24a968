// The few panel shapes the dashboards use, built with @grafana/grafana-foundation-sdk, so every
// dashboard reads as a list of titles and PromQL.
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  MappingType,
  ThresholdsMode,
  VariableRefresh,
  type Threshold,
  type ValueMapping,
  VariableSort,
  type Dashboard,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { serviceLimits, thresholdOf } from "./facts.js";
import { PanelBuilder as StatPanelBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as StateTimelinePanelBuilder } from "@grafana/grafana-foundation-sdk/statetimeline";
import { PanelBuilder as TablePanelBuilder } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";

/** The data source provisioned by observability/grafana/provisioning/datasources. */
export const PROMETHEUS: common.DataSourceRef = { type: "prometheus", uid: "prometheus" };

/** Tag shared by the dashboards: the links bar of each lists the others. */
export const DASHBOARD_TAG = "bookstore";

export interface Query {
  expr: string;
  /** Grafana legend template, e.g. `{{service}}`. */
  legend?: string;
  /** Show the series' exemplars (trace ids, linked to Tempo by the Prometheus data source). */
  exemplars?: boolean;
}

/** A threshold drawn on a time series: the value, and where it comes from (said in the description). */
export interface ThresholdLine {
  value: number;
  /** For example `alert GrpcLatencyP99High (> 0.5)`; tests read the alert's name from it. */
  source: string;
}

/** The threshold of an alert rule, read from the rules file. */
export function alertLine(alert: string): ThresholdLine {
  const { operator, value } = thresholdOf(alert);
  return { value, source: `alert ${alert} (${operator} ${value})` };
}

/** A limit of the compose file's `x-service-limits`. */
export function limitLine(limit: "cpus" | "memoryBytes"): ThresholdLine {
  const value = serviceLimits()[limit];
  return { value, source: `the compose limit ${limit === "cpus" ? "cpus" : "memory"} (x-service-limits)` };
}

/** Stat colours: green, red from `value` on (a count of things that are wrong). */
export function redFrom(value: number): Threshold[] {
  return [{ value: null, color: "green" }, { value, color: "red" }];
}

/** Stat colours: green, yellow from `value` on (worth a look, not an outage). */
export function yellowFrom(value: number): Threshold[] {
  return [{ value: null, color: "green" }, { value, color: "yellow" }];
}

/** Stat colours: red below `value`, green from it on (a count of things that must be there). */
export function greenFrom(value: number): Threshold[] {
  return [{ value: null, color: "red" }, { value, color: "green" }];
}

/** A figure that is neither good nor bad (a stock count): one colour, never Grafana's red-at-80. */
export const NEUTRAL: Threshold[] = [{ value: null, color: "text" }];

function thresholds(steps: Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

interface PanelOptions {
  title: string;
  description: string;
  queries: Query[];
  unit?: string;
  /** Time series: a dashed red line. */
  line?: ThresholdLine;
  /** Stat: the colours by value; NEUTRAL when not given. */
  steps?: Threshold[];
  /** Time series: series colours by display name (a regex, e.g. `.* 5..$`); Grafana applies them in order, the last match wins. */
  colours?: ReadonlyArray<{ match: string; colour: string }>;
  /** Value mappings (state timelines, tables). */
  mappings?: ValueMapping[];
  /** Grid width out of 24. */
  width?: number;
  height?: number;
}

function targets(queries: Query[], kind: "range" | "instant" | "table"): DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .datasource(PROMETHEUS)
      .expr(query.expr)
      .legendFormat(query.legend ?? "__auto");
    if (kind === "range") return query.exemplars ? target.range().exemplar(true) : target.range();
    if (kind === "table") return target.instant().format(PromQueryFormat.Table);
    return target.instant();
  });
}

/**
 * A table under the graph with each series' last and highest value, the highest first: a panel
 * of 20 to 40 series (per method, per rack) then reads as a ranking, not a list of names.
 */
function seriesLegend(): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Bottom)
    .calcs(["lastNotNull", "max"])
    .sortBy("Max")
    .sortDesc(true);
}

export function timeseries(options: PanelOptions): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(options.title)
    .description(options.line ? `${options.description} Dashed line: ${options.line.source}.` : options.description)
    .datasource(PROMETHEUS)
    .targets(targets(options.queries, "range"))
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .fillOpacity(10)
    .legend(seriesLegend())
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  for (const { match, colour } of options.colours ?? []) {
    panel.withOverride({ matcher: { id: "byRegexp", options: match }, properties: [{ id: "color", value: { mode: "fixed", fixedColor: colour } }] });
  }
  if (options.line) {
    panel.thresholds(thresholds(redFrom(options.line.value))).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return options.unit ? panel.unit(options.unit) : panel;
}

export function stat(options: PanelOptions): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(PROMETHEUS)
    .targets(targets(options.queries, "instant"))
    .span(options.width ?? 6)
    .height(options.height ?? 4)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .thresholds(thresholds(options.steps ?? NEUTRAL))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
  return options.unit ? panel.unit(options.unit) : panel;
}

export function table(options: PanelOptions): TablePanelBuilder {
  const panel = new TablePanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(PROMETHEUS)
    .targets(targets(options.queries, "table"))
    .span(options.width ?? 12)
    .height(options.height ?? 8);
  return options.mappings ? panel.mappings(options.mappings) : panel;
}

/** A 0/1 state over time, one row per series: up or down reads at a glance, no lines on top of each other. */
export function stateTimeline(options: PanelOptions): StateTimelinePanelBuilder {
  return new StateTimelinePanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(PROMETHEUS)
    .targets(targets(options.queries, "range"))
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .mappings(options.mappings ?? [])
    .mergeValues(true)
    .showValue(common.VisibilityMode.Never);
}

/** 1 and 0 shown as words in colours: `upDown("UP", "DOWN")`. */
export function upDown(one: string, zero: string): ValueMapping[] {
  return [{ type: MappingType.ValueToText, options: { "1": { text: one, color: "green", index: 0 }, "0": { text: zero, color: "red", index: 1 } } }];
}


/**
 * A multi-value variable listing the values of `label` on the series `selector` selects; "All"
 * means every value (Grafana writes the choice into queries as a regex: use `=~"$name"`), or
 * `allValue` when given (`.*` also matches series without the label).
 */
export function labelVariable(name: string, label: string, selector: string, labelName: string, allValue?: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${labelName})`;
  const variable = new QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: ["All"], value: ["$__all"] });
  return allValue === undefined ? variable : variable.allValue(allValue);
}

/**
 * `$rack`: the racks of the processes' `worker_info` (every service exports it). "All" is `.*`,
 * so it keeps the processes that have no rack (wrk-ork, app-node).
 */
export function rackVariable(): QueryVariableBuilder {
  return labelVariable("rack", "Rack", "worker_info", "rack", ".*");
}

/**
 * Joined to a per-process expression (`expr * RACK_JOIN`): adds the process's `rack` label and
 * keeps only the processes of the racks chosen in `$rack`. A target's address is an IP, so the
 * rack comes from the process's own `worker_info`.
 */
export const RACK_JOIN = 'on (instance) group_left (rack) max by (instance, rack) (worker_info{rack=~"$rack"})';

/**
 * Annotations on every dashboard: alerts firing, process restarts and new versions running, so a
 * change in a graph can be read against what happened (and Grafana's own, for deploy markers
 * posted to its API).
 */
function annotations(): AnnotationQueryBuilder[] {
  const prometheus = (name: string, colour: string, expr: string, title: string, text: string): AnnotationQueryBuilder =>
    new AnnotationQueryBuilder().name(name).datasource(PROMETHEUS).enable(true).iconColor(colour).expr(expr).titleFormat(title).textFormat(text).step("30s");
  return [
    new AnnotationQueryBuilder().name("Annotations & Alerts").builtIn(1).type("dashboard").datasource({ type: "grafana", uid: "-- Grafana --" }).enable(true).hide(true).iconColor("rgba(0, 211, 255, 1)"),
    // Watchdog fires all the time (the dead man's switch): a marker over the whole range says nothing.
    prometheus("Alerts firing", "red", 'ALERTS{alertstate="firing", alertname!="Watchdog"}', "{{alertname}}", "{{severity}}: {{service}} {{rack}} {{instance}}"),
    prometheus("Restarts", "orange", "changes(process_start_time_seconds[2m]) > 0", "{{service}} restarted", "{{instance}}"),
    prometheus("New versions", "blue", "count by (service, version) (worker_info) unless count by (service, version) (worker_info offset 5m)", "{{service}} {{version}}", "a version that was not running 5 minutes before"),
  ];
}

/** A dashboard with the settings all of ours share. */
export function bookstoreDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG, "generated"])
    .readonly()
    .timezone("browser")
    .time({ from: "now-1h", to: "now" })
    .refresh("30s")
    .tooltip(DashboardCursorSync.Crosshair)
    .annotations(annotations())
    // includeVars: the chosen rack or service goes along to the next dashboard.
    .link(new DashboardLinkBuilder("Bookstore").type(DashboardLinkType.Dashboards).tags([DASHBOARD_TAG]).asDropdown(true).keepTime(true).includeVars(true));
}

/** Grafana wants a unique id per panel; the builders leave them unset. */
export function numberPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = next++;
    if (panel.type === "row" && "panels" in panel) for (const inner of panel.panels) inner.id = next++;
  }
  return dashboard;
}

/**
 * PromQL snippets shared by the dashboards and (by text) the alert rules; a test checks that the
 * rules use the same server-error codes, and that each is a `grpc_code` the services write
 * (grpc-go's spelling, as go-grpc-prometheus and the community dashboards have it).
 */
export const SERVER_ERROR_CODES = "Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss";
/**
 * Probes and scrapes of app-node (its `probeRoutes`): they come every few seconds
 * whatever the traffic, and would dominate request rates and latency at night. A test checks the
 * list against app-node's routes and that the HTTP alerts use the same matcher.
 */
export const NOT_PROBES = 'route!~"/healthz|/readyz|/metrics"';
/** Health checks and reflection are infrastructure, not the traffic a RED view is about. */
export const NOT_INFRASTRUCTURE = 'grpc_service!~"grpc[.]health[.].*|grpc[.]reflection[.].*"';

/**
 * `numerator / denominator`, but 0 rather than nothing for a group with traffic and no matching
 * event: a counter that has never counted (no error yet) has no series at all.
 */
export function ratio(numerator: string, denominator: string): string {
  return `(${numerator} or ${denominator} * 0) / ${denominator}`;
}

/**
 * Calls and streams in flight, `started - handled` (both summed the same way), where a method
 * that has started calls and never finished one (a stream open since the process started) has
 * no `handled` series yet: it counts as 0 handled, not as no answer.
 */
export function inFlight(started: string, handled: string): string {
  return `${started} - (${handled} or ${started} * 0)`;
}

/** Series colours by gRPC result code in the legend: the caller's mistakes orange, OK green, server errors red. */
export const GRPC_CODE_COLOURS = [
  { match: ".*", colour: "orange" },
  { match: ".* OK$", colour: "green" },
  { match: `.* (${SERVER_ERROR_CODES})$`, colour: "red" },
] as const;

/** Series colours by HTTP status in the legend: 2xx green, 4xx orange, 5xx red. */
export const HTTP_STATUS_COLOURS = [
  { match: ".* 2..$", colour: "green" },
  { match: ".* 4..$", colour: "orange" },
  { match: ".* 5..$", colour: "red" },
] as const;
