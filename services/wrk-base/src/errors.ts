import * as grpc from "@grpc/grpc-js";
import { STATUS_DETAILS_TRAILER, badRequestStatus } from "./status-details.js";

/** Trailer that names the request field an INVALID_ARGUMENT is about, for gateways to relay. */
export const INVALID_FIELD_TRAILER = "x-invalid-field";

/** An error with the gRPC status a handler wants the caller to see. */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly field?: string,
    /** What is wrong with `field`, without its name: the BadRequest violation's description. */
    readonly problem?: string,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export const invalidArgument = (field: string, problem: string): RpcError =>
  new RpcError(grpc.status.INVALID_ARGUMENT, `${field}: ${problem}`, field, problem);
export const notFound = (what: string): RpcError => new RpcError(grpc.status.NOT_FOUND, `${what} not found`);
export const alreadyExists = (what: string): RpcError => new RpcError(grpc.status.ALREADY_EXISTS, `${what} already exists`);
export const aborted = (message: string): RpcError => new RpcError(grpc.status.ABORTED, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(grpc.status.FAILED_PRECONDITION, message);
export const unavailable = (message: string): RpcError => new RpcError(grpc.status.UNAVAILABLE, message);

/** The status a grpc-js callback or stream should end with for an error thrown by a handler. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> & { code: grpc.status; details: string } {
  if (error instanceof RpcError) {
    const metadata = new grpc.Metadata();
    if (error.field) {
      metadata.set(INVALID_FIELD_TRAILER, error.field);
      // The same fact for generic clients (grpcurl, buf curl, other languages): the rich error model.
      metadata.set(STATUS_DETAILS_TRAILER, badRequestStatus(error.code, error.message, [{ field: error.field, description: error.problem ?? error.message }]));
    }
    return { code: error.code, details: error.message, metadata };
  }
  return { code: grpc.status.INTERNAL, details: "internal error" };
}

/** True when a client call failed with one of the given codes. */
export function hasCode(error: unknown, ...codes: grpc.status[]): boolean {
  return typeof error === "object" && error !== null && codes.includes((error as { code?: grpc.status }).code as grpc.status);
}
