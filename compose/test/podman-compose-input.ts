// What Debian's podman-compose (1.0.3) is given to run the book system's services of the compose
// file: the file as Compose v2 reads it (compose-load.ts: anchors merged, variables filled in),
// restricted to those services and what they name, with the two spellings that 1.0.3 misreads
// rewritten to ones it reads right. Everything else passes as the compose file writes it.
//   - A service's `networks` as a mapping (`backend: {}`, `monitoring: {aliases: [...]}`): 1.0.3
//     takes `backend={}` for the network's name ("missing networks"). Here a list of the names;
//     per-network aliases are lost, as 1.0.3 supports none (only the service name).
//   - A health check in exec form (`["CMD", "node", "-e", "..."]`): 1.0.3 joins the arguments into
//     a broken shell line (`/bin/sh: syntax error`). Here the same arguments, each quoted for the
//     shell, as CMD-SHELL.
//   - `healthcheck: {disable: true}` (the certs job): 1.0.3 ignores it and the image's HEALTHCHECK
//     stays. Here `test: ["NONE"]`, which the Compose Specification says is the same.
//   - `network_mode: none` (the certs job): 1.0.3 adds `--net` and a network alias beside it, which
//     podman refuses ("cannot set multiple networks"), and with no network of its own 1.0.3 passes
//     an empty `--net` when the project has several. Here the job joins an internal network of its
//     own (`isolated`, no way out, nobody else on it), the nearest to none that 1.0.3 can run.
// The file is written as YAML 1.1 (podman-stack.ts), which 1.0.3's PyYAML reads: there `no`
// unquoted is false (`--restart False`), so `restart: "no"` must stay quoted.
// What 1.0.3 leaves out entirely (pids and stop grace period, depends_on conditions, health
// checks running by themselves) is done by podman-stack.ts, which then inspects every container.
import { stringify } from "yaml";
import type { ComposeDict } from "./compose-load.js";

type Dict = Record<string, unknown>;
/** The network a service with `network_mode: none` is put on for 1.0.3. */
const ISOLATED = "isolated";
const asDict = (value: unknown): Dict => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {});

/** One argument quoted for a POSIX shell: inside '...', with each ' written as '\''. */
export function shellQuote(argument: string): string {
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

function forPodmanCompose(written: Dict): Dict {
  const { network_mode: networkMode, ...rest } = written;
  const service = networkMode === "none" ? { ...rest, networks: [ISOLATED] } : written;
  const networks = service.networks;
  const healthcheck = asDict(service.healthcheck);
  const test = healthcheck.test;
  const rewritten =
    healthcheck.disable === true
      ? { test: ["NONE"] }
      : Array.isArray(test) && test[0] === "CMD"
        ? { ...healthcheck, test: ["CMD-SHELL", test.slice(1).map((a) => shellQuote(String(a))).join(" ")] }
        : undefined;
  return {
    ...service,
    ...(networks !== undefined ? { networks: Array.isArray(networks) ? networks : Object.keys(asDict(networks)) } : {}),
    ...(rewritten ? { healthcheck: rewritten } : {}),
  };
}

/** The named services with the networks and volumes they use, ready for podman-compose 1.0.3. */
export function podmanComposeInput(dict: ComposeDict, services: readonly string[]): Dict {
  const all = asDict(dict.services);
  const missing = services.filter((name) => !(name in all));
  if (missing.length > 0) throw new Error(`no such service in the compose file: ${missing.join(", ")}`);
  const chosen = Object.fromEntries(services.map((name) => [name, forPodmanCompose(asDict(all[name]))]));
  const networks = new Set(Object.values(chosen).flatMap((s) => (s.networks as string[] | undefined) ?? []));
  const volumes = new Set(
    Object.values(chosen).flatMap((s) => (Array.isArray(s.volumes) ? s.volumes : []).map((v) => (typeof v === "string" ? v.split(":")[0] : String(asDict(v).source ?? "")))),
  );
  const pick = (section: unknown, keep: Set<string | undefined>): Dict => Object.fromEntries(Object.entries(asDict(section)).filter(([name]) => keep.has(name)));
  const isolated = networks.has(ISOLATED) ? { [ISOLATED]: { internal: true } } : {};
  return { services: chosen, networks: { ...pick(dict.networks, networks), ...isolated }, volumes: pick(dict.volumes, volumes) };
}

/** The input as YAML 1.1, which 1.0.3 reads with PyYAML: strings such as "no" stay quoted. */
export function podmanComposeYaml(input: Dict): string {
  return stringify(input, { version: "1.1" });
}
