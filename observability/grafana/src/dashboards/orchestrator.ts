// The orchestrator's registry: workers by type and state, racks, registrations, lease expiries,
// and each worker's own serving state and version.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { bookstoreDashboard, greenFrom, numberPanels, redFrom, stat, stateTimeline, table, timeseries, upDown, yellowFrom } from "../panels.js";

function workersIn(state: string): string {
  return `sum(ork_workers{state="${state}"}) or vector(0)`;
}

export function orchestratorDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-orchestrator", "Bookstore / Orchestrator: workers and racks", "What wrk-ork knows: workers by state, racks, registrations and lease expiries; and what the workers say of themselves.")
      .withRow(new RowBuilder("Registry"))
      .withPanel(stat({ title: "Workers up", description: "Workers wrk-ork routes to.", queries: [{ expr: workersIn("up"), legend: "up" }], steps: greenFrom(1) }))
      .withPanel(stat({ title: "Workers down", description: "Known workers whose lease lapsed or whose health check fails.", queries: [{ expr: workersIn("down"), legend: "down" }], steps: redFrom(1) }))
      .withPanel(stat({ title: "Workers draining", description: "Workers an operator is draining.", queries: [{ expr: workersIn("draining"), legend: "draining" }], steps: yellowFrom(1) }))
      .withPanel(stat({
        title: "Book racks up",
        description: "Book racks with a worker up in wrk-ork.",
        queries: [{ expr: 'count(max by (rack) (ork_worker_up{type="book"}) == 1) or vector(0)', legend: "racks" }],
        steps: greenFrom(1),
      }))
      .withPanel(timeseries({
        title: "Workers by type and state",
        description: "wrk-ork's registry (`ork_workers`).",
        queries: [{ expr: "sum by (type, state) (ork_workers)", legend: "{{type}} {{state}}" }],
      }))
      .withPanel(timeseries({
        title: "Book racks: running and registered",
        description: "Racks that export metrics (running) against racks wrk-ork has up. A gap is alert BookRackNotRegistered.",
        queries: [
          { expr: 'count(max by (rack) (worker_info{type="book"}))', legend: "running" },
          { expr: 'count(max by (rack) (ork_worker_up{type="book"}) == 1) or vector(0)', legend: "up in wrk-ork" },
        ],
      }))
      .withPanel(table({
        title: "Known workers",
        description: "Every worker wrk-ork knows, 1 when up (`ork_worker_up`).",
        queries: [{ expr: "max by (type, rack, worker_id) (ork_worker_up)" }],
        mappings: upDown("UP", "DOWN"),
      }))
      .withPanel(stateTimeline({
        title: "Racks up (orchestrator's view)",
        description: "UP while wrk-ork has a worker of the rack up. DOWN for a minute is alert BookRackDown.",
        queries: [{ expr: "max by (type, rack) (ork_worker_up)", legend: "{{type}} {{rack}}" }],
        mappings: upDown("UP", "DOWN"),
      }))
      .withRow(new RowBuilder("Churn"))
      .withPanel(timeseries({
        title: "Registrations per second",
        description: "Register calls accepted, per worker type: a steady rate means workers restart.",
        queries: [{ expr: "sum by (type) (rate(ork_registrations_total[$__rate_interval]))", legend: "{{type}}" }],
        unit: "reqps",
      }))
      .withPanel(timeseries({
        title: "Lease expiries in the last 5 minutes",
        description: "Leases that lapsed without a heartbeat in the 5 minutes before each point, per worker type: a worker that died or lost its network. The window does not change with the zoom; the count is rounded, as increase() extrapolates to the window's edges.",
        queries: [{ expr: "round(sum by (type) (increase(ork_lease_expiries_total[5m])))", legend: "{{type}}" }],
      }))
      .withRow(new RowBuilder("Workers' own view"))
      .withPanel(stateTimeline({
        title: "Serving state per process",
        description: "`worker_serving`: SERVING, or NOT SERVING (draining or starting). NOT SERVING for 2 minutes is alert WorkerStuckNotServing.",
        queries: [{ expr: "max by (service, instance) (worker_serving)", legend: "{{service}} {{instance}}" }],
        mappings: upDown("SERVING", "NOT SERVING"),
      }))
      .withPanel(table({
        title: "Versions running",
        description: "Processes per service, type, rack and version (`worker_info`): check an upgrade or a rollback here.",
        queries: [{ expr: "count by (service, type, rack, version) (worker_info)" }],
      }))
      .build(),
  );
}
