import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { affectedServices, classifyPath, comparisonBase, normalizeChangedPath } from "../module/src/lib/affected.js";
import { type DependencyGraph, parseDependencyGraph, topologicalOrder } from "../module/src/lib/graph.js";
import { serviceNames } from "../module/src/lib/services.js";
import { readCatalogue, readDependencyGraph } from "../../.ci/images/catalogue.js";

const CATALOGUE = readCatalogue();

function manifest(name: string, deps: string[] = []): string {
  return JSON.stringify({ name: `@bookstore/${name}`, dependencies: Object.fromEntries(deps.map((d) => [`@bookstore/${d}`, "0.1.0"])) });
}

// The wire contracts (proto/, @bookstore/proto) are a workspace that is no service.
const graph = parseDependencyGraph(
  CATALOGUE,
  {
    proto: manifest("proto"),
    "wrk-base": manifest("wrk-base", ["proto"]),
    "tpl-wrk-thing": manifest("tpl-wrk-thing", ["proto", "wrk-base"]),
    "wrk-book": manifest("wrk-book", ["proto", "tpl-wrk-thing", "wrk-base"]),
    "wrk-ork": manifest("wrk-ork", ["proto", "wrk-base"]),
    "app-node": manifest("app-node", ["proto", "wrk-base"]),
  },
  ["proto"],
);

const everything = topologicalOrder(graph);

/** The graph of the repository's own package.json files (the root's workspaces too), as the pipeline reads it. */
function repositoryGraph(): DependencyGraph {
  return readDependencyGraph(fileURLToPath(new URL("../../", import.meta.url)));
}

describe("affected services", () => {
  it("a change in wrk-base affects everything built on it", () => {
    expect(affectedServices(["services/wrk-base/src/worker.ts"], graph)).to.deep.equal(everything);
  });

  it("a change in tpl-wrk-thing affects it and wrk-book only", () => {
    expect(affectedServices(["services/tpl-wrk-thing/src/store.ts"], graph)).to.deep.equal(["tpl-wrk-thing", "wrk-book"]);
  });

  it("a change in a leaf service affects only that service", () => {
    expect(affectedServices(["services/app-node/src/routes.ts"], graph)).to.deep.equal(["app-node"]);
    expect(affectedServices(["services/wrk-ork/src/leases.ts"], graph)).to.deep.equal(["wrk-ork"]);
  });

  it("a change of the routing client affects only app-node's image: it lives there, the gateway being its one user", () => {
    const repository = repositoryGraph();
    for (const file of ["services/app-node/src/routing/routing-client.ts", "services/app-node/src/routing/merge-pages.ts", "services/app-node/src/routing/"]) {
      expect(affectedServices([file], repository), file).to.deep.equal(["app-node"]);
    }
    expect(affectedServices(["services/app-node/test/routing-client.test.ts"], repository)).to.deep.equal([]);
  });

  it("a change of the one image recipe or of the catalogue its build arguments come from rebuilds every image", () => {
    expect(affectedServices(["services/Dockerfile"], graph)).to.deep.equal(everything);
    expect(affectedServices(["services/catalogue.json"], graph)).to.deep.equal(everything);
    // A file named Dockerfile in a service's folder is ordinary source of that service.
    expect(affectedServices(["services/app-node/Dockerfile"], graph)).to.deep.equal(["app-node"]);
    expect(affectedServices(["services/wrk-base/src/fixtures/Dockerfile"], graph)).to.deep.equal(everything);
  });

  it("a service's tests and the test kit (compose/local/kit) affect no image: .dockerignore keeps the tests out of every build, and no image bundles the kit", async () => {
    const dockerignore = await readFile(new URL("../../.dockerignore", import.meta.url), "utf8");
    expect(dockerignore.split("\n")).to.include("services/*/test");
    expect(affectedServices(["services/wrk-ork/test/leases.test.ts", "services/tpl-wrk-thing/test/support/rack-process.ts", "compose/local/kit/testing/process.ts", "compose/local/kit/supervisor.ts"], graph)).to.deep.equal([]);
  });

  it("proto changes affect every service: each is built on @bookstore/proto", () => {
    for (const file of ["proto/bookstore/book/v1/book.proto", "proto/buf.yaml", "proto/src/page-token.ts", "proto/package.json", "proto/proto-gen.mjs"]) {
      expect(affectedServices([file], graph), file).to.deep.equal(everything);
    }
    // Its tests are in no image, as a service's are not.
    expect(affectedServices(["proto/test/structs.test.ts"], graph)).to.deep.equal([]);
  });

  it("a change of the wire contracts affects every image of the repository, through the edges to @bookstore/proto", () => {
    const repository = repositoryGraph();
    for (const file of ["proto/bookstore/thing/v1/thing.proto", "proto/src/protos.ts"]) {
      expect(affectedServices([file], repository), file).to.deep.equal(topologicalOrder(repository));
    }
    expect(affectedServices(["proto/src/protos.ts"], repository)).to.have.members(serviceNames(CATALOGUE));
  });

  it("a workspace that is no service affects only the services built on it", () => {
    const fewer = parseDependencyGraph(
      CATALOGUE,
      {
        proto: manifest("proto"),
        "wrk-base": manifest("wrk-base"),
        "tpl-wrk-thing": manifest("tpl-wrk-thing", ["wrk-base"]),
        "wrk-book": manifest("wrk-book", ["tpl-wrk-thing", "wrk-base"]),
        "wrk-ork": manifest("wrk-ork", ["proto", "wrk-base"]),
        "app-node": manifest("app-node", ["wrk-base"]),
      },
      ["proto"],
    );
    expect(affectedServices(["proto/bookstore/ork/v1/ork.proto"], fewer)).to.deep.equal(["wrk-ork"]);
  });

  it("root package files and shared compiler settings affect every service", () => {
    for (const file of ["package.json", "package-lock.json", "tsconfig.base.json", "tsconfig.json", ".nvmrc", ".dockerignore", ".npmrc"]) {
      expect(affectedServices([file], graph), file).to.deep.equal(everything);
    }
  });

  it("changes to the pipeline's build recipe affect every service", () => {
    expect(affectedServices(["dagger.json"], graph)).to.deep.equal(everything);
    expect(affectedServices(["dagger/module/src/index.ts"], graph)).to.deep.equal(everything);
    expect(affectedServices(["dagger/module/src/lib/tags.ts"], graph)).to.deep.equal(everything);
    expect(affectedServices(["dagger/module/package-lock.json"], graph)).to.deep.equal(everything);
    expect(affectedServices(["services/bundle.ts"], graph)).to.deep.equal(everything);
    expect(affectedServices(["compose/local/certs.ts"], graph)).to.deep.equal(everything);
    expect(affectedServices([".ci/images/make-base.sh"], graph)).to.deep.equal([]);
  });

  it("docs-only and other non-image changes affect nothing", () => {
    const paths = [
      "README.md",
      "docs/pipeline.md",
      "docs/services/wrk-book.md",
      ".github/workflows/ci.yml",
      "compose/docker-compose.yml",
      "observability/prometheus/alerts.yml",
      "dagger/test/tags.test.ts",
      "dagger/smoke/smoke.ts",
      "dagger/release/breaking.ts",
      "services/wrk-base/test/worker.process.test.ts",
      "services/app-node/test/",
      "services/README.md",
      "package.json.orig/x",
      "nested/package.json",
    ];
    expect(affectedServices(paths, graph)).to.deep.equal([]);
    expect(affectedServices([], graph)).to.deep.equal([]);
  });

  it("unions several changes and lists them in build order", () => {
    expect(affectedServices(["services/app-node/src/a.ts", "docs/x.md", "services/tpl-wrk-thing/src/b.ts"], graph)).to.deep.equal([
      "tpl-wrk-thing",
      "wrk-book",
      "app-node",
    ]);
  });

  it("understands removed folders, reported with a trailing slash", () => {
    expect(affectedServices(["services/wrk-ork/src/old/"], graph)).to.deep.equal(["wrk-ork"]);
    expect(affectedServices(["services/app-node/"], graph)).to.deep.equal(["app-node"]);
    expect(affectedServices(["proto/"], graph)).to.deep.equal(everything);
    expect(affectedServices(["dagger/"], graph)).to.deep.equal(everything);
  });

  it("compares with a base, or builds everything when GitHub's before is all zeros (a new branch or tag)", () => {
    expect(comparisonBase(" main ")).to.equal("main");
    expect(comparisonBase("1a2b3c4d5e6f")).to.equal("1a2b3c4d5e6f");
    expect(comparisonBase("0".repeat(40))).to.equal(null);
    expect(() => comparisonBase("")).to.throw(/--base REF is needed/);
    expect(() => comparisonBase("  ")).to.throw(/--base REF is needed/);
  });

  it("normalizes paths as tools print them", () => {
    expect(normalizeChangedPath("./services/wrk-base/a.ts")).to.equal("services/wrk-base/a.ts");
    expect(normalizeChangedPath("/proto/x.proto")).to.equal("proto/x.proto");
    expect(normalizeChangedPath("services\\wrk-ork\\a.ts")).to.equal("services/wrk-ork/a.ts");
    expect(classifyPath("  docs/a.md \n", serviceNames(CATALOGUE))).to.equal("nothing");
  });

  it("rejects paths outside the repository and unknown service folders", () => {
    expect(() => affectedServices(["../etc/passwd"], graph)).to.throw(/not a repository path/);
    expect(() => affectedServices([""], graph)).to.throw(/not a repository path/);
    expect(() => affectedServices(["services/wrk-new/src/a.ts"], graph)).to.throw(/services\/wrk-new, which is not one of/);
  });
});
