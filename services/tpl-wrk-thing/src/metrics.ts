import { Gauge, type Registry } from "prom-client";

/**
 * `thing_things{rack,type}`: how many things of each type the rack holds, counted by the store at
 * scrape time, so the figure is right whatever wrote the things and after every restart.
 */
export function registerThingGauge(registry: Registry, rack: string, countByType: () => Array<{ type: string; count: number }>): Gauge<"rack" | "type"> {
  return new Gauge({
    name: "thing_things",
    help: "Things stored in this worker's rack, by type.",
    labelNames: ["rack", "type"],
    registers: [registry],
    collect() {
      // A type whose last thing was deleted must drop out, not keep its old value.
      this.reset();
      for (const { type, count } of countByType()) this.set({ rack, type }, count);
    },
  });
}
