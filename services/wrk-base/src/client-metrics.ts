// grpc_client_* for any caller: the gateway's routing client and the orchestrator's health checks.
import * as grpc from "@grpc/grpc-js";
import type { Registry } from "prom-client";
import { GrpcMetrics, type GrpcType, grpcType, splitMethodPath } from "./metrics.js";
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

/** What one client call records as it goes: its messages, and its end with the status it got. */
export interface ClientCallObserver {
  sent(): void;
  received(): void;
  end(code: grpc.status, details: string | undefined): void;
}

/**
 * Starts recording one client call of `path` ("/pkg.Service/Method"): counts it as started and
 * makes its client span, whose `traceparent` (of the request running now) goes into `metadata`.
 * `rack`: the rack the call goes to, recorded as the `rack` label.
 */
export function observeClientCall(metrics: GrpcMetrics, path: string, type: GrpcType, metadata: grpc.Metadata, rack?: string): ClientCallObserver {
  const [service, method] = splitMethodPath(path);
  const recorder = metrics.begin(service, method, type, rack);
  // Health checks poll all the time: traced only inside a trace (none is, today).
  const span = startClientSpan(service, method, metadata, service === HEALTH_SERVICE);
  return {
    sent: recorder.sent,
    received: recorder.received,
    end(code, details) {
      recorder.end(code, sampledTraceId(span));
      endRpcSpan(span, "client", code, details);
    },
  };
}

/**
 * A client interceptor that records `grpc_client_started_total`, `grpc_client_handled_total`,
 * `grpc_client_handling_seconds` and `grpc_client_msg_{sent,received}_total` for every call and
 * makes its client span (observeClientCall), and changes nothing else about it. `rack`: the rack
 * every call of this interceptor goes to, recorded as the `rack` label.
 */
export function clientMetricsInterceptor(metrics: GrpcMetrics, rack?: string): grpc.Interceptor {
  return (options, nextCall) => {
    const definition = options.method_definition;
    const type = grpcType(definition.requestStream, definition.responseStream);
    let observer: ClientCallObserver | undefined;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        const call = observeClientCall(metrics, definition.path, type, metadata, rack);
        observer = call;
        // A partial listener: grpc-js passes every other event through unchanged.
        next(metadata, {
          onReceiveMessage(message, nextMessage) {
            call.received();
            nextMessage(message);
          },
          onReceiveStatus(status, nextStatus) {
            call.end(status.code, status.details);
            nextStatus(status);
          },
        });
      },
      sendMessage(message, next) {
        observer?.sent();
        next(message);
      },
    });
  };
}
