// app-node: the HTTP API gateway, run as every service is (wrk-base's runService): a bad setting
// stops it with one line naming it (exit 1); SIGTERM and SIGINT stop it gracefully (exit 0).
import { runService } from "@bookstore/wrk-base";
import { Gateway } from "./gateway.js";

await runService("app-node", () => new Gateway(process.env));
