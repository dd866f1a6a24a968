// The service catalogue (services/catalogue.json) of a checkout, read from disk with the module's
// own parser and dependency graph (dagger/module/src/lib): the image tooling keeps no list of
// its own.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dependencyClosure, packageWorkspaces, parseDependencyGraph, type DependencyGraph } from "../../dagger/module/src/lib/graph.js";
import { CATALOGUE_FILE, parseCatalogue, serviceSpec, type Catalogue, type ServiceName } from "../../dagger/module/src/lib/services.js";

/** The checkout this file is in. */
const THIS_CHECKOUT = fileURLToPath(new URL("../..", import.meta.url));

export function readCatalogue(repoRoot: string = THIS_CHECKOUT): Catalogue {
  return parseCatalogue(readFileSync(join(repoRoot, CATALOGUE_FILE), "utf8"));
}

/** The workspace packages that are no service (proto), from the root package.json's workspaces. */
export function readPackageWorkspaces(repoRoot: string): string[] {
  return packageWorkspaces(readFileSync(join(repoRoot, "package.json"), "utf8"));
}

/** The workspace dependency graph from the package.json of each catalogued service and of each other workspace. */
export function readDependencyGraph(repoRoot: string, catalogue: Catalogue = readCatalogue(repoRoot)): DependencyGraph {
  const packages = readPackageWorkspaces(repoRoot);
  const manifests: Record<string, string> = {};
  for (const spec of catalogue.services) manifests[spec.name] = readFileSync(join(repoRoot, spec.dir, "package.json"), "utf8");
  for (const folder of packages) manifests[folder] = readFileSync(join(repoRoot, folder, "package.json"), "utf8");
  return parseDependencyGraph(catalogue, manifests, packages);
}

/** Every workspace folder: the other packages (proto), then the services' (services/<name>). */
export function workspaceFolders(repoRoot: string, catalogue: Catalogue = readCatalogue(repoRoot)): string[] {
  return [...readPackageWorkspaces(repoRoot), ...catalogue.services.map((spec) => spec.dir)];
}

/**
 * The folders of the service and every workspace package it depends on, directly or not,
 * dependencies first: the sources its image's build stage must copy and compile.
 */
export function workspaceSources(repoRoot: string, service: ServiceName): string[] {
  const catalogue = readCatalogue(repoRoot);
  const graph = readDependencyGraph(repoRoot, catalogue);
  return dependencyClosure(graph, service).map((name) => (graph.services.includes(name) ? serviceSpec(catalogue, name).dir : name));
}
