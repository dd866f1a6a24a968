// wrk-base run alone: a worker with only the worker contract, health, reflection and metrics.
import { packageVersion, runService } from "./run.js";
import { BaseWorker } from "./worker.js";

await runService("wrk-base", () => new BaseWorker({ type: "base", version: packageVersion(import.meta.url), ports: { grpcPort: 50053, httpPort: 9103 } }));
