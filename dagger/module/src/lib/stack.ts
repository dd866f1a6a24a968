// How the images are wired into a running system for the stack test, from each service's role
// and ports in the catalogue: the settings each container gets (see the operating contract) and
// what the smoke test checks; they start in the catalogue's start order. Each service is reachable by its own name as hostname. Data stays where the image puts
// it (DATA_DIR=/data, owned by the image's user).

import { orchestrator, servicePorts, serviceSpec, startOrder, type Catalogue, type ServiceName } from "./services.js";

/** Bearer token of the librarian the smoke test acts as (a test-only credential). */
export const SMOKE_API_TOKEN = "stack-test-librarian";

/** Where every container of the stack finds the development CA and its own certificate. */
export const STACK_CERTS_DIR = "/certs";

/**
 * The orchestrator image's own certs tool (/app/tools/certs.js, as compose's `certs` job runs it),
 * into a folder of the image's /data (the only one its user may write): a development CA and one
 * certificate per catalogued service, each valid for any rack of its type (one container per
 * service here, so none of `npm start`'s racks).
 */
export const STACK_CERTS_OUT = "/data/certs";
export const STACK_CERTS_COMMAND = ["node", "/app/tools/certs.js", "--out", STACK_CERTS_OUT, "--no-default-racks"] as const;

/** `host:port` of the orchestrator, reached by its name. */
export function ork(catalogue: Catalogue): string {
  const spec = orchestrator(catalogue);
  return `${spec.name}:${spec.grpcPort}`;
}

/** The environment variables of one service in the stack, from its role and ports. */
export function stackEnvironment(catalogue: Catalogue, service: ServiceName): Record<string, string> {
  const spec = serviceSpec(catalogue, service);
  const env: Record<string, string> = {
    BIND_HOST: "0.0.0.0",
    HTTP_PORT: String(spec.httpPort),
    LOG_LEVEL: "info",
    // Mutual TLS on every gRPC hop, with the service's own certificate.
    TLS_CA_FILE: `${STACK_CERTS_DIR}/ca.pem`,
    TLS_CERT_FILE: `${STACK_CERTS_DIR}/${service}.pem`,
    TLS_KEY_FILE: `${STACK_CERTS_DIR}/${service}-key.pem`,
  };
  if (spec.grpcPort !== null) env.GRPC_PORT = String(spec.grpcPort);
  // A brand-new orchestrator cannot have workers to wait for: publish routes at once instead of
  // after one lease (the same choice as `npm start`).
  if (spec.role === "orchestrator") env.ORK_WARMUP_SECONDS = "0";
  else env.ORK_ADDR = ork(catalogue);
  if (spec.role === "worker") env.ADVERTISE_ADDR = `${service}:${spec.grpcPort}`;
  if (spec.role === "gateway") env.API_TOKENS = `${SMOKE_API_TOKEN}:librarian`;
  return env;
}

/** The ports a service listens on, so the engine health-checks them before clients connect. */
export function stackPorts(catalogue: Catalogue, service: ServiceName): number[] {
  return servicePorts(serviceSpec(catalogue, service));
}

export interface SmokeTargets {
  /** Base URL of the gateway's HTTP API. */
  readonly appUrl: string;
  /** `host:port` of every gRPC server whose health the smoke test checks. */
  readonly grpcTargets: readonly string[];
  /** Addresses the workers advertise: each must be listed by the gateway as up. */
  readonly workerAddresses: readonly string[];
}

/** What the smoke test talks to when every service is reachable under its own name. */
export function smokeTargets(catalogue: Catalogue): SmokeTargets {
  const started = startOrder(catalogue).flat().map((name) => serviceSpec(catalogue, name));
  const gateway = started.find((spec) => spec.role === "gateway");
  if (gateway === undefined) throw new Error("the catalogue has no gateway for the smoke test to call");
  const grpcTargets = started.filter((spec) => spec.grpcPort !== null).map((spec) => `${spec.name}:${spec.grpcPort}`);
  const workerAddresses = started
    .map((spec) => stackEnvironment(catalogue, spec.name).ADVERTISE_ADDR)
    .filter((address): address is string => address !== undefined);
  return { appUrl: `http://${gateway.name}:${gateway.httpPort}`, grpcTargets, workerAddresses };
}

/** The smoke test's settings as environment variables (read by dagger/smoke/stack-smoke.ts). */
export function smokeEnvironment(targets: SmokeTargets, token: string = SMOKE_API_TOKEN): Record<string, string> {
  return {
    SMOKE_APP_URL: targets.appUrl,
    SMOKE_GRPC_TARGETS: targets.grpcTargets.join(","),
    SMOKE_WORKER_ADDRESSES: targets.workerAddresses.join(","),
    SMOKE_API_TOKEN: token,
    // The health checks speak TLS as a probe does: the CA, no client certificate.
    TLS_CA_FILE: `${STACK_CERTS_DIR}/ca.pem`,
  };
}
