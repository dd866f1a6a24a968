// What the image tooling knows about the services: names, the ports of the operating contract
// (the port table of docs/architecture.md), the workspace packages each one is built from, and the
// pinned Node version. One place, read by the Dockerfile rules and by the image test run.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SERVICES = ["wrk-base", "tpl-wrk-thing", "wrk-book", "wrk-ork", "app-node"] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServicePorts {
  /** Absent for app-node, which serves HTTP only. */
  grpc?: number;
  http: number;
}

export const SERVICE_PORTS: Readonly<Record<ServiceName, ServicePorts>> = {
  "app-node": { http: 3000 },
  "wrk-ork": { grpc: 50051, http: 9101 },
  "wrk-book": { grpc: 50052, http: 9102 },
  "wrk-base": { grpc: 50053, http: 9103 },
  "tpl-wrk-thing": { grpc: 50054, http: 9104 },
};

export function isServiceName(name: string): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name);
}

export function exposedPorts(service: ServiceName): number[] {
  const { grpc, http } = SERVICE_PORTS[service];
  return grpc === undefined ? [http] : [grpc, http];
}

export interface Versions {
  nodeVersion: string;
  npmVersion: string;
}

/** The pins in .ci/images/versions.env (KEY=value lines), shared with make-base.sh. */
export function readVersions(repoRoot: string): Versions {
  const file = join(repoRoot, ".ci", "images", "versions.env");
  const values = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], match[2]);
  }
  const nodeVersion = values.get("NODE_VERSION");
  const npmVersion = values.get("NPM_VERSION");
  if (!nodeVersion || !npmVersion) throw new Error(`${file}: NODE_VERSION and NPM_VERSION must both be set`);
  return { nodeVersion, npmVersion };
}

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
}

/**
 * The service and every workspace package it depends on, directly or not, dependencies first:
 * the sources its image's build stage must copy and compile.
 */
export function workspaceClosure(repoRoot: string, service: ServiceName): ServiceName[] {
  const ordered: ServiceName[] = [];
  const visiting = new Set<ServiceName>();
  const visit = (name: ServiceName): void => {
    if (ordered.includes(name)) return;
    if (visiting.has(name)) throw new Error(`workspace dependency cycle through ${name}`);
    visiting.add(name);
    const file = join(repoRoot, "services", name, "package.json");
    if (!existsSync(file)) throw new Error(`${file} is missing`);
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const local = dependency.startsWith("@bookstore/") ? dependency.slice("@bookstore/".length) : undefined;
      if (local !== undefined && isServiceName(local)) visit(local);
    }
    visiting.delete(name);
    ordered.push(name);
  };
  visit(service);
  return ordered;
}
