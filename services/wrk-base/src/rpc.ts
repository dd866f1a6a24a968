import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "./logger.js";
import { PageTokenError } from "@bookstore/proto";
import { RpcError, invalidArgument, toServiceError } from "./errors.js";
import { requestIdOf } from "./request-id.js";
import { spanOf, traceFields } from "./tracing.js";
import { callIdentity } from "./tls/authorize.js";
import type { Identity } from "./tls/identity.js";

/** What a handler knows about the call besides its request. */
export interface CallContext {
  requestId: string;
  /** Logger with the request id (and the trace, when the call is in one) on every line. */
  log: Logger;
  metadata: grpc.Metadata;
  /** The caller's verified identity (its certificate); undefined only with TLS_INSECURE=1. */
  identity: Identity | undefined;
}

export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res> | Res;

/**
 * Adapts an async handler to grpc-js: thrown RpcErrors become their status, a bad page token
 * becomes INVALID_ARGUMENT, anything else INTERNAL (logged with its stack, never sent).
 */
export function unary<Req, Res>(log: Logger, handler: UnaryHandler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const requestId = requestIdOf(call.metadata);
    // Most handlers never log: the child logger is made when one does.
    let child: Logger | undefined;
    const context: CallContext = {
      requestId,
      get log() {
        return (child ??= log.child({ requestId, ...traceFields(spanOf(call.metadata)) }));
      },
      metadata: call.metadata,
      get identity() {
        return callIdentity(call);
      },
    };
    Promise.resolve()
      .then(() => handler(call.request, context))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(asServiceError(error, context)),
      );
  };
}

export function asServiceError(error: unknown, context: Pick<CallContext, "log">): Partial<grpc.StatusObject> & { code: grpc.status; details: string } {
  const known = error instanceof PageTokenError ? invalidArgument("page_token", "not a token this service issued") : error;
  if (!(known instanceof RpcError)) context.log.error({ err: error }, "handler failed");
  return toServiceError(known);
}
