// The compose project in one shape, whatever syntax the file uses: what compose-go's canonical
// transform (transform/canonical.go) and volume parser (format/volume.go) make of a service, for the
// consistency rules (compose-rules.ts) and the structural tests. Relative paths are resolved against
// the compose file's folder, as compose does.
import { isAbsolute, resolve } from "node:path";
import type { ComposeDict } from "./compose-load.js";
import { IMAGE_RECIPE } from "../../dagger/module/src/lib/image-recipe.js";

export interface Mount {
  type: "bind" | "volume" | "tmpfs";
  /** Empty for an anonymous volume or a tmpfs; an absolute path for a bind. */
  source: string;
  target: string;
  readOnly: boolean;
}

export interface Dependency {
  condition: string;
  required: boolean;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; dockerfile_inline?: string; args?: Record<string, string> };
  command?: string[] | string;
  user?: string;
  environment: Record<string, string | undefined>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on: Record<string, Dependency>;
  networks: Record<string, { aliases?: string[] } | null>;
  network_mode?: string;
  volumes: Mount[];
  tmpfs: string[];
  expose: string[];
  ports: unknown[];
  labels: Record<string, string>;
  init?: boolean;
  read_only?: boolean;
  restart?: string;
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  pids_limit?: number;
  deploy?: { resources?: { limits?: { cpus?: number | string; memory?: string; pids?: number } } };
  /** Everything else, as written. */
  [key: string]: unknown;
}

export interface ComposeProject {
  name?: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean; external?: boolean } | null>;
  volumes: Record<string, Record<string, unknown> | null>;
  secrets: Record<string, Record<string, unknown> | null>;
  configs: Record<string, Record<string, unknown> | null>;
}

type Dict = Record<string, unknown>;

const asDict = (value: unknown): Dict => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** `KEY=value` lists and mappings alike (compose's list_or_dict), values as strings. */
function listOrDict(value: unknown): Record<string, string | undefined> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = String(entry);
        const at = text.indexOf("=");
        return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asDict(value)).map(([key, item]) => [key, item === null || item === undefined ? undefined : String(item)]));
}

/** compose-go format/volume.go isFilePath: a source starting with `.`, `/` or `~` is a bind. */
function isFilePath(source: string): boolean {
  return /^[./~]/.test(source);
}

/** A short-syntax volume (`source:target[:options]`), as format.ParseVolume splits it. */
export function parseVolume(spec: string, baseDir: string): Mount {
  const parts = spec.split(":");
  if (parts.some((part) => part === "")) throw new Error(`invalid spec: ${spec}: empty section between colons`);
  if (parts.length > 3) throw new Error(`invalid spec: ${spec}: too many colons`);
  const [first = "", second, options = ""] = parts;
  const source = second === undefined ? "" : first;
  const target = second ?? first;
  const type = isFilePath(source) ? "bind" : "volume";
  const readOnly = options.split(",").includes("ro");
  return { type, source: type === "bind" && !isAbsolute(source) ? resolve(baseDir, source) : source, target, readOnly };
}

function mounts(value: unknown, baseDir: string): Mount[] {
  return asList(value).map((entry) => {
    if (typeof entry === "string") return parseVolume(entry, baseDir);
    const long = asDict(entry);
    const type = String(long.type ?? "volume") as Mount["type"];
    const source = String(long.source ?? "");
    return { type, source: type === "bind" && source !== "" && !isAbsolute(source) ? resolve(baseDir, source) : source, target: String(long.target ?? ""), readOnly: long.read_only === true };
  });
}

function dependencies(value: unknown): Record<string, Dependency> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), { condition: "service_started", required: true }]));
  return Object.fromEntries(
    Object.entries(asDict(value)).map(([name, options]) => {
      const o = asDict(options);
      return [name, { condition: String(o.condition ?? "service_started"), required: o.required !== false }];
    }),
  );
}

function networks(value: unknown): ComposeService["networks"] {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), null]));
  return asDict(value) as ComposeService["networks"];
}

function build(value: unknown, baseDir: string): ComposeService["build"] {
  if (value === undefined || value === null) return undefined;
  const spec = typeof value === "string" ? { context: value } : asDict(value);
  const context = String(spec.context ?? ".");
  const args = spec.args === undefined ? undefined : (listOrDict(spec.args) as Record<string, string>);
  return { ...(spec as Dict), context: isAbsolute(context) || /^\w+:\/\//.test(context) ? context : resolve(baseDir, context), ...(args ? { args } : {}) } as ComposeService["build"];
}

function service(raw: unknown, baseDir: string): ComposeService {
  const s = asDict(raw);
  return {
    ...s,
    build: build(s.build, baseDir),
    environment: listOrDict(s.environment),
    depends_on: dependencies(s.depends_on),
    networks: networks(s.networks),
    volumes: mounts(s.volumes, baseDir),
    tmpfs: asList(s.tmpfs).map(String),
    expose: asList(s.expose).map(String),
    ports: asList(s.ports),
    labels: listOrDict(s.labels) as Record<string, string>,
  } as ComposeService;
}

/** The project of an interpolated compose dictionary (loadComposeDict) of a file in `baseDir`. */
export function composeProject(dict: ComposeDict, baseDir: string): ComposeProject {
  return {
    ...(typeof dict.name === "string" ? { name: dict.name } : {}),
    services: Object.fromEntries(Object.entries(asDict(dict.services)).map(([name, raw]) => [name, service(raw, baseDir)])),
    networks: asDict(dict.networks) as ComposeProject["networks"],
    volumes: asDict(dict.volumes) as ComposeProject["volumes"],
    secrets: asDict(dict.secrets) as ComposeProject["secrets"],
    configs: asDict(dict.configs) as ComposeProject["configs"],
  };
}

/**
 * The catalogued service a compose service's image is built as: the SERVICE argument of a build
 * from the one recipe (dagger/module/src/lib/image-recipe.ts), "" for anything else.
 */
export function builtService(service: ComposeService): string {
  return service.build?.dockerfile === IMAGE_RECIPE ? (service.build.args?.SERVICE ?? "") : "";
}
