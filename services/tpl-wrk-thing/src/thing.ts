import { toStruct, toTimestamp, type JsonObject, type Thing } from "@bookstore/proto";

/** A thing as the store keeps it. */
export interface StoredThing {
  id: string;
  type: string;
  tags: string[];
  info: JsonObject;
  /** ISO 8601 with milliseconds, UTC: sorts as text in time order. */
  createdAt: string;
  updatedAt: string;
  /** 1 on creation, one more with every change. */
  version: number;
}

/** What a caller decides about a thing: the rest (id, times, version) is the store's. */
export interface ThingContent {
  type: string;
  tags: string[];
  info: JsonObject;
}

export function toThingMessage(thing: StoredThing): Thing {
  return {
    id: thing.id,
    type: thing.type,
    tags: thing.tags,
    info: toStruct(thing.info),
    createdAt: toTimestamp(thing.createdAt),
    updatedAt: toTimestamp(thing.updatedAt),
    version: thing.version,
  };
}
