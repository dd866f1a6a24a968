import { expect } from "chai";
import { maxYear } from "@bookstore/proto";
import { checkBookFields, checkBorrower, checkText, checkYear, foldAuthor } from "../src/book-fields.js";
import { refusal } from "@bookstore/tpl-wrk-thing/test-support";

describe("wrk-book fields", () => {
  const dune = { title: "Dune", author: "Frank Herbert", isbn: "", year: 1965 };

  it("requires title and author, naming the one that is missing", () => {
    expect(refusal(() => checkBookFields({ ...dune, title: "" })).message).to.equal("title: required");
    expect(refusal(() => checkBookFields({ ...dune, author: "   " })).message).to.equal("author: required");
    expect(refusal(() => checkBookFields({ ...dune, title: "" }, "info.")).message).to.equal("info.title: required");
  });

  it("bounds lengths in characters: title 500, author 200, borrower 200", () => {
    expect(checkBookFields({ ...dune, title: "t".repeat(500), author: "😀".repeat(200) }).author).to.have.length(400);
    expect(refusal(() => checkBookFields({ ...dune, title: "t".repeat(501) })).message).to.equal("title: longer than 500 characters");
    expect(refusal(() => checkBookFields({ ...dune, author: "a".repeat(201) })).message).to.equal("author: longer than 200 characters");
    expect(refusal(() => checkBorrower("b".repeat(201))).message).to.equal("borrower: longer than 200 characters");
    expect(refusal(() => checkBorrower("")).message).to.equal("borrower: required");
  });

  it("stores text trimmed and in NFC, and refuses control characters", () => {
    // "i" followed by a combining acute accent becomes the one character "í".
    expect(checkText("  Gabriel Garci\u0301a  ", "author", 200)).to.equal("Gabriel Garc\u00eda");
    expect(refusal(() => checkText("a\u0000b", "title", 500)).message).to.equal("title: must not contain control characters");
  });

  it("accepts years from -3000 to next year, and 0 for unknown", () => {
    const now = new Date("2025-06-01T00:00:00Z");
    expect(maxYear(now)).to.equal(2026);
    for (const good of [0, -3000, 1, 1965, 2026]) expect(checkYear(good, "year", now)).to.equal(good);
    expect(refusal(() => checkYear(2027, "year", now)).message).to.equal("year: must be from -3000 to 2026 (0 when unknown), got 2027");
    expect(refusal(() => checkYear(-3001, "year", now)).field).to.equal("year");
    expect(refusal(() => checkYear(1965.5, "year", now)).message).to.equal("year: must be a whole number, got 1965.5");
  });

  it("checks and normalizes the ISBN", () => {
    expect(checkBookFields({ ...dune, isbn: "978-0-441-17271-9" }).isbn).to.equal("9780441172719");
    const error = refusal(() => checkBookFields({ ...dune, isbn: "978-0-441-17271-0" }));
    expect(error.message).to.equal("isbn: check digit does not match");
    expect(error.field).to.equal("isbn");
  });

  it("folds authors for the exact, case-insensitive filter, beyond ASCII", () => {
    expect(foldAuthor("  ÉMILE ZOLA ")).to.equal("émile zola");
    expect(foldAuthor("Émile Zola")).to.equal(foldAuthor("émile zola"));
    expect(foldAuthor("E\u0301mile")).to.equal(foldAuthor("Émile"));
  });
});
