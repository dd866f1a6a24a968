// wrk-ork: the orchestrator (registry, leases, health checks, routing table).
import { packageVersion, runService } from "@bookstore/wrk-base";
import { OrkWorker } from "./worker.js";

await runService("wrk-ork", () => new OrkWorker({ version: packageVersion(import.meta.url) }));
