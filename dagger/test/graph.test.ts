import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { dependenciesOf, dependencyClosure, dependentsOf, packageWorkspaces, parseDependencyGraph, topologicalOrder } from "../module/src/lib/graph.js";
import { serviceNames, serviceSpec } from "../module/src/lib/services.js";
import { readCatalogue, readDependencyGraph } from "../../.ci/images/catalogue.js";

const ROOT = new URL("../../", import.meta.url);
const CATALOGUE = readCatalogue();
const SERVICE_NAMES = serviceNames(CATALOGUE);

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
  it("reads the repository's own package.json files as documented", () => {
    const graph = readDependencyGraph(fileURLToPath(ROOT));
    // The wire contracts, proto/ (@bookstore/proto): a workspace that is no service, built on nothing of ours.
    expect(dependenciesOf(graph, "proto")).to.deep.equal([]);
    expect(dependenciesOf(graph, "wrk-base")).to.deep.equal(["proto"]);
    expect(dependenciesOf(graph, "tpl-wrk-thing")).to.deep.equal(["wrk-base", "proto"]);
    expect(dependenciesOf(graph, "wrk-book")).to.deep.equal(["wrk-base", "tpl-wrk-thing", "proto"]);
    expect(dependenciesOf(graph, "wrk-ork")).to.deep.equal(["wrk-base", "proto"]);
    expect(dependenciesOf(graph, "app-node")).to.deep.equal(["wrk-base", "proto"]);
    expect(graph.services).to.deep.equal(SERVICE_NAMES);
    expect(dependentsOf(graph, "proto")).to.deep.equal(topologicalOrder(graph));
  });

  it("matches the workspaces of the root package.json", async () => {
    const root = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { workspaces: string[] };
    // One glob: every service folder is a workspace (catalogue.test.ts: and every one is catalogued);
    // and proto/, the wire contracts' package, which is no service.
    expect(root.workspaces).to.deep.equal(["proto", "services/*"]);
    for (const name of SERVICE_NAMES) expect(serviceSpec(CATALOGUE, name).dir).to.match(/^services\/[^/]+$/);
  });

  it("reads the workspaces that are no service from the root package.json: a folder each, beside the services' glob", () => {
    expect(packageWorkspaces(JSON.stringify({ workspaces: ["proto", "services/*"] }))).to.deep.equal(["proto"]);
    expect(packageWorkspaces(JSON.stringify({ workspaces: ["services/*"] }))).to.deep.equal([]);
    expect(() => packageWorkspaces(JSON.stringify({ workspaces: ["proto"] }))).to.throw(/must hold "services\/\*"/);
    expect(() => packageWorkspaces(JSON.stringify({ workspaces: ["services/*", "libs/*"] }))).to.throw(/workspace "libs\/\*" must be a folder at the top level/);
    expect(() => packageWorkspaces(JSON.stringify({ workspaces: "services/*" }))).to.throw(/must be a list of folders/);
    expect(() => packageWorkspaces("{ nope")).to.throw(/package.json is not valid JSON/);
  });

  it("keeps a workspace that is no service in the graph: what is built on it, and the sources of an image", () => {
    const graph = parseDependencyGraph(
      CATALOGUE,
      fixture({
        proto: manifest("proto", { "@grpc/grpc-js": "^1" }),
        "wrk-base": manifest("wrk-base", { "@bookstore/proto": "0.1.0" }),
        "wrk-ork": manifest("wrk-ork", { "@bookstore/proto": "0.1.0", "@bookstore/wrk-base": "0.1.0" }),
      }),
      ["proto"],
    );
    expect(graph.services).to.deep.equal(SERVICE_NAMES);
    expect(dependentsOf(graph, "proto")).to.deep.equal(["wrk-base", "tpl-wrk-thing", "wrk-book", "wrk-ork", "app-node"]);
    expect(dependencyClosure(graph, "wrk-book")).to.deep.equal(["proto", "wrk-base", "tpl-wrk-thing", "wrk-book"]);
    // The build order is of images: the package is no image.
    expect(topologicalOrder(graph)).to.have.members([...SERVICE_NAMES]);
    expect(() => parseDependencyGraph(CATALOGUE, fixture(), ["proto"])).to.throw(/missing proto\/package.json/);
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ proto: manifest("contracts") }), ["proto"])).to.throw(/proto\/package.json is named "@bookstore\/contracts", expected "@bookstore\/proto"/);
    // Not among the root workspaces: no workspace of this repository.
    expect(() => parseDependencyGraph(CATALOGUE, fixture({ "wrk-ork": manifest("wrk-ork", { "@bookstore/proto": "0.1.0" }) }))).to.throw(
      /@bookstore\/proto, which is not one of the services/,
    );
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
