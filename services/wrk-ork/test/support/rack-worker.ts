// A worker with a rack, for tests of routing: the real BaseWorker (registration, heartbeats, health,
// graceful stop) with only the rack set from RACK_ID, as a thing or book worker sets it. Run with
// `node --import tsx services/wrk-ork/test/support/rack-worker.ts`; WORKER_TYPE names its type.
import { BaseWorker, readRackId, readString, runService } from "@bookstore/wrk-base";

class RackWorker extends BaseWorker {
  protected override async onInit(): Promise<void> {
    this.rack = readRackId(this.env, "RACK_ID") ?? "r0";
  }
}

await runService("rack-worker", () => new RackWorker({ type: readString(process.env, "WORKER_TYPE", "rack"), version: "0.0.0-test", ports: { grpcPort: 50090, httpPort: 9190 } }));
