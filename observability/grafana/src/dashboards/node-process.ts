// Node process health of every service: CPU, memory, heap, event loop, GC, handles, restarts.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { bookstoreDashboard, labelVariable, numberPanels, timeseries } from "../panels.js";

const chosen = 'service=~"$service", instance=~"$instance"';

export function nodeProcessDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-node", "Bookstore / Node process health", "prom-client's default metrics of every Node service, per process.")
      .withVariable(labelVariable("service", "Service", "nodejs_heap_size_used_bytes", "service"))
      .withVariable(labelVariable("instance", "Instance", 'nodejs_heap_size_used_bytes{service=~"$service"}', "instance"))
      .withRow(new RowBuilder("Resources"))
      .withPanel(timeseries({
        title: "CPU",
        description: "CPU time per second (1 = one core).",
        queries: [{ expr: `sum by (service, instance) (rate(process_cpu_seconds_total{${chosen}}[$__rate_interval]))`, legend: "{{service}} {{instance}}" }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "Resident memory",
        description: "RSS; the compose file limits each service to 256 MiB.",
        queries: [{ expr: `sum by (service, instance) (process_resident_memory_bytes{${chosen}})`, legend: "{{service}} {{instance}}" }],
        unit: "bytes",
      }))
      .withPanel(timeseries({
        title: "V8 heap",
        description: "Heap used and heap size.",
        queries: [
          { expr: `sum by (service, instance) (nodejs_heap_size_used_bytes{${chosen}})`, legend: "{{service}} {{instance}} used" },
          { expr: `sum by (service, instance) (nodejs_heap_size_total_bytes{${chosen}})`, legend: "{{service}} {{instance}} total" },
        ],
        unit: "bytes",
      }))
      .withPanel(timeseries({
        title: "Open file descriptors",
        description: "Sockets and files held open.",
        queries: [{ expr: `sum by (service, instance) (process_open_fds{${chosen}})`, legend: "{{service}} {{instance}}" }],
      }))
      .withRow(new RowBuilder("Event loop"))
      .withPanel(timeseries({
        title: "Event loop lag",
        description: "Current lag and p99 over prom-client's sampling window: a busy or blocked loop delays every call.",
        queries: [
          { expr: `max by (service, instance) (nodejs_eventloop_lag_seconds{${chosen}})`, legend: "{{service}} {{instance}} now" },
          { expr: `max by (service, instance) (nodejs_eventloop_lag_p99_seconds{${chosen}})`, legend: "{{service}} {{instance}} p99" },
        ],
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "Garbage collection time",
        description: "Seconds spent in GC per second, by kind.",
        queries: [{ expr: `sum by (service, instance, kind) (rate(nodejs_gc_duration_seconds_sum{${chosen}}[$__rate_interval]))`, legend: "{{service}} {{instance}} {{kind}}" }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "Active handles",
        description: "libuv handles (sockets, timers, servers) keeping the process alive.",
        queries: [{ expr: `sum by (service, instance) (nodejs_active_handles_total{${chosen}})`, legend: "{{service}} {{instance}}" }],
      }))
      .withPanel(timeseries({
        title: "Restarts in the last hour",
        description: "Changes of the process start time: a process that restarts over and over crashes.",
        queries: [{ expr: `changes(process_start_time_seconds{${chosen}}[1h])`, legend: "{{service}} {{instance}}" }],
      }))
      .build(),
  );
}
