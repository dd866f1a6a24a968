import * as grpc from "@grpc/grpc-js";
import {
  RpcError,
  callUnary,
  createLogger,
  channelCredentials,
  invalidArgument,
  unary,
} from "@bookstore/wrk-base";
import { type BookServiceClient, type BookServiceHandlers, type GetBookResponse__Output, loadContracts } from "@bookstore/proto";
import { expect } from "chai";
import { fromGrpcError, jsonFieldName } from "../src/errors.js";

/** Handlers that fail with the status named by the requested id, through wrk-base's real `unary`. */
function failingHandlers(): Partial<BookServiceHandlers> {
  const log = createLogger("test", "silent");
  return {
    GetBook: unary(log, async (request: { id: string }) => {
      if (request.id === "slow") {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { book: null };
      }
      if (request.id === "field") throw invalidArgument("page_token", "not a token this service issued");
      if (request.id === "crash") throw new Error("disk on fire at /var/lib/secret");
      const code = grpc.status[request.id as keyof typeof grpc.status] as grpc.status;
      throw new RpcError(code, `failed with ${request.id}`);
    }),
  };
}

describe("app-node maps gRPC failures to HTTP errors", () => {
  let server: grpc.Server;
  let client: BookServiceClient;

  before(async () => {
    const contracts = loadContracts();
    server = new grpc.Server();
    server.addService(contracts.book.BookService.service, failingHandlers() as BookServiceHandlers);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = new contracts.book.BookService(`127.0.0.1:${port}`, channelCredentials({ insecure: true }));
  });

  after(() => {
    client.close();
    server.forceShutdown();
  });

  async function failureOf(id: string, timeoutMs = 2_000): Promise<unknown> {
    try {
      await callUnary<GetBookResponse__Output>((m, o, cb) => client.getBook({ id }, m, o, cb), { timeoutMs });
    } catch (error) {
      return error;
    }
    throw new Error("the call did not fail");
  }

  for (const [code, status] of [
    ["NOT_FOUND", 404],
    ["ALREADY_EXISTS", 409],
    ["ABORTED", 409],
    ["FAILED_PRECONDITION", 409],
    ["UNAVAILABLE", 503],
    ["UNAUTHENTICATED", 401],
    ["PERMISSION_DENIED", 403],
    ["INVALID_ARGUMENT", 400],
    ["UNIMPLEMENTED", 500],
  ] as const) {
    it(`${code} → ${status}`, async () => {
      const error = fromGrpcError(await failureOf(code));
      expect(error.status).to.equal(status);
      expect(error.code).to.equal(status === 500 ? "INTERNAL" : code);
    });
  }

  it("names the field of an INVALID_ARGUMENT from the x-invalid-field trailer, in the API's words", async () => {
    const error = fromGrpcError(await failureOf("field"));
    expect(error.toBody()).to.deep.equal({
      error: {
        code: "INVALID_ARGUMENT",
        message: "pageToken: not a token this service issued",
        details: [{ field: "pageToken", message: "not a token this service issued" }],
      },
    });
  });

  it("DEADLINE_EXCEEDED → 504 without the transport's details", async () => {
    const error = fromGrpcError(await failureOf("slow", 100));
    expect(error.status).to.equal(504);
    expect(error.code).to.equal("DEADLINE_EXCEEDED");
    expect(error.message).to.equal("the worker that holds this data did not answer within the deadline");
  });

  it("a worker's internal error is a 500 that tells nothing of the inside", async () => {
    const error = fromGrpcError(await failureOf("crash"));
    expect(error.toBody()).to.deep.equal({ error: { code: "INTERNAL", message: "internal error" } });
  });

  it("an RpcError raised before any call (an unhealthy rack) keeps its message", () => {
    const error = fromGrpcError(new RpcError(grpc.status.UNAVAILABLE, "book rack rack-2 is down"));
    expect([error.status, error.code, error.message]).to.deep.equal([503, "UNAVAILABLE", "book rack rack-2 is down"]);
  });

  it("anything else is a plain 500", () => {
    expect(fromGrpcError(new TypeError("x is undefined")).status).to.equal(500);
    expect(fromGrpcError({ code: 99, details: "?" }).status).to.equal(500);
  });

  it("turns proto field paths into JSON names", () => {
    expect(jsonFieldName("page_token")).to.equal("pageToken");
    expect(jsonFieldName("book.title")).to.equal("title");
    expect(jsonFieldName("query")).to.equal("q");
    expect(jsonFieldName("expected_version")).to.equal("expectedVersion");
  });
});
