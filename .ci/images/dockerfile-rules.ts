// The rules every service Dockerfile (and the root .dockerignore) must keep, checked on the parsed
// file (dockerfile-ast). Each violation names the file, the line and the rule, so a failing test
// says exactly what to fix. docs/images.md explains why each rule exists.

import { DockerfileParser } from "dockerfile-ast";
import type { Arg, Copy, Dockerfile, Env, From, Healthcheck, Instruction, Label } from "dockerfile-ast";
import { imageTitle } from "../../dagger/module/src/lib/image-recipe.js";

export const RULES = {
  "base-image-arg": "a global ARG NODE_IMAGE defaults to the pinned node:<version>-alpine of services/catalogue.json",
  "base-image": "every stage starts FROM ${NODE_IMAGE} or an earlier stage",
  "multi-stage": "a build stage and a runtime stage at least",
  "build-platform": "every stage before the runtime stage runs FROM --platform=$BUILDPLATFORM",
  "target-platform": "the runtime stage is FROM --platform=$TARGETPLATFORM",
  "npm-ci": "the build stage installs dependencies with npm ci",
  "manifests-before-install": "only package manifests are copied before npm ci, so a source change keeps the install cached",
  "workspace-sources": "the build stage copies the sources of the service and of every workspace package it uses",
  "runtime-no-run": "the runtime stage runs nothing (it holds only what runs, and builds no layer under emulation)",
  "runtime-copy-from-stage": "the runtime stage only copies from earlier stages (no ADD, nothing from the context)",
  "proto-files": "the runtime stage sets PROTO_DIR and copies the .proto files there",
  "numeric-user": "the runtime stage ends as a numeric, non-root USER uid:gid",
  "ports": "EXPOSE declares exactly the service's ports of the operating contract",
  "healthcheck": "a HEALTHCHECK in exec form that runs node (no curl) against /healthz on HTTP_PORT",
  "stopsignal": "STOPSIGNAL SIGTERM (or SIGINT), the signals the services stop gracefully on",
  "oci-labels": "LABELs org.opencontainers.image.{title,source,revision,version,created}, the last four from ARGs OCI_*",
  "data-dir": "DATA_DIR is set and is copied in owned by the USER (and is the VOLUME when one is declared)",
  "entrypoint": "ENTRYPOINT in exec form starting with node, so node is PID 1 and receives STOPSIGNAL",
  "dockerignore": "the .dockerignore keeps node_modules, dist, data and .git out of the context",
} as const;

export type RuleId = keyof typeof RULES;

export interface Violation {
  file: string;
  /** 1-based. */
  line: number;
  rule: RuleId;
  message: string;
}

export function formatViolation(violation: Violation): string {
  return `${violation.file}:${violation.line}: [${violation.rule}] ${violation.message}`;
}

export interface DockerfileExpectations {
  /** The file name to report, relative to the repository root. */
  file: string;
  service: string;
  /** From services/catalogue.json. */
  nodeVersion: string;
  /** Ports of the operating contract, gRPC first. */
  ports: readonly number[];
  httpPort: number;
  /** Workspace folders (services/<name>) the build stage must copy, manifest first. */
  workspaceSources: readonly string[];
  /**
   * The service's build arguments (the one recipe's SERVICE, GRPC_PORT, ...): the file is checked
   * as the image those arguments make. None for a file of one service only.
   */
  buildArgs?: Readonly<Record<string, string>>;
  /** Whether the image must declare DATA_DIR a VOLUME; unchecked when undefined. */
  dataVolume?: boolean;
  /** The image's org.opencontainers.image.description; unchecked when undefined. */
  description?: string;
}

interface Stage {
  from: From;
  name: string | null;
  instructions: Instruction[];
}

const MANIFEST_FILES = new Set(["package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"]);
const OCI_FROM_ARGS = { source: "OCI_SOURCE", revision: "OCI_REVISION", version: "OCI_VERSION", created: "OCI_CREATED" } as const;
const STOP_SIGNALS = new Set(["SIGTERM", "SIGINT", "15", "2"]);

/** 1-based line of an instruction. */
function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function keyword(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/** `$NAME` or `${NAME}`, nothing else. */
function isVariable(text: string | null | undefined, name: string): boolean {
  return text === `$${name}` || text === `\${${name}}`;
}

function splitStages(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (keyword(instruction) === "FROM") {
      const from = instruction as From;
      stages.push({ from, name: from.getBuildStage(), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

function ofKeyword<T extends Instruction>(instructions: readonly Instruction[], name: string): T[] {
  return instructions.filter((instruction) => keyword(instruction) === name) as T[];
}

/** Sources and destination of a COPY or ADD, in shell or JSON form, flags left out. */
function copyOperands(instruction: Copy): { sources: string[]; destination: string | undefined } {
  const json = instruction.getJSONStrings();
  const values = json.length > 0 ? json.map((argument) => argument.getJSONValue()) : instruction.getArguments().map((argument) => argument.getValue());
  return { sources: values.slice(0, -1), destination: values.at(-1) };
}

function flagValue(instruction: Copy | From | Healthcheck, name: string): string | null | undefined {
  return instruction.getFlags().find((flag) => flag.getName() === name)?.getValue();
}

function stripSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** The ENV values, with the service's build arguments expanded in them. */
function envValues(instructions: readonly Instruction[], args: Readonly<Record<string, string>>): Map<string, { value: string | null; line: number }> {
  const values = new Map<string, { value: string | null; line: number }>();
  for (const env of ofKeyword<Env>(instructions, "ENV")) {
    for (const property of env.getProperties()) {
      const value = property.getValue();
      values.set(property.getName(), { value: value === null ? null : expandArgs(value, args), line: property.getRange().start.line + 1 });
    }
  }
  return values;
}

/** The command of an exec-form instruction (JSON array), or undefined for the shell form. */
function execForm(instruction: Instruction & { getJSONStrings?: () => { getJSONValue(): string }[] }): string[] | undefined {
  const strings = instruction.getJSONStrings?.() ?? [];
  return strings.length > 0 ? strings.map((argument) => argument.getJSONValue()) : undefined;
}

/** `$NAME` and `${NAME}` of the given arguments replaced by their values, the rest kept. */
function expandArgs(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? "";
    return Object.hasOwn(args, name) ? (args[name] as string) : whole;
  });
}

/**
 * The stages the image is made of, the one FROM the base image first: the last stage, and the
 * earlier stage it is FROM (its name after the global arguments are expanded), and so on. A recipe
 * can pick a variant of its runtime stage with a global argument (FROM volume-${DATA_VOLUME}).
 */
function imageChain(stages: readonly Stage[], args: Readonly<Record<string, string>>): Stage[] {
  const chain: Stage[] = [stages.at(-1) as Stage];
  for (;;) {
    const image = expandArgs(chain[0]?.from.getImage() ?? "", args).toLowerCase();
    const index = stages.indexOf(chain[0] as Stage);
    const base = stages.slice(0, index).findLast((stage) => stage.name?.toLowerCase() === image);
    if (!base) return chain;
    chain.unshift(base);
  }
}

export function checkDockerfile(text: string, expect: DockerfileExpectations): Violation[] {
  const violations: Violation[] = [];
  const report = (line: number, rule: RuleId, message: string): void => {
    violations.push({ file: expect.file, line, rule, message });
  };
  const dockerfile = DockerfileParser.parse(text);
  const stages = splitStages(dockerfile);
  if (stages.length === 0) {
    report(1, "multi-stage", "no FROM instruction");
    return violations;
  }
  // The global ARGs' defaults, overridden by the service's build arguments.
  const args: Record<string, string> = {};
  for (const arg of dockerfile.getInitialARGs()) {
    const name = arg.getProperty()?.getName();
    if (name) args[name] = arg.getProperty()?.getValue() ?? "";
  }
  Object.assign(args, expect.buildArgs ?? {});
  const chain = imageChain(stages, args);
  const root = chain[0] as Stage;
  // The image's runtime: the chain's instructions, read as one stage FROM the base image.
  const runtime: Stage = { from: root.from, name: root.name, instructions: chain.flatMap((stage) => stage.instructions) };
  const buildStages = stages.slice(0, stages.indexOf(root));

  checkBaseImage(dockerfile, stages, expect, args, report);
  if (buildStages.length === 0) report(lineOf(runtime.from), "multi-stage", "only one stage: build in a stage of its own and copy only what runs into the runtime stage");
  for (const stage of buildStages) {
    const platform = flagValue(stage.from, "platform");
    if (!isVariable(platform, "BUILDPLATFORM")) {
      report(lineOf(stage.from), "build-platform", `stage '${stage.name ?? "?"}' must be FROM --platform=$BUILDPLATFORM, so that npm and compilers run natively for every target; found ${platform ? `--platform=${platform}` : "no --platform"}`);
    }
  }
  const runtimePlatform = flagValue(runtime.from, "platform");
  if (!isVariable(runtimePlatform, "TARGETPLATFORM")) {
    report(lineOf(runtime.from), "target-platform", `the runtime stage must be FROM --platform=$TARGETPLATFORM (buildah 1.28 otherwise keeps the build stage's platform); found ${runtimePlatform ? `--platform=${runtimePlatform}` : "no --platform"}`);
  }
  if (buildStages.length > 0) checkInstall(buildStages, expect, report);
  checkRuntime(runtime, buildStages, expect, args, report);
  return violations.sort((a, b) => a.line - b.line);
}

type Report = (line: number, rule: RuleId, message: string) => void;

function checkBaseImage(dockerfile: Dockerfile, stages: readonly Stage[], expect: DockerfileExpectations, args: Readonly<Record<string, string>>, report: Report): void {
  const nodeImageArg = dockerfile.getInitialARGs().find((arg: Arg) => arg.getProperty()?.getName() === "NODE_IMAGE");
  const wanted = `node:${expect.nodeVersion}-alpine`;
  if (!nodeImageArg) {
    report(1, "base-image-arg", `declare ARG NODE_IMAGE=${wanted} before the first FROM, so a mirror or a local base can stand in`);
  } else {
    const value = nodeImageArg.getProperty()?.getValue() ?? "";
    if (!/^node:24\.\d+\.\d+-alpine(\d+\.\d+)?(@sha256:[0-9a-f]{64})?$/.test(value)) {
      report(lineOf(nodeImageArg), "base-image-arg", `NODE_IMAGE must default to a pinned node:24.x.y-alpine image, found '${value}'`);
    } else if (!value.startsWith(`node:${expect.nodeVersion}-alpine`)) {
      report(lineOf(nodeImageArg), "base-image-arg", `NODE_IMAGE defaults to '${value}' but services/catalogue.json pins Node ${expect.nodeVersion} (${wanted})`);
    }
  }
  const earlier = new Set<string>();
  for (const stage of stages) {
    const image = stage.from.getImage();
    // A stage's name may come from a global argument (FROM volume-${DATA_VOLUME}).
    if (!isVariable(image, "NODE_IMAGE") && !(image !== null && earlier.has(expandArgs(image, args)))) {
      report(lineOf(stage.from), "base-image", `FROM must name \${NODE_IMAGE} (or an earlier stage), found '${image ?? ""}'`);
    }
    if (stage.name) earlier.add(stage.name);
  }
}

function checkInstall(buildStages: readonly Stage[], expect: DockerfileExpectations, report: Report): void {
  const installs = buildStages.flatMap((stage) =>
    ofKeyword<Instruction>(stage.instructions, "RUN")
      .filter((run) => /\bnpm\s+(ci|install|i|clean-install)\b/.test(run.getArgumentsContent() ?? ""))
      .map((run) => ({ stage, run })),
  );
  const first = installs[0];
  if (!first) {
    report(lineOf(buildStages[0]?.from as From), "npm-ci", "no RUN npm ci in the build stage");
    return;
  }
  if (!/\bnpm\s+(ci|clean-install)\b/.test(first.run.getArgumentsContent() ?? "")) {
    report(lineOf(first.run), "npm-ci", "install with `npm ci`, which installs exactly package-lock.json, not `npm install`");
  }
  const before = first.stage.instructions.filter((instruction) => lineOf(instruction) < lineOf(first.run));
  const copiedManifests = new Set<string>();
  for (const copy of [...ofKeyword<Copy>(before, "COPY"), ...ofKeyword<Copy>(before, "ADD")]) {
    if (flagValue(copy, "from")) continue;
    for (const source of copyOperands(copy).sources) {
      const base = source.split("/").at(-1) ?? source;
      if (MANIFEST_FILES.has(base)) {
        copiedManifests.add(base);
      } else {
        report(lineOf(copy), "manifests-before-install", `'${source}' is copied before npm ci (line ${lineOf(first.run)}): copy only package manifests before the install, so that a source change does not rebuild the dependency layer`);
      }
    }
  }
  const manifestsCopied = new Set(
    [...ofKeyword<Copy>(before, "COPY")].filter((copy) => !flagValue(copy, "from")).flatMap((copy) => copyOperands(copy).sources.map(stripSlash)),
  );
  // Or by a stage of manifests only: it copies a folder that holds the workspaces, keeps only
  // their package.json (a RUN that deletes everything else), and the build stage copies it in.
  const manifestFolders = new Set<string>();
  for (const copy of ofKeyword<Copy>(before, "COPY")) {
    const stage = buildStages.find((candidate) => candidate.name !== null && candidate.name === flagValue(copy, "from"));
    const prunes = stage && ofKeyword<Instruction>(stage.instructions, "RUN").some((run) => /!\s+-name\s+package\.json\b.*(-delete|-exec\s+rm\b)/.test(run.getArgumentsContent() ?? ""));
    if (!stage || !prunes) continue;
    for (const folder of ofKeyword<Copy>(stage.instructions, "COPY").filter((inner) => !flagValue(inner, "from")).flatMap((inner) => copyOperands(inner).sources.map(stripSlash))) {
      manifestFolders.add(folder);
    }
  }
  for (const folder of expect.workspaceSources) {
    const byStage = folder.split("/").some((_, i, parts) => manifestFolders.has(parts.slice(0, i + 1).join("/")));
    if (!manifestsCopied.has(`${folder}/package.json`) && !byStage) {
      report(lineOf(first.run), "manifests-before-install", `${folder}/package.json must be copied before npm ci (line ${lineOf(first.run)}): npm ci installs every workspace of the lockfile`);
    }
  }
  for (const needed of ["package.json", "package-lock.json"]) {
    if (!copiedManifests.has(needed)) {
      report(lineOf(first.run), "manifests-before-install", `${needed} must be copied before npm ci (line ${lineOf(first.run)})`);
    }
  }
  const after = first.stage.instructions.filter((instruction) => lineOf(instruction) > lineOf(first.run));
  const copiedSources = new Set(ofKeyword<Copy>(after, "COPY").flatMap((copy) => copyOperands(copy).sources.map(stripSlash)));
  for (const folder of expect.workspaceSources) {
    // The folder itself, or one that holds it (services).
    if (!copiedSources.has(folder) && !folder.split("/").some((_, i, parts) => copiedSources.has(parts.slice(0, i + 1).join("/")))) {
      report(lineOf(first.run), "workspace-sources", `the build stage must COPY ${folder} after npm ci: ${expect.service} is built from it`);
    }
  }
}

function checkRuntime(runtime: Stage, buildStages: readonly Stage[], expect: DockerfileExpectations, args: Readonly<Record<string, string>>, report: Report): void {
  const instructions = runtime.instructions;
  const fromLine = lineOf(runtime.from);
  const stageNames = new Set(buildStages.flatMap((stage) => (stage.name ? [stage.name] : [])));

  for (const run of ofKeyword<Instruction>(instructions, "RUN")) {
    report(lineOf(run), "runtime-no-run", "RUN in the runtime stage: do the work in the build stage and COPY the result (a RUN here runs under emulation for other platforms)");
  }
  for (const add of ofKeyword<Instruction>(instructions, "ADD")) {
    report(lineOf(add), "runtime-copy-from-stage", "ADD in the runtime stage: COPY --from=<build stage> instead");
  }
  const copies = ofKeyword<Copy>(instructions, "COPY");
  for (const copy of copies) {
    const from = flagValue(copy, "from");
    if (!from || !stageNames.has(from)) {
      report(lineOf(copy), "runtime-copy-from-stage", `COPY ${from ? `--from=${from}` : "from the build context"}: the runtime stage copies only from earlier stages`);
    }
  }

  const env = envValues(instructions, expect.buildArgs ?? {});
  const protoDir = env.get("PROTO_DIR")?.value;
  if (!protoDir) {
    report(fromLine, "proto-files", "ENV PROTO_DIR is not set in the runtime stage");
  } else if (!copies.some((copy) => stripSlash(copyOperands(copy).destination ?? "") === stripSlash(protoDir))) {
    report(env.get("PROTO_DIR")?.line ?? fromLine, "proto-files", `nothing is copied to PROTO_DIR (${protoDir})`);
  }

  const users = ofKeyword<Instruction>(instructions, "USER");
  const user = users.at(-1);
  const userText = user?.getArgumentsContent()?.trim() ?? "";
  const numeric = /^(\d+)(?::(\d+))?$/.exec(userText);
  if (!user) {
    report(fromLine, "numeric-user", "no USER in the runtime stage: the service would run as root");
  } else if (!numeric) {
    report(lineOf(user), "numeric-user", `USER ${userText}: use numeric ids (uid:gid), which need no passwd entry and let runtimes verify non-root`);
  } else if (numeric[1] === "0" || numeric[2] === "0") {
    report(lineOf(user), "numeric-user", `USER ${userText} is root`);
  }

  const exposes = ofKeyword<Instruction>(instructions, "EXPOSE");
  // EXPOSE expands the ENV values (BuildKit's dispatchExpose splits the result into words).
  const envOnly = Object.fromEntries([...env].map(([name, { value }]) => [name, value ?? ""]));
  const exposed = exposes
    .flatMap((expose) => expose.getArguments().flatMap((argument) => expandArgs(argument.getValue(), envOnly).split(/\s+/)))
    .filter((port) => port !== "")
    .map((port) => port.replace(/\/tcp$/, ""));
  const wantedPorts = expect.ports.map(String);
  if (exposed.length !== wantedPorts.length || !wantedPorts.every((port) => exposed.includes(port))) {
    report(exposes[0] ? lineOf(exposes[0]) : fromLine, "ports", `EXPOSE must declare ${wantedPorts.join(" ")} (the contract's ports of ${expect.service}), found ${exposed.join(" ") || "nothing"}`);
  }

  checkHealthcheck(instructions, expect, env.get("HTTP_PORT")?.value ?? undefined, fromLine, report);

  const stopsignal = ofKeyword<Instruction>(instructions, "STOPSIGNAL").at(-1);
  const signal = stopsignal?.getArgumentsContent()?.trim() ?? "";
  if (!stopsignal) report(fromLine, "stopsignal", "no STOPSIGNAL in the runtime stage");
  else if (!STOP_SIGNALS.has(signal.toUpperCase())) report(lineOf(stopsignal), "stopsignal", `STOPSIGNAL ${signal}: the services drain on SIGTERM or SIGINT only`);

  checkLabels(instructions, expect, args, fromLine, report);
  checkDataDir(instructions, env, numeric ? userText : undefined, expect.dataVolume, fromLine, report);

  const entrypoint = ofKeyword<Instruction>(instructions, "ENTRYPOINT").at(-1);
  const command = entrypoint ? execForm(entrypoint) : undefined;
  if (!entrypoint) report(fromLine, "entrypoint", "no ENTRYPOINT in the runtime stage");
  else if (!command || command[0] !== "node") report(lineOf(entrypoint), "entrypoint", "ENTRYPOINT must be exec form [\"node\", ...]: a shell form puts sh at PID 1, which does not pass STOPSIGNAL on");
}

function checkHealthcheck(instructions: readonly Instruction[], expect: DockerfileExpectations, httpPortEnv: string | undefined, fromLine: number, report: Report): void {
  const healthcheck = ofKeyword<Healthcheck>(instructions, "HEALTHCHECK").at(-1);
  if (!healthcheck) {
    report(fromLine, "healthcheck", "no HEALTHCHECK in the runtime stage");
    return;
  }
  const line = lineOf(healthcheck);
  if (healthcheck.getSubcommand()?.getValue().toUpperCase() !== "CMD") {
    report(line, "healthcheck", "HEALTHCHECK must be CMD [...], not NONE");
    return;
  }
  const content = healthcheck.getArgumentsContent() ?? "";
  const json = /CMD\s+(\[[\s\S]*\])\s*$/i.exec(content)?.[1];
  let command: unknown;
  try {
    command = json ? JSON.parse(json) : undefined;
  } catch {
    command = undefined;
  }
  if (!Array.isArray(command) || command[0] !== "node") {
    report(line, "healthcheck", "HEALTHCHECK must be exec form CMD [\"node\", \"-e\", ...]: the image has node and no curl");
    return;
  }
  const script = command.slice(1).join(" ");
  if (/\b(curl|wget)\b/.test(script)) report(line, "healthcheck", "HEALTHCHECK must not call curl or wget");
  // The port is HTTP_PORT, which the image sets to the service's port, or a default written in.
  if (!script.includes("/healthz") || !script.includes("HTTP_PORT") || !(script.includes(String(expect.httpPort)) || httpPortEnv === String(expect.httpPort))) {
    report(line, "healthcheck", `HEALTHCHECK must ask /healthz on HTTP_PORT (${expect.httpPort}: in ENV HTTP_PORT or as the default)`);
  }
}

function checkLabels(instructions: readonly Instruction[], expect: DockerfileExpectations, buildArgs: Readonly<Record<string, string>>, fromLine: number, report: Report): void {
  const labels = new Map<string, { value: string | null; line: number }>();
  for (const label of ofKeyword<Label>(instructions, "LABEL")) {
    for (const property of label.getProperties()) labels.set(property.getName(), { value: property.getValue(), line: property.getRange().start.line + 1 });
  }
  const args = new Map<string, number>();
  for (const arg of ofKeyword<Arg>(instructions, "ARG")) {
    const name = arg.getProperty()?.getName();
    if (name) args.set(name, lineOf(arg));
  }
  const title = labels.get("org.opencontainers.image.title");
  const unquoted = (value: string | null | undefined): string => expandArgs((value ?? "").replace(/^"(.*)"$/, "$1"), buildArgs);
  if (!title?.value) report(fromLine, "oci-labels", "LABEL org.opencontainers.image.title is missing");
  else if (unquoted(title.value) !== imageTitle(expect.service)) report(title.line, "oci-labels", `org.opencontainers.image.title must be ${imageTitle(expect.service)}, found ${unquoted(title.value)}`);
  const description = labels.get("org.opencontainers.image.description");
  if (expect.description !== undefined && unquoted(description?.value) !== expect.description) {
    report(description?.line ?? fromLine, "oci-labels", `org.opencontainers.image.description must be the catalogue's "${expect.description}", found "${unquoted(description?.value)}"`);
  }
  for (const [key, argName] of Object.entries(OCI_FROM_ARGS)) {
    const label = labels.get(`org.opencontainers.image.${key}`);
    if (!label) {
      report(fromLine, "oci-labels", `LABEL org.opencontainers.image.${key} is missing`);
      continue;
    }
    const value = label.value?.replace(/^"(.*)"$/, "$1");
    if (!isVariable(value, argName)) {
      report(label.line, "oci-labels", `org.opencontainers.image.${key} must be "\${${argName}}", found ${label.value ?? "nothing"}`);
    } else {
      const argLine = args.get(argName);
      if (argLine === undefined || argLine > label.line) {
        report(label.line, "oci-labels", `ARG ${argName} must be declared in the runtime stage before the LABEL, or the label stays empty`);
      }
    }
  }
}

function checkDataDir(
  instructions: readonly Instruction[],
  env: Map<string, { value: string | null; line: number }>,
  user: string | undefined,
  dataVolume: boolean | undefined,
  fromLine: number,
  report: Report,
): void {
  const dataDir = env.get("DATA_DIR");
  if (!dataDir?.value) {
    report(fromLine, "data-dir", "ENV DATA_DIR is not set in the runtime stage");
    return;
  }
  const dir = stripSlash(dataDir.value);
  const owned = ofKeyword<Copy>(instructions, "COPY").find((copy) => stripSlash(copyOperands(copy).destination ?? "") === dir);
  if (!owned) {
    report(dataDir.line, "data-dir", `nothing creates DATA_DIR (${dir}): COPY an empty folder there with --chown=<uid>:<gid>`);
  } else if (user !== undefined && flagValue(owned, "chown") !== user) {
    report(lineOf(owned), "data-dir", `DATA_DIR (${dir}) must be --chown=${user}, the USER, to be writable; found ${flagValue(owned, "chown") ?? "no --chown"}`);
  }
  const volumes = ofKeyword<Instruction>(instructions, "VOLUME");
  if (dataVolume === true && volumes.length === 0) report(dataDir.line, "data-dir", `the service keeps data (dataVolume in services/catalogue.json): declare VOLUME ${dir}`);
  if (dataVolume === false && volumes[0]) report(lineOf(volumes[0]), "data-dir", "VOLUME in an image of a service that keeps no data (dataVolume false in services/catalogue.json)");
  for (const volume of volumes) {
    const paths = volume.getArguments().map((argument) => stripSlash(argument.getValue().replace(/^\[?"?|"?\]?,?$/g, "")));
    if (!paths.every((path) => path === dir)) report(lineOf(volume), "data-dir", `VOLUME ${paths.join(" ")}: the only volume is DATA_DIR (${dir})`);
  }
}

/** Patterns that must be in the root .dockerignore, with a pattern that covers each. */
const IGNORED_PATHS: ReadonlyArray<{ what: string; patterns: readonly string[] }> = [
  { what: "node_modules", patterns: ["node_modules", "**/node_modules", "**/node_modules/"] },
  { what: "compiled output (dist)", patterns: ["**/dist", "**/dist/"] },
  { what: "local data (.data)", patterns: ["**/.data", "**/.data/", ".data"] },
  { what: "git history (.git)", patterns: [".git", ".git/", "**/.git"] },
];

/** Context paths the builds copy: no pattern may leave them out unless re-included. */
const NEEDED_PATHS = ["package.json", "package-lock.json", "tsconfig.base.json", "tsconfig.json", "proto", "services", "services/bundle.ts"];

export function checkDockerignore(text: string, file = ".dockerignore"): Violation[] {
  const violations: Violation[] = [];
  const patterns = text
    .split("\n")
    .map((line, index) => ({ pattern: line.trim(), line: index + 1 }))
    .filter(({ pattern }) => pattern !== "" && !pattern.startsWith("#"));
  for (const { what, patterns: accepted } of IGNORED_PATHS) {
    if (!patterns.some(({ pattern }) => accepted.includes(pattern))) {
      violations.push({ file, line: 1, rule: "dockerignore", message: `${what} is not ignored: add ${accepted[1] ?? accepted[0]}` });
    }
  }
  for (const { pattern, line } of patterns) {
    const plain = stripSlash(pattern.replace(/^\//, ""));
    if (NEEDED_PATHS.includes(plain) || plain === "*" || plain === "**") {
      violations.push({ file, line, rule: "dockerignore", message: `'${pattern}' leaves out ${plain === "*" || plain === "**" ? "everything" : plain}, which the images are built from` });
    }
  }
  return violations;
}
