// Every service Dockerfile and the root .dockerignore keep the image rules (.ci/images/dockerfile-rules.ts),
// and each rule does fail, naming file, line and rule, when a copy of a real Dockerfile breaks it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { SERVICES, SERVICE_PORTS, exposedPorts, readVersions, workspaceClosure } from "../../.ci/images/catalogue.js";
import type { ServiceName } from "../../.ci/images/catalogue.js";
import { RULES, checkDockerfile, checkDockerignore, formatViolation } from "../../.ci/images/dockerfile-rules.js";
import type { DockerfileExpectations, RuleId, Violation } from "../../.ci/images/dockerfile-rules.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const { nodeVersion } = readVersions(repoRoot);

function expectations(service: ServiceName): DockerfileExpectations {
  return {
    file: `services/${service}/Dockerfile`,
    service,
    nodeVersion,
    ports: exposedPorts(service),
    httpPort: SERVICE_PORTS[service].http,
    workspaceSources: workspaceClosure(repoRoot, service).map((name) => `services/${name}`),
  };
}

function dockerfileOf(service: ServiceName): string {
  return readFileSync(join(repoRoot, "services", service, "Dockerfile"), "utf8");
}

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

describe("service Dockerfiles", () => {
  for (const service of SERVICES) {
    it(`services/${service}/Dockerfile keeps every image rule`, () => {
      const file = join(repoRoot, "services", service, "Dockerfile");
      expect(existsSync(file), `${file} is missing`).to.equal(true);
      const violations = checkDockerfile(dockerfileOf(service), expectations(service));
      expect(violations.map(formatViolation)).to.deep.equal([]);
    });
  }

  it(".dockerignore keeps node_modules, dist, data and .git out of the context", () => {
    const violations = checkDockerignore(readFileSync(join(repoRoot, ".dockerignore"), "utf8"));
    expect(violations.map(formatViolation)).to.deep.equal([]);
  });

  it("the default base image is the Node version the stand-in base is made from", () => {
    for (const service of SERVICES) expect(dockerfileOf(service)).to.include(`ARG NODE_IMAGE=node:${nodeVersion}-alpine`);
  });
});

describe("the image rules catch each break", () => {
  const base = dockerfileOf("wrk-base");
  const file = "services/wrk-base/Dockerfile";

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
    { rule: "base-image-arg", what: "a base that disagrees with versions.env", broken: replaced(base, `ARG NODE_IMAGE=node:${nodeVersion}-alpine`, "ARG NODE_IMAGE=node:24.0.1-alpine"), at: "ARG NODE_IMAGE=" },
    { rule: "base-image", what: "a stage FROM a literal image", broken: replaced(base, "FROM --platform=$TARGETPLATFORM ${NODE_IMAGE}", "FROM --platform=$TARGETPLATFORM node:24-alpine"), at: "FROM --platform=$TARGETPLATFORM" },
    {
      rule: "multi-stage",
      what: "a single stage",
      broken: `ARG NODE_IMAGE=node:${nodeVersion}-alpine\nFROM --platform=$TARGETPLATFORM \${NODE_IMAGE}\nCOPY . /app\n`,
      at: "FROM",
    },
    { rule: "build-platform", what: "a build stage on the target platform", broken: replaced(base, "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE} AS build"), at: "AS build" },
    { rule: "target-platform", what: "a runtime stage without --platform", broken: replaced(base, "FROM --platform=$TARGETPLATFORM ${NODE_IMAGE}", "FROM ${NODE_IMAGE}"), at: "FROM ${NODE_IMAGE}" },
    { rule: "npm-ci", what: "npm install instead of npm ci", broken: replaced(base, "npm ci --ignore-scripts", "npm install --ignore-scripts"), at: "RUN --mount=type=cache" },
    {
      rule: "manifests-before-install",
      what: "sources copied before the install",
      broken: replaced(base, "# ca_certs:", "COPY services/wrk-base services/wrk-base\n# ca_certs:"),
      at: "COPY services/wrk-base services/wrk-base",
    },
    {
      rule: "workspace-sources",
      what: "a workspace dependency left out",
      service: "wrk-book",
      broken: replaced(dockerfileOf("wrk-book"), "COPY services/tpl-wrk-thing services/tpl-wrk-thing\n", ""),
      at: "RUN --mount=type=cache",
    },
    { rule: "runtime-no-run", what: "a RUN in the runtime stage", broken: replaced(base, "WORKDIR /app\n", "WORKDIR /app\nRUN mkdir -p /data\n"), at: "RUN mkdir -p /data" },
    { rule: "runtime-copy-from-stage", what: "a COPY from the context into the runtime stage", broken: replaced(base, "COPY --from=build /out/app /app", "COPY services/wrk-base/dist /app"), at: "COPY services/wrk-base/dist /app" },
    { rule: "proto-files", what: "no .proto files", broken: replaced(base, "COPY --from=build /out/proto /proto\n", ""), at: "PROTO_DIR=/proto" },
    { rule: "numeric-user", what: "a user by name", broken: replaced(base, "USER 10001:10001", "USER node"), at: "USER node" },
    { rule: "numeric-user", what: "root", broken: replaced(base, "USER 10001:10001", "USER 0:0"), at: "USER 0:0" },
    { rule: "ports", what: "a missing port", broken: replaced(base, "EXPOSE 50053 9103", "EXPOSE 50053"), at: "EXPOSE 50053" },
    {
      rule: "healthcheck",
      what: "a curl health check",
      broken: base.replace(/ {2}CMD \["node".*\n/, "  CMD curl -fs http://127.0.0.1:9103/healthz || exit 1\n"),
      at: "HEALTHCHECK",
    },
    { rule: "stopsignal", what: "SIGKILL as stop signal", broken: replaced(base, "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL"), at: "STOPSIGNAL" },
    {
      rule: "oci-labels",
      what: "a hard-coded revision",
      broken: replaced(base, 'org.opencontainers.image.revision="${OCI_REVISION}"', 'org.opencontainers.image.revision="abc123"'),
      at: "org.opencontainers.image.revision=",
    },
    { rule: "oci-labels", what: "a label from an undeclared ARG", broken: replaced(base, "ARG OCI_CREATED=unknown\n", ""), at: "org.opencontainers.image.created=" },
    { rule: "data-dir", what: "a data folder owned by root", broken: replaced(base, "--chown=10001:10001 /out/data /data", "/out/data /data"), at: "COPY --from=build /out/data /data" },
    { rule: "entrypoint", what: "a shell-form entrypoint", broken: replaced(base, 'ENTRYPOINT ["node", "/app/dist/main.js"]', "ENTRYPOINT node /app/dist/main.js"), at: "ENTRYPOINT node" },
  ];

  for (const { rule, what, broken, at, service } of cases) {
    it(`[${rule}] ${what}`, () => {
      const expect_ = expectations(service ?? "wrk-base");
      expectViolation(checkDockerfile(broken, expect_), rule, lineOf(broken, at), expect_.file);
    });
  }

  it("every rule has a breaking case above", () => {
    const covered = new Set<string>([...cases.map((entry) => entry.rule), "dockerignore"]);
    expect(Object.keys(RULES).filter((rule) => !covered.has(rule))).to.deep.equal([]);
  });

  it("[dockerignore] node_modules kept in, or the sources left out", () => {
    const ignore = readFileSync(join(repoRoot, ".dockerignore"), "utf8");
    expectViolation(checkDockerignore(replaced(ignore, "**/node_modules\n", "")), "dockerignore", 1, ".dockerignore");
    const withProto = `${ignore}proto\n`;
    expectViolation(checkDockerignore(withProto), "dockerignore", withProto.split("\n").length - 1, ".dockerignore");
  });

  it("a Dockerfile with no FROM is reported, not thrown", () => {
    const violations = checkDockerfile("# nothing here\n", expectations("wrk-base"));
    expect(violations.map(formatViolation)).to.deep.equal([`${file}:1: [multi-stage] no FROM instruction`]);
  });
});
