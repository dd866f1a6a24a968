// grpc_client_* for any caller: the gateway's routing client and the orchestrator's health checks.
import * as grpc from "@grpc/grpc-js";
import type { Registry } from "prom-client";
import { GrpcMetrics, grpcType, splitMethodPath } from "./metrics.js";
import { HEALTH_SERVICE } from "@bookstore/proto";
import { endRpcSpan, sampledTraceId, startClientSpan } from "./tracing.js";

/** One set of `grpc_client_*` metrics per registry, however many clients record into it. */
const clientMetrics = new WeakMap<Registry, GrpcMetrics>();

export function clientMetricsOf(registry: Registry): GrpcMetrics {
  let metrics = clientMetrics.get(registry);
  if (!metrics) {
    metrics = new GrpcMetrics(registry, "client");
    clientMetrics.set(registry, metrics);
  }
  return metrics;
}

/**
 * A client interceptor that records `grpc_client_started_total`, `grpc_client_handled_total`,
 * `grpc_client_handling_seconds` and `grpc_client_msg_{sent,received}_total` for every call and
 * makes its client span (the `traceparent` of the request running now goes into the metadata), and changes nothing else about it. `rack`: the
 * rack every call of this interceptor goes to, recorded as the `rack` label.
 */
export function clientMetricsInterceptor(metrics: GrpcMetrics, rack?: string): grpc.Interceptor {
  return (options, nextCall) => {
    const definition = options.method_definition;
    const [service, method] = splitMethodPath(definition.path);
    const recorder = metrics.begin(service, method, grpcType(definition.requestStream, definition.responseStream), rack);
    // Health checks poll all the time: traced only inside a trace (none is, today).
    const routine = service === HEALTH_SERVICE;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        const span = startClientSpan(service, method, metadata, routine);
        // A partial listener: grpc-js passes every other event through unchanged.
        next(metadata, {
          onReceiveMessage(message, nextMessage) {
            recorder.received();
            nextMessage(message);
          },
          onReceiveStatus(status, nextStatus) {
            recorder.end(status.code, sampledTraceId(span));
            endRpcSpan(span, "client", status.code, status.details);
            nextStatus(status);
          },
        });
      },
      sendMessage(message, next) {
        recorder.sent();
        next(message);
      },
    });
  };
}
