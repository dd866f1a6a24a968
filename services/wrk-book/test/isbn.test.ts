import { expect } from "chai";
import { checkIsbn } from "../src/isbn.js";

describe("wrk-book ISBN", () => {
  it("accepts valid ISBN-13s and keeps the bare digits", () => {
    expect(checkIsbn("978-0-306-40615-7")).to.deep.equal({ ok: true, isbn: "9780306406157" });
    expect(checkIsbn("978 0 441 17271 9")).to.deep.equal({ ok: true, isbn: "9780441172719" });
    expect(checkIsbn("979-10-90636-07-1")).to.deep.equal({ ok: true, isbn: "9791090636071" });
  });

  it("accepts valid ISBN-10s, with an X (either case) as the check digit", () => {
    expect(checkIsbn("0-306-40615-2")).to.deep.equal({ ok: true, isbn: "0306406152" });
    expect(checkIsbn("0-8044-2957-X")).to.deep.equal({ ok: true, isbn: "080442957X" });
    expect(checkIsbn("080442957x")).to.deep.equal({ ok: true, isbn: "080442957X" });
    expect(checkIsbn("0441172717")).to.deep.equal({ ok: true, isbn: "0441172717" });
  });

  it("treats an empty ISBN as none", () => {
    expect(checkIsbn("")).to.deep.equal({ ok: true, isbn: "" });
    expect(checkIsbn(" - ")).to.deep.equal({ ok: true, isbn: "" });
  });

  it("refuses a wrong check digit", () => {
    for (const bad of ["978-0-306-40615-8", "0-306-40615-3", "0441172710", "9780441172718"]) {
      expect(checkIsbn(bad), bad).to.deep.equal({ ok: false, problem: "check digit does not match" });
    }
  });

  it("refuses an ISBN-13 outside the book prefixes", () => {
    // A valid EAN-13 that is not a book.
    expect(checkIsbn("4006381333931")).to.deep.equal({ ok: false, problem: "an ISBN-13 starts with 978 or 979" });
  });

  it("refuses other shapes", () => {
    for (const bad of ["12345", "97803064061570", "03064X6152", "X306406152", "978030640615X", "isbn 0306406152", "0306406152!"]) {
      const result = checkIsbn(bad);
      expect(result.ok, bad).to.equal(false);
      if (!result.ok) expect(result.problem).to.match(/^must be an ISBN-10 or ISBN-13/);
    }
  });
});
