import * as grpc from "@grpc/grpc-js";
import type { Logger } from "./logger.js";
import { type GrpcMetrics, grpcType, splitMethodPath } from "./metrics.js";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id.js";
import type { Span } from "@opentelemetry/api";
import { HEALTH_SERVICE } from "@bookstore/proto";
import { endRpcSpan, sampledTraceId, startServerSpan, traceFields } from "./tracing.js";

/** Counts the calls that have started and not yet ended, for the log lines of a shutdown. */
export class InFlight {
  private count = 0;

  get size(): number {
    return this.count;
  }

  enter(): void {
    this.count++;
  }

  leave(): void {
    this.count--;
  }
}

/** Calls that machines make every few seconds: logged at debug when they succeed, so they do not drown the rest. */
const ROUTINE_RPCS = new Set(["/bookstore.ork.v1.OrchestratorService/Heartbeat"]);

/**
 * Every call, whatever its service: records `grpc_server_*`, makes its server span (routine calls
 * only inside a caller's trace), tracks it as in flight, gives it a
 * request id (the caller's `x-request-id`, else a new one, put back into the metadata so handlers
 * read the same one) and writes one access log line when it ends.
 */
export function observeCalls(metrics: GrpcMetrics, inFlight: InFlight, log: Logger): grpc.ServerInterceptor {
  return (method, call) => {
    const [service, name] = splitMethodPath(method.path);
    const routine = ROUTINE_RPCS.has(method.path) || service === HEALTH_SERVICE;
    const recorder = metrics.begin(service, name, grpcType(method.requestStream, method.responseStream));
    const startedAt = process.hrtime.bigint();
    let requestId = "";
    let span: Span | undefined;
    let finished = false;
    inFlight.enter();
    const finish = (code: grpc.status, details: string | undefined): void => {
      if (finished) return;
      finished = true;
      recorder.end(code, sampledTraceId(span));
      inFlight.leave();
      endRpcSpan(span, "server", code, details);
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const level = code !== grpc.status.OK ? "warn" : routine ? "debug" : "info";
      log[level]({ requestId, ...traceFields(span), rpc: method.path, code: grpc.status[code], ms: Math.round(ms * 1000) / 1000, details }, "rpc");
    };
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            span = startServerSpan(service, name, metadata, routine);
            requestId = requestIdOf(metadata);
            metadata.set(REQUEST_ID_HEADER, requestId);
            nextMetadata(metadata);
          },
          onReceiveMessage(message, nextMessage) {
            recorder.received();
            nextMessage(message);
          },
          onCancel() {
            finish(grpc.status.CANCELLED, "cancelled by the client");
          },
        });
      },
      sendMessage(message, next) {
        recorder.sent();
        next(message);
      },
      sendStatus(status, next) {
        finish(status.code, status.code === grpc.status.OK ? undefined : status.details);
        next(status);
      },
    });
  };
}
