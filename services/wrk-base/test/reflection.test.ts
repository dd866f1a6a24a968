// Server reflection over the descriptors `buf build` made: what a strict client (grpcurl, buf curl)
// needs is the real files, their imports, and every import reachable. Asked the way grpcurl asks:
// file_containing_symbol, then file_by_filename for each import it has not got yet.
import { expect } from "chai";
import descriptor, { type IFileDescriptorProto } from "protobufjs/ext/descriptor/index.js";
import protobuf from "protobufjs";
import { DescriptorIndex, ReflectionServer, descriptorIndex } from "../src/reflection.js";
import { DESCRIPTOR_SET_BASE64 } from "@bookstore/proto";

const decode = (bytes: Uint8Array): IFileDescriptorProto => descriptor.FileDescriptorProto.decode(bytes) as unknown as IFileDescriptorProto;
const SERVICES = ["bookstore.worker.v1.WorkerService", "bookstore.book.v1.BookService", "grpc.health.v1.Health"];

function filesOf(answer: ReturnType<ReflectionServer["answer"]>): IFileDescriptorProto[] {
  if (!answer.file_descriptor_response) throw new Error(`no files: ${JSON.stringify(answer.error_response)}`);
  return answer.file_descriptor_response.file_descriptor_proto.map(decode);
}

describe("server reflection over the buf-built descriptors", () => {
  const server = new ReflectionServer(SERVICES);

  it("answers file_containing_symbol with the original file and its imports, under their own names", () => {
    const files = filesOf(server.answer({ message_request: "file_containing_symbol", file_containing_symbol: "bookstore.book.v1.BookService" }, new Set()));
    expect(files.map((file) => file.name)).to.deep.equal([
      "bookstore/book/v1/book.proto",
      "google/protobuf/field_mask.proto",
      "google/protobuf/timestamp.proto",
    ]);
    expect(files[0]?.package).to.equal("bookstore.book.v1");
    expect(files[0]?.dependency).to.deep.equal(["google/protobuf/field_mask.proto", "google/protobuf/timestamp.proto"]);
    // Source info is kept, so a client's describe can show the comments.
    expect(files[0]?.sourceCodeInfo?.location?.length).to.be.greaterThan(0);
  });

  it("gives a complete set to a client that follows every import by file name, as grpcurl does", () => {
    const sent = new Set<string>();
    const have = new Map<string, IFileDescriptorProto>();
    const take = (files: IFileDescriptorProto[]): void => files.forEach((file) => have.set(file.name ?? "", file));
    for (const service of SERVICES) take(filesOf(server.answer({ message_request: "file_containing_symbol", file_containing_symbol: service }, sent)));
    for (let missing = [...have.values()].flatMap((file) => file.dependency as string[]).filter((name) => !have.has(name)); missing.length > 0; ) {
      take(filesOf(server.answer({ message_request: "file_by_filename", file_by_filename: missing[0] }, sent)));
      missing = [...have.values()].flatMap((file) => file.dependency as string[]).filter((name) => !have.has(name));
    }
    // protobufjs links the files and resolves every type a method or field names, or throws
    // (ext/descriptor adds fromDescriptor to Root; its typings do not say so).
    const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: { file: IFileDescriptorProto[] }): protobuf.Root }).fromDescriptor;
    const root = fromDescriptor({ file: [...have.values()] });
    root.resolveAll();
    expect(root.lookupService("bookstore.book.v1.BookService").methods.UpdateBook?.resolvedRequestType?.fields.update_mask?.resolvedType?.fullName).to.equal(
      ".google.protobuf.FieldMask",
    );
    expect(root.lookupService("grpc.health.v1.Health").methods.Check).to.not.equal(undefined);
  });

  it("does not send a file twice on one stream, but always sends the file asked for", () => {
    const sent = new Set<string>();
    server.answer({ message_request: "file_containing_symbol", file_containing_symbol: "bookstore.book.v1.BookService" }, sent);
    const again = filesOf(server.answer({ message_request: "file_by_filename", file_by_filename: "bookstore/book/v1/book.proto" }, sent));
    expect(again.map((file) => file.name)).to.deep.equal(["bookstore/book/v1/book.proto"]);
    const worker = filesOf(server.answer({ message_request: "file_containing_symbol", file_containing_symbol: "bookstore.worker.v1.PingRequest" }, sent));
    expect(worker.map((file) => file.name)).to.deep.equal(["bookstore/worker/v1/worker.proto"]);
  });

  it("finds methods, fields, nested names and enum values (scoped beside their enum)", () => {
    for (const symbol of [
      "bookstore.book.v1.BookService.UpdateBook",
      "bookstore.book.v1.Book.title",
      "bookstore.book.v1.BookStatus",
      "bookstore.book.v1.BOOK_STATUS_CHECKED_OUT",
      "grpc.health.v1.HealthCheckResponse.ServingStatus",
      "google.protobuf.Timestamp",
    ]) {
      const [file] = filesOf(server.answer({ message_request: "file_containing_symbol", file_containing_symbol: symbol }, new Set()));
      expect(file?.name, symbol).to.be.a("string");
    }
  });

  it("lists the services it was given, and answers NOT_FOUND (5) for what it does not have", () => {
    expect(server.answer({ message_request: "list_services", list_services: "*" }, new Set()).list_services_response?.service.map((s) => s.name)).to.deep.equal(SERVICES);
    expect(server.answer({ message_request: "file_containing_symbol", file_containing_symbol: "bookstore.book.v1.Nope" }, new Set()).error_response).to.deep.equal({
      error_code: 5,
      error_message: "symbol bookstore.book.v1.Nope not found",
    });
    expect(server.answer({ message_request: "file_by_filename", file_by_filename: "book.proto" }, new Set()).error_response?.error_code).to.equal(5);
    expect(server.answer({ message_request: "all_extension_numbers_of_type", all_extension_numbers_of_type: "bookstore.book.v1.Book" }, new Set()).all_extension_numbers_response).to.deep.equal({
      base_type_name: "bookstore.book.v1.Book",
      extension_number: [],
    });
    expect(server.answer({ message_request: "all_extension_numbers_of_type", all_extension_numbers_of_type: "no.Such" }, new Set()).error_response?.error_code).to.equal(5);
  });

  it("refuses a service that is not in the descriptor set, and a set with a missing import", () => {
    expect(() => new ReflectionServer(["bookstore.nope.v1.NopeService"])).to.throw(/not in the descriptor set/);
    const book = descriptorIndex().files.get("bookstore/book/v1/book.proto");
    if (!book) throw new Error("book.proto missing from the generated set");
    const onlyBook = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(book.bytes).finish();
    expect(() => new DescriptorIndex(onlyBook)).to.throw("bookstore/book/v1/book.proto imports google/protobuf/field_mask.proto, which is missing");
  });

  it("serves each file's bytes exactly as buf built them", () => {
    const set = Buffer.from(DESCRIPTOR_SET_BASE64, "base64");
    const served = [...descriptorIndex().files.values()].map((file) => Buffer.from(file.bytes));
    const reencoded = Buffer.concat(served.map((bytes) => protobuf.Writer.create().uint32((1 << 3) | 2).bytes(bytes).finish()));
    expect(reencoded.equals(set)).to.equal(true);
  });
});
