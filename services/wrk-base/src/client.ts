import * as grpc from "@grpc/grpc-js";
import type { ClientCallObserver } from "./client-metrics.js";
import { REQUEST_ID_HEADER } from "./request-id.js";

export interface CallOptions {
  /** Milliseconds the call may take before it fails with DEADLINE_EXCEEDED. Required: every call has one. */
  timeoutMs: number;
  requestId?: string;
  /**
   * Records the call (observeClientCall) from its metadata on, for a client without the metrics
   * interceptor: the same series and span, without an intercepting layer around every call.
   */
  observe?: (metadata: grpc.Metadata) => ClientCallObserver;
}

/** Starts a unary call of a generated client, for example `(m, o, cb) => client.getBook(req, m, o, cb)`. */
export type UnaryInvoker<Res> = (
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** A promise for one unary call, with a deadline and the request id in the metadata. */
export function callUnary<Res>(invoke: UnaryInvoker<Res>, options: CallOptions): Promise<Res> {
  const metadata = new grpc.Metadata();
  if (options.requestId) metadata.set(REQUEST_ID_HEADER, options.requestId);
  const observer = options.observe?.(metadata);
  return new Promise((resolve, reject) => {
    invoke(metadata, { deadline: Date.now() + options.timeoutMs }, (error, response) => {
      if (error) {
        observer?.end(error.code, error.details);
        reject(error);
        return;
      }
      if (response !== undefined) observer?.received();
      observer?.end(grpc.status.OK, undefined);
      if (response === undefined) reject(new Error("empty response"));
      else resolve(response);
    });
    // A unary request is one message, sent as the call starts.
    observer?.sent();
  });
}
