import { randomBytes } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import type { Gauge } from "prom-client";
import type { ServiceHost } from "./host.js";
import { workerInfoGauge } from "./metrics.js";
import { loadContracts } from "./protos.js";
import { unary } from "./rpc.js";
import { toTimestamp } from "./timestamps.js";

export const WORKER_SERVICE = "bookstore.worker.v1.WorkerService";

export interface WorkerSelf {
  host: ServiceHost;
  type: string;
  version: string;
  /** The rack, known once the service's `init` ran ("" for none). */
  rack: () => string;
  /** Where the orchestrator reaches it (with the bound port). */
  advertiseAddress: () => string;
  /** The bound port of its side port. */
  httpPort: () => number;
}

/**
 * What every gRPC service of the system says of itself, the orchestrator as the workers: an id,
 * `bookstore.worker.v1.WorkerService` (Ping, GetInfo), `worker_info` and the "serving" line.
 */
export class WorkerContract {
  readonly startedAt = new Date();
  /** `<type>-<rack or none>-<random>`, chosen by `identify` once the rack is known. */
  id = "";
  private readonly info: Gauge<"worker_id" | "type" | "rack" | "version">;

  constructor(private readonly self: WorkerSelf) {
    this.info = workerInfoGauge(self.host.registry);
  }

  /** Chooses the id of this process, from its type and rack. */
  identify(): string {
    this.id = `${this.self.type}-${this.self.rack() || "none"}-${randomBytes(4).toString("hex")}`;
    return this.id;
  }

  addTo(server: grpc.Server): string[] {
    const { host, type, version, rack, advertiseAddress } = this.self;
    server.addService(loadContracts().worker.WorkerService.service, {
      Ping: unary(host.log, (request) => ({ message: request.message, time: toTimestamp(new Date()) })),
      GetInfo: unary(host.log, () => ({
        id: this.id,
        type,
        rack: rack(),
        version,
        startedAt: toTimestamp(this.startedAt),
        advertiseAddress: advertiseAddress(),
      })),
    });
    return [WORKER_SERVICE];
  }

  /** Once serving: `worker_info` and the "serving" line (tests and `npm start` read its id and ports). */
  announce(): void {
    const { host, type, version, rack, httpPort } = this.self;
    this.info.set({ worker_id: this.id, type, rack: rack(), version }, 1);
    host.log.info({ id: this.id, rack: rack(), grpcPort: host.grpcPort, httpPort: httpPort(), version }, "serving");
  }
}
