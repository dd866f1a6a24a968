// Overview: rate, errors and duration (RED) of every service, and whether each is up and ready.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { NOT_INFRASTRUCTURE, NOT_PROBES, SERVER_ERROR_CODES, bookstoreDashboard, numberPanels, ratio, stat, timeseries } from "../panels.js";

const grpcCalls = `sum by (service) (rate(grpc_server_handled_total{${NOT_INFRASTRUCTURE}}[$__rate_interval]))`;
const grpcErrors = `sum by (service) (rate(grpc_server_handled_total{${NOT_INFRASTRUCTURE}, grpc_code=~"${SERVER_ERROR_CODES}"}[$__rate_interval]))`;
const httpRequests = `sum by (service) (rate(http_requests_total{${NOT_PROBES}}[$__rate_interval]))`;
const httpErrors = `sum by (service) (rate(http_requests_total{${NOT_PROBES}, status_code=~"5.."}[$__rate_interval]))`;

/** Per service, the p99 of its slowest unary method: what alert GrpcLatencyP99High looks at. */
const grpcSlowestMethodP99 = `max by (service) (histogram_quantile(0.99, sum by (service, grpc_service, grpc_method, le) (rate(grpc_server_handling_seconds_bucket{${NOT_INFRASTRUCTURE}, grpc_type="unary"}[$__rate_interval]))))`;
const grpcMedian = `histogram_quantile(0.5, sum by (service, le) (rate(grpc_server_handling_seconds_bucket{${NOT_INFRASTRUCTURE}, grpc_type="unary"}[$__rate_interval])))`;

function httpQuantile(q: number): string {
  return `histogram_quantile(${q}, sum by (service, le) (rate(http_request_duration_seconds_bucket{${NOT_PROBES}}[$__rate_interval])))`;
}

export function overviewDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-overview", "Bookstore / Overview", "Rate, errors and duration of every service, and whether each is up and ready.")
      .withRow(new RowBuilder("Up and ready"))
      .withPanel(stat({
        title: "Targets up",
        description: "Scrape targets answering, per service (Prometheus `up`).",
        queries: [{ expr: "sum by (service) (up)", legend: "{{service}}" }],
        width: 12,
      }))
      .withPanel(stat({
        title: "Workers serving",
        description: "Processes whose gRPC health is SERVING (`worker_serving`), per service. Lower than the targets up: some are draining or starting.",
        queries: [{ expr: "sum by (service) (worker_serving)", legend: "{{service}}" }],
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
      }))
      .withRow(new RowBuilder("Errors"))
      .withPanel(timeseries({
        title: "gRPC server error ratio",
        description: `Share of calls that ended with a server error code (${SERVER_ERROR_CODES}). Alert GrpcServerErrorRatioHigh above 5%.`,
        queries: [{ expr: ratio(grpcErrors, grpcCalls), legend: "{{service}}" }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "HTTP 5xx ratio",
        description: "Share of API requests answered with 5xx, probes and scrapes left out. Alert HttpErrorRatioHigh above 5%.",
        queries: [{ expr: ratio(httpErrors, httpRequests), legend: "{{service}}" }],
        unit: "percentunit",
      }))
      .withRow(new RowBuilder("Duration"))
      .withPanel(timeseries({
        title: "gRPC latency (unary calls)",
        description: "Per service: the p99 of its slowest method (alert GrpcLatencyP99High above 0.5s), and the median of all its calls. Which method: the gRPC dashboard.",
        queries: [
          { expr: grpcSlowestMethodP99, legend: "{{service}} p99, slowest method" },
          { expr: grpcMedian, legend: "{{service}} p50" },
        ],
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "HTTP latency",
        description: "p50 and p99 of API request duration, probes and scrapes left out. Alert HttpLatencyP99High above 1s.",
        queries: [
          { expr: httpQuantile(0.99), legend: "{{service}} p99" },
          { expr: httpQuantile(0.5), legend: "{{service}} p50" },
        ],
        unit: "s",
      }))
      .build(),
  );
}
