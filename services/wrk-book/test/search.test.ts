import { expect } from "chai";
import { join } from "node:path";
import { ThingStore, type StoredThing } from "@bookstore/tpl-wrk-thing";
import { bookInfoObject, type StoredStatus } from "../src/book.js";
import { bookSchema } from "../src/book-schema.js";
import { bookFilter, searchExpression, type BookQuery } from "../src/book-search.js";
import { Lending } from "../src/lending.js";
import { tempDir } from "../../../compose/local/kit/testing/process.js";

describe("wrk-book search", () => {
  it("quotes every word and matches each as a prefix", () => {
    expect(searchExpression("dune herb")).to.equal('"dune"* "herb"*');
    expect(searchExpression('  "AND" OR NEAR(x y) title:dune* -foo ^bar ')).to.equal('"AND"* "OR"* "NEAR"* "x"* "y"* "title"* "dune"* "foo"* "bar"*');
    expect(searchExpression("O'Brien")).to.equal('"O"* "Brien"*');
    expect(searchExpression("!!! ***")).to.equal(undefined);
  });

  it("bounds the query", () => {
    expect(() => searchExpression("x".repeat(201))).to.throw("query: longer than 200 characters");
    expect(() => searchExpression(Array.from({ length: 17 }, (_, i) => `w${i}`).join(" "))).to.throw("query: more than 16 words");
  });

  describe("against a real store", () => {
    let dir: ReturnType<typeof tempDir>;
    let store: ThingStore;
    let lending: Lending;
    const books: Record<string, StoredThing> = {};
    const add = (key: string, title: string, author: string, tags: string[] = [], status: StoredStatus = "available") => {
      books[key] = store.insert({ type: "book", tags, info: bookInfoObject({ title, author, isbn: "", year: 0, status, borrower: "" }) });
    };
    const find = (query: Partial<BookQuery>): string[] => {
      const filter = bookFilter({ query: "", author: "", tag: "", status: undefined, ...query });
      if (!filter) return [];
      const byId = new Map(Object.entries(books).map(([key, book]) => [book.id, key]));
      // Sorted by name: books made in the same millisecond are listed in the order of their ids.
      return store.list(filter, 100).things.map((thing) => byId.get(thing.id) as string).sort();
    };

    before(() => {
      dir = tempDir("book-search");
      store = ThingStore.open({ path: join(dir.path, "r.sqlite"), rack: "r", extension: bookSchema });
      lending = new Lending(store);
      add("dune", "Dune", "Frank Herbert", ["sf"]);
      add("messiah", "Dune Messiah", "Frank Herbert", ["sf"]);
      add("solitude", "Cien años de soledad", "Gabriel García Márquez", ["classic"]);
      add("zola", "Germinal", "Émile Zola", ["classic"]);
      add("quotes", 'The "Quoted" Book: AND OR NOT', "Anon");
      store.insert({ type: "gadget", tags: ["sf"], info: { title: "Dune lamp", author: "Frank Herbert" } });
    });
    after(() => {
      store.close();
      dir.remove();
    });

    it("finds words anywhere in title or author, by prefix, all words required", () => {
      expect(find({ query: "dune" })).to.deep.equal(["dune", "messiah"]);
      expect(find({ query: "mess" })).to.deep.equal(["messiah"]);
      expect(find({ query: "herbert dune mes" })).to.deep.equal(["messiah"]);
      expect(find({ query: "zola germ" })).to.deep.equal(["zola"]);
    });

    it("ignores case and accents", () => {
      expect(find({ query: "GARCIA marquez" })).to.deep.equal(["solitude"]);
      expect(find({ query: "anos soledad" })).to.deep.equal(["solitude"]);
      expect(find({ query: "emile" })).to.deep.equal(["zola"]);
    });

    it("never fails on FTS syntax in the input: it is searched as words", () => {
      for (const hostile of ['"', '"unterminated', "AND", "OR NOT", "NEAR(", "title:", "*", "-", "^", "()", "{title author}: x", "dune*", "\\", "''"]) {
        expect(() => find({ query: hostile }), hostile).not.to.throw();
      }
      expect(find({ query: '"quoted" AND or not' })).to.deep.equal(["quotes"]);
      expect(find({ query: "!!!" })).to.deep.equal([]);
    });

    it("filters by author exactly, without regard to case, beyond ASCII", () => {
      expect(find({ author: "frank herbert" })).to.deep.equal(["dune", "messiah"]);
      expect(find({ author: "ÉMILE ZOLA" })).to.deep.equal(["zola"]);
      expect(find({ author: "Frank" })).to.deep.equal([]);
    });

    it("filters by tag and status, combined with the search", () => {
      expect(find({ tag: "classic" })).to.deep.equal(["solitude", "zola"]);
      expect(find({ tag: "sf", query: "messiah" })).to.deep.equal(["messiah"]);
      lending.checkout(books.dune?.id as string, "ann");
      expect(find({ status: "checked_out" })).to.deep.equal(["dune"]);
      expect(find({ status: "available", query: "dune" })).to.deep.equal(["messiah"]);
      lending.giveBack(books.dune?.id as string);
    });

    it("uses the indexes for the author and status filters", () => {
      const plan = (sql: string) => store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => row.detail).join("; ");
      expect(plan("SELECT id FROM things WHERE book_fold(json_extract(info, '$.author')) = 'x'")).to.include("books_by_author");
      expect(plan("SELECT id FROM things WHERE json_extract(info, '$.status') = 'checked_out'")).to.include("books_by_status");
    });

    it("follows title changes and deletions, and is not disturbed by checkouts", () => {
      const extra = store.insert({ type: "book", tags: [], info: bookInfoObject({ title: "Temporary", author: "Someone", isbn: "", year: 0, status: "available", borrower: "" }) });
      books.extra = extra;
      expect(find({ query: "temporary" })).to.deep.equal(["extra"]);
      lending.checkout(extra.id, "bob");
      expect(find({ query: "temporary" })).to.deep.equal(["extra"]);
      store.update(extra.id, 0, (current) => ({ tags: current.tags, info: { ...current.info, title: "Renamed" } }));
      expect(find({ query: "temporary" })).to.deep.equal([]);
      expect(find({ query: "renamed" })).to.deep.equal(["extra"]);
      store.remove(extra.id, 0);
      expect(find({ query: "renamed" })).to.deep.equal([]);
      // The index agrees with its content: FTS5's own consistency check.
      expect(() => store.db.exec("INSERT INTO book_search (book_search) VALUES ('integrity-check')")).not.to.throw();
      delete books.extra;
    });
  });
});
