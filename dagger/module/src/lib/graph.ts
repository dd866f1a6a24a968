// The workspace dependency graph, read from the package.json files: the manifests are the single
// source of truth, so the pipeline never keeps a second copy of it. Its nodes are the root
// package.json's workspaces: the services (the glob services/*, each catalogued) and the
// packages that are no service (a folder each, e.g. proto/, the wire contracts @bookstore/proto),
// so an edge through a package that is no image is as real as one between two services.

import { serviceNames, serviceOfPackage, type Catalogue, type ServiceName } from "./services.js";

const WORKSPACE_SCOPE = "@bookstore/";

/** The workspaces glob of the services: every folder of services/ is one (and is catalogued). */
export const SERVICE_WORKSPACES = "services/*";

/** A service by its name, or another workspace package by its folder (proto). */
export type WorkspaceName = string;

/**
 * For each workspace (the services in the catalogue's order, then the other packages), the
 * workspaces it depends on directly; `services` says which of them are images.
 */
export interface DependencyGraph extends ReadonlyMap<WorkspaceName, readonly WorkspaceName[]> {
  readonly services: readonly ServiceName[];
}

interface Manifest {
  name?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/**
 * The workspace packages that are no service, from the text of the root package.json: each entry
 * of its workspaces but the services' glob, a folder at the top level named like its package
 * (proto/ is @bookstore/proto).
 */
export function packageWorkspaces(rootManifest: string): string[] {
  let parsed: { workspaces?: unknown };
  try {
    parsed = JSON.parse(rootManifest) as { workspaces?: unknown };
  } catch (error) {
    throw new Error(`package.json is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const workspaces = parsed?.workspaces;
  if (!Array.isArray(workspaces) || !workspaces.every((entry) => typeof entry === "string")) {
    throw new Error('package.json: "workspaces" must be a list of folders');
  }
  if (!workspaces.includes(SERVICE_WORKSPACES)) throw new Error(`package.json: "workspaces" must hold "${SERVICE_WORKSPACES}"`);
  const others = workspaces.filter((entry) => entry !== SERVICE_WORKSPACES);
  for (const folder of others) {
    if (!/^[a-z][a-z0-9-]*$/.test(folder)) {
      throw new Error(`package.json: workspace "${folder}" must be a folder at the top level (services are "${SERVICE_WORKSPACES}")`);
    }
  }
  return others;
}

function parseManifest(file: string, text: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must hold a JSON object`);
  }
  return parsed as Manifest;
}

function workspaceDependencies(
  catalogue: Catalogue,
  packages: readonly string[],
  name: WorkspaceName,
  file: string,
  manifest: Manifest,
): WorkspaceName[] {
  const found = new Set<WorkspaceName>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field];
    if (deps === undefined) continue;
    if (typeof deps !== "object" || deps === null || Array.isArray(deps)) {
      throw new Error(`${file}: "${field}" must be an object`);
    }
    for (const packageName of Object.keys(deps)) {
      if (!packageName.startsWith(WORKSPACE_SCOPE)) continue;
      const folder = packageName.slice(WORKSPACE_SCOPE.length);
      const dependency = serviceOfPackage(catalogue, packageName) ?? (packages.includes(folder) ? folder : null);
      if (dependency === null) {
        throw new Error(`${file} depends on ${packageName}, which is not one of the services nor another workspace (${packages.join(", ")})`);
      }
      if (dependency === name) {
        throw new Error(`${file} depends on itself`);
      }
      found.add(dependency);
    }
  }
  // The graph's order keeps every listing deterministic.
  return [...serviceNames(catalogue), ...packages].filter((candidate) => found.has(candidate));
}

/**
 * Builds the graph from the text of each workspace's package.json: each catalogued service's
 * under its name, and each of `packages` (packageWorkspaces) under its folder.
 * Every one must be present, the package name must match, and the graph must be acyclic.
 */
export function parseDependencyGraph(
  catalogue: Catalogue,
  manifests: Readonly<Record<string, string>>,
  packages: readonly string[] = [],
): DependencyGraph {
  const services = serviceNames(catalogue);
  const edges = new Map<WorkspaceName, readonly WorkspaceName[]>();
  for (const key of Object.keys(manifests)) {
    if (!services.includes(key) && !packages.includes(key)) {
      throw new Error(`manifest given for unknown service "${key}"`);
    }
  }
  for (const name of [...services, ...packages]) {
    const file = `${services.includes(name) ? `services/${name}` : name}/package.json`;
    const text = manifests[name];
    if (text === undefined) {
      throw new Error(`missing ${file}`);
    }
    const manifest = parseManifest(file, text);
    if (manifest.name !== `${WORKSPACE_SCOPE}${name}`) {
      throw new Error(`${file} is named ${JSON.stringify(manifest.name)}, expected "${WORKSPACE_SCOPE}${name}"`);
    }
    edges.set(name, workspaceDependencies(catalogue, packages, name, file, manifest));
  }
  const graph: DependencyGraph = Object.assign(edges, { services });
  workspaceOrder(graph); // throws on a cycle
  return graph;
}

/** Direct dependencies of a workspace. */
export function dependenciesOf(graph: DependencyGraph, name: WorkspaceName): readonly WorkspaceName[] {
  const deps = graph.get(name);
  if (deps === undefined) throw new Error(`"${name}" is not in the dependency graph`);
  return deps;
}

/** Every service that depends on `name` (a service or another workspace), directly or through others. */
export function dependentsOf(graph: DependencyGraph, name: WorkspaceName): ServiceName[] {
  dependenciesOf(graph, name);
  const result = new Set<WorkspaceName>();
  const pending: WorkspaceName[] = [name];
  while (pending.length > 0) {
    const current = pending.pop() as WorkspaceName;
    for (const [candidate, deps] of graph) {
      if (deps.includes(current) && !result.has(candidate)) {
        result.add(candidate);
        pending.push(candidate);
      }
    }
  }
  return graph.services.filter((service) => result.has(service));
}

/**
 * The service and every workspace it is built on, directly or not, dependencies first: the
 * sources its image's build stage copies and compiles.
 */
export function dependencyClosure(graph: DependencyGraph, service: ServiceName): WorkspaceName[] {
  const needed = new Set<WorkspaceName>([service]);
  const pending: WorkspaceName[] = [service];
  while (pending.length > 0) {
    for (const dep of dependenciesOf(graph, pending.pop() as WorkspaceName)) {
      if (!needed.has(dep)) {
        needed.add(dep);
        pending.push(dep);
      }
    }
  }
  return workspaceOrder(graph).filter((name) => needed.has(name));
}

/** All services, each after the services it depends on (stable: catalogue order among equals). */
export function topologicalOrder(graph: DependencyGraph): ServiceName[] {
  return workspaceOrder(graph).filter((name) => graph.services.includes(name));
}

/** All workspaces, each after the workspaces it depends on (stable: the graph's order among equals). */
function workspaceOrder(graph: DependencyGraph): WorkspaceName[] {
  const order: WorkspaceName[] = [];
  const state = new Map<WorkspaceName, "visiting" | "done">();
  const visit = (name: WorkspaceName, path: WorkspaceName[]): void => {
    const seen = state.get(name);
    if (seen === "done") return;
    if (seen === "visiting") {
      throw new Error(`dependency cycle: ${[...path, name].join(" -> ")}`);
    }
    state.set(name, "visiting");
    for (const dep of dependenciesOf(graph, name)) visit(dep, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of graph.keys()) visit(name, []);
  return order;
}
