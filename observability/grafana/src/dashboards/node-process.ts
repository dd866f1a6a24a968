// Node process health of every service: CPU, memory, heap, event loop, GC, handles, restarts.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { RACK_JOIN, bookstoreDashboard, limitLine, labelVariable, numberPanels, rackVariable, timeseries } from "../panels.js";

const chosen = 'service=~"$service", instance=~"$instance"';

/** `aggregation by (service, instance, rack) (series of the chosen processes, their rack joined)`. */
function perProcess(aggregation: string, series: string, by = "service, instance, rack"): string {
  return `${aggregation} by (${by}) (${series} * ${RACK_JOIN})`;
}

export function nodeProcessDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-node", "Bookstore / Node process health", "prom-client's default metrics of every Node service, per process.")
      .withVariable(labelVariable("service", "Service", "nodejs_heap_size_used_bytes", "service"))
      .withVariable(labelVariable("instance", "Instance", 'nodejs_heap_size_used_bytes{service=~"$service"}', "instance"))
      .withVariable(rackVariable())
      .withRow(new RowBuilder("Resources"))
      .withPanel(timeseries({
        title: "CPU",
        description: "CPU time per second (1 = one core).",
        queries: [{ expr: perProcess("sum", `rate(process_cpu_seconds_total{${chosen}}[$__rate_interval])`), legend: "{{service}} {{rack}} {{instance}}" }],
        unit: "percentunit",
        line: limitLine("cpus"),
      }))
      .withPanel(timeseries({
        title: "Resident memory",
        description: "RSS: a process over the limit is killed (OOM) and restarted.",
        queries: [{ expr: perProcess("sum", `process_resident_memory_bytes{${chosen}}`), legend: "{{service}} {{rack}} {{instance}}" }],
        unit: "bytes",
        line: limitLine("memoryBytes"),
      }))
      .withPanel(timeseries({
        title: "V8 heap",
        description: "Heap used and heap size.",
        queries: [
          { expr: perProcess("sum", `nodejs_heap_size_used_bytes{${chosen}}`), legend: "{{service}} {{rack}} {{instance}} used" },
          { expr: perProcess("sum", `nodejs_heap_size_total_bytes{${chosen}}`), legend: "{{service}} {{rack}} {{instance}} total" },
        ],
        unit: "bytes",
      }))
      .withPanel(timeseries({
        title: "Open file descriptors",
        description: "Sockets and files held open.",
        queries: [{ expr: perProcess("sum", `process_open_fds{${chosen}}`), legend: "{{service}} {{rack}} {{instance}}" }],
      }))
      .withRow(new RowBuilder("Event loop"))
      .withPanel(timeseries({
        title: "Event loop lag",
        description: "Current lag and p99 over prom-client's sampling window: a busy or blocked loop delays every call.",
        queries: [
          { expr: perProcess("max", `nodejs_eventloop_lag_seconds{${chosen}}`), legend: "{{service}} {{rack}} {{instance}} now" },
          { expr: perProcess("max", `nodejs_eventloop_lag_p99_seconds{${chosen}}`), legend: "{{service}} {{rack}} {{instance}} p99" },
        ],
        unit: "s",
      }))
      .withPanel(timeseries({
        title: "Garbage collection time",
        description: "Seconds spent in GC per second, by kind.",
        queries: [{ expr: perProcess("sum", `rate(nodejs_gc_duration_seconds_sum{${chosen}}[$__rate_interval])`, "service, instance, rack, kind"), legend: "{{service}} {{rack}} {{instance}} {{kind}}" }],
        unit: "percentunit",
      }))
      .withPanel(timeseries({
        title: "Active handles",
        description: "libuv handles (sockets, timers, servers) keeping the process alive.",
        queries: [{ expr: perProcess("sum", `nodejs_active_handles_total{${chosen}}`), legend: "{{service}} {{rack}} {{instance}}" }],
      }))
      .withPanel(timeseries({
        title: "Restarts in the last hour",
        description: "Changes of the process start time: a process that restarts over and over crashes.",
        queries: [{ expr: perProcess("max", `changes(process_start_time_seconds{${chosen}}[1h])`), legend: "{{service}} {{rack}} {{instance}}" }],
      }))
      .build(),
  );
}
