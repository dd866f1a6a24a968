// The compose file as Compose v2 reads it (anchors merged, variables filled in, short syntax made
// long), for the structural tests: compose-load.ts and compose-model.ts, which follow compose-go.
import { dirname } from "node:path";
import { COMPOSE_FILE } from "../local/kit/testing/stack-paths.js";
import { loadComposeDict } from "./compose-load.js";
import { composeProject, type ComposeProject, type ComposeService } from "./compose-model.js";

export type { ComposeProject, ComposeService };

/** What an operator must set (compose/.env.example shows it); the tests set nothing else. */
export const REQUIRED_ENV: Readonly<Record<string, string>> = { API_TOKENS: "test-token:librarian" };

/** The project with the required settings and `env`, and nothing from the caller's environment. */
export function resolveCompose(env: Record<string, string> = {}): ComposeProject {
  return composeProject(loadComposeDict(COMPOSE_FILE, { ...REQUIRED_ENV, ...env }), dirname(COMPOSE_FILE));
}

/** The port a `host:port` or `scheme://host:port/...` names. */
export function splitHostPort(address: string): { host: string; port: string } {
  const match = /^(?:\w+:\/\/)?([^/:]+):(\d+)/.exec(address);
  if (!match) throw new Error(`not host:port: ${address}`);
  return { host: match[1] ?? "", port: match[2] ?? "" };
}

export function networksOf(service: ComposeService): string[] {
  return Object.keys(service.networks);
}

/** Services reachable as `name` from `from`: by service name or network alias, on a shared network. */
export function servicesAnswering(project: ComposeProject, from: string, name: string): string[] {
  const fromService = project.services[from];
  if (!fromService) throw new Error(`no service ${from}`);
  const shared = new Set(networksOf(fromService));
  return Object.entries(project.services)
    .filter(([serviceName, service]) =>
      Object.entries(service.networks).some(([network, options]) => shared.has(network) && (serviceName === name || (options?.aliases ?? []).includes(name))),
    )
    .map(([serviceName]) => serviceName);
}
