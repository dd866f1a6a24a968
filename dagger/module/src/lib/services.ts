// The service catalogue: services/catalogue.json, the one place that names the services, their
// roles and ports, and the Node release everything is built on. This file is its only reader:
// the module parses the copy in its `source`, `.ci` and the tests the checkout's, and `npm start`
// (compose/local/system.ts, run by Node as it is) imports this file directly, so it uses
// erasable TypeScript only and imports nothing. Plain data without the Dagger SDK.

/** Where the catalogue is, relative to the repository root. */
export const CATALOGUE_FILE = "services/catalogue.json";

/** A service's name: its folder under services/ and its image's name. */
export type ServiceName = string;

/**
 * What a service is to the others, which decides how it is wired and when it starts: the
 * orchestrator first, then the workers (they register with it), then the gateway.
 */
export const ROLES = ["orchestrator", "worker", "gateway"] as const;
export type ServiceRole = (typeof ROLES)[number];

export interface ServiceSpec {
  readonly name: ServiceName;
  readonly role: ServiceRole;
  /** The npm workspace package of the service. */
  readonly packageName: string;
  /** Folder of the service, relative to the repository root. */
  readonly dir: string;
  /** gRPC port; null for a service that serves HTTP only (app-node). */
  readonly grpcPort: number | null;
  /** HTTP port: metrics and health, and the JSON API for app-node. */
  readonly httpPort: number;
  /** One line on what it does: its image's org.opencontainers.image.description. */
  readonly description: string;
  /** Whether it keeps data in DATA_DIR (/data), which its image then declares a VOLUME. */
  readonly dataVolume: boolean;
}

export interface Versions {
  /** The Node release of every image, the check container and CI (x.y.z). */
  readonly node: string;
  /** The npm that ships with that Node release (the stand-in base puts it in, as node:<version>-alpine has it). */
  readonly npm: string;
}

export interface Catalogue {
  readonly versions: Versions;
  /** In the catalogue's order, which every listing keeps. */
  readonly services: readonly ServiceSpec[];
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const VERSION = /^\d+\.\d+\.\d+$/;

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function port(file: string, where: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    fail(file, `${where} must be a port from 1 to 65535, not ${JSON.stringify(value)}`);
  }
  return value;
}

function parseService(file: string, index: number, value: unknown): ServiceSpec {
  const where = `services[${index}]`;
  if (!isObject(value)) fail(file, `${where} must be an object`);
  const { name, role, grpcPort, httpPort, description, dataVolume, ...rest } = value;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) fail(file, `${where} has unknown field(s) ${unknown.join(", ")}`);
  if (typeof name !== "string" || !NAME.test(name)) fail(file, `${where}.name must be a lower-case name like wrk-book, not ${JSON.stringify(name)}`);
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    fail(file, `${where}.role (${name}) must be one of ${ROLES.join(", ")}, not ${JSON.stringify(role)}`);
  }
  // It becomes a label's value in a build argument: one plain line, no quote to escape.
  if (typeof description !== "string" || !/^[^"\\\n$`]{1,200}$/.test(description)) {
    fail(file, `${where}.description (${name}) must be one line of 1 to 200 characters without quotes, $ or backslashes, not ${JSON.stringify(description)}`);
  }
  if (typeof dataVolume !== "boolean") fail(file, `${where}.dataVolume (${name}) must be true or false, not ${JSON.stringify(dataVolume)}`);
  const dir = `services/${name}`;
  return {
    name,
    role: role as ServiceRole,
    packageName: `@bookstore/${name}`,
    dir,
    grpcPort: grpcPort === null ? null : port(file, `${where}.grpcPort (${name})`, grpcPort),
    httpPort: port(file, `${where}.httpPort (${name})`, httpPort),
    description,
    dataVolume,
  };
}

/** Reads the catalogue's text; a clear error names the file and the first thing wrong in it. */
export function parseCatalogue(text: string, file: string = CATALOGUE_FILE): Catalogue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(file, `not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) fail(file, "must hold a JSON object");
  const { node, services } = parsed;
  if (!isObject(node) || typeof node.version !== "string" || !VERSION.test(node.version) || typeof node.npm !== "string" || !VERSION.test(node.npm)) {
    fail(file, 'node must be { "version": "x.y.z", "npm": "x.y.z" }');
  }
  if (!Array.isArray(services) || services.length === 0) fail(file, "services must be a list of at least one service");
  const specs = services.map((value, i) => parseService(file, i, value));
  const ports = new Map<number, string>();
  for (const spec of specs) {
    if (specs.filter((other) => other.name === spec.name).length > 1) fail(file, `service ${spec.name} is listed twice`);
    for (const used of [spec.grpcPort, spec.httpPort]) {
      if (used === null) continue;
      const owner = ports.get(used);
      if (owner !== undefined) fail(file, `port ${used} of ${spec.name} is already ${owner}'s`);
      ports.set(used, spec.name);
    }
    if (spec.role !== "gateway" && spec.grpcPort === null) fail(file, `${spec.name} is a ${spec.role} and needs a grpcPort`);
  }
  const orchestrators = specs.filter((spec) => spec.role === "orchestrator");
  if (orchestrators.length !== 1) fail(file, `exactly one service must be the orchestrator, not ${orchestrators.length}`);
  return { versions: { node: node.version as string, npm: node.npm as string }, services: specs };
}

export function serviceNames(catalogue: Catalogue): ServiceName[] {
  return catalogue.services.map((spec) => spec.name);
}

export function isServiceName(catalogue: Catalogue, value: string): boolean {
  return catalogue.services.some((spec) => spec.name === value);
}

/** The spec of one service; a clear error names the valid ones when `name` is not one. */
export function serviceSpec(catalogue: Catalogue, name: string): ServiceSpec {
  const spec = catalogue.services.find((s) => s.name === name);
  if (!spec) {
    throw new Error(`unknown service "${name}": expected one of ${serviceNames(catalogue).join(", ")}`);
  }
  return spec;
}

/** The service a workspace package name belongs to, or null for a package outside the catalogue. */
export function serviceOfPackage(catalogue: Catalogue, packageName: string): ServiceName | null {
  const spec = catalogue.services.find((s) => s.packageName === packageName);
  return spec ? spec.name : null;
}

/** The orchestrator, which every other service finds through ORK_ADDR. */
export function orchestrator(catalogue: Catalogue): ServiceSpec {
  return catalogue.services.find((spec) => spec.role === "orchestrator") as ServiceSpec;
}

/** The groups a system starts in, one role after the other; the services of a group start together. */
export function startOrder(catalogue: Catalogue): ServiceName[][] {
  return ROLES.map((role) => catalogue.services.filter((spec) => spec.role === role).map((spec) => spec.name)).filter(
    (group) => group.length > 0,
  );
}

/** The ports a service listens on, gRPC first. */
export function servicePorts(spec: ServiceSpec): number[] {
  return spec.grpcPort === null ? [spec.httpPort] : [spec.grpcPort, spec.httpPort];
}
