// app-node: the HTTP API gateway. A bad setting stops it with one line naming it (exit 1);
// SIGTERM and SIGINT stop it gracefully (exit 0).
import { SettingsError } from "@bookstore/wrk-base";
import { Gateway } from "./gateway.js";

let gateway: Gateway;
try {
  gateway = new Gateway(process.env);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(`app-node: ${error.message}`);
  process.exit(1);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void gateway.stop(signal).then(() => process.exit(0)));
}
try {
  await gateway.start();
} catch (error) {
  gateway.log.fatal({ err: error }, "app-node failed to start");
  console.error(`app-node: ${(error as Error).message}`);
  process.exit(1);
}
