// The app-node process as an operator starts it: a bad setting stops it at once with one line.
import { expect } from "chai";
import { runUntilExit } from "../../../compose/local/kit/testing/process.js";

describe("app-node process settings", function () {
  this.timeout(20_000);

  for (const [what, env, expected] of [
    ["no API_TOKENS", {}, "app-node: invalid setting API_TOKENS=\"[hidden]\": required: comma-separated token:role[:subject], roles librarian and member"],
    ["a bad role", { API_TOKENS: "very-secret-token:admin" }, "app-node: invalid setting API_TOKENS=\"[hidden]\": entry 1 of 1: the role must be librarian or member"],
    ["a bad port", { API_TOKENS: "very-secret-token:member", HTTP_PORT: "70000" }, "app-node: invalid setting HTTP_PORT=\"70000\": expected a port number from 1 to 65535 (0 for any free port)"],
    ["a bad ORK_ADDR", { API_TOKENS: "very-secret-token:member", ORK_ADDR: "nowhere" }, "app-node: invalid setting ORK_ADDR=\"nowhere\": expected host:port, for example 127.0.0.1:50051"],
  ] as const) {
    it(`stops with exit 1 and one line on ${what}, never showing a token`, async () => {
      const exit = await runUntilExit("app-node", { ...env, HTTP_PORT: "HTTP_PORT" in env ? env.HTTP_PORT : "0" });
      expect(exit.code).to.equal(1);
      expect(exit.output.trim()).to.equal(expected);
      expect(exit.output).not.to.include("very-secret-token");
    });
  }
});
