// The rich error model that clients in any language decode: a google.rpc.Status in the
// `grpc-status-details-bin` trailer, with the details packed as google.protobuf.Any. Encoded from
// the same descriptors reflection serves (google/rpc/status.proto and error_details.proto), so
// grpcurl can decode the details it is sent through reflection.
import type * as protoLoader from "@grpc/proto-loader";
import { descriptorDefinition } from "./reflection.js";

/** The trailer that carries the encoded google.rpc.Status. */
export const STATUS_DETAILS_TRAILER = "grpc-status-details-bin";

export interface FieldViolation {
  /** The request field, as a path: `title`, `book.year`, `info.watts`. */
  field: string;
  description: string;
}

function messageType(name: string): protoLoader.MessageTypeDefinition<object, object> {
  const type = descriptorDefinition()[name] as protoLoader.MessageTypeDefinition<object, object> | undefined;
  if (!type?.serialize) throw new Error(`${name} is not in the descriptor set (run npm run proto:gen)`);
  return type;
}

/** A google.rpc.Status with one google.rpc.BadRequest detail listing the field violations. */
export function badRequestStatus(code: number, message: string, violations: readonly FieldViolation[]): Buffer {
  const badRequest = messageType("google.rpc.BadRequest").serialize({ field_violations: violations });
  return messageType("google.rpc.Status").serialize({
    code,
    message,
    details: [{ type_url: "type.googleapis.com/google.rpc.BadRequest", value: badRequest }],
  });
}

/** The field violations of one encoded google.rpc.BadRequest. */
export function decodeBadRequest(bytes: Buffer): FieldViolation[] {
  const badRequest = messageType("google.rpc.BadRequest").deserialize(bytes) as { field_violations: FieldViolation[] };
  return badRequest.field_violations.map(({ field, description }) => ({ field, description }));
}

/** Decodes a google.rpc.Status and its BadRequest details (what a client does with the trailer). */
export function decodeBadRequestStatus(bytes: Buffer): { code: number; message: string; violations: FieldViolation[] } {
  const status = messageType("google.rpc.Status").deserialize(bytes) as { code: number; message: string; details: Array<{ type_url: string; value: Buffer }> };
  const violations = status.details
    .filter((detail) => detail.type_url === "type.googleapis.com/google.rpc.BadRequest")
    .flatMap((detail) => decodeBadRequest(detail.value));
  return { code: status.code, message: status.message, violations };
}
