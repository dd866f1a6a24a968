// compose-go's consistency rules, ported: what Compose v2 checks after the schema and before it
// creates anything ("invalid compose project"). Followed: compose-spec/compose-go at e70e961
// (2026-07-21; loader/validate.go, validation/*.go and graph/cycle.go are as in v2.13.0, and docker
// compose v5.4.0 and v5.5.0 vendor v2.14.0, which the stored copy lacks). Each rule names its
// upstream source and keeps its wording; compose-go stops at the first error, this lists them all.
import type { ComposeDict } from "./compose-load.js";
import type { ComposeProject, ComposeService } from "./compose-model.js";

type Rule = (project: ComposeProject, dict: ComposeDict) => string[];

type Dict = Record<string, unknown>;
const asDict = (value: unknown): Dict => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {});

const INVALID = "invalid compose project";

function eachService(project: ComposeProject, check: (name: string, service: ComposeService) => string | string[] | undefined): string[] {
  return Object.entries(project.services).flatMap(([name, service]) => check(name, service) ?? []);
}

/** docker/go-units RAMInBytes: a number with an optional binary unit (k, m, g, t, p; `b`, `ib` optional). */
export function ramInBytes(value: unknown): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(String(value));
  if (!match) throw new Error(`invalid size: '${String(value)}'`);
  const power = match[2] ? "kmgtp".indexOf(match[2].toLowerCase()) + 1 : 0;
  return Math.floor(Number(match[1]) * 1024 ** power);
}

const num = (value: unknown): number => (value === undefined || value === null ? 0 : Number(value));

/** loader/validate.go checkConsistency, per service, in its order. */
const serviceRules: Rule[] = [
  (p) => eachService(p, (name, s) => (s.build === undefined && !s.image && s.provider === undefined ? `service "${name}" has neither an image nor a build context specified: ${INVALID}` : undefined)),
  (p) =>
    eachService(p, (name, s) =>
      s.build?.dockerfile_inline && s.build.dockerfile ? `service "${name}" declares mutualy exclusive dockerfile and dockerfile_inline: ${INVALID}` : undefined,
    ),
  (p) =>
    eachService(p, (name, s) => {
      const platforms = (s.build as { platforms?: string[] } | undefined)?.platforms ?? [];
      const platform = s.platform as string | undefined;
      return platforms.length > 0 && platform && !platforms.includes(platform) ? `service.build.platforms MUST include service.platform "${platform}": ${INVALID}` : undefined;
    }),
  (p) =>
    eachService(p, (name, s) =>
      s.network_mode && Object.keys(s.networks).length > 0 ? `service ${name} declares mutually exclusive \`network_mode\` and \`networks\`: ${INVALID}` : undefined,
    ),
  (p) => eachService(p, (name, s) => Object.keys(s.networks).filter((n) => !(n in p.networks)).map((n) => `service "${name}" refers to undefined network ${n}: ${INVALID}`)),
  (p) =>
    eachService(p, (_name, s) => {
      const test = s.healthcheck?.test;
      return Array.isArray(test) && test.length > 0 && !["CMD", "CMD-SHELL", "NONE"].includes(String(test[0])) ? `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"` : undefined;
    }),
  // No profiles here, so no service is disabled: an unknown dependency is an error even when
  // `required: false` (compose-go skips only a disabled one).
  (p) => eachService(p, (name, s) => Object.keys(s.depends_on).filter((d) => !(d in p.services)).map((d) => `service "${name}" depends on undefined service "${d}": ${INVALID}`)),
  (p) =>
    eachService(p, (_name, s) => {
      const target = s.network_mode?.startsWith("service:") ? s.network_mode.slice("service:".length) : undefined;
      return target !== undefined && !(target in p.services) ? `service "${target}" not found for network_mode 'service:${target}'` : undefined;
    }),
  (p) =>
    eachService(p, (name, s) =>
      s.volumes.filter((v) => v.type === "volume" && v.source !== "" && !(v.source in p.volumes)).map((v) => `service "${name}" refers to undefined volume ${v.source}: ${INVALID}`),
    ),
  (p) =>
    eachService(p, (name, s) => {
      const sources = (list: unknown): string[] => (Array.isArray(list) ? list.map((e) => (typeof e === "string" ? e : String(asDict(e).source))) : []);
      return [
        ...sources((s.build as Dict | undefined)?.secrets).filter((x) => !(x in p.secrets)).map((x) => `service "${name}" refers to undefined build secret ${x}: ${INVALID}`),
        ...sources(s.configs).filter((x) => !(x in p.configs)).map((x) => `service "${name}" refers to undefined config ${x}: ${INVALID}`),
        ...sources(s.secrets).filter((x) => !(x in p.secrets)).map((x) => `service "${name}" refers to undefined secret ${x}: ${INVALID}`),
      ];
    }),
  (p, dict) =>
    eachService(p, (name, s) => Object.keys(asDict(s.models)).filter((m) => !(m in asDict(dict.models))).map((m) => `service "${name}" refers to undefined model ${m}: ${INVALID}`)),
  (p) =>
    eachService(p, (name, s) => {
      const deploy = asDict(s.deploy);
      const errors: string[] = [];
      if (s.scale !== undefined && deploy.replicas !== undefined && num(s.scale) !== num(deploy.replicas)) errors.push(`services.${name}: can't set distinct values on 'scale' and 'deploy.replicas': ${INVALID}`);
      if (s.scale !== undefined && num(s.scale) < 0) errors.push(`services.${name}.scale: must be greater than or equal to 0`);
      if (deploy.replicas !== undefined && num(deploy.replicas) < 0) errors.push(`services.${name}.deploy.replicas: must be greater than or equal to 0`);
      return errors;
    }),
  // The resource pairs: a value set both ways must be the same; a limits block without the key
  // counts as 0 (how the pids_limit defect of issue 16 arises).
  (p) =>
    eachService(p, (name, s) => {
      if (s.deploy === undefined) return [];
      const resources = asDict(asDict(s.deploy).resources);
      const limits = resources.limits === undefined ? undefined : asDict(resources.limits);
      const reservations = resources.reservations === undefined ? undefined : asDict(resources.reservations);
      const errors: string[] = [];
      const distinct = (a: string, b: string): string => `services.${name}: can't set distinct values on '${a}' and '${b}': ${INVALID}`;
      if (num(s.cpus) !== 0 && limits && num(limits.cpus) !== num(s.cpus)) errors.push(distinct("cpus", "deploy.resources.limits.cpus"));
      if (s.mem_limit !== undefined && ramInBytes(s.mem_limit) !== 0 && limits && ramInBytes(limits.memory ?? 0) !== ramInBytes(s.mem_limit)) errors.push(distinct("mem_limit", "deploy.resources.limits.memory"));
      if (s.mem_reservation !== undefined && ramInBytes(s.mem_reservation) !== 0 && reservations && ramInBytes(reservations.memory ?? 0) !== ramInBytes(s.mem_reservation)) {
        errors.push(distinct("mem_reservation", "deploy.resources.reservations.memory"));
      }
      if (num(s.pids_limit) !== 0 && limits && num(limits.pids) !== num(s.pids_limit)) errors.push(distinct("pids_limit", "deploy.resources.limits.pids"));
      return errors;
    }),
  (p) =>
    eachService(p, (name, s) => {
      const scale = s.scale !== undefined ? num(s.scale) : num(asDict(s.deploy).replicas ?? 1);
      return scale > 1 && s.container_name ? `services.${name}: can't set container_name and ${s.scale !== undefined ? "scale" : "deploy.replicas"} as container name must be unique: ${INVALID}` : undefined;
    }),
  (p) =>
    eachService(p, (name, s) => {
      const watch = asDict(s.develop).watch;
      return Array.isArray(watch) && watch.some((w) => !asDict(w).target && !["rebuild", "restart"].includes(String(asDict(w).action)))
        ? `services.${name}.develop.watch: target is required for non-rebuild actions: ${INVALID}`
        : undefined;
    }),
  (p) =>
    eachService(p, (name, s) => {
      const mounted = new Map<string, string>();
      const errors: string[] = [];
      const add = (target: string, location: string): void => {
        const previous = mounted.get(target);
        if (previous !== undefined) errors.push(`${location}: target ${target} already mounted as ${previous}`);
        else mounted.set(target, location);
      };
      s.tmpfs.forEach((t, i) => add(t.split(":")[0] ?? "", `services.${name}.tmpfs[${i}]`));
      s.volumes.forEach((v, i) => add(v.target, `services.${name}.volumes[${i}]`));
      return errors;
    }),
];

/** loader/validate.go, after the services: a secret needs `file` or `environment`. */
const secretRule: Rule = (p) =>
  Object.entries(p.secrets)
    .filter(([, s]) => s?.external !== true && !s?.file && !s?.environment)
    .map(([name]) => `secret "${name}" must declare either \`file\` or \`environment\`: ${INVALID}`);

/** graph/cycle.go CheckCycle over depends_on. */
const cycleRule: Rule = (p) => {
  const errors: string[] = [];
  const search = (path: string[]): boolean => {
    const last = path[path.length - 1] ?? "";
    for (const child of Object.keys(p.services[last]?.depends_on ?? {}).sort()) {
      const at = path.indexOf(child);
      if (at >= 0) {
        errors.push(`dependency cycle detected: ${[...path.slice(at), child].join(" -> ")}`);
        return true;
      }
      if (search([...path, child])) return true;
    }
    return false;
  };
  for (const name of Object.keys(p.services).sort()) if (search([name])) break;
  return errors;
};

/** validation/validation.go and validation/external.go, on the dictionary before the canonical form. */
const dictRules: Rule = (_p, dict) => {
  const errors: string[] = [];
  for (const [name, volume] of Object.entries(asDict(dict.volumes))) {
    const v = asDict(volume);
    if (v.external === true) {
      for (const key of Object.keys(v)) {
        if (!["name", "external"].includes(key) && !key.startsWith("x-")) errors.push(`volumes.${name}: conflicting parameters "external" and "${key}" specified`);
      }
    }
  }
  for (const [kind, keys] of [["configs", ["file", "environment", "content"]], ["secrets", ["file", "environment"]]] as const) {
    for (const [name, object] of Object.entries(asDict(dict[kind]))) {
      const o = asDict(object);
      const count = keys.filter((k) => k in o).length;
      if (count > 1) errors.push(`${kind}.${name}: ${keys.join("|")} attributes are mutually exclusive`);
      if (count === 0 && !("driver" in o) && !("external" in o)) errors.push(`${kind}.${name}: one of ${keys.join("|")} must be set`);
    }
  }
  for (const [name, service] of Object.entries(asDict(dict.services))) {
    for (const [i, port] of (Array.isArray(asDict(service).ports) ? (asDict(service).ports as unknown[]) : []).entries()) {
      const hostIp = asDict(port).host_ip;
      if (hostIp !== undefined && !isIp(String(hostIp))) errors.push(`services.${name}.ports.${i}: invalid ip address: ${String(hostIp)}`);
    }
  }
  return errors;
};

function isIp(text: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) ? text.split(".").every((part) => Number(part) <= 255) : /^[0-9a-f:]+$/i.test(text) && text.includes(":");
}

/**
 * loader/loader.go projectName normalizes a `name:` from the file (lowercase, [a-z0-9_-] only), and
 * refuses one given by -p or COMPOSE_PROJECT_NAME that is not normalized. Ours is stricter: the
 * file's name must be normalized already, so the project is called what the file says.
 */
const nameRule: Rule = (p) =>
  p.name !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(p.name)
    ? [`invalid project name "${p.name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`]
    : [];

/** Every consistency error Compose v2 would raise for this project (none: it loads). */
export function consistencyErrors(project: ComposeProject, dict: ComposeDict): string[] {
  return [...dictRules(project, dict), ...serviceRules.flatMap((rule) => rule(project, dict)), secretRule(project, dict), cycleRule(project, dict), nameRule(project, dict)].flat();
}
