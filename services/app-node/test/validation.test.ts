import { expect } from "chai";
import { MIN_YEAR, maxYear } from "@bookstore/proto";
import { ApiError } from "../src/errors.js";
import { CheckoutSchema, CreateBookSchema, DeleteBookQuery, ListBooksQuery, UpdateBookSchema } from "../src/schemas.js";
import { parseInput } from "../src/validation.js";
import { toCreateRequest, toListRequest, toUpdateRequest } from "../src/books.js";

function problemsOf(run: () => unknown): Array<{ field: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).status).to.equal(400);
    expect((error as ApiError).code).to.equal("INVALID_ARGUMENT");
    return (error as ApiError).details ?? [];
  }
  throw new Error("expected a 400");
}

describe("app-node request validation", () => {
  it("accepts a full book and maps it to CreateBook", () => {
    const body = parseInput(CreateBookSchema, { title: "Dune", author: "Frank Herbert", isbn: "978-0-441-17271-9", year: 1965, tags: ["sf"] }, "body");
    expect(toCreateRequest(body)).to.deep.equal({ title: "Dune", author: "Frank Herbert", isbn: "978-0-441-17271-9", year: 1965, tags: ["sf"] });
    expect(toCreateRequest(parseInput(CreateBookSchema, { title: "T", author: "A" }, "body"))).to.deep.equal({ title: "T", author: "A", isbn: "", year: 0, tags: [] });
  });

  it("names every bad field of a new book", () => {
    const problems = problemsOf(() => parseInput(CreateBookSchema, { author: "", year: 1.5, tags: ["ok", ""], isbn: "abc", colour: "red" }, "body"));
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField).to.have.keys("title", "author", "year", "tags.1", "isbn", "colour");
    expect(byField.title).to.equal("required");
    expect(byField.colour).to.equal("unknown field");
  });

  it("counts characters as the racks do: code points, not UTF-16 units", () => {
    expect(parseInput(CreateBookSchema, { title: "😀".repeat(500), author: "A" }, "body").title).to.have.length(1000);
    expect(problemsOf(() => parseInput(CreateBookSchema, { title: "😀".repeat(501), author: "A" }, "body"))).to.deep.equal([
      { field: "title", message: "Too big: expected at most 500 characters" },
    ]);
  });

  it("takes years within the racks' bounds, read from the same source: up to next year", () => {
    const next = maxYear();
    expect(parseInput(CreateBookSchema, { title: "T", author: "A", year: next }, "body").year).to.equal(next);
    expect(parseInput(CreateBookSchema, { title: "T", author: "A", year: MIN_YEAR }, "body").year).to.equal(MIN_YEAR);
    expect(problemsOf(() => parseInput(CreateBookSchema, { title: "T", author: "A", year: next + 1 }, "body"))).to.deep.equal([
      { field: "year", message: `Too big: expected at most ${next} (next year)` },
    ]);
    expect(problemsOf(() => parseInput(UpdateBookSchema, { year: MIN_YEAR - 1 }, "body")).map((p) => p.field)).to.deep.equal(["year"]);
  });

  it("refuses a body that is not an object, naming the body", () => {
    expect(problemsOf(() => parseInput(CreateBookSchema, [1, 2], "body"))).to.deep.equal([
      { field: "body", message: "Invalid input: expected object, received array" },
    ]);
  });

  it("needs at least one field to change, and maps the present ones to the update mask", () => {
    expect(problemsOf(() => parseInput(UpdateBookSchema, { expectedVersion: 3 }, "body"))[0]?.message).to.include("name at least one of");
    const body = parseInput(UpdateBookSchema, { title: "New", isbn: null, year: null, expectedVersion: 4 }, "body");
    expect(toUpdateRequest("rack-1.x", body)).to.deep.equal({
      id: "rack-1.x",
      book: { title: "New", isbn: "", year: 0 },
      updateMask: { paths: ["title", "isbn", "year"] },
      expectedVersion: 4,
    });
  });

  it("reads list queries from strings and refuses unknown or repeated parameters", () => {
    const query = parseInput(ListBooksQuery, { q: "dune", status: "checked_out", pageSize: "20" }, "query");
    expect(toListRequest(query, query.pageSize ?? 50)).to.deep.equal({
      query: "dune",
      author: "",
      tag: "",
      status: "BOOK_STATUS_CHECKED_OUT",
      pageSize: 20,
      pageToken: "",
    });
    const problems = problemsOf(() => parseInput(ListBooksQuery, { pageSize: "0", status: "lost", tag: ["a", "b"], page_size: "3" }, "query"));
    expect(problems.map((p) => p.field).sort()).to.deep.equal(["pageSize", "page_size", "status", "tag"]);
    expect(problemsOf(() => parseInput(ListBooksQuery, { pageSize: "ten" }, "query"))[0]?.field).to.equal("pageSize");
    expect(problemsOf(() => parseInput(DeleteBookQuery, { expectedVersion: "-1" }, "query"))[0]?.field).to.equal("expectedVersion");
  });

  it("takes an empty checkout body and refuses an empty borrower", () => {
    expect(parseInput(CheckoutSchema, {}, "body")).to.deep.equal({});
    expect(problemsOf(() => parseInput(CheckoutSchema, { borrower: "" }, "body"))[0]?.field).to.equal("borrower");
  });
});
