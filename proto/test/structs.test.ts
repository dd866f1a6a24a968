import { expect } from "chai";
import type { JsonObject } from "../src/structs.js";
import { fromStruct, toStruct } from "../src/structs.js";
import { fromTimestamp, toTimestamp } from "../src/timestamps.js";
import { loadContracts } from "../src/protos.js";
import type { RegisterThingRequest__Output } from "../src/generated/bookstore/thing/v1/RegisterThingRequest.js";

describe("proto structs and timestamps", () => {
  const sample: JsonObject = {
    title: "Dune",
    year: 1965,
    rating: 4.5,
    inPrint: true,
    missing: null,
    tags: ["sf", 1, false, null, ["nested"]],
    publisher: { name: "Chilton", address: { city: "Philadelphia" } },
    empty: {},
  };

  it("survive the trip through the wire format (protobuf Struct)", () => {
    // The real serializer of a message with a Struct field, as a client and a server use it.
    const method = loadContracts().thing.ThingService.service.RegisterThing;
    const bytes = method.requestSerialize({ type: "x", tags: [], info: toStruct(sample) });
    const decoded = method.requestDeserialize(bytes) as RegisterThingRequest__Output;
    expect(fromStruct(decoded.info)).to.deep.equal(sample);
  });

  it("read an absent Struct as an empty object", () => {
    expect(fromStruct(null)).to.deep.equal({});
    expect(fromStruct(undefined)).to.deep.equal({});
  });

  it("keep milliseconds in timestamps, before 1970 too", () => {
    for (const iso of ["2025-03-01T10:00:00.123Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00.000Z"]) {
      const timestamp = toTimestamp(iso);
      expect(timestamp.nanos).to.be.within(0, 999_999_999);
      expect(fromTimestamp({ seconds: Number(timestamp.seconds), nanos: timestamp.nanos ?? 0 })).to.equal(iso);
    }
    expect(fromTimestamp(null)).to.equal(undefined);
  });
});
