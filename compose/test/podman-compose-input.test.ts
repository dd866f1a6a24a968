// The input podman-stack.ts gives podman-compose 1.0.3: the compose file's book services, with the
// two spellings 1.0.3 misreads rewritten (podman-compose-input.ts).
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { COMPOSE_FILE } from "../local/kit/testing/stack-paths.js";
import { loadComposeDict } from "./compose-load.js";
import { podmanComposeInput, podmanComposeYaml, shellQuote } from "./podman-compose-input.js";
import { REQUIRED_ENV } from "./resolved-compose.js";

type Dict = Record<string, Record<string, unknown>>;

describe("podman-compose input", function () {
  const dict = loadComposeDict(COMPOSE_FILE, REQUIRED_ENV);
  const input = podmanComposeInput(dict, ["wrk-ork", "wrk-book-1"]) as { services: Dict; networks: Dict; volumes: Dict };

  it("quotes arguments so that the shell gives them back unchanged", function () {
    const args = ["node", "-e", "fetch('http://x/readyz',{a:1}).then(r=>process.exit(r.ok?0:1))", "it's $HOME `x` \"y\""];
    const echoed = execFileSync("/bin/sh", ["-c", `printf '%s\\n' ${args.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    expect(echoed).to.equal(`${args.join("\n")}\n`);
  });

  it("turns an exec-form health check into the same command for the shell", function () {
    const original = (dict.services as Dict)["wrk-ork"]?.healthcheck as { test: string[]; interval: string };
    const rewritten = input.services["wrk-ork"]?.healthcheck as { test: string[]; interval: string };
    expect(original.test[0]).to.equal("CMD");
    expect(rewritten.test).to.deep.equal(["CMD-SHELL", original.test.slice(1).map(shellQuote).join(" ")]);
    expect(rewritten.interval).to.equal(original.interval);
  });

  it("lists networks by name, and keeps only the services, networks and volumes named", function () {
    expect(input.services["wrk-book-1"]?.networks).to.deep.equal(["backend", "monitoring"]);
    expect(Object.keys(input.services)).to.deep.equal(["wrk-ork", "wrk-book-1"]);
    expect(Object.keys(input.networks).sort()).to.deep.equal(["backend", "monitoring"]);
    expect(Object.keys(input.volumes)).to.deep.equal(["certs", "wrk-ork-data", "wrk-book-1-data"]);
    expect(input.services["wrk-book-1"]?.read_only).to.equal(true);
  });

  it("turns a disabled health check into test NONE and leaves network_mode none out, as 1.0.3 needs", function () {
    const written = (dict.services as Dict).certs;
    expect(written?.healthcheck).to.deep.equal({ disable: true });
    expect(written?.network_mode).to.equal("none");
    const certs = (podmanComposeInput(dict, ["certs"]).services as Dict).certs;
    expect(certs?.healthcheck).to.deep.equal({ test: ["NONE"] });
    expect(certs).to.not.have.property("network_mode");
    expect(certs?.networks).to.deep.equal(["isolated"]);
    expect(podmanComposeInput(dict, ["certs"]).networks).to.deep.equal({ isolated: { internal: true } });
  });

  it("is written so that YAML 1.1 (1.0.3's PyYAML) reads restart: no as the string", function () {
    const text = podmanComposeYaml(podmanComposeInput(dict, ["certs"]));
    expect(text).to.match(/restart: "no"/);
  });

  it("refuses a service the compose file does not have", function () {
    expect(() => podmanComposeInput(dict, ["wrk-book-9"])).to.throw("no such service in the compose file: wrk-book-9");
  });
});
