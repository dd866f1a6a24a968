// How the five images are wired into a running system for the stack test: the settings each
// container gets (see the operating contract), the order they start in, and what the smoke test
// checks. Each service is reachable by its own name as hostname. Data stays where the image puts
// it (DATA_DIR=/data, owned by the image's user).

import { serviceSpec, type ServiceName } from "./services.js";

/** Bearer token of the librarian the smoke test acts as (a test-only credential). */
export const SMOKE_API_TOKEN = "stack-test-librarian";

/** Start order: the orchestrator, then the workers that register with it, then the gateway. */
export const STACK_START_ORDER: readonly (readonly ServiceName[])[] = [
  ["wrk-ork"],
  ["wrk-base", "tpl-wrk-thing", "wrk-book"],
  ["app-node"],
];

export function ork(): string {
  const spec = serviceSpec("wrk-ork");
  return `${spec.name}:${spec.grpcPort}`;
}

/** The environment variables of one service in the stack. */
export function stackEnvironment(service: ServiceName): Record<string, string> {
  const spec = serviceSpec(service);
  const env: Record<string, string> = {
    BIND_HOST: "0.0.0.0",
    HTTP_PORT: String(spec.httpPort),
    LOG_LEVEL: "info",
  };
  if (spec.grpcPort !== null) env.GRPC_PORT = String(spec.grpcPort);
  // A brand-new orchestrator cannot have workers to wait for: publish routes at once instead of
  // after one lease (the same choice as `npm start`).
  if (service === "wrk-ork") env.ORK_WARMUP_SECONDS = "0";
  if (service !== "wrk-ork") env.ORK_ADDR = ork();
  if (spec.grpcPort !== null && service !== "wrk-ork") env.ADVERTISE_ADDR = `${service}:${spec.grpcPort}`;
  if (service === "app-node") env.API_TOKENS = `${SMOKE_API_TOKEN}:librarian`;
  return env;
}

/** The ports a service listens on, so the engine health-checks them before clients connect. */
export function stackPorts(service: ServiceName): number[] {
  const spec = serviceSpec(service);
  return spec.grpcPort === null ? [spec.httpPort] : [spec.grpcPort, spec.httpPort];
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
export function smokeTargets(): SmokeTargets {
  const gateway = serviceSpec("app-node");
  const grpcTargets = STACK_START_ORDER.flat()
    .map((name) => serviceSpec(name))
    .filter((spec) => spec.grpcPort !== null)
    .map((spec) => `${spec.name}:${spec.grpcPort}`);
  const workerAddresses = STACK_START_ORDER.flat()
    .map((name) => stackEnvironment(name).ADVERTISE_ADDR)
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
  };
}
