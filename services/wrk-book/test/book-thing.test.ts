import { expect } from "chai";
import type { StoredThing } from "@bookstore/tpl-wrk-thing";
import { toBookMessage, validateBookThing, statusFromWire } from "../src/book.js";
import { refusal } from "@bookstore/tpl-wrk-thing/test-support";

const stored = (info: Record<string, string | number>): StoredThing => ({
  id: "r.1",
  type: "book",
  tags: [],
  info: { title: "Dune", author: "Frank Herbert", isbn: "", year: 1965, status: "available", borrower: "", ...info },
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  version: 1,
});

describe("wrk-book rules for books written through the ThingService", () => {
  const content = (info: Record<string, unknown>) => ({ type: "book", tags: ["x"], info: info as never });

  it("checks a new book like CreateBook does, naming info.<field>, and fills status and borrower", () => {
    expect(refusal(() => validateBookThing(content({ author: "A" }), undefined)).message).to.equal("info.title: required");
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", isbn: "123" }), undefined)).field).to.equal("info.isbn");
    expect(validateBookThing(content({ title: " T ", author: "A", isbn: "0-306-40615-2" }), undefined)).to.deep.equal({
      type: "book",
      tags: ["x"],
      info: { title: "T", author: "A", isbn: "0306406152", year: 0, status: "available", borrower: "" },
    });
  });

  it("refuses fields that are not a book's, and values of the wrong kind", () => {
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", pages: 3 }), undefined)).message).to.match(/^info\.pages: not a book field/);
    expect(refusal(() => validateBookThing(content({ title: 7, author: "A" }), undefined)).message).to.equal("info.title: must be a string");
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", year: "1965" }), undefined)).message).to.equal("info.year: must be a number");
  });

  it("lets status and borrower change only through checkout and return", () => {
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", status: "checked_out", borrower: "ann" }), undefined)).field).to.equal("info.status");
    const out = stored({ status: "checked_out", borrower: "ann" });
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", status: "available" }), out)).field).to.equal("info.status");
    expect(refusal(() => validateBookThing(content({ title: "T", author: "A", borrower: "bob" }), out)).field).to.equal("info.borrower");
    // Left out or repeated unchanged, they keep their stored values.
    expect(validateBookThing(content({ title: "T", author: "A" }), out).info).to.include({ status: "checked_out", borrower: "ann" });
    expect(validateBookThing(content({ title: "T", author: "A", status: "checked_out", borrower: "ann" }), out).info).to.include({ title: "T" });
  });

  it("maps stored books to the wire and filter statuses from it", () => {
    const book = toBookMessage(stored({ status: "checked_out", borrower: "ann" }));
    expect(book).to.deep.include({ id: "r.1", title: "Dune", status: "BOOK_STATUS_CHECKED_OUT", borrower: "ann", version: 1 });
    expect(statusFromWire("BOOK_STATUS_UNSPECIFIED")).to.equal(undefined);
    expect(statusFromWire("BOOK_STATUS_AVAILABLE")).to.equal("available");
    expect(refusal(() => statusFromWire(7)).message).to.equal("status: unknown status 7");
  });
});
