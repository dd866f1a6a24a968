// One validator per book: a subclass of BookWorker that narrows the book rules in the one hook
// (validateThing) sees them applied to every write, BookService and ThingService alike.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { callUnary, invalidArgument } from "@bookstore/wrk-base";
import {
  loadContracts,
  toStruct,
  type BookServiceClient,
  type CreateBookResponse__Output,
  type RegisterThingResponse__Output,
  type ThingServiceClient,
  type UpdateBookResponse__Output,
} from "@bookstore/proto";
import type { StoredThing, ThingContent } from "@bookstore/tpl-wrk-thing";
import { BookWorker } from "../src/worker.js";
import { failureOf, freePort, tempDir } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf, tlsEnvOf } from "../../../compose/local/kit/testing/tls.js";

/** A rack that refuses one title, through the hook only. */
class NoSequelsWorker extends BookWorker {
  protected override validateThing(content: ThingContent, previous: StoredThing | undefined): ThingContent {
    const checked = super.validateThing(content, previous);
    if (String(checked.info.title).endsWith(" II")) throw invalidArgument("info.title", "no sequels on this rack");
    return checked;
  }
}

describe("wrk-book writes, through the one validation hook", function () {
  this.timeout(10_000);
  const timeout = { timeoutMs: 2_000 };
  /** The rack under test, in this process, and its two clients; made before the tests. */
  let rack: { dir: ReturnType<typeof tempDir>; worker: NoSequelsWorker; books: BookServiceClient; things: ThingServiceClient } | undefined;
  const books = () => rack?.books as BookServiceClient;
  const things = () => rack?.things as ThingServiceClient;

  before(async () => {
    const dir = tempDir("book-hook");
    // ORK_ADDR: a port nothing listens on, so the rack runs alone (its registration retries in the background).
    const [grpcPort, httpPort, orkPort] = [await freePort(), await freePort(), await freePort()];
    const env = { BIND_HOST: "127.0.0.1", GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ORK_ADDR: `127.0.0.1:${orkPort}`, DATA_DIR: dir.path, RACK_ID: "hook-1", LOG_LEVEL: "silent", ...(await tlsEnvOf({ role: "worker", type: "book", rack: "hook-1" })) };
    const worker = new NoSequelsWorker({ version: "0.0.0-test", env });
    await worker.start();
    const contracts = loadContracts();
    const address = `127.0.0.1:${grpcPort}`;
    rack = {
      dir,
      worker,
      books: new contracts.book.BookService(address, credentialsOf("app-node")),
      things: new contracts.thing.ThingService(address, credentialsOf("app-node")),
    };
  });

  after(async () => {
    rack?.books.close();
    rack?.things.close();
    await rack?.worker.stop("test over");
    rack?.dir.remove();
  });

  it("refuses on CreateBook, UpdateBook and RegisterThing alike, naming the field as each names it", async () => {
    const create = (title: string) =>
      callUnary<CreateBookResponse__Output>((m, o, cb) => books().createBook({ title, author: "Frank Herbert" }, m, o, cb), timeout);
    const refused = await failureOf(create("Dune II"));
    expect(refused.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(refused.details).to.equal("title: no sequels on this rack");
    expect(refused.metadata.get("x-invalid-field")).to.deep.equal(["title"]);

    const { book } = await create(" Dune ");
    expect(book?.title, "the hook's normalizing is what is stored").to.equal("Dune");
    const update = (title: string) =>
      callUnary<UpdateBookResponse__Output>((m, o, cb) => books().updateBook({ id: book?.id, book: { title }, updateMask: { paths: ["title"] } }, m, o, cb), timeout);
    expect((await failureOf(update("Dune II"))).details).to.equal("title: no sequels on this rack");
    expect((await update("Dune Messiah")).book).to.deep.include({ title: "Dune Messiah", author: "Frank Herbert", version: 2 });

    const register = callUnary<RegisterThingResponse__Output>(
      (m, o, cb) => things().registerThing({ type: "book", tags: [], info: toStruct({ title: "Dune II", author: "Frank Herbert" }) }, m, o, cb),
      timeout,
    );
    expect((await failureOf(register)).details).to.equal("info.title: no sequels on this rack");
  });
});

describe("wrk-book hook order", () => {
  /** Calls a hook the way a host could, before start (so before onInit). */
  class EarlyServices extends BookWorker {
    servicesBeforeInit(server: grpc.Server): string[] {
      return this.addServices(server);
    }
  }

  it("adds its services before onInit ran: the store is opened by its first use", async () => {
    const dir = tempDir("book-order");
    const env = { DATA_DIR: dir.path, RACK_ID: "order-1", LOG_LEVEL: "silent", ...(await tlsEnvOf({ role: "worker", type: "book", rack: "order-1" })) };
    const worker = new EarlyServices({ version: "0.0.0-test", env });
    try {
      expect(worker.servicesBeforeInit(new grpc.Server())).to.include.members(["bookstore.thing.v1.ThingService", "bookstore.book.v1.BookService"]);
      expect(worker.rack).to.equal("order-1");
    } finally {
      await worker.stop("test over");
      dir.remove();
    }
  });
});
