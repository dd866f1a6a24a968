// The workspace dependency graph of the services, read from their package.json files: the
// manifests are the single source of truth, so the pipeline never keeps a second copy of it.

import { serviceNames, serviceOfPackage, type Catalogue, type ServiceName } from "./services.js";

const WORKSPACE_SCOPE = "@bookstore/";

/** For each service (in the catalogue's order), the services it depends on directly. */
export type DependencyGraph = ReadonlyMap<ServiceName, readonly ServiceName[]>;

interface Manifest {
  name?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

function parseManifest(service: ServiceName, text: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`services/${service}/package.json is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`services/${service}/package.json must hold a JSON object`);
  }
  return parsed as Manifest;
}

function workspaceDependencies(catalogue: Catalogue, service: ServiceName, manifest: Manifest): ServiceName[] {
  const found = new Set<ServiceName>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field];
    if (deps === undefined) continue;
    if (typeof deps !== "object" || deps === null || Array.isArray(deps)) {
      throw new Error(`services/${service}/package.json: "${field}" must be an object`);
    }
    for (const packageName of Object.keys(deps)) {
      if (!packageName.startsWith(WORKSPACE_SCOPE)) continue;
      const dependency = serviceOfPackage(catalogue, packageName);
      if (dependency === null) {
        throw new Error(`services/${service}/package.json depends on ${packageName}, which is not one of the services`);
      }
      if (dependency === service) {
        throw new Error(`services/${service}/package.json depends on itself`);
      }
      found.add(dependency);
    }
  }
  // Catalogue order keeps every listing deterministic.
  return serviceNames(catalogue).filter((name) => found.has(name));
}

/**
 * Builds the graph from the text of each catalogued service's package.json.
 * Every service must be present, the package name must match, and the graph must be acyclic.
 */
export function parseDependencyGraph(catalogue: Catalogue, manifests: Readonly<Record<string, string>>): DependencyGraph {
  const graph = new Map<ServiceName, readonly ServiceName[]>();
  const names = serviceNames(catalogue);
  for (const key of Object.keys(manifests)) {
    if (!names.includes(key)) {
      throw new Error(`manifest given for unknown service "${key}"`);
    }
  }
  for (const service of names) {
    const text = manifests[service];
    if (text === undefined) {
      throw new Error(`missing services/${service}/package.json`);
    }
    const manifest = parseManifest(service, text);
    if (manifest.name !== `${WORKSPACE_SCOPE}${service}`) {
      throw new Error(
        `services/${service}/package.json is named ${JSON.stringify(manifest.name)}, expected "${WORKSPACE_SCOPE}${service}"`,
      );
    }
    graph.set(service, workspaceDependencies(catalogue, service, manifest));
  }
  topologicalOrder(graph); // throws on a cycle
  return graph;
}

/** Direct dependencies of a service. */
export function dependenciesOf(graph: DependencyGraph, service: ServiceName): readonly ServiceName[] {
  const deps = graph.get(service);
  if (deps === undefined) throw new Error(`service "${service}" is not in the dependency graph`);
  return deps;
}

/** Every service that depends on `service`, directly or through others. */
export function dependentsOf(graph: DependencyGraph, service: ServiceName): ServiceName[] {
  dependenciesOf(graph, service);
  const result = new Set<ServiceName>();
  const pending: ServiceName[] = [service];
  while (pending.length > 0) {
    const current = pending.pop() as ServiceName;
    for (const [candidate, deps] of graph) {
      if (deps.includes(current) && !result.has(candidate)) {
        result.add(candidate);
        pending.push(candidate);
      }
    }
  }
  return [...graph.keys()].filter((name) => result.has(name));
}

/**
 * The service and every service it is built on, directly or not, dependencies first: the
 * sources its image's build stage copies and compiles.
 */
export function dependencyClosure(graph: DependencyGraph, service: ServiceName): ServiceName[] {
  const needed = new Set<ServiceName>([service]);
  const pending: ServiceName[] = [service];
  while (pending.length > 0) {
    for (const dep of dependenciesOf(graph, pending.pop() as ServiceName)) {
      if (!needed.has(dep)) {
        needed.add(dep);
        pending.push(dep);
      }
    }
  }
  return topologicalOrder(graph).filter((name) => needed.has(name));
}

/** All services, each after the services it depends on (stable: catalogue order among equals). */
export function topologicalOrder(graph: DependencyGraph): ServiceName[] {
  const order: ServiceName[] = [];
  const state = new Map<ServiceName, "visiting" | "done">();
  const visit = (service: ServiceName, path: ServiceName[]): void => {
    const seen = state.get(service);
    if (seen === "done") return;
    if (seen === "visiting") {
      throw new Error(`dependency cycle: ${[...path, service].join(" -> ")}`);
    }
    state.set(service, "visiting");
    for (const dep of dependenciesOf(graph, service)) visit(dep, [...path, service]);
    state.set(service, "done");
    order.push(service);
  };
  for (const service of graph.keys()) visit(service, []);
  return order;
}
