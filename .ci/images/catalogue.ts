// The service catalogue (services/catalogue.json) of a checkout, read from disk with the module's
// own parser and dependency graph (dagger/module/src/lib): the image tooling keeps no list of
// its own.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dependencyClosure, parseDependencyGraph, type DependencyGraph } from "../../dagger/module/src/lib/graph.js";
import { CATALOGUE_FILE, parseCatalogue, serviceSpec, type Catalogue, type ServiceName } from "../../dagger/module/src/lib/services.js";

/** The checkout this file is in. */
const THIS_CHECKOUT = fileURLToPath(new URL("../..", import.meta.url));

export function readCatalogue(repoRoot: string = THIS_CHECKOUT): Catalogue {
  return parseCatalogue(readFileSync(join(repoRoot, CATALOGUE_FILE), "utf8"));
}

/** The workspace dependency graph from each catalogued service's package.json. */
export function readDependencyGraph(repoRoot: string, catalogue: Catalogue = readCatalogue(repoRoot)): DependencyGraph {
  const manifests: Record<string, string> = {};
  for (const spec of catalogue.services) manifests[spec.name] = readFileSync(join(repoRoot, spec.dir, "package.json"), "utf8");
  return parseDependencyGraph(catalogue, manifests);
}

/**
 * The folders of the service and every workspace package it depends on, directly or not,
 * dependencies first: the sources its image's build stage must copy and compile.
 */
export function workspaceSources(repoRoot: string, service: ServiceName): string[] {
  const catalogue = readCatalogue(repoRoot);
  return dependencyClosure(readDependencyGraph(repoRoot, catalogue), service).map((name) => serviceSpec(catalogue, name).dir);
}
