import { type Logger, notFound, toServiceError, unary } from "@bookstore/wrk-base";
import { type OrchestratorServiceHandlers, type Worker, toTimestamp } from "@bookstore/proto";
import type { WorkerRegistry, WorkerView } from "./worker-registry.js";
import type { OrkSettings } from "./settings.js";
import { checkWorkerClaim } from "./claims.js";
import { validateRegistration, validateTypeFilter, validateWorkerId } from "./validation.js";
import type { WatchHub } from "./watch-hub.js";

const STATE = { up: "WORKER_STATE_UP", down: "WORKER_STATE_DOWN", draining: "WORKER_STATE_DRAINING" } as const;
const ACTION = { CONTINUE: "HEARTBEAT_ACTION_CONTINUE", REGISTER_AGAIN: "HEARTBEAT_ACTION_REGISTER_AGAIN", DRAIN: "HEARTBEAT_ACTION_DRAIN" } as const;

export function toWorkerMessage(worker: WorkerView): Worker {
  return {
    id: worker.id,
    type: worker.type,
    rack: worker.rack,
    address: worker.address,
    state: STATE[worker.state],
    lastSeen: toTimestamp(new Date(worker.lastSeenMs)),
    version: worker.version,
    reason: worker.reason,
  };
}

/** The handlers of bookstore.ork.v1.OrchestratorService. */
export function orchestratorHandlers(deps: { registry: WorkerRegistry; hub: WatchHub; settings: OrkSettings; incarnation: number; log: Logger }): OrchestratorServiceHandlers {
  const { registry, hub, settings, incarnation, log } = deps;
  const leaseSeconds = settings.leaseSeconds;
  return {
    Register: unary(log, (request, { identity }) => {
      const worker = validateRegistration(request);
      checkWorkerClaim(identity, worker);
      const held = registry.get(worker.id);
      if (held) checkWorkerClaim(identity, held);
      registry.register(worker);
      return { leaseSeconds, heartbeatIntervalSeconds: settings.heartbeatSeconds, incarnation };
    }),
    Heartbeat: unary(log, (request, { identity }) => {
      const id = validateWorkerId(request.id);
      const held = registry.get(id);
      // An unknown id is told to register again, which is checked then.
      if (held) checkWorkerClaim(identity, held);
      const action = registry.heartbeat(id);
      return { action: ACTION[action], leaseSeconds, incarnation };
    }),
    Deregister: unary(log, (request, { identity }) => {
      const id = validateWorkerId(request.id);
      const held = registry.get(id);
      if (held) checkWorkerClaim(identity, held);
      registry.deregister(id);
      return {};
    }),
    ListWorkers: unary(log, (request) => ({ workers: registry.list(validateTypeFilter(request.type)).map(toWorkerMessage) })),
    WatchRouting: (call) => {
      try {
        hub.add(call, validateTypeFilter(call.request.type));
      } catch (error) {
        call.emit("error", toServiceError(error));
      }
    },
    DrainWorker: unary(log, (request) => {
      const worker = registry.drain(validateWorkerId(request.id));
      if (!worker) throw notFound(`worker ${request.id}`);
      return { worker: toWorkerMessage(worker) };
    }),
    ForgetWorker: unary(log, (request) => {
      if (!registry.forget(validateWorkerId(request.id))) throw notFound(`worker ${request.id}`);
      return {};
    }),
  };
}
