import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";

export const REQUEST_ID_HEADER = "x-request-id";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's request id when it is safe to log and forward, else a new one. */
export function acceptRequestId(candidate: string | undefined): string {
  return candidate !== undefined && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** The ids already read, by the metadata they came in: the interceptor reads a call's, its handler reuses it. */
const readIds = new WeakMap<grpc.Metadata, string>();

/** The request id of a call's metadata (see acceptRequestId), read once per call. */
export function requestIdOf(metadata: grpc.Metadata): string {
  let id = readIds.get(metadata);
  if (id === undefined) {
    const value = metadata.get(REQUEST_ID_HEADER)[0];
    id = acceptRequestId(typeof value === "string" ? value : undefined);
    readIds.set(metadata, id);
  }
  return id;
}
