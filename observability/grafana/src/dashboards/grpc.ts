// gRPC per method: the servers' view (calls, codes, errors, latency, in flight) and the gateway's
// client-side view of the same methods.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { SERVER_ERROR_CODES, bookstoreDashboard, labelVariable, numberPanels, ratio, timeseries } from "../panels.js";

const server = 'service=~"$service", grpc_service=~"$grpc_service"';
const client = 'grpc_service=~"$grpc_service"';

function perMethod(metric: string, selector: string, extra = ""): string {
  return `sum by (grpc_service, grpc_method) (rate(${metric}{${selector}${extra}}[$__rate_interval]))`;
}

function quantileByMethod(metric: string, selector: string, q: number): string {
  return `histogram_quantile(${q}, sum by (grpc_method, le) (rate(${metric}{${selector}, grpc_type="unary"}[$__rate_interval])))`;
}

export function grpcDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-grpc", "Bookstore / gRPC per method", "Calls, result codes, errors and latency of every gRPC method, server and client side.")
      .withVariable(labelVariable("service", "Service", "grpc_server_handled_total", "service"))
      .withVariable(labelVariable("grpc_service", "gRPC service", 'grpc_server_handled_total{service=~"$service"}', "grpc_service"))
      .withRow(new RowBuilder("Server side"))
      .withPanel(timeseries({
        title: "Calls per second by method",
        description: "Calls handled, per method.",
        queries: [{ expr: perMethod("grpc_server_handled_total", server), legend: "{{grpc_service}}/{{grpc_method}}" }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Calls per second by code",
        description: "Calls handled, per result code.",
        queries: [{ expr: `sum by (grpc_method, grpc_code) (rate(grpc_server_handled_total{${server}}[$__rate_interval]))`, legend: "{{grpc_method}} {{grpc_code}}" }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Server error ratio by method",
        description: `Share of calls ending with ${SERVER_ERROR_CODES}.`,
        queries: [{
          expr: ratio(perMethod("grpc_server_handled_total", server, `, grpc_code=~"${SERVER_ERROR_CODES}"`), perMethod("grpc_server_handled_total", server)),
          legend: "{{grpc_service}}/{{grpc_method}}",
        }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "Calls and streams in flight",
        description: "Started minus handled: open streams (WatchRouting, health Watch) and calls running now.",
        queries: [{
          expr: `sum by (grpc_service, grpc_method) (grpc_server_started_total{${server}}) - sum by (grpc_service, grpc_method) (grpc_server_handled_total{${server}})`,
          legend: "{{grpc_service}}/{{grpc_method}}",
        }],
      }))
      .withPanel(timeseries({
        title: "p99 latency by method (unary)",
        description: "99th percentile of server handling time.",
        queries: [{ expr: quantileByMethod("grpc_server_handling_seconds_bucket", server, 0.99), legend: "{{grpc_method}}" }],
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "p50 latency by method (unary)",
        description: "Median server handling time.",
        queries: [{ expr: quantileByMethod("grpc_server_handling_seconds_bucket", server, 0.5), legend: "{{grpc_method}}" }],
        unit: "s",
      }))
      .withRow(new RowBuilder("Client side (app-node and other callers)"))
      .withPanel(timeseries({
        title: "Client calls per second by method",
        description: "Calls started and completed by clients (app-node to the workers).",
        queries: [
          { expr: `sum by (grpc_service, grpc_method) (rate(grpc_client_handled_total{${client}}[$__rate_interval]))`, legend: "{{grpc_service}}/{{grpc_method}} handled" },
          { expr: `sum by (grpc_service, grpc_method) (rate(grpc_client_started_total{${client}}[$__rate_interval]))`, legend: "{{grpc_service}}/{{grpc_method}} started" },
        ],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Client error ratio by method",
        description: "Share of client calls ending with a server error code, unreachable racks included (UNAVAILABLE, DEADLINE_EXCEEDED).",
        queries: [{
          expr: ratio(perMethod("grpc_client_handled_total", client, `, grpc_code=~"${SERVER_ERROR_CODES}"`), perMethod("grpc_client_handled_total", client)),
          legend: "{{grpc_service}}/{{grpc_method}}",
        }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "Client p99 latency by method (unary)",
        description: "99th percentile of client-side call time, network included.",
        queries: [{ expr: quantileByMethod("grpc_client_handling_seconds_bucket", client, 0.99), legend: "{{grpc_method}}" }],
        unit: "s",
        width: 24,
      }))
      .build(),
  );
}
