import { RACK_ID_PATTERN, invalidArgument, isHostPort } from "@bookstore/wrk-base";
import type { RegisterRequest__Output } from "@bookstore/proto";

/** Worker types name a kind of worker in routes, metrics and logs: short and plain. */
export const WORKER_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** Worker ids are chosen by workers (`book-r1-1a2b3c4d`); they appear in metric labels and logs. */
export const WORKER_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A registration the orchestrator accepts; every field checked. */
export interface WorkerDescription {
  id: string;
  type: string;
  rack: string;
  address: string;
  version: string;
}

export function validateWorkerId(id: string): string {
  if (id === "") throw invalidArgument("id", "required");
  if (!WORKER_ID_PATTERN.test(id)) throw invalidArgument("id", "expected 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
  return id;
}

/** An optional type filter: empty for every type. */
export function validateTypeFilter(type: string): string {
  if (type !== "" && !WORKER_TYPE_PATTERN.test(type)) throw invalidArgument("type", "expected a worker type such as \"book\"");
  return type;
}

export function validateRegistration(request: RegisterRequest__Output): WorkerDescription {
  const id = validateWorkerId(request.id);
  if (request.type === "") throw invalidArgument("type", "required");
  if (!WORKER_TYPE_PATTERN.test(request.type)) {
    throw invalidArgument("type", "expected 1 to 40 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (request.rack !== "" && !RACK_ID_PATTERN.test(request.rack)) {
    throw invalidArgument("rack", "expected 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit");
  }
  if (request.address === "") throw invalidArgument("address", "required");
  if (!isHostPort(request.address)) throw invalidArgument("address", "expected host:port with a port from 1 to 65535, for example 10.0.0.5:50052");
  if (request.version.length > 64) throw invalidArgument("version", "at most 64 characters");
  return { id, type: request.type, rack: request.rack, address: request.address, version: request.version };
}
