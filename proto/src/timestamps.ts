import type { Timestamp, Timestamp__Output } from "./generated/google/protobuf/Timestamp.js";

/** google.protobuf.Timestamp from a Date (or an ISO string). */
export function toTimestamp(value: Date | string): Timestamp {
  const ms = typeof value === "string" ? Date.parse(value) : value.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** ISO 8601 text of a google.protobuf.Timestamp; undefined when unset. */
export function fromTimestamp(value: Timestamp__Output | null | undefined): string | undefined {
  if (!value) return undefined;
  const seconds = Number(value.seconds);
  return new Date(seconds * 1000 + Math.floor(value.nanos / 1_000_000)).toISOString();
}
