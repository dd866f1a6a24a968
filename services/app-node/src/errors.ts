import * as grpc from "@grpc/grpc-js";
import { INVALID_FIELD_TRAILER, RpcError } from "@bookstore/wrk-base";

/** One field-level problem, in the JSON names of the API (`pageSize`, `tags.2`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The one error shape of every response: `{ "error": { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: FieldProblem[] };
}

/** An error the client should see, with its HTTP status and a stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): ErrorBody {
    return { error: this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message } };
  }
}

export const invalid = (details: FieldProblem[]): ApiError =>
  new ApiError(400, "INVALID_ARGUMENT", details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
export const unauthenticated = (message: string): ApiError => new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message: string): ApiError => new ApiError(403, "PERMISSION_DENIED", message);
export const notFound = (message: string): ApiError => new ApiError(404, "NOT_FOUND", message);
export const unavailable = (message: string): ApiError => new ApiError(503, "UNAVAILABLE", message);

/**
 * What each gRPC code a backend may answer with means over HTTP: its status, and for a transport
 * failure (whose details name internal addresses) the message said instead.
 */
const HTTP_OF_CODE: Partial<Record<grpc.status, { status: number; transport?: string }>> = {
  [grpc.status.INVALID_ARGUMENT]: { status: 400 },
  [grpc.status.OUT_OF_RANGE]: { status: 400 },
  [grpc.status.UNAUTHENTICATED]: { status: 401 },
  [grpc.status.PERMISSION_DENIED]: { status: 403 },
  [grpc.status.NOT_FOUND]: { status: 404 },
  [grpc.status.ALREADY_EXISTS]: { status: 409 },
  [grpc.status.ABORTED]: { status: 409 },
  [grpc.status.FAILED_PRECONDITION]: { status: 409 },
  [grpc.status.RESOURCE_EXHAUSTED]: { status: 429 },
  [grpc.status.UNAVAILABLE]: { status: 503, transport: "the worker that holds this data cannot be reached now; try again" },
  [grpc.status.DEADLINE_EXCEEDED]: { status: 504, transport: "the worker that holds this data did not answer within the deadline" },
  [grpc.status.CANCELLED]: { status: 503, transport: "the call to the worker was cancelled" },
};

/** Proto field paths (`book.page_token`) in the API's JSON names (`pageToken`). */
export function jsonFieldName(protoPath: string): string {
  return protoPath
    .replace(/^book\./, "")
    .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())
    .replace(/^query$/, "q");
}

interface CallFailure {
  code: grpc.status;
  message: string;
  /** The `x-invalid-field` trailer of a ServiceError, or the field of a local RpcError. */
  field: string | undefined;
}

/** A failed grpc-js call (ServiceError) or an RpcError thrown before any call (routing). */
function callFailureOf(error: unknown): CallFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code !== "number" || grpc.status[code] === undefined) return undefined;
  if (error instanceof RpcError) return { code, message: error.message, field: error.field };
  const { details, metadata } = error as Partial<grpc.ServiceError>;
  if (typeof details !== "string") return undefined;
  const trailer = metadata?.get(INVALID_FIELD_TRAILER)[0];
  return { code, message: details, field: typeof trailer === "string" && trailer !== "" ? trailer : undefined };
}

/**
 * The API error for a failed gRPC call: the code keeps its gRPC name, the status follows the
 * table above, and an INVALID_ARGUMENT names its field from the `x-invalid-field` trailer.
 * Anything else is a 500 whose message says nothing about the inside.
 */
export function fromGrpcError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const failure = callFailureOf(error);
  const http = failure && HTTP_OF_CODE[failure.code];
  if (!failure || http === undefined) return new ApiError(500, "INTERNAL", "internal error");
  const code = grpc.status[failure.code] as string;
  // A transport failure's details name internal addresses: say what it means instead.
  const transport = !(error instanceof RpcError) && http.transport;
  const message = transport || failure.message || code.toLowerCase().replace(/_/g, " ");
  if (failure.code === grpc.status.INVALID_ARGUMENT && failure.field !== undefined) {
    const { field } = failure;
    const name = jsonFieldName(field);
    // The worker's message starts with its own field name: say it in the API's words.
    const problem = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
    return new ApiError(400, "INVALID_ARGUMENT", `${name}: ${problem}`, [{ field: name, message: problem }]);
  }
  return new ApiError(http.status, code, message);
}
