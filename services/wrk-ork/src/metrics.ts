import { Counter, Gauge, type Registry } from "prom-client";
import { WORKER_STATES, type WorkerRegistry } from "./worker-registry.js";

export interface OrkMetrics {
  registrations: Counter<"type">;
  leaseExpiries: Counter<"type">;
  /** Counts a registration; the type's expiry counter starts with it, at 0. */
  registered(type: string): void;
  leaseExpired(type: string): void;
}

/**
 * The orchestrator's series (names fixed: dashboards and alerts use them). The gauges are computed
 * from the registry at each scrape, so a worker that is forgotten or leaves loses its series.
 */
export function orkMetrics(registry: Registry, workers: WorkerRegistry): OrkMetrics {
  // Types stay listed (at 0) once seen, so "no book worker up" is a value an alert can see.
  const seenTypes = new Set<string>();
  new Gauge({
    name: "ork_workers",
    help: "Workers known to the orchestrator, by type and state (up, down, draining).",
    labelNames: ["type", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const list = workers.list();
      for (const worker of list) seenTypes.add(worker.type);
      for (const type of seenTypes) {
        for (const state of WORKER_STATES) {
          this.set({ type, state }, list.filter((worker) => worker.type === type && worker.state === state).length);
        }
      }
    },
  });
  new Gauge({
    name: "ork_worker_up",
    help: "1 while the worker is UP (routable), 0 while it is DOWN or DRAINING.",
    labelNames: ["worker_id", "type", "rack"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers.list()) this.set({ worker_id: worker.id, type: worker.type, rack: worker.rack }, worker.state === "up" ? 1 : 0);
    },
  });
  const registrations = new Counter({
    name: "ork_registrations_total",
    help: "Registrations accepted, by worker type (first ones and registrations again after a restart).",
    labelNames: ["type"] as const,
    registers: [registry],
  });
  const leaseExpiries = new Counter({
    name: "ork_lease_expiries_total",
    help: "Leases that lapsed without a heartbeat, by worker type.",
    labelNames: ["type"] as const,
    registers: [registry],
  });
  return {
    registrations,
    leaseExpiries,
    registered(type) {
      registrations.inc({ type });
      // A counter series born at 1 shows no increase: the first expiry of a type would not count.
      leaseExpiries.inc({ type }, 0);
    },
    leaseExpired(type) {
      leaseExpiries.inc({ type });
    },
  };
}
