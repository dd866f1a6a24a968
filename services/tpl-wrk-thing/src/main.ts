// tpl-wrk-thing run alone: a generic thing worker that stores things of any type.
import { packageVersion, runService } from "@bookstore/wrk-base";
import { DEFAULT_PORTS } from "./default-ports.js";
import { ThingWorker } from "./worker.js";

await runService("tpl-wrk-thing", () =>
  new ThingWorker({ name: "tpl-wrk-thing", type: "thing", version: packageVersion(import.meta.url), ports: DEFAULT_PORTS }),
);
