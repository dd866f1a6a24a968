// The five services of the repository and their ports (see the operating contract).
// Plain data without the Dagger SDK, so tests and scripts can import it without an engine.

export const SERVICE_NAMES = ["wrk-base", "tpl-wrk-thing", "wrk-book", "wrk-ork", "app-node"] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  readonly name: ServiceName;
  /** The npm workspace package of the service. */
  readonly packageName: string;
  /** Folder of the service, relative to the repository root. */
  readonly dir: string;
  /** Its Dockerfile, relative to the repository root (the build context). */
  readonly dockerfile: string;
  /** gRPC port; app-node serves HTTP only. */
  readonly grpcPort: number | null;
  /** HTTP port: metrics and health, and the JSON API for app-node. */
  readonly httpPort: number;
}

const PORTS: Record<ServiceName, { grpcPort: number | null; httpPort: number }> = {
  "app-node": { grpcPort: null, httpPort: 3000 },
  "wrk-ork": { grpcPort: 50051, httpPort: 9101 },
  "wrk-book": { grpcPort: 50052, httpPort: 9102 },
  "wrk-base": { grpcPort: 50053, httpPort: 9103 },
  "tpl-wrk-thing": { grpcPort: 50054, httpPort: 9104 },
};

export const SERVICES: readonly ServiceSpec[] = SERVICE_NAMES.map((name) => ({
  name,
  packageName: `@bookstore/${name}`,
  dir: `services/${name}`,
  dockerfile: `services/${name}/Dockerfile`,
  ...PORTS[name],
}));

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/** The spec of one service; a clear error names the valid ones when `name` is not one. */
export function serviceSpec(name: string): ServiceSpec {
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) {
    throw new Error(`unknown service "${name}": expected one of ${SERVICE_NAMES.join(", ")}`);
  }
  return spec;
}

/** The service a workspace package name belongs to, or null for a package outside the catalog. */
export function serviceOfPackage(packageName: string): ServiceName | null {
  const spec = SERVICES.find((s) => s.packageName === packageName);
  return spec ? spec.name : null;
}
