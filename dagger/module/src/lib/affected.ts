// Which service images a change touches. The rules, in order:
//   services/<name>/test/..., <package>/test/...  -> nothing (.dockerignore keeps the tests out of every image)
//   services/<name>/...                -> that service and every service built on it
//   <package>/... (a workspace that is no service: proto/, the .proto files and @bookstore/proto)
//                                      -> every service built on that package (for proto/: all of them)
//   root build inputs (package files, shared tsconfig, .nvmrc, .dockerignore) -> every service
//   the one image recipe (services/Dockerfile), the catalogue its build arguments come from
//   (services/catalogue.json), the pipeline's own build recipe (dagger.json, the module in
//   dagger/module), the bundling script the recipe runs (services/bundle.ts) and the certs tool
//   it bundles into every image (compose/local/certs.ts) -> every service
//   anything else (docs, README, workflows, the rest of compose, observability, tests outside services) -> nothing

import { dependentsOf, topologicalOrder, type DependencyGraph, type WorkspaceName } from "./graph.js";
import { IMAGE_RECIPE } from "./image-recipe.js";
import { CATALOGUE_FILE, type ServiceName } from "./services.js";

const ROOT_BUILD_INPUTS = new Set([
  "package.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  ".npmrc",
  ".nvmrc",
  "tsconfig.json",
  "tsconfig.base.json",
  ".dockerignore",
]);

// Files outside the workspace folders that every image build reads: the image recipe, the
// catalogue of its build arguments, the pipeline's own recipe, the bundling script and the certs tool.
const SHARED_BUILD_FILES = new Set([IMAGE_RECIPE, CATALOGUE_FILE, "dagger.json", "services/bundle.ts", "compose/local/certs.ts"]);

/** A change of one workspace (a service, or another package such as proto) affects it and, with dependents, what is built on it. */
export type Reason = "everything" | "nothing" | { workspace: WorkspaceName; withDependents: boolean };

/**
 * The ref a change is compared with, or null to build everything: GitHub's `before` of a push that
 * made a branch or tag is all zeros (no earlier commit). An empty base is a mistake of the caller.
 */
export function comparisonBase(raw: string): string | null {
  const base = raw.trim();
  if (base === "") throw new Error("--base REF is needed: the branch or commit to compare with (all zeros: build everything)");
  return /^0+$/.test(base) ? null : base;
}

/** Normalizes a path as git or a changeset prints it: forward slashes, no leading "./" or "/". */
export function normalizeChangedPath(raw: string): string {
  const path = raw.trim().replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
  if (path === "" || path.split("/").includes("..")) {
    throw new Error(`not a repository path: ${JSON.stringify(raw)}`);
  }
  return path;
}

/** What one changed path means for the images, given the services and the other workspace packages (their folders) there are. */
export function classifyPath(raw: string, services: readonly ServiceName[], packages: readonly string[] = []): Reason {
  const path = normalizeChangedPath(raw);
  const parts = path.split("/").filter((p) => p !== "");
  const [top, second] = parts;
  if (SHARED_BUILD_FILES.has(path)) return "everything";
  if (top === "services") {
    if (second === undefined) return "nothing";
    // A removed folder is reported with a trailing slash and without its children.
    const isInsideServiceFolder = parts.length > 2 || path.endsWith("/");
    if (!isInsideServiceFolder && !services.includes(second)) return "nothing"; // another file beside the folders
    return serviceReason(second, path, parts, services);
  }
  if (top !== undefined && packages.includes(top) && (parts.length > 1 || path.endsWith("/"))) {
    return second === "test" ? "nothing" : { workspace: top, withDependents: true };
  }
  if (parts.length === 1 && top !== undefined && ROOT_BUILD_INPUTS.has(top)) return "everything";
  if (top === "dagger" && (second === "module" || (second === undefined && path.endsWith("/")))) return "everything";
  return "nothing";
}

function serviceReason(name: string, path: string, parts: string[], services: readonly ServiceName[]): Reason {
  if (!services.includes(name)) {
    throw new Error(`changed path ${path} is in services/${name}, which is not one of ${services.join(", ")}`);
  }
  if (parts[2] === "test") return "nothing";
  return { workspace: name, withDependents: true };
}

/**
 * The services whose images a set of changed paths affects, each listed after the services it
 * is built on. An empty list means no image changes (for example a docs-only change).
 */
export function affectedServices(changedPaths: readonly string[], graph: DependencyGraph): ServiceName[] {
  const affected = new Set<ServiceName>();
  for (const raw of changedPaths) {
    const reason = classifyPath(raw, graph.services, [...graph.keys()].filter((name) => !graph.services.includes(name)));
    if (reason === "nothing") continue;
    if (reason === "everything") return topologicalOrder(graph);
    affected.add(reason.workspace);
    if (reason.withDependents) {
      for (const dependent of dependentsOf(graph, reason.workspace)) affected.add(dependent);
    }
  }
  return topologicalOrder(graph).filter((service) => affected.has(service));
}
