import * as grpc from "@grpc/grpc-js";
import {
  invalidArgument,
  notFound,
  unary,
  RpcError,
  type Logger,
} from "@bookstore/wrk-base";
import { decodePageToken, encodePageToken, fromStruct, type ThingServiceHandlers } from "@bookstore/proto";
import { checkInfoSize, checkTag, checkType, expectedVersionOf, normalizeTags, pageSizeOf, requireId } from "./rules.js";
import type { ThingFilter, ThingStore } from "./store.js";
import { toThingMessage, type StoredThing, type ThingContent } from "./thing.js";

/** What a worker decides about the things it accepts (see the hooks of ThingWorker). */
export interface ThingPolicy {
  /** The types this worker stores; empty: any type. */
  readonly types: readonly string[];
  /**
   * Checks and normalizes a thing's content before it is stored; throws `invalidArgument(field, ...)`.
   * `previous` is the stored thing when this is an update.
   */
  validate(content: ThingContent, previous: StoredThing | undefined): ThingContent;
}

/**
 * Runs a worker's policy for a write through its typed service (wrk-book's BookService, a
 * generated worker's Create), so that a subclass's `validateThing` refuses there what it refuses
 * on the ThingService: one validator per thing, not a second copy of its rules in the typed
 * handlers. The policy names a thing's fields as the ThingService shows them (`info.title`); a
 * typed service's requests and messages name them at the top level (`title`), so a field error
 * named `info.x` is rethrown as `x`; every other error passes unchanged.
 */
export function validateTyped(policy: ThingPolicy, content: ThingContent, previous: StoredThing | undefined): ThingContent {
  try {
    return policy.validate(content, previous);
  } catch (error) {
    if (error instanceof RpcError && error.code === grpc.status.INVALID_ARGUMENT && error.field?.startsWith("info.")) {
      throw invalidArgument(error.field.slice("info.".length), error.problem ?? error.message);
    }
    throw error;
  }
}

export const THING_SERVICE = "bookstore.thing.v1.ThingService";

/** The generic bookstore.thing.v1.ThingService over one rack's store. */
export function thingServiceHandlers(store: ThingStore, policy: ThingPolicy, log: Logger): ThingServiceHandlers {
  const acceptedType = (type: string): string => {
    checkType(type);
    if (policy.types.length > 0 && !policy.types.includes(type)) throw invalidArgument("type", `this worker stores only ${policy.types.join(", ")}`);
    return type;
  };
  const filterOf = (request: { type: string; tag: string }): ThingFilter => ({
    type: request.type === "" ? undefined : checkType(request.type),
    tag: request.tag === "" ? undefined : checkTag(request.tag, "tag"),
  });

  return {
    RegisterThing: unary(log, (request) => {
      const type = acceptedType(request.type);
      const content = policy.validate({ type, tags: normalizeTags(request.tags), info: checkInfoSize(fromStruct(request.info)) }, undefined);
      return { thing: toThingMessage(store.insert(content)) };
    }),

    GetThing: unary(log, (request) => {
      const id = requireId(request.id);
      const thing = store.get(id);
      if (!thing) throw notFound(`thing ${id}`);
      return { thing: toThingMessage(thing) };
    }),

    UpdateThing: unary(log, (request) => {
      const id = requireId(request.id);
      const expectedVersion = expectedVersionOf(request.expectedVersion);
      const tags = normalizeTags(request.tags);
      const info = checkInfoSize(fromStruct(request.info));
      const thing = store.update(id, expectedVersion, (current) => {
        const { tags: nextTags, info: nextInfo } = policy.validate({ type: current.type, tags, info }, current);
        return { tags: nextTags, info: nextInfo };
      });
      return { thing: toThingMessage(thing) };
    }),

    ForgetThing: unary(log, (request) => {
      store.remove(requireId(request.id), expectedVersionOf(request.expectedVersion));
      return {};
    }),

    ListThings: unary(log, (request) => {
      const filter = filterOf(request);
      const size = pageSizeOf(request.pageSize);
      const page = store.list(filter, size, decodePageToken(request.pageToken));
      return { things: page.things.map(toThingMessage), nextPageToken: page.next ? encodePageToken(page.next) : "" };
    }),

    CountThings: unary(log, (request) => ({ count: store.count(filterOf(request)) })),
  };
}
