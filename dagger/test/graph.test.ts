import { readFile } from "node:fs/promises";

import { expect } from "chai";

import { dependenciesOf, dependentsOf, parseDependencyGraph, topologicalOrder } from "../module/src/lib/graph.js";
import { serviceNames, serviceSpec } from "../module/src/lib/services.js";
import { readCatalogue } from "../../.ci/images/catalogue.js";

const ROOT = new URL("../../", import.meta.url);
const CATALOGUE = readCatalogue();
const SERVICE_NAMES = serviceNames(CATALOGUE);

async function repositoryManifests(): Promise<Record<string, string>> {
  const manifests: Record<string, string> = {};
  for (const name of SERVICE_NAMES) {
    manifests[name] = await readFile(new URL(`services/${name}/package.json`, ROOT), "utf8");
  }
  return manifests;
}

function manifest(name: string, deps: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: `@bookstore/${name}`, dependencies: deps, ...extra });
}

function fixture(overrides: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {
    "wrk-base": manifest("wrk-base", { pino: "^10" }),
    "tpl-wrk-thing": manifest("tpl-wrk-thing", { "@bookstore/wrk-base": "0.1.0" }),
    "wrk-book": manifest("wrk-book", { "@bookstore/tpl-wrk-thing": "0.1.0", "@bookstore/wrk-base": "0.1.0" }),
    "wrk-ork": manifest("wrk-ork", { "@bookstore/wrk-base": "0.1.0" }),
    "app-node": manifest("app-node", { "@bookstore/wrk-base": "0.1.0" }),
  };
  return { ...base, ...overrides };
}

describe("dependency graph", () => {
  it("reads the repository's own package.json files as documented", async () => {
    const graph = parseDependencyGraph(CATALOGUE, await repositoryManifests());
    expect(dependenciesOf(graph, "wrk-base")).to.deep.equal([]);
    expect(dependenciesOf(graph, "tpl-wrk-thing")).to.deep.equal(["wrk-base"]);
    expect(dependenciesOf(graph, "wrk-book")).to.deep.equal(["wrk-base", "tpl-wrk-thing"]);
    expect(dependenciesOf(graph, "wrk-ork")).to.deep.equal(["wrk-base"]);
    expect(dependenciesOf(graph, "app-node")).to.deep.equal(["wrk-base"]);
  });

  it("matches the workspaces of the root package.json", async () => {
    const root = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { workspaces: string[] };
    // One glob: every service folder is a workspace (catalogue.test.ts: and every one is catalogued).
    expect(root.workspaces).to.deep.equal(["services/*"]);
    for (const name of SERVICE_NAMES) expect(serviceSpec(CATALOGUE, name).dir).to.match(/^services\/[^/]+$/);
  });

  it("finds everything built on a service, directly or not", () => {
    const graph = parseDependencyGraph(CATALOGUE, fixture());
    expect(dependentsOf(graph, "wrk-base")).to.deep.equal(["tpl-wrk-thing", "wrk-book", "wrk-ork", "app-node"]);
    expect(dependentsOf(graph, "tpl-wrk-thing")).to.deep.equal(["wrk-book"]);
    expect(dependentsOf(graph, "wrk-book")).to.deep.equal([]);
    expect(dependentsOf(graph, "app-node")).to.deep.equal([]);
  });

  it("orders every service after the services it is built on", () => {
    const order = topologicalOrder(parseDependencyGraph(CATALOGUE, fixture()));
    expect(order).to.have.members([...SERVICE_NAMES]);
    expect(order.indexOf("wrk-base")).to.be.below(order.indexOf("tpl-wrk-thing"));
    expect(order.indexOf("tpl-wrk-thing")).to.be.below(order.indexOf("wrk-book"));
  });

  it("counts dev and peer dependencies on workspace packages too", () => {
    const graph = parseDependencyGraph(CATALOGUE, 
      fixture({ "wrk-ork": manifest("wrk-ork", {}, { devDependencies: { "@bookstore/tpl-wrk-thing": "0.1.0" } }) }),
    );
    expect(dependenciesOf(graph, "wrk-ork")).to.deep.equal(["tpl-wrk-thing"]);
  });

  it("rejects a cycle, naming it", () => {
    const cyclic = fixture({ "wrk-base": manifest("wrk-base", { "@bookstore/wrk-book": "0.1.0" }) });
    expect(() => parseDependencyGraph(CATALOGUE, cyclic)).to.throw("dependency cycle: wrk-base -> wrk-book -> wrk-base");
  });

  it("rejects missing, unknown, misnamed or broken manifests", () => {
    const { "wrk-ork": _dropped, ...missing } = fixture();
    expect(() => parseDependencyGraph(CATALOGUE, missing)).to.throw(/missing services\/wrk-ork\/package.json/);
    expect(() => parseDependencyGraph(CATALOGUE, { ...fixture(), "wrk-new": manifest("wrk-new") })).to.throw(/unknown service "wrk-new"/);
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": manifest("wrk-orc") }))).to.throw(/expected "@bookstore\/wrk-ork"/);
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": "{ nope" }))).to.throw(/not valid JSON/);
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": "[]" }))).to.throw(/JSON object/);
    expect(() =>
      parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": manifest("wrk-ork", { "@bookstore/unknown": "1" }) })),
    ).to.throw(/@bookstore\/unknown, which is not one of the services/);
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": manifest("wrk-ork", { "@bookstore/wrk-ork": "1" }) }))).to.throw(
      /depends on itself/,
    );
  });

  it("knows the services and their ports from the contract, through the catalogue", () => {
    expect(SERVICE_NAMES).to.have.length(5);
    expect(serviceSpec(CATALOGUE, "app-node")).to.include({ grpcPort: null, httpPort: 3000, description: "Bookstore HTTP API gateway" });
    expect(serviceSpec(CATALOGUE, "wrk-ork")).to.include({ grpcPort: 50051, httpPort: 9101 });
    expect(serviceSpec(CATALOGUE, "tpl-wrk-thing")).to.include({ grpcPort: 50054, httpPort: 9104 });
    expect(() => serviceSpec(CATALOGUE, "wrk-nope")).to.throw(/unknown service "wrk-nope": expected one of/);
  });
});
