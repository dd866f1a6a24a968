import { expect } from "chai";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { RpcError } from "@bookstore/wrk-base";
import { ThingStore } from "@bookstore/tpl-wrk-thing";
import { bookInfoObject, readBookInfo } from "../src/book.js";
import { bookSchema } from "../src/book-schema.js";
import { Lending } from "../src/lending.js";
import { tempDir } from "../../../compose/local/kit/testing/process.js";
import { failure } from "@bookstore/tpl-wrk-thing/test-support";

describe("wrk-book lending", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: ThingStore;
  let lending: Lending;
  const newBook = () => store.insert({ type: "book", tags: [], info: bookInfoObject({ title: "T", author: "A", isbn: "", year: 0, status: "available", borrower: "" }) });

  beforeEach(() => {
    dir = tempDir("lending");
    store = ThingStore.open({ path: join(dir.path, "r.sqlite"), rack: "r", extension: bookSchema });
    lending = new Lending(store);
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  it("checks out an available book to a borrower and takes it back", () => {
    const book = newBook();
    const out = lending.checkout(book.id, "ann");
    expect(readBookInfo(out.info)).to.include({ status: "checked_out", borrower: "ann" });
    expect(out.version).to.equal(2);
    const back = lending.giveBack(book.id);
    expect(readBookInfo(back.info)).to.include({ status: "available", borrower: "" });
    expect(back.version).to.equal(3);
  });

  it("refuses to check out a book that is out, and to return one that is in", () => {
    const book = newBook();
    const notOut = failure(() => lending.giveBack(book.id));
    expect(notOut.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(notOut.message).to.equal(`book ${book.id} is not checked out`);
    lending.checkout(book.id, "ann");
    const out = failure(() => lending.checkout(book.id, "bob"));
    expect(out.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(out.message).to.equal(`book ${book.id} is already checked out`);
    expect(readBookInfo(store.get(book.id)?.info ?? {}).borrower).to.equal("ann");
  });

  it("returns a book for a named borrower only when that borrower has it, in the same step", () => {
    const book = newBook();
    lending.checkout(book.id, "ann");
    const wrong = failure(() => lending.giveBack(book.id, "bob"));
    expect(wrong.code).to.equal(grpc.status.FAILED_PRECONDITION);
    expect(wrong.message).to.equal(`book ${book.id} is not checked out by bob`);
    expect(readBookInfo(store.get(book.id)?.info ?? {})).to.include({ status: "checked_out", borrower: "ann" });
    const back = lending.giveBack(book.id, "ann");
    expect(readBookInfo(back.info)).to.include({ status: "available", borrower: "" });
  });

  it("answers NOT_FOUND for an unknown id and for things that are not books", () => {
    expect(failure(() => lending.checkout("r.missing", "ann")).message).to.equal("book r.missing not found");
    const gadget = store.insert({ type: "gadget", tags: [], info: { status: "available" } });
    expect(failure(() => lending.checkout(gadget.id, "ann")).code).to.equal(grpc.status.NOT_FOUND);
  });

  it("lets exactly one of two connections win a race for the same book", () => {
    // A second connection to the same file, as a second process would have.
    const other = ThingStore.open({ path: join(dir.path, "r.sqlite"), rack: "r", extension: bookSchema });
    try {
      const rival = new Lending(other);
      const book = newBook();
      const outcomes = [() => lending.checkout(book.id, "ann"), () => rival.checkout(book.id, "bob"), () => lending.checkout(book.id, "cy")].map((attempt) => {
        try {
          attempt();
          return "won";
        } catch (error) {
          return (error as RpcError).code === grpc.status.FAILED_PRECONDITION ? "lost" : String(error);
        }
      });
      expect(outcomes).to.deep.equal(["won", "lost", "lost"]);
      expect(readBookInfo(other.get(book.id)?.info ?? {}).borrower).to.equal("ann");
    } finally {
      other.close();
    }
  });

  it("counts books by status", () => {
    expect(lending.countByStatus()).to.deep.equal({ available: 0, checked_out: 0 });
    const [a] = [newBook(), newBook(), newBook()];
    lending.checkout(a.id, "ann");
    store.insert({ type: "gadget", tags: [], info: { status: "available" } });
    expect(lending.countByStatus()).to.deep.equal({ available: 2, checked_out: 1 });
    store.close();
    expect(lending.countByStatus()).to.equal(undefined);
  });
});
