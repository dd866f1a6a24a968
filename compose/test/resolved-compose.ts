// The compose file as docker-compose resolves it (variables filled in, anchors merged), for the
// structural tests. docker-compose 1.29 (Debian) validates and resolves without a Docker engine.
import { parse } from "yaml";
import { COMPOSE_FILE, REPO_ROOT } from "../../observability/test/support/paths.js";
import { runToolOk } from "../../observability/test/support/run-tool.js";

export interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition?: string }>;
  networks?: Record<string, { aliases?: string[] } | null>;
  volumes?: string[];
  tmpfs?: string[];
  expose?: string[];
  ports?: string[];
  init?: boolean;
  read_only?: boolean;
  restart?: string;
  pids_limit?: number;
  deploy?: { resources?: { limits?: { cpus?: number | string; memory?: string } } };
  labels?: Record<string, string>;
}

export interface ComposeProject {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
}

/** Only PATH and HOME from the caller: the result must not depend on who runs the test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", ...extra };
}

export async function resolveCompose(env: Record<string, string> = {}, extraArgs: string[] = []): Promise<ComposeProject> {
  const result = await runToolOk("docker-compose", ["-f", COMPOSE_FILE, ...extraArgs, "config"], { cwd: REPO_ROOT, env: cleanEnv(env) });
  return parse(result.stdout) as ComposeProject;
}

/** The port a `host:port` or `scheme://host:port/...` names. */
export function splitHostPort(address: string): { host: string; port: string } {
  const match = /^(?:\w+:\/\/)?([^/:]+):(\d+)/.exec(address);
  if (!match) throw new Error(`not host:port: ${address}`);
  return { host: match[1] ?? "", port: match[2] ?? "" };
}

export function networksOf(service: ComposeService): string[] {
  return Object.keys(service.networks ?? {});
}

/** Services reachable as `name` from `from`: by service name or network alias, on a shared network. */
export function servicesAnswering(project: ComposeProject, from: string, name: string): string[] {
  const fromService = project.services[from];
  if (!fromService) throw new Error(`no service ${from}`);
  const shared = new Set(networksOf(fromService));
  return Object.entries(project.services)
    .filter(([serviceName, service]) =>
      Object.entries(service.networks ?? {}).some(([network, options]) => shared.has(network) && (serviceName === name || (options?.aliases ?? []).includes(name))),
    )
    .map(([serviceName]) => serviceName);
}
