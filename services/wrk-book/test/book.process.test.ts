// wrk-book as a real process on loopback, called over gRPC like app-node and grpcurl call it.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { callUnary } from "@bookstore/wrk-base";
import {
  fromStruct,
  loadContracts,
  type BookServiceClient,
  type Book__Output,
  type CheckoutBookResponse__Output,
  type CreateBookRequest,
  type CreateBookResponse__Output,
  type GetBookResponse__Output,
  type GetInfoResponse__Output,
  type ListBooksRequest,
  type ListBooksResponse__Output,
  type ReturnBookResponse__Output,
  type UpdateBookRequest,
  type UpdateBookResponse__Output,
} from "@bookstore/proto";
import { type ServiceProcess, checkHealth, describeSymbol, failureOf, holdCall, httpGet, inListingOrder, listServices, metricValue, until } from "../../../compose/local/kit/testing/process.js";
import { rackForSuite, thingApi, withRack } from "@bookstore/tpl-wrk-thing/test-support";
import { credentialsOf } from "../../../compose/local/kit/testing/tls.js";

const BOOK_SERVICE = "bookstore.book.v1.BookService";
const TIMEOUT = { timeoutMs: 5_000 };

function bookApi(service: ServiceProcess) {
  const books: BookServiceClient = new (loadContracts().book.BookService)(service.grpcAddress, credentialsOf("app-node"));
  const things = thingApi(service);
  const book = (response: { book: Book__Output | null }) => response.book as Book__Output;
  return {
    close: () => {
      books.close();
      things.close();
    },
    create: (request: CreateBookRequest) => callUnary<CreateBookResponse__Output>((m, o, cb) => books.createBook(request, m, o, cb), TIMEOUT).then(book),
    get: (id: string) => callUnary<GetBookResponse__Output>((m, o, cb) => books.getBook({ id }, m, o, cb), TIMEOUT).then(book),
    update: (request: UpdateBookRequest) => callUnary<UpdateBookResponse__Output>((m, o, cb) => books.updateBook(request, m, o, cb), TIMEOUT).then(book),
    remove: (id: string, expectedVersion = 0) => callUnary((m, o, cb) => books.deleteBook({ id, expectedVersion }, m, o, cb), TIMEOUT),
    list: (request: ListBooksRequest) => callUnary<ListBooksResponse__Output>((m, o, cb) => books.listBooks(request, m, o, cb), TIMEOUT),
    checkout: (id: string, borrower: string) => callUnary<CheckoutBookResponse__Output>((m, o, cb) => books.checkoutBook({ id, borrower }, m, o, cb), TIMEOUT).then(book),
    giveBack: (id: string) => callUnary<ReturnBookResponse__Output>((m, o, cb) => books.returnBook({ id }, m, o, cb), TIMEOUT).then(book),
    /** The same worker's ThingService. */
    things,
  };
}

async function rackOf(service: ServiceProcess): Promise<string> {
  const workers = new (loadContracts().worker.WorkerService)(service.grpcAddress, credentialsOf("app-node"));
  try {
    return (await callUnary<GetInfoResponse__Output>((m, o, cb) => workers.getInfo({}, m, o, cb), TIMEOUT)).rack;
  } finally {
    workers.close();
  }
}

describe("wrk-book as a process", function () {
  this.timeout(30_000);
  const worker = rackForSuite("wrk-book", { RACK_ID: "books-1" }, bookApi);

  it("reports SERVING for the server and for the book service", async () => {
    expect(await checkHealth(worker.service.grpcAddress)).to.equal("SERVING");
    expect(await checkHealth(worker.service.grpcAddress, BOOK_SERVICE)).to.equal("SERVING");
    expect(await checkHealth(worker.service.grpcAddress, "bookstore.thing.v1.ThingService")).to.equal("SERVING");
  });

  it("lists the book service by reflection, as `grpcurl -cacert ca.pem 127.0.0.1:50052 list` would", async () => {
    expect(await listServices(worker.service.grpcAddress)).to.deep.equal([
      BOOK_SERVICE,
      "bookstore.thing.v1.ThingService",
      "bookstore.worker.v1.WorkerService",
      "grpc.health.v1.Health",
    ]);
    const descriptors = Buffer.concat(await describeSymbol(worker.service.grpcAddress, BOOK_SERVICE)).toString("latin1");
    for (const method of ["CreateBook", "GetBook", "UpdateBook", "DeleteBook", "ListBooks", "CheckoutBook", "ReturnBook"]) expect(descriptors).to.include(method);
  });

  it("creates, gets, updates and deletes a book over the wire", async () => {
    const created = await worker.api.create({ title: "Dune", author: "Frank Herbert", isbn: "978-0-441-17271-9", year: 1965, tags: ["sf", "classic"] });
    expect(created).to.deep.include({
      title: "Dune",
      author: "Frank Herbert",
      isbn: "9780441172719",
      year: 1965,
      tags: ["sf", "classic"],
      status: "BOOK_STATUS_AVAILABLE",
      borrower: "",
      version: 1,
    });
    expect(created.id).to.match(/^books-1\.[0-9a-f-]{36}$/);
    expect(await worker.api.get(created.id)).to.deep.equal(created);

    const updated = await worker.api.update({ id: created.id, book: { title: "Dune (50th anniversary)", year: 2015 }, updateMask: { paths: ["title", "year"] }, expectedVersion: 1 });
    expect(updated).to.deep.include({ title: "Dune (50th anniversary)", year: 2015, author: "Frank Herbert", isbn: "9780441172719", version: 2 });
    const retagged = await worker.api.update({ id: created.id, book: { tags: ["sf"] }, updateMask: { paths: ["tags"] } });
    expect(retagged.tags).to.deep.equal(["sf"]);

    await worker.api.remove(created.id, 3);
    const gone = await failureOf(worker.api.get(created.id));
    expect(gone.code).to.equal(grpc.status.NOT_FOUND);
    expect(gone.details).to.equal(`book ${created.id} not found`);
  });

  it("checks a book out to a borrower and takes it back; a second checkout fails with FAILED_PRECONDITION", async () => {
    const book = await worker.api.create({ title: "Neuromancer", author: "William Gibson" });
    const out = await worker.api.checkout(book.id, "ann");
    expect(out).to.deep.include({ status: "BOOK_STATUS_CHECKED_OUT", borrower: "ann", version: 2 });
    const again = await failureOf(worker.api.checkout(book.id, "bob"));
    expect(again.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(again.details).to.equal(`book ${book.id} is already checked out`);
    const back = await worker.api.giveBack(book.id);
    expect(back).to.deep.include({ status: "BOOK_STATUS_AVAILABLE", borrower: "", version: 3 });
    const twice = await failureOf(worker.api.giveBack(book.id));
    expect(twice.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(twice.details).to.equal(`book ${book.id} is not checked out`);
  });

  it("lets exactly one of many simultaneous checkouts of a book win", async () => {
    const book = await worker.api.create({ title: "Contested", author: "Many Readers" });
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => worker.api.checkout(book.id, `reader-${i}`)));
    const won = attempts.filter((a) => a.status === "fulfilled");
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).to.have.length(1);
    expect(lost.map((a) => (a.reason as grpc.ServiceError).code)).to.deep.equal(Array(7).fill(grpc.status.FAILED_PRECONDITION));
    expect((await worker.api.get(book.id)).borrower).to.equal((won[0] as PromiseFulfilledResult<Book__Output>).value.borrower);
  });

  it("searches title and author by words and prefixes, filters, and pages", async () => {
    const shelf = [
      await worker.api.create({ title: "Search Alpha", author: "Ursula K. Le Guin", tags: ["searchable"] }),
      await worker.api.create({ title: "Search Beta", author: "ursula k. le guin", tags: ["searchable"] }),
      await worker.api.create({ title: "Search Gamma", author: "Octavia E. Butler", tags: ["searchable"] }),
      await worker.api.create({ title: "Search Delta", author: "Octavia E. Butler", tags: ["searchable", "late"] }),
      await worker.api.create({ title: "Search Epsilon", author: "Ted Chiang", tags: ["searchable"] }),
    ];
    const ids = (page: ListBooksResponse__Output) => page.books.map((b) => b.id);
    const listed = (...books: Array<Book__Output | undefined>) => inListingOrder(books as Book__Output[]).map((b) => b.id);
    expect(ids(await worker.api.list({ query: "search guin" }))).to.deep.equal(listed(shelf[0], shelf[1]));
    expect(ids(await worker.api.list({ query: "sear octa" }))).to.deep.equal(listed(shelf[2], shelf[3]));
    expect(ids(await worker.api.list({ author: "URSULA K. LE GUIN" }))).to.deep.equal(listed(shelf[0], shelf[1]));
    expect(ids(await worker.api.list({ tag: "late" }))).to.deep.equal([shelf[3]?.id]);
    expect((await worker.api.list({ query: 'NEAR("unbalanced' })).books).to.deep.equal([]);

    await worker.api.checkout(shelf[4]?.id as string, "zed");
    expect(ids(await worker.api.list({ tag: "searchable", status: "BOOK_STATUS_CHECKED_OUT" }))).to.deep.equal([shelf[4]?.id]);

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await worker.api.list({ tag: "searchable", pageSize: 2, pageToken });
      expect(page.books.length).to.be.at.most(2);
      seen.push(...ids(page));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).to.deep.equal(listed(...shelf));
  });

  it("answers bad input with INVALID_ARGUMENT and a message naming the field", async () => {
    const cases: Array<[Promise<unknown>, string, string]> = [
      [worker.api.create({ title: "", author: "A" }), "title", "title: required"],
      [worker.api.create({ title: "T", author: "" }), "author", "author: required"],
      [worker.api.create({ title: "T", author: "A", isbn: "978-0-441-17271-0" }), "isbn", "isbn: check digit does not match"],
      [worker.api.create({ title: "T", author: "A", year: 99999 }), "year", "year: must be from -3000 to"],
      [worker.api.create({ title: "x".repeat(501), author: "A" }), "title", "title: longer than 500 characters"],
      [worker.api.create({ title: "T", author: "A", tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }), "tags", "tags: at most 32 tags"],
      [worker.api.update({ id: "books-1.x", book: { title: "T" }, updateMask: { paths: [] } }), "update_mask", "update_mask: name the fields to change"],
      [worker.api.update({ id: "books-1.x", book: { title: "T" }, updateMask: { paths: ["status"] } }), "update_mask", 'update_mask: cannot change "status"'],
      [worker.api.update({ id: "books-1.x", book: { title: "" }, updateMask: { paths: ["title"] } }), "title", "title: required"],
      [worker.api.checkout("books-1.x", ""), "borrower", "borrower: required"],
      [worker.api.list({ query: "word ".repeat(17) }), "query", "query: more than 16 words"],
      [worker.api.list({ pageSize: 1001 }), "page_size", "page_size: must be from 1 to 1000"],
      [worker.api.list({ pageToken: "forged" }), "page_token", "page_token: not a token this service issued"],
      [worker.api.get(""), "id", "id: required"],
    ];
    for (const [call, field, message] of cases) {
      const error = await failureOf(call);
      expect(error.code, message).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(error.details).to.contain(message);
      expect(error.metadata.get("x-invalid-field"), message).to.deep.equal([field]);
    }
  });

  it("answers ABORTED on a stale version and NOT_FOUND for an unknown book", async () => {
    const book = await worker.api.create({ title: "Versioned", author: "A" });
    await worker.api.checkout(book.id, "ann");
    const stale = await failureOf(worker.api.update({ id: book.id, book: { title: "New" }, updateMask: { paths: ["title"] }, expectedVersion: 1 }));
    expect(stale.code).to.equal(grpc.status.ABORTED);
    expect(stale.details).to.equal(`book ${book.id} is at version 2, not 1: read it again and retry`);
    expect((await failureOf(worker.api.remove(book.id, 1))).code).to.equal(grpc.status.ABORTED);
    for (const call of [worker.api.get("books-1.nope"), worker.api.checkout("books-1.nope", "ann"), worker.api.giveBack("books-1.nope"), worker.api.remove("books-1.nope")]) {
      expect((await failureOf(call)).code).to.equal(grpc.status.NOT_FOUND);
    }
  });

  it("serves books through the inherited ThingService, with the book rules", async () => {
    const thing = await worker.api.things.register("book", { title: "Via Things", author: "Generic Client", isbn: "0-306-40615-2" }, ["thing-api"]);
    expect(fromStruct(thing.info)).to.deep.equal({ title: "Via Things", author: "Generic Client", isbn: "0306406152", year: 0, status: "available", borrower: "" });
    expect(await worker.api.get(thing.id)).to.deep.include({ title: "Via Things", status: "BOOK_STATUS_AVAILABLE" });
    expect((await worker.api.list({ query: "via things" })).books.map((b) => b.id)).to.deep.equal([thing.id]);

    const otherType = await failureOf(worker.api.things.register("lamp", {}));
    expect(otherType.details).to.equal("type: this worker stores only book");
    const bad = await failureOf(worker.api.things.register("book", { title: "No author" }));
    expect(bad.details).to.equal("info.author: required");
    expect(bad.metadata.get("x-invalid-field")).to.deep.equal(["info.author"]);

    await worker.api.checkout(thing.id, "ann");
    const sneaky = await failureOf(worker.api.things.update(thing.id, 0, { title: "Via Things", author: "Generic Client", status: "available", borrower: "" }));
    expect(sneaky.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(sneaky.details).to.equal("info.status: is checked_out; it changes only through CheckoutBook and ReturnBook");
  });

  it("shows grpc_server_* with the right labels and the book metrics after calls", async () => {
    const { text } = await httpGet(worker.service.httpUrl, "/metrics");
    const create = { grpc_service: BOOK_SERVICE, grpc_method: "CreateBook", grpc_type: "unary" };
    // Dune, Neuromancer, Contested, five on the search shelf and Versioned.
    expect(metricValue(text, "grpc_server_started_total", create)).to.equal(15);
    expect(metricValue(text, "grpc_server_handled_total", { ...create, grpc_code: "OK" })).to.equal(9);
    expect(metricValue(text, "grpc_server_handled_total", { ...create, grpc_code: "InvalidArgument" })).to.equal(6);
    expect(metricValue(text, "grpc_server_handled_total", { grpc_service: BOOK_SERVICE, grpc_method: "CheckoutBook", grpc_code: "FailedPrecondition" })).to.equal(8);
    expect(metricValue(text, "grpc_server_handling_seconds_count", { ...create, grpc_code: "OK" })).to.equal(9);
    // Every call brought its request; only the nine that succeeded answered with a book.
    expect(metricValue(text, "grpc_server_msg_received_total", create)).to.equal(15);
    expect(metricValue(text, "grpc_server_msg_sent_total", create)).to.equal(9);

    const listed = await worker.api.list({ pageSize: 1000 });
    const out = listed.books.filter((b) => b.status === "BOOK_STATUS_CHECKED_OUT").length;
    expect(metricValue(text, "book_books", { rack: "books-1", status: "checked_out" })).to.equal(out);
    expect(metricValue(text, "book_books", { rack: "books-1", status: "available" })).to.equal(listed.books.length - out);
    expect(metricValue(text, "book_checkouts_total", { rack: "books-1" })).to.equal(5);
    expect(metricValue(text, "book_returns_total", { rack: "books-1" })).to.equal(1);
    expect(metricValue(text, "thing_things", { rack: "books-1", type: "book" })).to.equal(listed.books.length);
  });
});

describe("wrk-book durability and shutdown", function () {
  this.timeout(30_000);

  it("keeps acknowledged books, checkouts and its rack after SIGKILL and a new start", async () => {
    await withRack("wrk-book", {}, async (worker) => {
      let api = bookApi(worker.process);
      const rack = await rackOf(worker.process);
      const made: Book__Output[] = [];
      for (let i = 0; i < 10; i++) made.push(await api.create({ title: `Kept ${i}`, author: "Durable Writer", tags: ["kept"] }));
      const out = await api.checkout(made[3]?.id as string, "ann");
      api.close();
      expect(await worker.process.stop("SIGKILL")).to.deep.equal({ code: null, signal: "SIGKILL" });

      api = bookApi(await worker.startAgain());
      expect(await rackOf(worker.process)).to.equal(rack);
      expect(await api.get(out.id)).to.deep.equal(out);
      expect((await api.list({ tag: "kept", pageSize: 50 })).books.map((b) => b.id)).to.deep.equal(inListingOrder(made).map((b) => b.id));
      expect((await api.list({ query: "kept durable" })).books).to.have.length(10);
      api.close();
    });
  });

  it("on SIGTERM finishes a CreateBook in flight, answers it, stores it, then exits 0", async () => {
    await withRack("wrk-book", { RACK_ID: "drain" }, async (worker) => {
      const service = worker.process;
      const create = loadContracts().book.BookService.service.CreateBook;
      const held = await holdCall(service.grpcAddress, create.path, create.requestSerialize({ title: "Written while draining", author: "Last Caller" }));
      await until(async () => metricValue((await httpGet(service.httpUrl, "/metrics")).text, "grpc_server_started_total", { grpc_method: "CreateBook" }) === 1);

      service.kill("SIGTERM");
      await until(async () => (await httpGet(service.httpUrl, "/readyz")).status === 503);
      expect(service.running).to.equal(true);

      const result = await held.finish();
      expect(result.code, result.details).to.equal(grpc.status.OK);
      const { book } = create.responseDeserialize(result.message) as CreateBookResponse__Output;
      expect(book?.title).to.equal("Written while draining");
      expect(await service.exited).to.deep.equal({ code: 0, signal: null });

      const api = bookApi(await worker.startAgain({ RACK_ID: "drain" }));
      expect((await api.get(book?.id as string)).title).to.equal("Written while draining");
      api.close();
    });
  });
});
