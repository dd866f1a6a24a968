// Traces. The services are esbuild bundles, which auto-instrumentation cannot see into, so the
// spans are made by the interceptors that already record metrics and logs: one span per HTTP
// request (app-node) and per RPC on each side, with W3C trace context (`traceparent`) carried in
// the gRPC metadata. Nothing is exported unless an OTLP endpoint is set; without one the API's
// no-op tracer still carries an incoming trace context through, so logs name the caller's trace.
import * as grpc from "@grpc/grpc-js";
import * as api from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { type Env, SettingsError, readInteger, readOptionalString } from "./settings.js";

/** The samplers OTEL_TRACES_SAMPLER may name (the SDK specification's list, less the vendor ones). */
export const TRACE_SAMPLERS = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

export interface TracingSettings {
  /** Where spans go (OTLP over HTTP, JSON); undefined: nowhere. */
  endpoint: string | undefined;
  sampler: TraceSamplerName;
  /** The ratio of the `traceidratio` samplers, 0 to 1. */
  ratio: number;
  timeoutMs: number;
  /** How long spans wait in the batch before they are sent (OTEL_BSP_SCHEDULE_DELAY). */
  batchDelayMs: number;
}

/**
 * The standard OTEL_* variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as it is) or
 * OTEL_EXPORTER_OTLP_ENDPOINT (+ `/v1/traces`), OTEL_TRACES_SAMPLER and _ARG, OTEL_SDK_DISABLED,
 * OTEL_EXPORTER_OTLP_TIMEOUT, OTEL_BSP_SCHEDULE_DELAY. A value the SDK would ignore with a warning stops the service here.
 */
export function readTracingSettings(env: Env): TracingSettings {
  const sampler = (readOptionalString(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on") as TraceSamplerName;
  if (!TRACE_SAMPLERS.includes(sampler)) throw new SettingsError("OTEL_TRACES_SAMPLER", sampler, `expected one of ${TRACE_SAMPLERS.join(", ")}`);
  const ratioText = readOptionalString(env, "OTEL_TRACES_SAMPLER_ARG");
  const ratio = ratioText === undefined ? 1 : Number(ratioText);
  if (!(ratio >= 0 && ratio <= 1) || !/^\d*\.?\d+$/.test(ratioText ?? "1")) throw new SettingsError("OTEL_TRACES_SAMPLER_ARG", ratioText ?? "", "expected a ratio from 0 to 1, for example 0.1");
  for (const name of ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]) {
    const protocol = readOptionalString(env, name);
    if (protocol !== undefined && protocol !== "http/json") throw new SettingsError(name, protocol, "expected http/json (spans are sent as OTLP JSON over HTTP)");
  }
  const timeoutMs = readInteger(env, "OTEL_EXPORTER_OTLP_TIMEOUT", 10_000, 1, 600_000);
  const batchDelayMs = readInteger(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000, 1, 600_000);
  const disabled = readOptionalString(env, "OTEL_SDK_DISABLED");
  if (disabled !== undefined && disabled !== "true" && disabled !== "false") throw new SettingsError("OTEL_SDK_DISABLED", disabled, "expected true or false");
  const traces = readOptionalString(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const base = readOptionalString(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  const endpoint = traces ?? (base === undefined ? undefined : `${base.replace(/\/+$/, "")}/v1/traces`);
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new SettingsError(traces === undefined ? "OTEL_EXPORTER_OTLP_ENDPOINT" : "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces ?? base ?? "", "expected an http:// or https:// URL, for example http://tempo:4318");
  }
  return { endpoint: disabled === "true" ? undefined : endpoint, sampler, ratio, timeoutMs, batchDelayMs };
}

function samplerOf(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.ratio);
  switch (settings.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
  }
}

export interface Tracing {
  /** True when spans are exported. */
  readonly exporting: boolean;
  /** Sends the spans still buffered, within the export deadline; then nothing more is exported. */
  shutdown(): Promise<void>;
}

let contextReady = false;
let providerInstalled = false;

/**
 * Sets the process up for traces: the context manager (a span follows its request across
 * awaits) and the W3C propagator always; the exporting provider only with an endpoint. The first
 * call in a process installs them (tests run several services in one process).
 */
export function startTracing(service: string, version: string, settings: TracingSettings): Tracing {
  if (!contextReady) {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextReady = true;
  }
  if (settings.endpoint === undefined || providerInstalled) return { exporting: false, shutdown: () => Promise.resolve() };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, [ATTR_SERVICE_VERSION]: version }),
    sampler: samplerOf(settings),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.endpoint, timeoutMillis: settings.timeoutMs }), exportTimeoutMillis: settings.timeoutMs, scheduledDelayMillis: settings.batchDelayMs })],
  });
  api.trace.setGlobalTracerProvider(provider);
  providerInstalled = true;
  return {
    exporting: true,
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, settings.timeoutMs).unref()));
      await Promise.race([provider.shutdown().catch(() => undefined), deadline]);
      clearTimeout(timer);
    },
  };
}

/** The tracer of every span the services make: the global one, a no-op until a provider is installed. */
const tracer = api.trace.getTracer("@bookstore/wrk-base");

const metadataGetter: api.TextMapGetter<grpc.Metadata> = {
  get: (carrier, key) => {
    const value = carrier.get(key)[0];
    return typeof value === "string" ? value : undefined;
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

const metadataSetter: api.TextMapSetter<grpc.Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const headersGetter: api.TextMapGetter<Readonly<Record<string, string | string[] | undefined>>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Codes that mean the server failed (OpenTelemetry's RPC conventions for server spans; the alerts' list). */
const SERVER_FAILURES = new Set<grpc.status>([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/** The span of a call, by the metadata it came in with: the interceptor starts it, the handler's logger reads it. */
const spans = new WeakMap<grpc.Metadata, api.Span>();

export function spanOf(metadata: grpc.Metadata): api.Span | undefined {
  return spans.get(metadata);
}

/** `traceId` and `spanId` for a log line, when the span belongs to a trace. */
export function traceFields(span: api.Span | undefined): { traceId?: string; spanId?: string } {
  const context = span?.spanContext();
  return context && api.isSpanContextValid(context) ? { traceId: context.traceId, spanId: context.spanId } : {};
}

/** The trace id of a span that is sampled (exported): an exemplar pointing anywhere else would lead nowhere. */
export function sampledTraceId(span: api.Span | undefined): string | undefined {
  const context = span?.spanContext();
  return context && api.isSpanContextValid(context) && (context.traceFlags & api.TraceFlags.SAMPLED) !== 0 && span?.isRecording() ? context.traceId : undefined;
}

/** The trace of the request running now (AsyncLocalStorage), for a log line written inside it. */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  return traceFields(api.trace.getActiveSpan());
}

/**
 * The span's semconv attributes, set only on a span that records: most calls are not sampled
 * (ratio 0.1 as deployed), and for them the attribute objects would be built for nothing. The
 * samplers the services offer (TRACE_SAMPLERS) decide on the trace id and the parent alone, so
 * they need no attributes at the start.
 */
function startRpcSpan(service: string, method: string, kind: api.SpanKind, parent: api.Context): api.Span {
  const span = tracer.startSpan(`${service}/${method}`, { kind }, parent);
  if (span.isRecording()) span.setAttributes({ "rpc.system": "grpc", "rpc.service": service, "rpc.method": method });
  return span;
}

/**
 * The server span of a call, child of the caller's `traceparent`. `onlyInTraces`: a routine call
 * (heartbeats, health checks) gets a span only when its caller sent a trace context, so machines
 * polling each other do not fill the trace store with one-span traces.
 */
export function startServerSpan(service: string, method: string, metadata: grpc.Metadata, onlyInTraces: boolean): api.Span | undefined {
  const parent = api.propagation.extract(api.ROOT_CONTEXT, metadata, metadataGetter);
  if (onlyInTraces && api.trace.getSpanContext(parent) === undefined) return undefined;
  const span = startRpcSpan(service, method, api.SpanKind.SERVER, parent);
  spans.set(metadata, span);
  return span;
}

/**
 * The client span of a call, child of the request running now, and its context written into the
 * call's metadata. Without a trace running, a routine call (`onlyInTraces`) gets no span.
 */
export function startClientSpan(service: string, method: string, metadata: grpc.Metadata, onlyInTraces: boolean): api.Span | undefined {
  const active = api.context.active();
  if (onlyInTraces && api.trace.getSpanContext(active) === undefined) return undefined;
  const span = startRpcSpan(service, method, api.SpanKind.CLIENT, active);
  api.propagation.inject(api.trace.setSpan(active, span), metadata, metadataSetter);
  return span;
}

/** Ends an RPC span with its code; an error status for any failure on the client, for a server failure on the server. */
export function endRpcSpan(span: api.Span | undefined, side: "server" | "client", code: grpc.status, details: string | undefined): void {
  if (!span) return;
  if (!span.isRecording()) return span.end();
  span.setAttribute("rpc.grpc.status_code", code);
  if (code !== grpc.status.OK && (side === "client" || SERVER_FAILURES.has(code))) span.setStatus({ code: api.SpanStatusCode.ERROR, message: details });
  span.end();
}

export interface HttpRequestFacts {
  method: string;
  path: string;
  scheme: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The server span of an HTTP request, child of the client's `traceparent` if it sent one; attributes only when it records (startRpcSpan says why). */
export function startHttpServerSpan(request: HttpRequestFacts): api.Span {
  const parent = api.propagation.extract(api.ROOT_CONTEXT, request.headers, headersGetter);
  const span = tracer.startSpan(request.method, { kind: api.SpanKind.SERVER }, parent);
  if (!span.isRecording()) return span;
  span.setAttributes({ "http.request.method": request.method, "url.path": request.path, "url.scheme": request.scheme });
  const userAgent = request.headers["user-agent"];
  if (typeof userAgent === "string") span.setAttribute("user_agent.original", userAgent);
  return span;
}

/**
 * Runs `work` with `span` as the active span: the calls it makes are the span's children, its log
 * lines name the trace. A span of no trace (tracing off and no `traceparent` came) would change
 * nothing `work` sees, so `work` runs as it is, without a context of its own.
 */
export function inSpan<T>(span: api.Span, work: () => Promise<T>): Promise<T> {
  if (!api.isSpanContextValid(span.spanContext())) return work();
  return api.context.with(api.trace.setSpan(api.context.active(), span), work);
}

/** Ends an HTTP server span with its route (the name becomes `GET /v1/books/:id`) and status; 5xx is an error. */
export function endHttpServerSpan(span: api.Span, method: string, route: string | undefined, status: number): void {
  if (!span.isRecording()) return span.end();
  if (route !== undefined) {
    span.setAttribute("http.route", route);
    span.updateName(`${method} ${route}`);
  }
  span.setAttribute("http.response.status_code", status);
  if (status >= 500) {
    span.setAttribute("error.type", String(status));
    span.setStatus({ code: api.SpanStatusCode.ERROR });
  }
  span.end();
}
