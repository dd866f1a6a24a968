// gRPC per method: the servers' view (calls, codes, errors, latency, in flight) and the gateway's
// client-side view of the same methods, per rack.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { GRPC_CODE_COLOURS, RACK_JOIN, SERVER_ERROR_CODES, alertLine, bookstoreDashboard, inFlight, labelVariable, numberPanels, rackVariable, ratio, timeseries } from "../panels.js";

const server = 'service=~"$service", grpc_service=~"$grpc_service"';
const client = 'grpc_service=~"$grpc_service", rack=~"$rack"';
const errorCodes = `, grpc_code=~"${SERVER_ERROR_CODES}"`;
/** Streaming methods only: a unary call is one message each way, which the call rates show already. */
const STREAMS = ', grpc_type!="unary"';
/** How the alerts group gRPC series: per service and method. */
const METHOD = "service, grpc_service, grpc_method";
const METHOD_LEGEND = "{{service}} {{grpc_service}}/{{grpc_method}}";

/** A server series of the chosen racks' processes (the rack joined from worker_info). */
function ofRacks(series: string): string {
  return `${series} * ${RACK_JOIN}`;
}

function serverRate(metric: string, by: string, extra = ""): string {
  return `sum by (${by}) (${ofRacks(`rate(${metric}{${server}${extra}}[$__rate_interval])`)})`;
}

function clientRate(metric: string, by: string, extra = ""): string {
  return `sum by (${by}) (rate(${metric}{${client}${extra}}[$__rate_interval]))`;
}

function serverQuantile(q: number): string {
  return `histogram_quantile(${q}, ${serverRate("grpc_server_handling_seconds_bucket", `${METHOD}, le`, ', grpc_type="unary"')})`;
}

export function grpcDashboard(): Dashboard {
  const serverCounter = (name: string): string => `sum by (${METHOD}) (${ofRacks(`${name}{${server}}`)})`;
  return numberPanels(
    bookstoreDashboard("bookstore-grpc", "Bookstore / gRPC per method", "Calls, result codes, errors and latency of every gRPC method, server and client side, per rack.")
      .withVariable(labelVariable("service", "Service", "grpc_server_handled_total", "service"))
      .withVariable(labelVariable("grpc_service", "gRPC service", 'grpc_server_handled_total{service=~"$service"}', "grpc_service"))
      .withVariable(rackVariable())
      .withRow(new RowBuilder("Server side"))
      .withPanel(timeseries({
        title: "Calls per second by method",
        description: "Calls handled, per service and method.",
        queries: [{ expr: serverRate("grpc_server_handled_total", METHOD), legend: METHOD_LEGEND }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Calls per second by code",
        description: "Calls handled, per method and result code.",
        queries: [{ expr: serverRate("grpc_server_handled_total", `${METHOD}, grpc_code`), legend: "{{service}} {{grpc_method}} {{grpc_code}}" }],
        unit: "reqps",
        colours: GRPC_CODE_COLOURS,
      }))
      .withPanel(timeseries({
        title: "Server error ratio by method",
        description: `Share of calls ending with ${SERVER_ERROR_CODES}, grouped as alert GrpcServerErrorRatioHigh groups them.`,
        queries: [{ expr: ratio(serverRate("grpc_server_handled_total", METHOD, errorCodes), serverRate("grpc_server_handled_total", METHOD)), legend: METHOD_LEGEND }],
        unit: "percentunit",
        line: alertLine("GrpcServerErrorRatioHigh"),
      }))
      .withPanel(timeseries({
        title: "Server error ratio by rack",
        description: "The same share per rack: one rack failing half its calls shows at 50 %, not diluted by the racks that are well.",
        queries: [{
          expr: ratio(serverRate("grpc_server_handled_total", "service, rack", errorCodes), serverRate("grpc_server_handled_total", "service, rack")),
          legend: "{{service}} {{rack}}",
        }],
        unit: "percentunit",
        line: alertLine("GrpcServerErrorRatioHigh"),
      }))
      .withPanel(timeseries({
        title: "Calls and streams in flight",
        description: "Started minus handled, now: open streams (WatchRouting, health Watch) and calls running; a stream that has never finished counts too.",
        queries: [{ expr: inFlight(serverCounter("grpc_server_started_total"), serverCounter("grpc_server_handled_total")), legend: METHOD_LEGEND }],
      }))
      .withPanel(timeseries({
        title: "Stream messages per second",
        description: "Messages sent and received on streaming methods (grpc_server_msg_sent_total, grpc_server_msg_received_total): a long-lived stream such as WatchRouting is one call for hours; its messages show it at work.",
        queries: [
          { expr: serverRate("grpc_server_msg_sent_total", METHOD, STREAMS), legend: `${METHOD_LEGEND} sent` },
          { expr: serverRate("grpc_server_msg_received_total", METHOD, STREAMS), legend: `${METHOD_LEGEND} received` },
        ],
        unit: "cps",
      }))
      .withPanel(timeseries({
        title: "p99 latency by method (unary)",
        description: "99th percentile of server handling time, per service and method as alert GrpcLatencyP99High computes it.",
        queries: [{ expr: serverQuantile(0.99), legend: METHOD_LEGEND, exemplars: true }],
        unit: "s",
        line: alertLine("GrpcLatencyP99High"),
      }))
      .withPanel(timeseries({
        title: "p50 latency by method (unary)",
        description: "Median server handling time, per service and method.",
        queries: [{ expr: serverQuantile(0.5), legend: METHOD_LEGEND, exemplars: true }],
        unit: "s",
      }))
      .withRow(new RowBuilder("Client side (app-node and other callers), per rack called"))
      .withPanel(timeseries({
        title: "Client calls per second by rack",
        description: "Calls completed by clients (app-node to the racks, wrk-ork's health checks), per rack called and method.",
        queries: [{ expr: clientRate("grpc_client_handled_total", `${METHOD}, rack`), legend: "{{service}} → {{rack}} {{grpc_method}}" }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Client error ratio by rack",
        description: "Share of client calls ending with a server error code, per rack called: unreachable racks included (Unavailable, DeadlineExceeded), which the racks themselves never count.",
        queries: [{
          expr: ratio(clientRate("grpc_client_handled_total", `${METHOD}, rack`, errorCodes), clientRate("grpc_client_handled_total", `${METHOD}, rack`)),
          legend: "{{service}} → {{rack}} {{grpc_method}}",
        }],
        unit: "percentunit",
        line: alertLine("GrpcClientErrorRatioHigh"),
      }))
      .withPanel(timeseries({
        title: "Client p99 latency by rack (unary)",
        description: "99th percentile of client-side call time, network included, per rack called.",
        queries: [{
          expr: `histogram_quantile(0.99, ${clientRate("grpc_client_handling_seconds_bucket", `${METHOD}, rack, le`, ', grpc_type="unary"')})`,
          legend: "{{service}} → {{rack}} {{grpc_method}}",
          exemplars: true,
        }],
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "Client calls and streams in flight",
        description: "Started minus handled on the client side: app-node's WatchRouting stream to wrk-ork shows here.",
        queries: [{
          expr: inFlight(`sum by (${METHOD}, rack) (grpc_client_started_total{${client}})`, `sum by (${METHOD}, rack) (grpc_client_handled_total{${client}})`),
          legend: "{{service}} → {{rack}} {{grpc_method}}",
        }],
      }))
      .withPanel(timeseries({
        title: "Client stream messages per second",
        description: "Messages clients sent and received on streaming methods (grpc_client_msg_sent_total, grpc_client_msg_received_total): each routing table app-node receives on its WatchRouting stream is one message.",
        queries: [
          { expr: clientRate("grpc_client_msg_sent_total", `${METHOD}, rack`, STREAMS), legend: "{{service}} → {{rack}} {{grpc_method}} sent" },
          { expr: clientRate("grpc_client_msg_received_total", `${METHOD}, rack`, STREAMS), legend: "{{service}} → {{rack}} {{grpc_method}} received" },
        ],
        unit: "cps",
      }))
      .build(),
  );
}
