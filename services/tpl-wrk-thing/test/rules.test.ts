import { expect } from "chai";
import { invalidArgument, notFound } from "@bookstore/wrk-base";
import { MAX_INFO_BYTES, characterCount } from "@bookstore/proto";
import { checkInfoSize, checkTag, checkType, expectedVersionOf, normalizeTags, pageSizeOf, requireId } from "../src/rules.js";
import { validateTyped, type ThingPolicy } from "../src/thing-service.js";
import type { ThingContent } from "../src/thing.js";
import { refusal } from "./support/thrown.js";

describe("tpl-wrk-thing rules", () => {
  it("requires an id of a plausible length", () => {
    expect(requireId("rack-a.123")).to.equal("rack-a.123");
    expect(refusal(() => requireId("")).message).to.equal("id: required");
    expect(refusal(() => requireId("x".repeat(101))).field).to.equal("id");
  });

  it("accepts type names that are plain lowercase words", () => {
    for (const good of ["book", "dvd", "board-game", "x.v2", "a_b"]) expect(checkType(good)).to.equal(good);
    expect(refusal(() => checkType("")).message).to.equal("type: required");
    for (const bad of ["Book", "1book", "bo ok", "b/ook", "x".repeat(65), "é"]) expect(refusal(() => checkType(bad)).field, bad).to.equal("type");
  });

  it("counts characters, not UTF-16 units", () => {
    expect(characterCount("😀".repeat(64))).to.equal(64);
    expect(checkTag("😀".repeat(64), "tags[0]")).to.have.length(128);
  });

  it("checks each tag and names the one that is wrong", () => {
    expect(refusal(() => normalizeTags(["ok", ""])).message).to.equal("tags[1]: must not be empty");
    expect(refusal(() => normalizeTags(["x".repeat(65)])).message).to.equal("tags[0]: longer than 64 characters");
    expect(refusal(() => normalizeTags(["a\nb"])).message).to.equal("tags[0]: must not contain control characters");
  });

  it("drops repeated tags, keeps their order, and allows at most 32", () => {
    expect(normalizeTags(["b", "a", "b", "c", "a"])).to.deep.equal(["b", "a", "c"]);
    const many = Array.from({ length: 32 }, (_, i) => `t${i}`);
    expect(normalizeTags([...many, "t0"])).to.have.length(32);
    expect(refusal(() => normalizeTags([...many, "t32"])).message).to.equal("tags: at most 32 tags, got 33");
  });

  it("bounds the size of info as JSON", () => {
    const fits = { text: "x".repeat(MAX_INFO_BYTES - 20) };
    expect(checkInfoSize(fits)).to.equal(fits);
    const error = refusal(() => checkInfoSize({ text: "é".repeat(MAX_INFO_BYTES / 2) }));
    expect(error.field).to.equal("info");
    expect(error.message).to.match(/^info: \d+ bytes as JSON, more than the 65536 allowed$/);
  });

  it("reads page sizes: 0 is the default, 1 to 1000 are taken as they are", () => {
    expect(pageSizeOf(0)).to.equal(50);
    expect(pageSizeOf(1)).to.equal(1);
    expect(pageSizeOf(1000)).to.equal(1000);
    expect(refusal(() => pageSizeOf(1001)).message).to.equal("page_size: must be from 1 to 1000 (0 for 50), got 1001");
    expect(refusal(() => pageSizeOf(-1)).field).to.equal("page_size");
  });

  it("reads expected versions: 0 skips the check, negative ones are refused", () => {
    expect(expectedVersionOf(0)).to.equal(0);
    expect(expectedVersionOf(7)).to.equal(7);
    expect(refusal(() => expectedVersionOf(-1)).field).to.equal("expected_version");
  });
});

describe("validateTyped", () => {
  const policyThrowing = (error: Error): ThingPolicy => ({
    types: [],
    validate: () => {
      throw error;
    },
  });
  const content: ThingContent = { type: "gadget", tags: [], info: { code: "x" } };

  it("returns what the policy normalized and gives it the stored thing", () => {
    const seen: unknown[] = [];
    const policy: ThingPolicy = { types: [], validate: (given, previous) => (seen.push(previous), { ...given, info: { code: "X" } }) };
    expect(validateTyped(policy, content, undefined).info).to.deep.equal({ code: "X" });
    expect(seen).to.deep.equal([undefined]);
  });

  it("names a refused info field as a typed service does (info.code → code), with the same problem", () => {
    const refused = refusal(() => validateTyped(policyThrowing(invalidArgument("info.code", "required")), content, undefined));
    expect(refused.field).to.equal("code");
    expect(refused.problem).to.equal("required");
    expect(refused.message).to.equal("code: required");
  });

  it("passes any other error unchanged", () => {
    const tags = invalidArgument("tags", "too many");
    expect(() => validateTyped(policyThrowing(tags), content, undefined)).to.throw(tags);
    const missing = notFound("gadget x");
    expect(() => validateTyped(policyThrowing(missing), content, undefined)).to.throw(missing);
  });
});
