import * as grpc from "@grpc/grpc-js";
import { type GrpcMetrics, grpcType, splitMethodPath } from "../metrics.js";

/**
 * A client interceptor that records `grpc_client_started_total`, `grpc_client_handled_total`,
 * `grpc_client_handling_seconds` and `grpc_client_msg_{sent,received}_total` for every call, and changes nothing else about it. `rack`: the
 * rack every call of this interceptor goes to, recorded as the `rack` label.
 */
export function clientMetricsInterceptor(metrics: GrpcMetrics, rack?: string): grpc.Interceptor {
  return (options, nextCall) => {
    const definition = options.method_definition;
    const [service, method] = splitMethodPath(definition.path);
    const recorder = metrics.begin(service, method, grpcType(definition.requestStream, definition.responseStream), rack);
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        // A partial listener: grpc-js passes every other event through unchanged.
        next(metadata, {
          onReceiveMessage(message, nextMessage) {
            recorder.received();
            nextMessage(message);
          },
          onReceiveStatus(status, nextStatus) {
            recorder.end(status.code);
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
