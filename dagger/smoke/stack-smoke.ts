// Runs the smoke test against a running bookstore and exits 1 when a step fails.
// Inside `dagger call stack-test` the settings come from the environment the module sets; against
// a local system: SMOKE_APP_URL=http://127.0.0.1:3000 SMOKE_API_TOKEN=... SMOKE_GRPC_TARGETS=...
//   npx tsx dagger/smoke/stack-smoke.ts

import { runSmoke, smokeConfigFromEnv } from "./smoke.js";

const config = smokeConfigFromEnv(process.env);
console.log(`smoke test of ${config.appUrl} and ${config.grpcTargets.length} gRPC servers`);
const steps = await runSmoke(config, (line) => console.log(line));
const failed = steps.filter((s) => !s.ok);
const seconds = (steps.reduce((sum, s) => sum + s.ms, 0) / 1000).toFixed(1);
if (failed.length > 0) {
  console.error(`smoke test FAILED at "${failed[0]?.name}" after ${steps.length} step(s), ${seconds}s`);
  process.exit(1);
}
console.log(`smoke test passed: ${steps.length} steps in ${seconds}s`);
