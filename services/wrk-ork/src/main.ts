// wrk-ork: the orchestrator (registry, leases, health checks, routing table).
import { packageVersion, runService } from "@bookstore/wrk-base";
import { Orchestrator } from "./orchestrator.js";

await runService("wrk-ork", () => new Orchestrator({ version: packageVersion(import.meta.url) }));
