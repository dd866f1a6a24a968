// wrk-base run alone: a worker with only the worker contract, health, reflection and metrics.
import { packageVersion, runService } from "./run.js";
import { DEFAULT_PORTS } from "./default-ports.js";
import { BaseWorker } from "./worker.js";

await runService("wrk-base", () => new BaseWorker({ type: "base", version: packageVersion(import.meta.url), ports: DEFAULT_PORTS }));
