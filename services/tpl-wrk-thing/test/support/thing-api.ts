// A client of a thing worker's ThingService, as app-node calls it (its certificate), each call
// with a deadline, for the process tests of the template and of every worker built on it.
import { callUnary } from "@bookstore/wrk-base";
import {
  loadContracts,
  toStruct,
  type CountThingsResponse__Output,
  type GetThingResponse__Output,
  type JsonObject,
  type ListThingsRequest,
  type ListThingsResponse__Output,
  type RegisterThingResponse__Output,
  type ThingServiceClient,
  type Thing__Output,
  type UpdateThingResponse__Output,
} from "@bookstore/proto";
import type { ServiceProcess } from "../../../../compose/local/kit/testing/process.js";
import { credentialsOf } from "../../../../compose/local/kit/testing/tls.js";

const TIMEOUT = { timeoutMs: 5_000 };

/** The ThingService of `service`: register, get, update and forget answer the thing; close when done. */
export function thingApi(service: ServiceProcess) {
  const client: ThingServiceClient = new (loadContracts().thing.ThingService)(service.grpcAddress, credentialsOf("app-node"));
  return {
    close: () => client.close(),
    register: (type: string, info: JsonObject = {}, tags: string[] = []) =>
      callUnary<RegisterThingResponse__Output>((m, o, cb) => client.registerThing({ type, tags, info: toStruct(info) }, m, o, cb), TIMEOUT).then((r) => r.thing as Thing__Output),
    get: (id: string) => callUnary<GetThingResponse__Output>((m, o, cb) => client.getThing({ id }, m, o, cb), TIMEOUT).then((r) => r.thing as Thing__Output),
    update: (id: string, expectedVersion: number, info: JsonObject, tags: string[] = []) =>
      callUnary<UpdateThingResponse__Output>((m, o, cb) => client.updateThing({ id, expectedVersion, tags, info: toStruct(info) }, m, o, cb), TIMEOUT).then((r) => r.thing as Thing__Output),
    forget: (id: string, expectedVersion = 0) => callUnary((m, o, cb) => client.forgetThing({ id, expectedVersion }, m, o, cb), TIMEOUT),
    list: (request: ListThingsRequest) => callUnary<ListThingsResponse__Output>((m, o, cb) => client.listThings(request, m, o, cb), TIMEOUT),
    count: (type = "", tag = "") => callUnary<CountThingsResponse__Output>((m, o, cb) => client.countThings({ type, tag }, m, o, cb), TIMEOUT).then((r) => r.count),
  };
}
