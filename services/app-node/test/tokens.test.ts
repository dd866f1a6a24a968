import { SettingsError } from "@bookstore/wrk-base";
import { expect } from "chai";
import { authenticate, hasRole, parseApiTokens } from "../src/tokens.js";

describe("app-node API_TOKENS", () => {
  it("reads token:role[:subject] entries, the subject defaulting to the role", () => {
    const tokens = parseApiTokens(" dev-librarian:librarian:ada , dev-member:member ");
    expect(authenticate(tokens, "Bearer dev-librarian")).to.deep.equal({ role: "librarian", subject: "ada" });
    expect(authenticate(tokens, "bearer dev-member")).to.deep.equal({ role: "member", subject: "member" });
  });

  it("shows no token when logged or inspected", async () => {
    const { inspect } = await import("node:util");
    const tokens = parseApiTokens("secret-token-1:member:m1");
    expect(JSON.stringify({ tokens })).to.equal('{"tokens":{"tokens":1}}');
    expect(inspect({ tokens }, { depth: 5 })).not.to.include("secret-token-1");
  });

  for (const [value, problem] of [
    [undefined, "required"],
    ["", "required"],
    ["short:member", "entry 1 of 1: a token is 8 to 256"],
    ["long-enough-token", "entry 1 of 1: expected token:role[:subject]"],
    ["long-enough-token:admin", "entry 1 of 1: the role must be librarian or member"],
    ["token-one-1:member,token-two-2:member:bad subject", "entry 2 of 2: a subject is"],
    ["token-one-1:member:a,token-one-1:librarian:b", "entry 2 of 2: the same token appears twice"],
    ["a:b:c:d-long-enough", "entry 1 of 1: expected token:role[:subject]"],
  ] as const) {
    it(`refuses ${JSON.stringify(value)} naming API_TOKENS but never the value`, () => {
      let error: unknown;
      try {
        parseApiTokens(value);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(SettingsError);
      const message = (error as Error).message;
      expect(message).to.include("API_TOKENS").and.to.include(problem);
      for (const secret of ["short", "long-enough-token", "token-one-1", "token-two-2"]) expect(message).not.to.include(secret);
    });
  }

  it("authenticates only a Bearer header with a known token", () => {
    const tokens = parseApiTokens("dev-member:member:grace");
    expect(authenticate(tokens, undefined)).to.equal(undefined);
    expect(authenticate(tokens, "Bearer ")).to.equal(undefined);
    expect(authenticate(tokens, "Basic dev-member")).to.equal(undefined);
    expect(authenticate(tokens, "Bearer dev-member2")).to.equal(undefined);
    expect(authenticate(tokens, "BEARER   dev-member ")).to.deep.equal({ role: "member", subject: "grace" });
  });

  it("lets a librarian do what a member may, and not the other way round", () => {
    expect(hasRole({ role: "librarian", subject: "a" }, "member")).to.equal(true);
    expect(hasRole({ role: "librarian", subject: "a" }, "librarian")).to.equal(true);
    expect(hasRole({ role: "member", subject: "m" }, "member")).to.equal(true);
    expect(hasRole({ role: "member", subject: "m" }, "librarian")).to.equal(false);
  });
});
