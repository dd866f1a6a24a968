// Workers, probes and metrics: the endpoints that are not about books.
import { callUnary } from "@bookstore/wrk-base";
import type { ListWorkersResponse__Output } from "@bookstore/proto";
import { toWorkerJson } from "./books.js";
import { unavailable } from "./errors.js";
import { route } from "./route.js";
import { HealthSchema, ListWorkersQuery, WorkerListSchema } from "./schemas.js";

export const workerRoutes = [
  route({
    method: "get",
    path: "/v1/workers",
    operationId: "listWorkers",
    summary: "Workers known to the orchestrator",
    description: "Every registered worker with its type, rack, address and state, from wrk-ork's ListWorkers.",
    tag: "workers",
    role: "librarian",
    query: ListWorkersQuery,
    success: { status: 200, description: "The workers, ordered by type, rack and id", schema: WorkerListSchema },
    errors: [400, 503, 504],
    async handle({ ctx, deps, requestId, query }) {
      const request = { type: query.type ?? "" };
      const response = await callUnary<ListWorkersResponse__Output>((m, o, cb) => deps.ork.listWorkers(request, m, o, cb), {
        timeoutMs: deps.callTimeoutMs,
        requestId,
      });
      ctx.body = { workers: response.workers.map(toWorkerJson) };
    },
  }),
];

/** Served on HTTP_PORT, or on METRICS_PORT alone when that is set (gateway.ts). */
export const metricsRoute = route({
  method: "get",
  path: "/metrics",
  operationId: "metrics",
  summary: "Prometheus metrics: http_*, grpc_client_* and the Node process",
  description: "On the API's port by default; with METRICS_PORT set, only on that port (keep it unpublished).",
  tag: "operations",
  success: { status: 200, description: "OpenMetrics text (Prometheus reads it; the latency histogram carries trace ids as exemplars)", contentType: "application/openmetrics-text" },
  errors: [],
  async handle({ ctx, deps }) {
    const text = await deps.registry.metrics();
    ctx.type = deps.registry.contentType;
    ctx.body = text;
  },
});

export const probeRoutes = [
  route({
    method: "get",
    path: "/healthz",
    operationId: "healthz",
    summary: "Liveness: 200 while the process runs",
    tag: "operations",
    success: { status: 200, description: "Alive", schema: HealthSchema },
    errors: [],
    handle({ ctx }) {
      ctx.body = { status: "ok" };
    },
  }),
  route({
    method: "get",
    path: "/readyz",
    operationId: "readyz",
    summary: "Readiness: 200 only with a routing table that has a healthy book rack",
    tag: "operations",
    success: { status: 200, description: "Ready to serve", schema: HealthSchema },
    errors: [503],
    handle({ ctx, deps }) {
      if (!deps.ready()) throw unavailable("not ready: no healthy book rack known, or shutting down");
      ctx.body = { status: "ready" };
    },
  }),
  metricsRoute,
];
