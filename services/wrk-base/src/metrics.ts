import * as grpc from "@grpc/grpc-js";
import { Counter, Gauge, Histogram, type LabelValues, Registry, type RegistryContentType, collectDefaultMetrics } from "prom-client";

/**
 * One registry per service, with Node's process metrics. `openMetrics`: written as OpenMetrics,
 * the only format that carries exemplars (Prometheus asks for it first).
 */
export function createMetricRegistry(options: { openMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  // prom-client's typings bind a registry to the text format; its code switches before any metric is registered.
  if (options.openMetrics) (registry as unknown as Registry<RegistryContentType>).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets from 1 ms to 10 s: gRPC calls here are sub-millisecond to a few seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type GrpcType = "unary" | "client_stream" | "server_stream" | "bidi_stream";

export function grpcType(requestStream: boolean, responseStream: boolean): GrpcType {
  if (requestStream) return responseStream ? "bidi_stream" : "client_stream";
  return responseStream ? "server_stream" : "unary";
}

/** "/pkg.Service/Method" → ["pkg.Service", "Method"]. */
export function splitMethodPath(path: string): [service: string, method: string] {
  const slash = path.lastIndexOf("/");
  return [path.slice(1, slash), path.slice(slash + 1)];
}

/** The code as grpc-js names it (`NOT_FOUND`): for log lines and messages. */
export function codeName(code: grpc.status): string {
  return grpc.status[code] ?? String(code);
}

/**
 * The codes as grpc-go spells them (`codes.Code.String()` in google.golang.org/grpc/codes), which
 * is what go-grpc-prometheus writes in `grpc_code`: the community gRPC dashboards and mixin alerts
 * match these words, so our series must use them too.
 */
const GO_CODE_NAMES: Readonly<Record<grpc.status, string>> = {
  [grpc.status.OK]: "OK",
  [grpc.status.CANCELLED]: "Canceled",
  [grpc.status.UNKNOWN]: "Unknown",
  [grpc.status.INVALID_ARGUMENT]: "InvalidArgument",
  [grpc.status.DEADLINE_EXCEEDED]: "DeadlineExceeded",
  [grpc.status.NOT_FOUND]: "NotFound",
  [grpc.status.ALREADY_EXISTS]: "AlreadyExists",
  [grpc.status.PERMISSION_DENIED]: "PermissionDenied",
  [grpc.status.RESOURCE_EXHAUSTED]: "ResourceExhausted",
  [grpc.status.FAILED_PRECONDITION]: "FailedPrecondition",
  [grpc.status.ABORTED]: "Aborted",
  [grpc.status.OUT_OF_RANGE]: "OutOfRange",
  [grpc.status.UNIMPLEMENTED]: "Unimplemented",
  [grpc.status.INTERNAL]: "Internal",
  [grpc.status.UNAVAILABLE]: "Unavailable",
  [grpc.status.DATA_LOSS]: "DataLoss",
  [grpc.status.UNAUTHENTICATED]: "Unauthenticated",
};

/** The `grpc_code` label of a call's result; a code outside the 17 is `Code(n)`, as grpc-go writes it. */
export function grpcCodeLabel(code: grpc.status): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}

const GRPC_LABELS = ["grpc_service", "grpc_method", "grpc_type"] as const;
/**
 * The client side also names the rack called, so a failing rack shows by name instead of as a
 * share of all racks; calls to no rack (the orchestrator) have no `rack` label.
 */
const CLIENT_LABELS = [...GRPC_LABELS, "rack"] as const;
type GrpcLabel = (typeof CLIENT_LABELS)[number] | "grpc_code";

/** What one call records: each message each way, and its end (once). */
export interface CallRecorder {
  received(): void;
  sent(): void;
  /** `traceId`: the call's trace when it is sampled, written as the latency's exemplar `trace_id` (OpenMetrics registries only). */
  end(code: grpc.status, traceId?: string): void;
}

/**
 * The series of the common gRPC dashboards (go-grpc-prometheus names), for one side of a call:
 * `grpc_server_*` on servers, `grpc_client_*` on clients (with `rack`).
 */
export class GrpcMetrics {
  readonly started: Counter<GrpcLabel>;
  readonly handled: Counter<GrpcLabel>;
  readonly seconds: Histogram<GrpcLabel>;
  /** Messages this side received and sent: what shows a long-lived stream at work. */
  readonly received: Counter<GrpcLabel>;
  readonly sent: Counter<GrpcLabel>;

  /** Exemplars only where they can be served: a text-format registry would drop them on every scrape. */
  private readonly exemplars: boolean;

  constructor(registry: Registry, side: "server" | "client") {
    this.exemplars = (registry.contentType as string) === Registry.OPENMETRICS_CONTENT_TYPE;
    const labelNames = side === "client" ? CLIENT_LABELS : GRPC_LABELS;
    this.started = new Counter({
      name: `grpc_${side}_started_total`,
      help: `Total number of RPCs started on the ${side}.`,
      labelNames,
      registers: [registry],
    });
    this.handled = new Counter({
      name: `grpc_${side}_handled_total`,
      help: `Total number of RPCs completed on the ${side}, regardless of success or failure.`,
      labelNames: [...labelNames, "grpc_code"],
      registers: [registry],
    });
    this.seconds = new Histogram({
      name: `grpc_${side}_handling_seconds`,
      help: `Histogram of response latency (seconds) of gRPC calls on the ${side}.`,
      labelNames: [...labelNames, "grpc_code"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
      // A traced call leaves its trace id on its bucket: a slow point of a gRPC latency panel opens its trace.
      enableExemplars: this.exemplars,
    });
    // go-grpc-prometheus's names and help texts (server_metrics.go, client_metrics.go).
    this.received = new Counter({
      name: `grpc_${side}_msg_received_total`,
      help: side === "server" ? "Total number of RPC stream messages received on the server." : "Total number of RPC stream messages received by the client.",
      labelNames,
      registers: [registry],
    });
    this.sent = new Counter({
      name: `grpc_${side}_msg_sent_total`,
      help: side === "server" ? "Total number of gRPC stream messages sent by the server." : "Total number of gRPC stream messages sent by the client.",
      labelNames,
      registers: [registry],
    });
  }

  /**
   * Counts a call as started; the recorder counts its messages and records its end, once.
   * `rack`: the rack a client calls, if any (client side only).
   */
  begin(service: string, method: string, type: GrpcType, rack?: string): CallRecorder {
    const series = this.seriesOf(service, method, type, rack);
    series.started.inc();
    const startedAt = process.hrtime.bigint();
    let done = false;
    return {
      received: () => series.received.inc(),
      sent: () => series.sent.inc(),
      end: (code, traceId) => {
        if (done) return;
        done = true;
        const result = series.resultOf(code);
        result.handled.inc();
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        // The cached child cannot take an exemplar: a sampled call takes the labelled path.
        if (traceId === undefined || !this.exemplars) result.seconds.observe(seconds);
        // prom-client's typings give exemplar labels the metric's label names; any name is valid there.
        else this.seconds.observe({ labels: series.labelsWithCode(code), value: seconds, exemplarLabels: { trace_id: traceId } as unknown as LabelValues<GrpcLabel> });
      },
    };
  }

  // Label children are looked up once per method and code, not hashed again on every call: this
  // is on the hot path of every request the gateway serves.
  private readonly series = new Map<string, MethodSeries>();

  private seriesOf(service: string, method: string, type: GrpcType, rack: string | undefined): MethodSeries {
    const key = `${service}/${method}/${type}/${rack ?? ""}`;
    let entry = this.series.get(key);
    if (!entry) {
      const labels: Partial<Record<GrpcLabel, string>> = { grpc_service: service, grpc_method: method, grpc_type: type };
      if (rack !== undefined) labels.rack = rack;
      const results = new Map<grpc.status, ResultSeries>();
      const labelsWithCode = (code: grpc.status) => ({ ...labels, grpc_code: grpcCodeLabel(code) });
      entry = {
        labelsWithCode,
        started: this.started.labels(labels),
        received: this.received.labels(labels),
        sent: this.sent.labels(labels),
        resultOf: (code) => {
          let result = results.get(code);
          if (!result) {
            const withCode = labelsWithCode(code);
            result = { handled: this.handled.labels(withCode), seconds: this.seconds.labels(withCode) };
            results.set(code, result);
          }
          return result;
        },
      };
      this.series.set(key, entry);
    }
    return entry;
  }
}

interface ResultSeries {
  handled: { inc(): void };
  seconds: { observe(value: number): void };
}

interface MethodSeries {
  labelsWithCode(code: grpc.status): Partial<Record<GrpcLabel, string>>;
  started: { inc(): void };
  received: { inc(): void };
  sent: { inc(): void };
  resultOf(code: grpc.status): ResultSeries;
}

/**
 * `worker_info`: the process's identity as labels, always 1. Every service exports it (app-node
 * too, with no worker id or rack), so dashboards join a process's rack and version onto its
 * other series by `instance`.
 */
export function workerInfoGauge(registry: Registry): Gauge<"worker_id" | "type" | "rack" | "version"> {
  return new Gauge({
    name: "worker_info",
    help: "Identity of this worker; always 1.",
    labelNames: ["worker_id", "type", "rack", "version"],
    registers: [registry],
  });
}

/** `worker_serving`: 1 while the service's gRPC health is SERVING (the service host sets it). */
export function workerServingGauge(registry: Registry): Gauge {
  return new Gauge({
    name: "worker_serving",
    help: "1 while the worker's gRPC health is SERVING, 0 otherwise.",
    registers: [registry],
  });
}
