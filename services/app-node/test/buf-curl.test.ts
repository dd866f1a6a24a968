// The five gRPC servers of `npm start` (wrk-ork, two wrk-book racks, wrk-base, tpl-wrk-thing) as
// an operator with grpcurl or buf curl sees them: real processes on loopback, asked with `buf curl`
// by server reflection alone (no --schema, no .proto file). buf links what reflection sends with
// Go's protobuf runtime, as grpcurl does, so a descriptor that a strict client cannot link fails
// here. The expected method lists come from the contracts the services load, not from this file.
import { expect } from "chai";
import { service as healthService } from "grpc-health-check";
import descriptor from "protobufjs/ext/descriptor/index.js";
import protobuf from "protobufjs";
import { loadContracts } from "@bookstore/proto";
import { decodeBadRequest } from "../../wrk-base/src/status-details.js";
import {
  type ServiceProcess,
  bufCurl,
  bufCurlJson,
  reflectedFiles,
  startServices,
  tempDir,
} from "../../../compose/local/kit/testing/process.js";

interface Server {
  name: string;
  process: ServiceProcess;
  /** The services reflection must list, besides grpc.health.v1.Health. */
  services: Array<{ name: string; definition: Record<string, { path: string }> }>;
}

interface BookJson {
  id: string;
  title: string;
  author: string;
  year?: number;
  status: string;
  borrower?: string;
  version: string;
}

const methodsOf = (definition: Record<string, { path: string }>): string[] => Object.values(definition).map((method) => method.path.slice(1));

describe("buf curl by reflection alone against the five gRPC servers", function () {
  this.timeout(120_000);
  const contracts = loadContracts();
  const worker = { name: "bookstore.worker.v1.WorkerService", definition: contracts.worker.WorkerService.service };
  const book = { name: "bookstore.book.v1.BookService", definition: contracts.book.BookService.service };
  const thing = { name: "bookstore.thing.v1.ThingService", definition: contracts.thing.ThingService.service };
  const data = tempDir("buf-curl");
  const servers: Server[] = [];
  const url = (server: Server | undefined, path = ""): string => {
    if (!server) throw new Error("server not started");
    return `${server.process.grpcUrl}${path}`;
  };
  const rack1 = (): Server | undefined => servers.find((server) => server.name === "wrk-book rack-1");

  before(async () => {
    // Five node processes starting at once on two shared cores can take a while.
    const servingTimeoutMs = 60_000;
    const started = await startServices([
      { service: "wrk-ork", servingTimeoutMs },
      { service: "wrk-book", env: { DATA_DIR: `${data.path}/rack-1`, RACK_ID: "rack-1" }, servingTimeoutMs },
      { service: "wrk-book", env: { DATA_DIR: `${data.path}/rack-2`, RACK_ID: "rack-2" }, servingTimeoutMs },
      { service: "wrk-base", servingTimeoutMs },
      { service: "tpl-wrk-thing", env: { DATA_DIR: `${data.path}/thing` }, servingTimeoutMs },
    ]);
    const [ork, rackOne, rackTwo, base, things] = started as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    servers.push(
      { name: "wrk-ork", process: ork, services: [worker, { name: "bookstore.ork.v1.OrchestratorService", definition: contracts.ork.OrchestratorService.service }] },
      // wrk-book extends the thing template, so its racks serve ThingService too.
      { name: "wrk-book rack-1", process: rackOne, services: [worker, thing, book] },
      { name: "wrk-book rack-2", process: rackTwo, services: [worker, thing, book] },
      { name: "wrk-base", process: base, services: [worker] },
      { name: "tpl-wrk-thing", process: things, services: [worker, thing] },
    );
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.process.stop()));
    data.remove();
  });

  it("lists every service and every method of each server, over reflection v1 and v1alpha", async () => {
    for (const server of servers) {
      const expectedServices = [...server.services.map((service) => service.name), "grpc.health.v1.Health"].sort();
      const expectedMethods = [...server.services.flatMap((service) => methodsOf(service.definition)), ...methodsOf(healthService)].sort();
      for (const protocol of ["grpc-v1", "grpc-v1alpha"]) {
        const services = await bufCurl(["--reflect-protocol", protocol, "--list-services", url(server)]);
        expect(services.stderr, `${server.name} ${protocol}`).to.equal("");
        expect(services.stdout.trim().split("\n").sort(), `${server.name} ${protocol}`).to.deep.equal(expectedServices);
        const methods = await bufCurl(["--reflect-protocol", protocol, "--list-methods", url(server)]);
        expect(methods.stderr, `${server.name} ${protocol}`).to.equal("");
        expect(methods.stdout.trim().split("\n").sort(), `${server.name} ${protocol}`).to.deep.equal(expectedMethods);
      }
    }
  });

  it("describes the book messages from reflection's file lookups, as grpcurl describe does", async () => {
    const files = await reflectedFiles(rack1()?.process.grpcAddress ?? "", "bookstore.book.v1.BookService");
    expect([...files.keys()].sort()).to.deep.equal(["bookstore/book/v1/book.proto", "google/protobuf/field_mask.proto", "google/protobuf/timestamp.proto"]);
    const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: unknown): protobuf.Root }).fromDescriptor;
    const root = fromDescriptor({ file: [...files.values()].map((bytes) => descriptor.FileDescriptorProto.decode(bytes)) });
    root.resolveAll();
    const bookType = root.lookupType("bookstore.book.v1.Book");
    expect(Object.keys(bookType.fields)).to.deep.equal(["id", "title", "author", "isbn", "year", "tags", "status", "borrower", "created_at", "updated_at", "version"]);
    expect(bookType.fields.created_at?.resolvedType?.fullName).to.equal(".google.protobuf.Timestamp");
    expect(root.lookupType("bookstore.book.v1.UpdateBookRequest").fields.update_mask?.resolvedType?.fullName).to.equal(".google.protobuf.FieldMask");
    // buf curl encodes requests from the same schema: a field the message lacks is named.
    const unknown = await bufCurl(["-d", '{"title":"Dune","nope":1}', url(rack1(), "/bookstore.book.v1.BookService/CreateBook")]);
    expect(unknown.code).to.not.equal(0);
    expect(unknown.stderr).to.match(/unknown field "nope"/);
  });

  it("runs the calls the service pages show: create, get, update with a field mask, list, check out, health", async () => {
    const call = (method: string, body: unknown) => bufCurlJson<{ book: BookJson }>(["-d", JSON.stringify(body), url(rack1(), `/bookstore.book.v1.BookService/${method}`)]);
    const created = (await call("CreateBook", { title: "Dune", author: "Frank Herbert", isbn: "978-0-441-17271-9", year: 1965, tags: ["sf"] })).book;
    expect(created).to.include({ title: "Dune", author: "Frank Herbert", year: 1965, status: "BOOK_STATUS_AVAILABLE", version: "1" });
    expect(created.id).to.match(/^rack-1\.[0-9a-f-]{36}$/);
    expect((await call("GetBook", { id: created.id })).book).to.deep.equal(created);

    const updated = (await call("UpdateBook", { id: created.id, book: { title: "Dune Messiah", year: 1969, author: "ignored" }, updateMask: "title,year", expectedVersion: 1 })).book;
    expect(updated).to.include({ id: created.id, title: "Dune Messiah", year: 1969, author: "Frank Herbert", version: "2" });

    const listed = await bufCurlJson<{ books: BookJson[] }>(["-d", '{"query":"messiah"}', url(rack1(), "/bookstore.book.v1.BookService/ListBooks")]);
    expect(listed.books.map((item) => item.id)).to.deep.equal([created.id]);

    const out = (await call("CheckoutBook", { id: created.id, borrower: "ann" })).book;
    expect(out).to.include({ status: "BOOK_STATUS_CHECKED_OUT", borrower: "ann", version: "3" });

    for (const server of servers) {
      expect(await bufCurlJson(["-d", "{}", url(server, "/grpc.health.v1.Health/Check")]), server.name).to.deep.equal({ status: "SERVING" });
    }
    expect(await bufCurlJson(["-d", JSON.stringify({ service: book.name }), url(rack1(), "/grpc.health.v1.Health/Check")])).to.deep.equal({ status: "SERVING" });
    const ping = await bufCurlJson<{ message: string; time: string }>(["-d", '{"message":"hello"}', url(servers[3], "/bookstore.worker.v1.WorkerService/Ping")]);
    expect(ping.message).to.equal("hello");
    expect(Math.abs(Date.parse(ping.time) - Date.now())).to.be.lessThan(60_000);
  });

  it("shows a failing field check as INVALID_ARGUMENT with a google.rpc.BadRequest field violation", async () => {
    const result = await bufCurl(["-d", '{"title":"","author":"Frank Herbert"}', url(rack1(), "/bookstore.book.v1.BookService/CreateBook")]);
    expect(result.code).to.equal(3 * 8); // buf curl exits with the gRPC code times 8
    const error = JSON.parse(result.stderr) as { code: string; message: string; details: Array<{ type: string; value: string }> };
    expect(error).to.deep.include({ code: "invalid_argument", message: "title: required" });
    // buf curl prints a detail whose type its own binary does not link as type and base64 value
    // (grpcurl decodes it through reflection, which serves google/rpc/error_details.proto).
    expect(error.details.map((detail) => detail.type)).to.deep.equal(["google.rpc.BadRequest"]);
    expect(decodeBadRequest(Buffer.from(error.details[0]?.value ?? "", "base64"))).to.deep.equal([{ field: "title", description: "required" }]);
  });
});
