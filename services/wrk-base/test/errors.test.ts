// What a handler's RpcError becomes on the wire: the code and message, and for a bad field both
// the trailer the gateway reads and the google.rpc.Status that generic clients decode.
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { INVALID_FIELD_TRAILER, invalidArgument, notFound, toServiceError } from "../src/errors.js";
import { STATUS_DETAILS_TRAILER, decodeBadRequestStatus } from "../src/status-details.js";

describe("errors on the wire", () => {
  it("gives an INVALID_ARGUMENT the field trailer and a google.rpc.Status with a BadRequest violation", () => {
    const status = toServiceError(invalidArgument("book.year", "must be at most 2027"));
    expect(status).to.include({ code: grpc.status.INVALID_ARGUMENT, details: "book.year: must be at most 2027" });
    expect(status.metadata?.get(INVALID_FIELD_TRAILER)).to.deep.equal(["book.year"]);
    const [details] = status.metadata?.get(STATUS_DETAILS_TRAILER) ?? [];
    expect(Buffer.isBuffer(details)).to.equal(true);
    expect(decodeBadRequestStatus(details as Buffer)).to.deep.equal({
      code: grpc.status.INVALID_ARGUMENT,
      message: "book.year: must be at most 2027",
      violations: [{ field: "book.year", description: "must be at most 2027" }],
    });
  });

  it("adds no details to errors that name no field, and hides unexpected errors", () => {
    const status = toServiceError(notFound("book rack-1.x"));
    expect(status).to.include({ code: grpc.status.NOT_FOUND, details: "book rack-1.x not found" });
    expect(status.metadata?.get(STATUS_DETAILS_TRAILER)).to.deep.equal([]);
    expect(toServiceError(new Error("disk on fire"))).to.deep.equal({ code: grpc.status.INTERNAL, details: "internal error" });
  });
});
