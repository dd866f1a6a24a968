// npm run new:worker -- <name> [--thing <Thing>]: a new thing worker from the template
// tpl-wrk-thing, the way an Nx or Turborepo generator makes a package. It writes the worker's
// folder (package, typed handlers of its own gRPC service, a process test; its image is the one recipe services/Dockerfile with its catalogue entry), its wire
// contract, its docs page, and registers it in services/catalogue.json with the next free ports;
// the few existing files that must name it are edited here too (see EDITED below). Then run
// `npm install` (the lockfile learns the new workspace) and `npm run build`.
//
// Ports: one above the highest gRPC and the highest HTTP port of the orchestrator and the workers
// (one block, 50051.. and 9101..; the gateway's 3000 is apart), counting those `npm start` gives
// wrk-book's second rack (50055, 9105), so a new worker takes no port anything here uses. Everything else (workspaces, the build, proto:gen,
// npm start, the pipeline, the image checks) finds the worker through the catalogue or on disk.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { CATALOGUE_FILE, parseCatalogue, serviceSpec, type Catalogue } from "../module/src/lib/services.js";

const TEMPLATE = "tpl-wrk-thing";

export interface WorkerPlan {
  /** Folder, package and image name: wrk-magazine. */
  name: string;
  /** The thing, PascalCase: Magazine. */
  thing: string;
  /** Its lower-case form: the thing type, the proto package bookstore.<thing>.v1. */
  type: string;
  grpcPort: number;
  httpPort: number;
  /** The template's ports (from the catalogue), which its compose block and scrape job carry. */
  templatePorts: { grpcPort: number; httpPort: number };
}

/** Existing files a new worker is named in, besides its own new files (kept as short as can be). */
export const EDITED = [CATALOGUE_FILE, "compose/docker-compose.yml", "observability/prometheus/prometheus.yml"] as const;

/** The thing a worker name stands for: wrk-magazine → Magazine, wrk-comic-book → ComicBook. */
export function thingOfName(name: string): string {
  return name
    .replace(/^wrk-/, "")
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The ports of `npm start`'s gRPC processes (the orchestrator's and the workers'). */
export interface LocalPorts {
  grpc: readonly number[];
  http: readonly number[];
}

/** The plan for `name`: refuses a name that is taken or malformed, with the reason. */
export function planWorker(
  catalogue: Catalogue,
  name: string,
  thingOption: string | undefined,
  exists: (path: string) => boolean,
  localPorts: LocalPorts = { grpc: [], http: [] },
): WorkerPlan {
  if (!/^wrk-[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new Error(`the worker's name must be wrk-<thing> in lower case (wrk-magazine), not "${name}"`);
  if (catalogue.services.some((spec) => spec.name === name)) throw new Error(`${name} is already in ${CATALOGUE_FILE}`);
  const thing = thingOption ?? thingOfName(name);
  if (!/^[A-Z][a-zA-Z0-9]*$/.test(thing)) throw new Error(`--thing must be a PascalCase name like Magazine, not "${thing}"`);
  const type = thing.toLowerCase();
  for (const path of [`services/${name}`, `proto/bookstore/${type}`]) {
    if (exists(path)) throw new Error(`${path} already exists: pick another name or --thing`);
  }
  // The orchestrator's and the workers' ports, and those npm start gives further racks (localPorts).
  const blocks = catalogue.services.filter((spec) => spec.role !== "gateway");
  const grpcPorts = [...blocks.map((spec) => spec.grpcPort ?? 0), ...localPorts.grpc];
  const httpPorts = [...blocks.map((spec) => spec.httpPort), ...localPorts.http];
  const template = serviceSpec(catalogue, TEMPLATE);
  return {
    templatePorts: { grpcPort: template.grpcPort ?? 0, httpPort: template.httpPort },
    name,
    thing,
    type,
    grpcPort: Math.max(...grpcPorts) + 1,
    httpPort: Math.max(...httpPorts) + 1,
  };
}

// ---- new files ----

function proto(p: WorkerPlan): string {
  return `syntax = "proto3";

// The typed ${p.type} service of ${p.name}. ${p.thing}s are stored as things of type "${p.type}" in the
// worker's rack, so they are also visible through bookstore.thing.v1.ThingService.
package bookstore.${p.type}.v1;

import "google/protobuf/timestamp.proto";

// ${p.thing}Service manages the ${p.type}s of one rack.
service ${p.thing}Service {
  // Create${p.thing} stores a new ${p.type} in this rack.
  rpc Create${p.thing}(Create${p.thing}Request) returns (Create${p.thing}Response);
  // Get${p.thing} returns one ${p.type} by id.
  rpc Get${p.thing}(Get${p.thing}Request) returns (Get${p.thing}Response);
}

// ${p.thing} is one ${p.type} of a rack.
message ${p.thing} {
  // The id, <rack>.<uuid>: it names the rack that holds the ${p.type}.
  string id = 1;
  // The title, 1 to 200 characters.
  string title = 2;
  // When it was stored.
  google.protobuf.Timestamp created_at = 3;
  // 1 on creation, one more with every change.
  int64 version = 4;
}

// Create${p.thing}Request is what a new ${p.type} is made of.
message Create${p.thing}Request {
  // The title, 1 to 200 characters.
  string title = 1;
}

// Create${p.thing}Response carries the stored ${p.type}.
message Create${p.thing}Response {
  // The ${p.type} as stored, with its id.
  ${p.thing} ${p.type} = 1;
}

// Get${p.thing}Request names a ${p.type}.
message Get${p.thing}Request {
  // The id Create${p.thing} returned.
  string id = 1;
}

// Get${p.thing}Response carries the ${p.type}.
message Get${p.thing}Response {
  // The ${p.type}.
  ${p.thing} ${p.type} = 1;
}
`;
}

function packageJson(p: WorkerPlan, template: { dependencies: Record<string, string> }, protoLoaderVersion: string): string {
  return `${JSON.stringify(
    {
      name: `@bookstore/${p.name}`,
      version: "0.1.0",
      description: `${p.thing} worker: ${p.type}s per rack, stored durably in SQLite, served by bookstore.${p.type}.v1.${p.thing}Service`,
      private: true,
      type: "module",
      main: "dist/index.js",
      types: "dist/index.d.ts",
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      engines: { node: ">=24 <25" },
      scripts: { start: "node dist/main.js" },
      dependencies: {
        "@bookstore/proto": template.dependencies["@bookstore/proto"],
        [`@bookstore/${TEMPLATE}`]: "0.1.0",
        "@bookstore/wrk-base": template.dependencies["@bookstore/wrk-base"],
        "@grpc/grpc-js": template.dependencies["@grpc/grpc-js"],
        "@grpc/proto-loader": protoLoaderVersion,
      },
    },
    null,
    2,
  )}\n`;
}

const TSCONFIG = `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "references": [{ "path": "../../proto" }, { "path": "../wrk-base" }, { "path": "../${TEMPLATE}" }]
}
`;

function sources(p: WorkerPlan): Record<string, string> {
  const T = p.thing;
  const t = p.type;
  return {
    "src/default-ports.ts": `// ${p.name}'s ports when GRPC_PORT and HTTP_PORT are unset: the ones services/catalogue.json holds
// (dagger/test/catalogue.test.ts checks that they agree).
export const DEFAULT_PORTS = { grpcPort: ${p.grpcPort}, httpPort: ${p.httpPort} } as const;
`,
    "src/main.ts": `// ${p.name}: the ${t} worker of one rack.
import { packageVersion, runService } from "@bookstore/wrk-base";
import { ${T}Worker } from "./worker.js";

await runService("${p.name}", () => new ${T}Worker({ version: packageVersion(import.meta.url) }));
`,
    "src/index.ts": `// The public API of ${p.name}: the worker, its contract and its rules, for tests and for workers built on it.
export * from "./${t}.js";
export * from "./${t}-contract.js";
export * from "./${t}-service.js";
export * from "./worker.js";
`,
    [`src/${t}.ts`]: `import { toTimestamp, type ${T} } from "@bookstore/proto";
import { invalidArgument } from "@bookstore/wrk-base";
import type { StoredThing, ThingContent } from "@bookstore/tpl-wrk-thing";

/** The thing type a ${t} is stored as. */
export const ${t.toUpperCase()}_TYPE = "${t}";
export const TITLE_MAX = 200;

/** The rules of a ${t}: a title of 1 to TITLE_MAX characters, trimmed. */
export function valid${T}Title(value: unknown): string {
  const title = typeof value === "string" ? value.trim() : "";
  if (title.length === 0 || title.length > TITLE_MAX) throw invalidArgument("title", \`must be 1 to \${TITLE_MAX} characters\`);
  return title;
}

/** The same rules for a ${t} written as a thing (ThingService), field names as the thing's info. */
export function validate${T}Thing(content: ThingContent): ThingContent {
  try {
    return { ...content, info: { ...content.info, title: valid${T}Title(content.info.title) } };
  } catch {
    throw invalidArgument("info.title", \`must be 1 to \${TITLE_MAX} characters\`);
  }
}

export function to${T}Message(thing: StoredThing): ${T} {
  return { id: thing.id, title: String(thing.info.title), createdAt: toTimestamp(thing.createdAt), version: thing.version };
}
`,
    [`src/${t}-contract.ts`]: `// The wire contract of ${p.name}, proto/bookstore/${t}/v1/${t}.proto, loaded as @bookstore/proto loads the others.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { findProtoDir, LOADER_OPTIONS, type ${T}ServiceClient, type ${T}ServiceDefinition } from "@bookstore/proto";

export const ${t.toUpperCase()}_PROTO = "bookstore/${t}/v1/${t}.proto";
export const ${t.toUpperCase()}_SERVICE = "bookstore.${t}.v1.${T}Service";

/** What proto-loader makes of the service: a client class with the server's definition on it. */
interface ${T}ServiceConstructor {
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ChannelOptions>): ${T}ServiceClient;
  service: ${T}ServiceDefinition;
}

interface ${T}Package {
  bookstore: { ${t}: { v1: { ${T}Service: ${T}ServiceConstructor } } };
}

/** The ${T}Service's constructor (a client) and definition (for a server); loaded once per process. */
export const ${t}Contract = (() => {
  let cached: ${T}Package["bookstore"]["${t}"]["v1"] | undefined;
  return () => {
    if (cached) return cached;
    const definition = protoLoader.loadSync(${t.toUpperCase()}_PROTO, { ...LOADER_OPTIONS, includeDirs: [findProtoDir()] });
    cached = (grpc.loadPackageDefinition(definition) as unknown as ${T}Package).bookstore.${t}.v1;
    return cached;
  };
})();
`,
    [`src/${t}-service.ts`]: `import type { ${T}ServiceHandlers } from "@bookstore/proto";
import { notFound, unary, type Logger } from "@bookstore/wrk-base";
import { requireId, validateTyped, type ThingPolicy, type ThingStore } from "@bookstore/tpl-wrk-thing";
import { ${t.toUpperCase()}_TYPE, to${T}Message } from "./${t}.js";

/**
 * bookstore.${t}.v1.${T}Service over one rack's store: ${t}s are things of type "${t}". Every write
 * passes the worker's policy (its \`validateThing\`), the one its ThingService runs, so the ${t}
 * rules are written once and a subclass that narrows them is obeyed by both services.
 */
export function ${t}ServiceHandlers(store: ThingStore, policy: ThingPolicy, log: Logger): ${T}ServiceHandlers {
  return {
    Create${T}: unary(log, (request) => {
      const content = validateTyped(policy, { type: ${t.toUpperCase()}_TYPE, tags: [], info: { title: request.title } }, undefined);
      return { ${t}: to${T}Message(store.insert(content)) };
    }),

    Get${T}: unary(log, (request) => {
      const id = requireId(request.id);
      const thing = store.get(id);
      if (!thing || thing.type !== ${t.toUpperCase()}_TYPE) throw notFound(\`${t} \${id}\`);
      return { ${t}: to${T}Message(thing) };
    }),
  };
}
`,
    "src/worker.ts": `import type * as grpc from "@grpc/grpc-js";
import type { Env } from "@bookstore/wrk-base";
import { ThingWorker, type StoredThing, type ThingContent } from "@bookstore/tpl-wrk-thing";
import { DEFAULT_PORTS } from "./default-ports.js";
import { ${t.toUpperCase()}_TYPE, validate${T}Thing } from "./${t}.js";
import { ${t}Contract, ${t.toUpperCase()}_SERVICE } from "./${t}-contract.js";
import { ${t}ServiceHandlers } from "./${t}-service.js";

export interface ${T}WorkerOptions {
  version: string;
  env?: Env;
  drainTimeoutMs?: number;
}

/**
 * The ${t} worker: a thing worker whose things are ${t}s. It serves the ${T}Service and, inherited,
 * the ThingService, which accepts only things of type "${t}" that pass the ${t} rules.
 */
export class ${T}Worker extends ThingWorker {
  constructor(options: ${T}WorkerOptions) {
    super({ name: "${p.name}", type: "${t}", ports: DEFAULT_PORTS, ...options });
  }

  protected override thingTypes(): readonly string[] {
    return [${t.toUpperCase()}_TYPE];
  }

  protected override validateThing(content: ThingContent, _previous: StoredThing | undefined): ThingContent {
    return validate${T}Thing(content);
  }

  protected override addServices(server: grpc.Server): string[] {
    const names = super.addServices(server);
    server.addService(${t}Contract().${T}Service.service, ${t}ServiceHandlers(this.store, this.policy, this.log));
    return [...names, ${t.toUpperCase()}_SERVICE];
  }
}
`,
    [`test/${t}.process.test.ts`]: `// ${p.name} as a real process on loopback, called over gRPC like any client would.
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import type { Create${T}Response__Output, Get${T}Response__Output, ${T}__Output } from "@bookstore/proto";
import { callUnary } from "@bookstore/wrk-base";
import { ${t}Contract } from "../src/${t}-contract.js";
import { rackForSuite } from "@bookstore/tpl-wrk-thing/test-support";
import { checkHealth, failureOf } from "../../../compose/local/kit/testing/process.js";
import { credentialsOf } from "../../../compose/local/kit/testing/tls.js";

const TIMEOUT = { timeoutMs: 5_000 };

describe("${p.name} as a process", function () {
  this.timeout(30_000);
  // The worker on a new DATA_DIR and, as the gateway (the only caller a worker's own service
  // accepts), a client of it; the template's test support starts and removes both.
  const rack = rackForSuite("${p.name}", { RACK_ID: "${t}-1" }, (service) => new (${t}Contract().${T}Service)(service.grpcAddress, credentialsOf("app-node")));
  const create = (title: string) =>
    callUnary<Create${T}Response__Output>((m, o, cb) => rack.api.create${T}({ title }, m, o, cb), TIMEOUT).then((r) => r.${t} as ${T}__Output);
  const get = (id: string) => callUnary<Get${T}Response__Output>((m, o, cb) => rack.api.get${T}({ id }, m, o, cb), TIMEOUT).then((r) => r.${t} as ${T}__Output);

  it("serves health", async () => {
    expect(await checkHealth(rack.service.grpcAddress)).to.equal("SERVING");
  });

  it("stores a ${t} in its rack and returns it by id", async () => {
    const created = await create("  First  ");
    expect(created.id).to.match(/^${t}-1\\./);
    expect(created.title).to.equal("First");
    expect(Number(created.version)).to.equal(1);
    expect(await get(created.id)).to.deep.include({ id: created.id, title: "First" });
  });

  it("refuses an empty title with INVALID_ARGUMENT and stores nothing", async () => {
    const failure = await failureOf(create("   "));
    expect(failure.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).to.include("title");
  });

  it("answers NOT_FOUND for an id it does not hold", async () => {
    const failure = await failureOf(get("${t}-1.00000000-0000-4000-8000-000000000000"));
    expect(failure.code).to.equal(grpc.status.NOT_FOUND);
  });

  it("stops gracefully on SIGTERM", async () => {
    const exit = await rack.service.stop();
    expect(exit.code).to.equal(0);
  });
});
`,
  };
}

function docsPage(p: WorkerPlan): string {
  return `# ${p.name}

The ${p.type} worker: ${p.type}s per rack, stored durably in SQLite by the thing-worker template
([tpl-wrk-thing](tpl-wrk-thing.md)), served by \`bookstore.${p.type}.v1.${p.thing}Service\`
(\`proto/bookstore/${p.type}/v1/${p.type}.proto\`) beside the inherited ThingService, which accepts only
things of type \`${p.type}\`. Made by \`npm run new:worker -- ${p.name}\` ([contributing](../contributing.md)).

| | |
|---|---|
| gRPC | ${p.grpcPort} (\`GRPC_PORT\`) |
| HTTP | ${p.httpPort} (\`HTTP_PORT\`): \`/healthz\`, \`/readyz\`, \`/metrics\` |
| data | \`DATA_DIR\`, one SQLite file per rack (\`RACK_ID\`) |

Settings are those of every thing worker: see [tpl-wrk-thing](tpl-wrk-thing.md).

## Calls

| method | what it does | errors |
|---|---|---|
| \`Create${p.thing}\` | stores a ${p.type}; the title is trimmed, 1 to 200 characters | \`INVALID_ARGUMENT\` (title) |
| \`Get${p.thing}\` | returns a ${p.type} by id | \`NOT_FOUND\` |
`;
}

// ---- edits of existing files ----

function insertAfterLast(text: string, pattern: RegExp, insert: string, file: string): string {
  const matches = [...text.matchAll(pattern)];
  const last = matches.at(-1);
  if (!last || last.index === undefined) throw new Error(`${file}: cannot find where to add the new worker (${pattern})`);
  const end = last.index + last[0].length;
  return text.slice(0, end) + insert + text.slice(end);
}

/** The new worker's one line, in its catalogue entry and its compose build (its image's description). */
export function workerDescription(p: WorkerPlan): string {
  return `Bookstore ${p.type} worker: ${p.type}s per rack in SQLite`;
}

/** The catalogue with the new worker after the last worker, in the file's one-line-per-service layout. */
export function catalogueWith(text: string, p: WorkerPlan): string {
  const entry = `\n    { "name": "${p.name}", "role": "worker", "grpcPort": ${p.grpcPort}, "httpPort": ${p.httpPort}, "dataVolume": true, "description": "${workerDescription(p)}" },`;
  return insertAfterLast(text, /^ {4}\{ "name": "[^"]+", "role": "worker".*\},$/gm, entry, CATALOGUE_FILE);
}

/** The compose file with a block for the new worker, copied from the template's, and its volume. */
export function composeWith(text: string, p: WorkerPlan): string {
  const start = text.indexOf(`\n  ${TEMPLATE}:\n`);
  const end = start < 0 ? -1 : text.indexOf("\n\n", start + 1);
  if (start < 0 || end < 0) throw new Error(`compose/docker-compose.yml: no ${TEMPLATE} block to copy`);
  const block = text
    .slice(start, end)
    .replaceAll(TEMPLATE, p.name)
    .replaceAll(String(p.templatePorts.grpcPort), String(p.grpcPort))
    .replaceAll(String(p.templatePorts.httpPort), String(p.httpPort))
    .replace(/RACK_ID: \S+/, `RACK_ID: ${p.type}-1`)
    .replace(/DESCRIPTION: "[^"]*"/, `DESCRIPTION: "${workerDescription(p)}"`);
  const withBlock = text.slice(0, end) + "\n" + block + text.slice(end);
  return insertAfterLast(withBlock, new RegExp(`^  ${TEMPLATE}-data: \\{\\}$`, "gm"), `\n  ${p.name}-data: {}`, "compose/docker-compose.yml");
}

/** Prometheus scrapes the new worker as it scrapes the template. */
export function prometheusWith(text: string, p: WorkerPlan): string {
  const start = text.indexOf(`\n  - job_name: ${TEMPLATE}\n`);
  const end = start < 0 ? -1 : text.indexOf("\n\n", start + 1);
  if (start < 0 || end < 0) throw new Error(`observability/prometheus/prometheus.yml: no ${TEMPLATE} job to copy`);
  const job = text.slice(start, end).replaceAll(TEMPLATE, p.name).replaceAll(String(p.templatePorts.httpPort), String(p.httpPort));
  return text.slice(0, end) + "\n" + job + text.slice(end);
}

// ---- the command ----

export interface GeneratedFiles {
  /** New files, path relative to the repository root → content. */
  created: Record<string, string>;
  /** Existing files → their new content. */
  edited: Record<string, string>;
}

/** Everything the generator writes for `plan`, read from the repository at `root`; writes nothing. */
export function generate(root: string, plan: WorkerPlan): GeneratedFiles {
  const read = (path: string) => readFileSync(join(root, path), "utf8");
  const template = JSON.parse(read(`services/${TEMPLATE}/package.json`)) as { dependencies: Record<string, string> };
  const base = JSON.parse(read("services/wrk-base/package.json")) as { dependencies: Record<string, string> };
  const protoLoader = base.dependencies["@grpc/proto-loader"];
  if (!protoLoader) throw new Error("services/wrk-base/package.json: no @grpc/proto-loader to pin the new worker's to");
  const dir = `services/${plan.name}`;
  const created: Record<string, string> = {
    [`${dir}/package.json`]: packageJson(plan, template, protoLoader),
    [`${dir}/tsconfig.json`]: TSCONFIG,
    [`proto/bookstore/${plan.type}/v1/${plan.type}.proto`]: proto(plan),
    [`docs/services/${plan.name}.md`]: docsPage(plan),
  };
  for (const [path, text] of Object.entries(sources(plan))) created[`${dir}/${path}`] = text;
  const edited: Record<string, string> = {
    [CATALOGUE_FILE]: catalogueWith(read(CATALOGUE_FILE), plan),
    "compose/docker-compose.yml": composeWith(read("compose/docker-compose.yml"), plan),
    "observability/prometheus/prometheus.yml": prometheusWith(read("observability/prometheus/prometheus.yml"), plan),
  };
  return { created, edited };
}

/** The ports of `npm start`'s processes, from the runner of the repository at `root`. */
async function localSystemPorts(root: string): Promise<LocalPorts> {
  const runner = (await import(pathToFileURL(join(root, "compose/local/system.ts")).href)) as {
    systemPorts(): Record<string, { grpc?: number; http: number }>;
  };
  const block = Object.values(runner.systemPorts()).filter((ports) => ports.grpc !== undefined);
  return { grpc: block.map((ports) => ports.grpc ?? 0), http: block.map((ports) => ports.http) };
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { thing: { type: "string" }, root: { type: "string" } } });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new Error("usage: npm run new:worker -- <name> [--thing <Thing>]   (for example wrk-magazine)");
  const root = values.root ?? fileURLToPath(new URL("../../", import.meta.url));
  const catalogue = parseCatalogue(readFileSync(join(root, CATALOGUE_FILE), "utf8"));
  const plan = planWorker(catalogue, name, values.thing, (path) => existsSync(join(root, path)), await localSystemPorts(root));
  const files = generate(root, plan);
  parseCatalogue(files.edited[CATALOGUE_FILE] ?? "");
  for (const [path, text] of Object.entries({ ...files.created, ...files.edited })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  console.log(`${plan.name}: ${plan.thing}Service on gRPC ${plan.grpcPort}, HTTP ${plan.httpPort}`);
  console.log(`new:    ${Object.keys(files.created).sort().join("\n        ")}`);
  console.log(`edited: ${Object.keys(files.edited).join(", ")}`);
  console.log("next:   npm install (the lockfile learns the workspace), then npm run build, npm start");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    console.error(`new:worker: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
