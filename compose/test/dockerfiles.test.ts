// The one image recipe (services/Dockerfile), as each service's image, and the root .dockerignore keep
// the image rules (.ci/images/dockerfile-rules.ts), and each rule does fail, naming file, line and
// rule, when a copy of the recipe breaks it.
// Then the pure parts of the image tooling (npm run test:images does the real builds and runs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { buildArgs, buildSteps, hostCaCerts, sharedStageSteps, stageSteps } from "../../.ci/images/build.js";
import { readCatalogue, workspaceFolders, workspaceSources } from "../../.ci/images/catalogue.js";
import { serviceNames, servicePorts, serviceSpec, type ServiceName } from "../../dagger/module/src/lib/services.js";
import { IMAGE_RECIPE, imageBuildArgs } from "../../dagger/module/src/lib/image-recipe.js";
import { RULES, checkDockerfile, checkDockerignore, formatViolation } from "../../.ci/images/dockerfile-rules.js";
import type { DockerfileExpectations, RuleId, Violation } from "../../.ci/images/dockerfile-rules.js";
import { elfFiles, elfMachine } from "../../.ci/images/elf.js";
import { buildTimeTable, oversized, sizeTable } from "../../.ci/images/report.js";
import type { SizeRow } from "../../.ci/images/report.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const catalogue = readCatalogue(repoRoot);
const nodeVersion = catalogue.versions.node;
const SERVICES = serviceNames(catalogue);

/** The one recipe, checked as the image of `service`: its build arguments from the catalogue. */
function recipeExpectations(service: ServiceName): DockerfileExpectations {
  const spec = serviceSpec(catalogue, service);
  return {
    file: IMAGE_RECIPE,
    service,
    nodeVersion,
    ports: servicePorts(spec),
    httpPort: spec.httpPort,
    // The shared build stage installs and builds every workspace (proto/ and the services).
    workspaceSources: workspaceFolders(repoRoot, catalogue),
    buildArgs: Object.fromEntries(imageBuildArgs(spec).map((arg) => [arg.name, arg.value])),
    dataVolume: spec.dataVolume,
    description: spec.description,
  };
}

const recipe = readFileSync(join(repoRoot, IMAGE_RECIPE), "utf8");

/** The text with `from` replaced once, failing loudly when the real file no longer has it. */
function replaced(text: string, from: string, to: string): string {
  expect(text, `the Dockerfile no longer contains: ${from}`).to.include(from);
  return text.replace(from, to);
}

/** 1-based number of the first line that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  expect(index, `no line contains: ${needle}`).to.be.greaterThan(-1);
  return index + 1;
}

function expectViolation(violations: Violation[], rule: RuleId, line: number, file: string): void {
  const found = violations.find((violation) => violation.rule === rule && violation.line === line);
  expect(found, `expected [${rule}] at line ${line}, got:\n${violations.map(formatViolation).join("\n")}`).to.not.equal(undefined);
  expect(formatViolation(found as Violation)).to.match(new RegExp(`^${file.replace(/[.]/g, "\\.")}:${line}: \\[${rule}\\] .+`));
}

/** Breaks of what the recipe gives each service. */
const RECIPE_BREAKS: Array<{ rule: RuleId; what: string; service: ServiceName; broken: string; at: string }> = [
  { rule: "data-dir", what: "a data service without its VOLUME", service: "wrk-book", broken: replaced(recipe, "FROM runtime AS volume-yes\nVOLUME /data\n", "FROM runtime AS volume-yes\n"), at: "DATA_DIR=/data" },
  { rule: "data-dir", what: "a VOLUME for a service that keeps no data", service: "wrk-base", broken: replaced(recipe, "FROM runtime AS volume-no\n", "FROM runtime AS volume-no\nVOLUME /data\n"), at: "VOLUME /data" },
  { rule: "ports", what: "a port the catalogue does not give", service: "app-node", broken: replaced(recipe, "EXPOSE ${GRPC_PORT} ${HTTP_PORT}", "EXPOSE 50051 ${HTTP_PORT}"), at: "EXPOSE 50051" },
  { rule: "oci-labels", what: "a title not from SERVICE", service: "wrk-ork", broken: replaced(recipe, 'title="bookstore-${SERVICE}"', 'title="bookstore-wrk-book"'), at: "image.title=" },
  { rule: "oci-labels", what: "a description not from the catalogue", service: "wrk-ork", broken: replaced(recipe, 'description="${DESCRIPTION}"', 'description="a worker"'), at: "image.description=" },
  { rule: "healthcheck", what: "HTTP_PORT not the service's", service: "wrk-base", broken: replaced(recipe, "HTTP_PORT=${HTTP_PORT}", "HTTP_PORT=9999"), at: "HEALTHCHECK" },
  { rule: "manifests-before-install", what: "the workspaces' manifests missing before npm ci", service: "wrk-base", broken: replaced(recipe, "COPY --from=manifests /src/services services\n", ""), at: "RUN --mount=type=cache" },
  { rule: "manifests-before-install", what: "a manifests stage that keeps the sources", service: "wrk-base", broken: replaced(recipe, "RUN find services -type f ! -name package.json -exec rm -f {} +", "RUN find services -type f -name '*.ts' -exec rm -f {} +"), at: "RUN --mount=type=cache" },
  { rule: "workspace-sources", what: "the services' sources not copied", service: "wrk-base", broken: replaced(recipe, "\nCOPY services services\n# The development CA maker", "\n# The development CA maker"), at: "RUN --mount=type=cache" },
];

describe("the one image recipe, services/Dockerfile", () => {
  for (const service of SERVICES) {
    it(`keeps every image rule as the image of ${service} (its build arguments from the catalogue)`, () => {
      expect(checkDockerfile(recipe, recipeExpectations(service)).map(formatViolation)).to.deep.equal([]);
    });
  }

  it("defaults to the Node version the stand-in base is made from", () => {
    expect(recipe).to.include(`ARG NODE_IMAGE=node:${nodeVersion}-alpine\n`);
  });

  it("reads no service argument before its shared build stage ends, so every service and platform reuses it", () => {
    const runtimeAt = recipe.indexOf("\nFROM --platform=$TARGETPLATFORM");
    expect(runtimeAt).to.be.greaterThan(0);
    const buildStage = recipe.slice(0, runtimeAt);
    for (const arg of imageBuildArgs(serviceSpec(catalogue, "wrk-book")).filter((entry) => entry.name !== "DATA_VOLUME")) {
      expect(buildStage, arg.name).to.not.match(new RegExp(`\\$\\{?${arg.name}\\b|ARG ${arg.name}\\b`));
    }
    // DATA_VOLUME is global (FROM picks the volume variant with it) and no step of a stage reads it.
    expect(buildStage.split("\n").filter((line) => line.includes("DATA_VOLUME") && !line.startsWith("#"))).to.deep.equal(["ARG DATA_VOLUME=no"]);
  });

  for (const { rule, what, service, broken, at } of RECIPE_BREAKS) {
    it(`[${rule}] ${what}`, () => {
      expectViolation(checkDockerfile(broken, recipeExpectations(service)), rule, lineOf(broken, at), IMAGE_RECIPE);
    });
  }
});

describe("the build context", () => {
  it(".dockerignore keeps node_modules, dist, data and .git out of the context", () => {
    const violations = checkDockerignore(readFileSync(join(repoRoot, ".dockerignore"), "utf8"));
    expect(violations.map(formatViolation)).to.deep.equal([]);
  });
});

describe("the image rules catch each break", () => {
  const base = recipe;
  const file = IMAGE_RECIPE;

  interface BreakCase {
    rule: RuleId;
    what: string;
    /** The broken file text. */
    broken: string;
    /** A piece of the line the violation must point at, in the broken text. */
    at: string;
    service?: ServiceName;
  }

  const cases: BreakCase[] = [
    { rule: "base-image-arg", what: "an unpinned base", broken: replaced(base, `ARG NODE_IMAGE=node:${nodeVersion}-alpine`, "ARG NODE_IMAGE=node:24-alpine"), at: "ARG NODE_IMAGE=" },
    { rule: "base-image-arg", what: "a base that disagrees with the catalogue's Node", broken: replaced(base, `ARG NODE_IMAGE=node:${nodeVersion}-alpine`, "ARG NODE_IMAGE=node:24.0.1-alpine"), at: "ARG NODE_IMAGE=" },
    { rule: "base-image", what: "a stage FROM a literal image", broken: replaced(base, "FROM --platform=$TARGETPLATFORM ${NODE_IMAGE}", "FROM --platform=$TARGETPLATFORM node:24-alpine"), at: "FROM --platform=$TARGETPLATFORM" },
    { rule: "multi-stage", what: "a single stage", broken: `ARG NODE_IMAGE=node:${nodeVersion}-alpine\nFROM --platform=$TARGETPLATFORM \${NODE_IMAGE}\nCOPY . /app\n`, at: "FROM" },
    { rule: "build-platform", what: "a build stage on the target platform", broken: replaced(base, "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE} AS build"), at: "AS build" },
    { rule: "target-platform", what: "a runtime stage without --platform", broken: replaced(base, "FROM --platform=$TARGETPLATFORM ${NODE_IMAGE}", "FROM ${NODE_IMAGE}"), at: "FROM ${NODE_IMAGE}" },
    { rule: "npm-ci", what: "npm install instead of npm ci", broken: replaced(base, "npm ci --ignore-scripts", "npm install --ignore-scripts"), at: "RUN --mount=type=cache" },
    { rule: "manifests-before-install", what: "sources copied before the install", broken: replaced(base, "# ca_certs:", "COPY services/wrk-base services/wrk-base\n# ca_certs:"), at: "COPY services/wrk-base services/wrk-base" },
    { rule: "runtime-no-run", what: "a RUN in the runtime stage", broken: replaced(base, "WORKDIR /app\n", "WORKDIR /app\nRUN mkdir -p /data\n"), at: "RUN mkdir -p /data" },
    { rule: "runtime-copy-from-stage", what: "a COPY from the context into the runtime stage", broken: replaced(base, "COPY --from=build /out/${SERVICE}/app /app", "COPY services/wrk-base/dist /app"), at: "COPY services/wrk-base/dist /app" },
    { rule: "proto-files", what: "no .proto files", broken: replaced(base, "COPY --from=build /out/${SERVICE}/proto /proto\n", ""), at: "PROTO_DIR=/proto" },
    { rule: "numeric-user", what: "a user by name", broken: replaced(base, "USER 10001:10001", "USER node"), at: "USER node" },
    { rule: "numeric-user", what: "root", broken: replaced(base, "USER 10001:10001", "USER 0:0"), at: "USER 0:0" },
    { rule: "ports", what: "a missing port", broken: replaced(base, "EXPOSE ${GRPC_PORT} ${HTTP_PORT}", "EXPOSE ${GRPC_PORT}"), at: "EXPOSE ${GRPC_PORT}" },
    { rule: "healthcheck", what: "a curl health check", broken: base.replace(/ {2}CMD \["node".*\n/, "  CMD curl -fs http://127.0.0.1:9103/healthz || exit 1\n"), at: "HEALTHCHECK" },
    { rule: "stopsignal", what: "SIGKILL as stop signal", broken: replaced(base, "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL"), at: "STOPSIGNAL" },
    { rule: "oci-labels", what: "a hard-coded revision", broken: replaced(base, 'org.opencontainers.image.revision="${OCI_REVISION}"', 'org.opencontainers.image.revision="abc123"'), at: "org.opencontainers.image.revision=" },
    { rule: "oci-labels", what: "a label from an undeclared ARG", broken: replaced(base, "ARG OCI_CREATED=unknown\n", ""), at: "org.opencontainers.image.created=" },
    { rule: "data-dir", what: "a data folder owned by root", broken: replaced(base, "--chown=10001:10001 /out/${SERVICE}/data /data", "/out/${SERVICE}/data /data"), at: "COPY --from=build /out/${SERVICE}/data /data" },
    { rule: "entrypoint", what: "a shell-form entrypoint", broken: replaced(base, 'ENTRYPOINT ["node", "/app/dist/main.js"]', "ENTRYPOINT node /app/dist/main.js"), at: "ENTRYPOINT node" },
  ];

  for (const { rule, what, broken, at, service } of cases) {
    it(`[${rule}] ${what}`, () => {
      const expect_ = recipeExpectations(service ?? "wrk-base");
      expectViolation(checkDockerfile(broken, expect_), rule, lineOf(broken, at), expect_.file);
    });
  }

  it("every rule has a breaking case above", () => {
    const covered = new Set<string>([...cases.map((entry) => entry.rule), ...RECIPE_BREAKS.map((entry) => entry.rule), "dockerignore"]);
    expect(Object.keys(RULES).filter((rule) => !covered.has(rule))).to.deep.equal([]);
  });

  it("[dockerignore] node_modules kept in, or the sources left out", () => {
    const ignore = readFileSync(join(repoRoot, ".dockerignore"), "utf8");
    expectViolation(checkDockerignore(replaced(ignore, "**/node_modules\n", "")), "dockerignore", 1, ".dockerignore");
    const withProto = `${ignore}proto\n`;
    expectViolation(checkDockerignore(withProto), "dockerignore", withProto.split("\n").length - 1, ".dockerignore");
  });

  it("a Dockerfile with no FROM is reported, not thrown", () => {
    const violations = checkDockerfile("# nothing here\n", recipeExpectations("wrk-base"));
    expect(violations.map(formatViolation)).to.deep.equal([`${file}:1: [multi-stage] no FROM instruction`]);
  });
});

describe("image tooling helpers", () => {
  it("reads which build steps buildah took from the cache", () => {
    const log = [
      "[1/2] STEP 1/3: FROM localhost/bookstore/node-base:24 AS build",
      "[1/2] STEP 2/3: COPY package.json package-lock.json ./",
      "--> Using cache 753c3d2290597e8bd8d6d7fdce7237999af9a544b208a000ced3b0d0a94ca8e5",
      "--> 753c3d22905",
      "[1/2] STEP 3/3: RUN npm ci",
      "added 458 packages",
      "[2/2] STEP 1/1: FROM localhost/bookstore/node-base:24",
    ].join("\n");
    expect(buildSteps(log).map((step) => [step.step.slice(0, 17), step.cached])).to.deep.equal([
      ["[1/2] STEP 1/3: F", false],
      ["[1/2] STEP 2/3: C", true],
      ["[1/2] STEP 3/3: R", false],
      ["[2/2] STEP 1/1: F", false],
    ]);
  });

  it("tells the shared stages' steps and one stage's steps apart in a build log", () => {
    const log = [
      "[1/4] STEP 1/2: FROM localhost/bookstore/node-base:24 AS manifests",
      "[1/4] STEP 2/2: COPY services services",
      "[2/4] STEP 1/3: FROM localhost/bookstore/node-base:24 AS build",
      "--> Using cache 753c3d2290597e8bd8d6d7fdce7237999af9a544b208a000ced3b0d0a94ca8e5",
      "[2/4] STEP 2/3: RUN npm ci",
      "--> Using cache 853c3d2290597e8bd8d6d7fdce7237999af9a544b208a000ced3b0d0a94ca8e5",
      "[2/4] STEP 3/3: COPY services services",
      "[3/4] STEP 1/2: FROM localhost/bookstore/node-base:24 AS runtime",
      "[3/4] STEP 2/2: COPY --from=build /out/${SERVICE}/app /app",
    ].join("\n");
    expect(sharedStageSteps(log).map((step) => step.step.slice(0, 15))).to.deep.equal(["[1/4] STEP 1/2:", "[1/4] STEP 2/2:", "[2/4] STEP 1/3:", "[2/4] STEP 2/3:", "[2/4] STEP 3/3:"]);
    expect(stageSteps(log, "build").map((step) => [step.step.slice(0, 15), step.cached])).to.deep.equal([
      ["[2/4] STEP 1/3:", true],
      ["[2/4] STEP 2/3:", true],
      ["[2/4] STEP 3/3:", false],
    ]);
    expect(stageSteps(log, "missing")).to.deep.equal([]);
  });

  it("passes the platforms, the base list and the OCI values to podman build", () => {
    const args = buildArgs({
      spec: serviceSpec(catalogue, "wrk-book"),
      arch: "arm64",
      tag: "localhost/bookstore/wrk-book:test-arm64",
      oci: { source: "https://example.test/bookstore", revision: "abc", version: "1.2.3", created: "2026-01-01T00:00:00Z" },
      context: "/ctx",
      caCerts: "/ca.pem",
    });
    expect(args).to.include.members([
      "--platform=linux/arm64",
      "--build-arg=TARGETPLATFORM=linux/arm64",
      "--build-arg=NODE_IMAGE=localhost/bookstore/node-base:24",
      "--build-arg=OCI_REVISION=abc",
      "--build-arg=OCI_CREATED=2026-01-01T00:00:00Z",
      "--secret=id=ca_certs,src=/ca.pem",
      "--format=docker",
      // The service's own arguments, from the catalogue, as the module passes them.
      "--build-arg=SERVICE=wrk-book",
      "--build-arg=GRPC_PORT=50052",
      "--build-arg=HTTP_PORT=9102",
      "--build-arg=DATA_VOLUME=yes",
      "--build-arg=DESCRIPTION=Bookstore book worker: books, search, checkout and return",
    ]);
    expect(args.slice(-5)).to.deep.equal(["-f", "/ctx/services/Dockerfile", "-t", "localhost/bookstore/wrk-book:test-arm64", "/ctx"]);
    expect(args).to.not.include("--no-cache");
  });

  it("passes the host's CA bundle to the build: Node's, else the system's, else none", () => {
    const present = (...files: string[]) => (file: string) => files.includes(file);
    expect(hostCaCerts({ NODE_EXTRA_CA_CERTS: "/proxy.pem" }, present("/proxy.pem", "/etc/ssl/certs/ca-certificates.crt"))).to.equal("/proxy.pem");
    expect(hostCaCerts({ NODE_EXTRA_CA_CERTS: "/gone.pem" }, present("/etc/ssl/certs/ca-certificates.crt"))).to.equal("/etc/ssl/certs/ca-certificates.crt");
    expect(hostCaCerts({}, present())).to.equal(undefined);
  });

  it("tells an arm64 ELF header from an x86-64 one and from other files", () => {
    const header = (machine: number): Uint8Array => {
      const bytes = new Uint8Array(64);
      bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
      bytes[18] = machine & 0xff;
      bytes[19] = machine >> 8;
      return bytes;
    };
    expect(elfMachine(header(183))).to.equal("arm64");
    expect(elfMachine(header(62))).to.equal("amd64");
    expect(elfMachine(header(40))).to.equal(40);
    expect(elfMachine(new TextEncoder().encode("#!/bin/sh\necho not an ELF file\n"))).to.equal(undefined);
    expect(elfMachine(header(183).subarray(0, 10))).to.equal(undefined);
  });

  it("finds the ELF files of a folder tree, skipping other files", () => {
    const dir = mkdtempSync(join(tmpdir(), "elf-test-"));
    try {
      const elf = new Uint8Array(64);
      elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
      elf[18] = 183;
      mkdirSync(join(dir, "usr", "local", "bin"), { recursive: true });
      writeFileSync(join(dir, "usr", "local", "bin", "node"), elf);
      writeFileSync(join(dir, "main.js"), "console.log(1)\n");
      expect(elfFiles(dir)).to.deep.equal([{ path: "/usr/local/bin/node", machine: "arm64" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints sizes over the base and flags an image over the 10 MB budget", () => {
    const rows: SizeRow[] = [
      { service: "wrk-base", arch: "amd64", imageBytes: 150_470_000, baseBytes: 149_590_000 },
      { service: "app-node", arch: "arm64", imageBytes: 160_000_000, baseBytes: 144_820_000 },
    ];
    const text = sizeTable(rows);
    expect(text).to.match(/\| wrk-base +\| linux\/amd64 \| 150\.47 +\| 149\.59 +\| 0\.88 +\| yes +\|/);
    expect(text).to.match(/\| app-node +\| linux\/arm64 \| 160\.00 +\| 144\.82 +\| 15\.18 +\| NO +\|/);
    expect(oversized(rows).map((row) => row.service)).to.deep.equal(["app-node"]);
  });

  it("sums build times per platform and gives the arm64 / amd64 ratio", () => {
    const text = buildTimeTable([
      { service: "wrk-base", arch: "amd64", seconds: 20 },
      { service: "wrk-base", arch: "arm64", seconds: 30 },
      { service: "app-node", arch: "amd64", seconds: 10 },
      { service: "app-node", arch: "arm64", seconds: 10 },
    ]);
    expect(text).to.match(/\| wrk-base +\| 20\.0 +\| 30\.0 +\| 1\.50 +\|/);
    expect(text).to.match(/\| all +\| 30\.0 +\| 40\.0 +\| 1\.33 +\|/);
  });

  it("reads the workspace packages a service is built from, dependencies first", () => {
    expect(workspaceSources(repoRoot, "wrk-book")).to.deep.equal(["proto", "services/wrk-base", "services/tpl-wrk-thing", "services/wrk-book"]);
    expect(workspaceSources(repoRoot, "wrk-base")).to.deep.equal(["proto", "services/wrk-base"]);
  });
});
