import { expect } from "chai";
import { PageTokenError, comparePositions, decodePageToken, encodePageToken } from "../src/page-token.js";

describe("proto page tokens", () => {
  const position = { createdAt: "2025-03-01T10:00:00.123Z", id: "rack-a.0f8e" };

  it("stand for a position and come back as the same position", () => {
    const token = encodePageToken(position);
    expect(token).to.match(/^[A-Za-z0-9_-]+$/); // safe in a URL query as it is
    expect(decodePageToken(token)).to.deep.equal(position);
  });

  it("an empty token is the first page", () => {
    expect(decodePageToken("")).to.equal(undefined);
  });

  it("refuses anything this code did not make", () => {
    const forged = [
      "not-base64!!",
      Buffer.from("{}").toString("base64url"),
      Buffer.from('["2025-01-01T00:00:00Z"]').toString("base64url"),
      Buffer.from('["yesterday","id"]').toString("base64url"),
      Buffer.from('[1,"id"]').toString("base64url"),
    ];
    for (const token of forged) expect(() => decodePageToken(token), token).to.throw(PageTokenError, "page_token");
  });

  it("orders positions by time, then by id", () => {
    const a = { createdAt: "2025-01-01T00:00:00.000Z", id: "b" };
    const b = { createdAt: "2025-01-01T00:00:00.000Z", id: "c" };
    const c = { createdAt: "2025-01-01T00:00:00.001Z", id: "a" };
    expect([c, b, a].sort(comparePositions)).to.deep.equal([a, b, c]);
    expect(comparePositions(a, { ...a })).to.equal(0);
  });
});
