// Overview: a status row first (alerts firing, and the conditions of the availability alerts,
// each red at its alert's threshold), then rate, errors and duration (RED) of every service.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertRule } from "../facts.js";
import { HTTP_STATUS_COLOURS, NOT_INFRASTRUCTURE, NOT_PROBES, SERVER_ERROR_CODES, alertLine, bookstoreDashboard, greenFrom, numberPanels, ratio, redFrom, stat, timeseries, yellowFrom } from "../panels.js";

const grpcCalls = `sum by (service) (rate(grpc_server_handled_total{${NOT_INFRASTRUCTURE}}[$__rate_interval]))`;
const grpcErrors = `sum by (service) (rate(grpc_server_handled_total{${NOT_INFRASTRUCTURE}, grpc_code=~"${SERVER_ERROR_CODES}"}[$__rate_interval]))`;
const httpRequests = `sum by (service) (rate(http_requests_total{${NOT_PROBES}}[$__rate_interval]))`;
const httpErrors = `sum by (service) (rate(http_requests_total{${NOT_PROBES}, status_code=~"5.."}[$__rate_interval]))`;

/** Per service, the p99 of its slowest unary method: what alert GrpcLatencyP99High looks at. */
const grpcSlowestMethodP99 = `max by (service) (histogram_quantile(0.99, sum by (service, grpc_service, grpc_method, le) (rate(grpc_server_handling_seconds_bucket{${NOT_INFRASTRUCTURE}, grpc_type="unary"}[$__rate_interval]))))`;
const grpcMedian = `histogram_quantile(0.5, sum by (service, le) (rate(grpc_server_handling_seconds_bucket{${NOT_INFRASTRUCTURE}, grpc_type="unary"}[$__rate_interval])))`;

/**
 * How many series meet an alert's condition now, before its `for` has passed: the rule's own
 * expression, read from the rules file, so the stat turns red exactly where the alert starts.
 */
function meetingCondition(alert: string): string {
  return `count(${alertRule(alert).expr}) or vector(0)`;
}

function alertsFiring(severity: string): string {
  return `count(ALERTS{alertstate="firing", severity="${severity}"}) or vector(0)`;
}

function httpQuantile(q: number): string {
  return `histogram_quantile(${q}, sum by (service, le) (rate(http_request_duration_seconds_bucket{${NOT_PROBES}}[$__rate_interval])))`;
}

export function overviewDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-overview", "Bookstore / Overview", "Whether anything is wrong now, then rate, errors and duration of every service.")
      .withRow(new RowBuilder("Status"))
      .withPanel(stat({ title: "Critical alerts firing", description: "Alerts firing with severity critical (`ALERTS`): they page oncall. Which ones: the alert list in Grafana's Alerting, or Alertmanager.", queries: [{ expr: alertsFiring("critical"), legend: "critical" }], steps: redFrom(1), width: 4 }))
      .withPanel(stat({ title: "Warnings firing", description: "Alerts firing with severity warning (`ALERTS`).", queries: [{ expr: alertsFiring("warning"), legend: "warning" }], steps: yellowFrom(1), width: 4 }))
      .withPanel(stat({ title: "Targets down", description: "Scrape targets that do not answer (`up == 0`): alert ServiceDown once it lasts 1 minute.", queries: [{ expr: meetingCondition("ServiceDown"), legend: "down" }], steps: redFrom(1), width: 4 }))
      .withPanel(stat({ title: "Book racks down", description: "Racks wrk-ork knows with no worker up: alert BookRackDown once it lasts 1 minute. Their books cannot be read or lent.", queries: [{ expr: meetingCondition("BookRackDown"), legend: "racks" }], steps: redFrom(1), width: 4 }))
      .withPanel(stat({ title: "Racks running, not registered", description: "Racks that export metrics but are not up in wrk-ork: alert BookRackNotRegistered once it lasts 2 minutes.", queries: [{ expr: meetingCondition("BookRackNotRegistered"), legend: "racks" }], steps: redFrom(1), width: 4 }))
      .withPanel(stat({ title: "Racks missing from listings", description: "Racks whose books listings left out in the last 5 minutes (answered 200 all the same): alert ListingsMissingRack once it lasts 5 minutes.", queries: [{ expr: meetingCondition("ListingsMissingRack"), legend: "racks" }], steps: redFrom(1), width: 4 }))
      .withRow(new RowBuilder("Up and ready"))
      .withPanel(stat({
        title: "Targets up",
        description: "Scrape targets answering, per service (Prometheus `up`).",
        queries: [{ expr: "sum by (service) (up)", legend: "{{service}}" }],
        steps: greenFrom(1),
        width: 12,
      }))
      .withPanel(stat({
        title: "Workers serving",
        description: "Processes whose gRPC health is SERVING (`worker_serving`), per service. Lower than the targets up: some are draining or starting.",
        queries: [{ expr: "sum by (service) (worker_serving)", legend: "{{service}}" }],
        steps: greenFrom(1),
        width: 12,
      }))
      .withRow(new RowBuilder("Rate"))
      .withPanel(timeseries({
        title: "gRPC calls per second",
        description: "Calls handled by each service's gRPC server, health checks and reflection left out.",
        queries: [{ expr: grpcCalls, legend: "{{service}}" }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "HTTP requests per second",
        description: "Requests to the public API (app-node), by status code; probes and scrapes (/healthz, /readyz, /metrics) left out.",
        queries: [{ expr: `sum by (service, status_code) (rate(http_requests_total{${NOT_PROBES}}[$__rate_interval]))`, legend: "{{service}} {{status_code}}" }],
        unit: "reqps",
        colours: HTTP_STATUS_COLOURS,
      }))
      .withRow(new RowBuilder("Errors"))
      .withPanel(timeseries({
        title: "gRPC server error ratio",
        description: `Share of calls that ended with a server error code (${SERVER_ERROR_CODES}).`,
        queries: [{ expr: ratio(grpcErrors, grpcCalls), legend: "{{service}}" }],
        line: alertLine("GrpcServerErrorRatioHigh"),
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "HTTP 5xx ratio",
        description: "Share of API requests answered with 5xx, probes and scrapes left out.",
        queries: [{ expr: ratio(httpErrors, httpRequests), legend: "{{service}}" }],
        line: alertLine("HttpErrorRatioHigh"),
        unit: "percentunit",
      }))
      .withRow(new RowBuilder("Duration"))
      .withPanel(timeseries({
        title: "gRPC latency (unary calls)",
        description: "Per service: the p99 of its slowest method, which the alert watches, and the median of all its calls. Which method: the gRPC dashboard.",
        queries: [
          { expr: grpcSlowestMethodP99, legend: "{{service}} p99, slowest method", exemplars: true },
          { expr: grpcMedian, legend: "{{service}} p50" },
        ],
        line: alertLine("GrpcLatencyP99High"),
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "HTTP latency",
        description: "p50 and p99 of API request duration, probes and scrapes left out. The dots are exemplars: a traced request each, on the bucket it fell in; click one to open its trace in Tempo.",
        queries: [
          { expr: httpQuantile(0.99), legend: "{{service}} p99", exemplars: true },
          { expr: httpQuantile(0.5), legend: "{{service}} p50" },
        ],
        line: alertLine("HttpLatencyP99High"),
        unit: "s",
      }))
      .build(),
  );
}
