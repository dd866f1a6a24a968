// services/catalogue.json is the one list of the services and the one Node pin. What cannot read
// it (the services' own defaults, Dockerfiles, the compose file, the docs) is checked against it
// here; the module, .ci, `npm start` and the other tests read it through one parser.
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { readCatalogue } from "../../.ci/images/catalogue.js";
import { resolveCompose } from "../../compose/test/resolved-compose.js";
import { CATALOGUE_FILE, parseCatalogue, servicePorts, startOrder } from "../module/src/lib/services.js";
import { IMAGE_RECIPE } from "../module/src/lib/image-recipe.js";
import { builtService } from "../../compose/test/compose-model.js";

const ROOT = new URL("../../", import.meta.url);
const CATALOGUE = readCatalogue();
const NODE = CATALOGUE.versions.node;

async function text(path: string): Promise<string> {
  return await readFile(new URL(path, ROOT), "utf8");
}

/** The text of a catalogue with the given services. */
function catalogueWith(services: unknown[], node: unknown = { version: "24.21.0", npm: "11.19.0" }): string {
  return JSON.stringify({ node, services });
}

/** The image fields every entry has. */
const IMAGE = { dataVolume: false, description: "A worker" };
const ORK = { name: "wrk-ork", role: "orchestrator", grpcPort: 50051, httpPort: 9101, ...IMAGE };

describe("service catalogue", () => {
  it("reads the repository's catalogue: the orchestrator starts first, the workers next, the gateway last", () => {
    const names = CATALOGUE.services.map((spec) => spec.name);
    expect(names).to.include.members(["wrk-base", "tpl-wrk-thing", "wrk-book", "wrk-ork", "app-node"]);
    const workers = CATALOGUE.services.filter((spec) => spec.role === "worker").map((spec) => spec.name);
    expect(startOrder(CATALOGUE)).to.deep.equal([["wrk-ork"], workers, ["app-node"]]);
    expect(NODE).to.match(/^\d+\.\d+\.\d+$/);
  });

  it("rejects a broken catalogue with an error that names the file and the fault", () => {
    const cases: Array<[string, RegExp]> = [
      ["{ nope", /services\/catalogue.json: not valid JSON/],
      [catalogueWith([ORK], { version: "24" }), /node must be/],
      [catalogueWith([]), /at least one service/],
      [catalogueWith([ORK, { ...ORK, name: "wrk-x", grpcPort: 50060, httpPort: 9101 }]), /port 9101 of wrk-x is already wrk-ork's/],
      [catalogueWith([ORK, { ...ORK, grpcPort: 50060, httpPort: 9110 }]), /service wrk-ork is listed twice/],
      [catalogueWith([ORK, { name: "wrk-x", role: "helper", grpcPort: 1, httpPort: 2, ...IMAGE }]), /role \(wrk-x\) must be one of orchestrator, worker, gateway/],
      [catalogueWith([ORK, { name: "wrk-x", role: "worker", grpcPort: null, httpPort: 2, ...IMAGE }]), /wrk-x is a worker and needs a grpcPort/],
      [catalogueWith([ORK, { name: "wrk-x", role: "worker", grpcPort: 70000, httpPort: 2, ...IMAGE }]), /grpcPort \(wrk-x\) must be a port from 1 to 65535/],
      [catalogueWith([ORK, { name: "Wrk X", role: "worker", grpcPort: 1, httpPort: 2, ...IMAGE }]), /name must be a lower-case name/],
      [catalogueWith([ORK, { name: "wrk-x", role: "worker", grpcPort: 1, httpPort: 2, port: 3, ...IMAGE }]), /unknown field\(s\) port/],
      [catalogueWith([{ ...ORK, role: "worker" }]), /exactly one service must be the orchestrator, not 0/],
      [catalogueWith([{ ...ORK, description: 'say "hi"' }]), /description \(wrk-ork\) must be one line/],
      [catalogueWith([{ ...ORK, description: undefined }]), /description \(wrk-ork\) must be one line/],
      [catalogueWith([{ ...ORK, dataVolume: "yes" }]), /dataVolume \(wrk-ork\) must be true or false/],
    ];
    for (const [input, error] of cases) expect(() => parseCatalogue(input), input).to.throw(error);
  });

  it("names a folder and a package for each service that exist, and the one image recipe", async () => {
    for (const spec of CATALOGUE.services) {
      const manifest = JSON.parse(await text(`${spec.dir}/package.json`)) as { name: string };
      expect(manifest.name, spec.dir).to.equal(spec.packageName);
    }
    expect(existsSync(new URL(IMAGE_RECIPE, ROOT)), IMAGE_RECIPE).to.equal(true);
  });

  it("knows every workspace package under services/, and no service has a recipe of its own (nothing goes unchecked)", async () => {
    // The services are one glob, so a new folder is a workspace at once: it must be catalogued,
    // or the image checks, the pipeline and npm start would skip it without a word. The one other
    // workspace is proto/, the wire contracts (@bookstore/proto), which is no service.
    const root = JSON.parse(await text("package.json")) as { workspaces: string[] };
    expect(root.workspaces).to.deep.equal(["proto", "services/*"]);
    const folders = readdirSync(new URL("services/", ROOT), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const catalogued = new Set(CATALOGUE.services.map((spec) => spec.name));
    for (const folder of folders) {
      if (existsSync(new URL(`services/${folder.name}/package.json`, ROOT))) {
        expect(catalogued.has(folder.name), `services/${folder.name}/package.json is not in ${CATALOGUE_FILE}`).to.equal(true);
      }
      // Every image is built from ${IMAGE_RECIPE}; a second recipe would go unchecked.
      expect(existsSync(new URL(`services/${folder.name}/Dockerfile`, ROOT)), `services/${folder.name}/Dockerfile: every image is built from ${IMAGE_RECIPE}`).to.equal(false);
    }
  });

  it("holds each service's own default ports (src/default-ports.ts)", async () => {
    for (const spec of CATALOGUE.services) {
      const file = new URL(`${spec.dir}/src/default-ports.ts`, ROOT);
      const { DEFAULT_PORTS } = (await import(fileURLToPath(file))) as { DEFAULT_PORTS: { grpcPort: number | null; httpPort: number } };
      expect(DEFAULT_PORTS, spec.name).to.deep.equal({ grpcPort: spec.grpcPort, httpPort: spec.httpPort });
    }
  });

  it("gives the compose file's book-system services their catalogued ports", () => {
    const project = resolveCompose();
    for (const spec of CATALOGUE.services) {
      const built = Object.entries(project.services).filter(([, service]) => builtService(service) === spec.name);
      expect(built, `no compose service is built as ${spec.name} from ${IMAGE_RECIPE}`).to.not.have.length(0);
      for (const [name, service] of built) {
        expect(service.environment?.HTTP_PORT, name).to.equal(String(spec.httpPort));
        expect(service.environment?.GRPC_PORT, name).to.equal(spec.grpcPort === null ? undefined : String(spec.grpcPort));
        expect(service.expose ?? [], name).to.include.members(servicePorts(spec).map(String));
      }
    }
  });

  it("agrees with the port tables of the README, the architecture and the image docs", async () => {
    for (const doc of ["README.md", "docs/architecture.md", "docs/images.md"]) {
      const rows = new Map<string, number[]>();
      for (const line of (await text(doc)).split("\n")) {
        const cells = line.split("|").map((cell) => cell.trim());
        // A table row: "| [name](link) | ... |" or "| `name` | ... |".
        const name = /^(?:\[([a-z0-9-]+)\]\(|`([a-z0-9-]+)`$)/.exec(cells[1] ?? "");
        if (!line.startsWith("|") || !name) continue;
        const ports = cells.slice(2).flatMap((cell) => [...cell.matchAll(/\b\d{4,5}\b/g)].map((match) => Number(match[0])));
        rows.set(name[1] ?? name[2] ?? "", ports);
      }
      // A row is right or absent: a new worker's place in the docs is its own page (below), so
      // adding one edits no table; a row names a catalogued service, with that service's ports.
      expect(rows.size, `${doc}: no port table`).to.be.above(0);
      for (const [name, ports] of rows) {
        const spec = CATALOGUE.services.find((candidate) => candidate.name === name);
        if (!spec && ports.length === 0) continue; // a row of another table (a rule's name)
        expect(spec, `${doc}: ${name} is not in ${CATALOGUE_FILE}`).to.not.equal(undefined);
        if (spec) expect(ports, `${doc}: ${name}`).to.deep.equal(servicePorts(spec));
      }
    }
  });

  it("has a docs page for every service, which names its ports", async () => {
    for (const spec of CATALOGUE.services) {
      const page = await text(`docs/services/${spec.name}.md`);
      for (const port of servicePorts(spec)) expect(page, `docs/services/${spec.name}.md`).to.include(String(port));
    }
  });

  it("pins the Node release of .nvmrc, the engines, the check container, the compose build and its example settings", async () => {
    const major = NODE.split(".")[0];
    expect((await text(".nvmrc")).trim()).to.equal(major);
    const root = JSON.parse(await text("package.json")) as { engines: { node: string } };
    expect(root.engines.node).to.equal(`>=${major} <${Number(major) + 1}`);
    expect(await text(".ci/check/Dockerfile")).to.include(`ARG NODE_CHECK_IMAGE=node:${NODE}-bookworm-slim\n`);
    expect(await text("compose/docker-compose.yml")).to.include(`NODE_IMAGE: \${NODE_IMAGE:-node:${NODE}-alpine}`);
    expect(await text("compose/.env.example")).to.include(`\nNODE_IMAGE=node:${NODE}-alpine\n`);
    expect(await text(IMAGE_RECIPE), IMAGE_RECIPE).to.include(`ARG NODE_IMAGE=node:${NODE}-alpine\n`);
  });
});
