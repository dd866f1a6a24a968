// What a synchronous call of a store, a rule or a hook throws, for the tests of the template and of
// the workers built on it: the error object itself, so a test can check its code, field and message.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { RpcError } from "@bookstore/wrk-base";

/** The error `work` throws; the test fails if it returns. */
export function failure(work: () => unknown): RpcError {
  try {
    work();
  } catch (error) {
    return error as RpcError;
  }
  throw new Error("expected a failure");
}

/** The INVALID_ARGUMENT a check throws, for its message and field; the test fails on any other outcome. */
export function refusal(check: () => unknown): RpcError {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(RpcError);
    expect((error as RpcError).code).to.equal(grpc.status.INVALID_ARGUMENT);
    return error as RpcError;
  }
  throw new Error("the check accepted the value");
}
