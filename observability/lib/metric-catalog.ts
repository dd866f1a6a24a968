// The metric names the services expose (decided with the services' authors; see todo.md) and the
// few Prometheus makes itself. Rules and dashboards may only use these: a test checks it, and the
// live test checks that the running services really export them.

export type MetricType = "counter" | "gauge" | "histogram";

export interface MetricFamily {
  name: string;
  type: MetricType;
  /** Who exports it. */
  from: string;
  /** True when no series exists until the first event (a labelled counter that never counted). */
  appearsOnFirstEvent?: boolean;
}

const grpcFamilies = (side: "server" | "client", from: string): MetricFamily[] => [
  { name: `grpc_${side}_started_total`, type: "counter", from },
  { name: `grpc_${side}_handled_total`, type: "counter", from },
  { name: `grpc_${side}_handling_seconds`, type: "histogram", from },
  { name: `grpc_${side}_msg_received_total`, type: "counter", from },
  { name: `grpc_${side}_msg_sent_total`, type: "counter", from },
];

export const METRIC_CATALOG: readonly MetricFamily[] = [
  { name: "up", type: "gauge", from: "prometheus" },
  // One series per pending or firing alert: none while all is well.
  { name: "ALERTS", type: "gauge", from: "prometheus", appearsOnFirstEvent: true },
  ...grpcFamilies("server", "every gRPC server"),
  ...grpcFamilies("client", "app-node"),
  { name: "worker_info", type: "gauge", from: "every gRPC server" },
  { name: "worker_serving", type: "gauge", from: "every gRPC server" },
  { name: "book_books", type: "gauge", from: "wrk-book" },
  { name: "book_checkouts_total", type: "counter", from: "wrk-book" },
  { name: "book_returns_total", type: "counter", from: "wrk-book" },
  { name: "ork_workers", type: "gauge", from: "wrk-ork" },
  { name: "ork_worker_up", type: "gauge", from: "wrk-ork" },
  { name: "ork_registrations_total", type: "counter", from: "wrk-ork" },
  // At 0 from a type's first registration, so the first expiry counts.
  { name: "ork_lease_expiries_total", type: "counter", from: "wrk-ork" },
  { name: "http_requests_total", type: "counter", from: "app-node" },
  // At 0 for each rack that answers a listing, so the first time a rack is missing counts.
  { name: "http_listings_missing_rack_total", type: "counter", from: "app-node" },
  { name: "http_request_duration_seconds", type: "histogram", from: "app-node" },
  // Prometheus and Alertmanager about themselves, for the meta-alerts.
  { name: "prometheus_rule_evaluation_failures_total", type: "counter", from: "prometheus" },
  { name: "prometheus_notifications_errors_total", type: "counter", from: "prometheus" },
  { name: "prometheus_notifications_sent_total", type: "counter", from: "prometheus" },
  { name: "prometheus_notifications_alertmanagers_discovered", type: "gauge", from: "prometheus" },
  { name: "prometheus_config_last_reload_successful", type: "gauge", from: "prometheus" },
  // Targets each scrape job's discovery found (ServiceMissing: a job with none).
  { name: "prometheus_sd_discovered_targets", type: "gauge", from: "prometheus" },
  { name: "alertmanager_config_last_reload_successful", type: "gauge", from: "alertmanager" },
  { name: "alertmanager_notifications_failed_total", type: "counter", from: "alertmanager" },
  { name: "alertmanager_notifications_total", type: "counter", from: "alertmanager" },
  // prom-client's default metrics, the ones the dashboards show.
  { name: "process_cpu_seconds_total", type: "counter", from: "every Node service" },
  { name: "process_resident_memory_bytes", type: "gauge", from: "every Node service" },
  { name: "process_open_fds", type: "gauge", from: "every Node service" },
  { name: "process_start_time_seconds", type: "gauge", from: "every Node service" },
  { name: "nodejs_eventloop_lag_seconds", type: "gauge", from: "every Node service" },
  { name: "nodejs_eventloop_lag_p99_seconds", type: "gauge", from: "every Node service" },
  { name: "nodejs_heap_size_used_bytes", type: "gauge", from: "every Node service" },
  { name: "nodejs_heap_size_total_bytes", type: "gauge", from: "every Node service" },
  { name: "nodejs_active_handles_total", type: "gauge", from: "every Node service" },
  { name: "nodejs_gc_duration_seconds", type: "histogram", from: "every Node service" },
];

/** The names a query can select: a histogram's `_bucket`, `_sum` and `_count` series included. */
export function selectableNames(catalog: readonly MetricFamily[] = METRIC_CATALOG): Set<string> {
  const names = new Set<string>();
  for (const family of catalog) {
    if (family.type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(family.name + suffix);
    else names.add(family.name);
  }
  return names;
}
