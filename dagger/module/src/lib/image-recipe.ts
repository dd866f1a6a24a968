// The one image recipe of every service (services/Dockerfile) and the build arguments that make
// it one service's image, from the catalogue. The module (Directory.dockerBuild), the podman
// builds of .ci/images/build.ts and the compose file all build with these, so a service's ports,
// description and volume are written once, in services/catalogue.json. Plain data, no SDK.

import type { ServiceSpec } from "./services.js";

/** The recipe, relative to the repository root (the build context). */
export const IMAGE_RECIPE = "services/Dockerfile";

/** The org.opencontainers.image.title of a service's image (the recipe's LABEL, the published annotation). */
export function imageTitle(service: string): string {
  return `bookstore-${service}`;
}

/** The stage that holds every service's bundle, /out/<service> (and its SBOM, /out/<service>/sbom). */
export const BUILD_STAGE = "build";

/** The stage of one service's image, after the shared ones; it runs nothing. */
export const RUNTIME_STAGE = "runtime";

/** Where the build stage leaves a service's files. */
export function buildOutput(service: string): string {
  return `/out/${service}`;
}

export interface RecipeArgument {
  readonly name: "SERVICE" | "DESCRIPTION" | "GRPC_PORT" | "HTTP_PORT" | "DATA_VOLUME";
  readonly value: string;
}

/**
 * The build arguments that pick one service out of the recipe. The build stage reads none of
 * them, so every service and platform shares it; GRPC_PORT is empty for an HTTP-only service.
 */
export function imageBuildArgs(spec: ServiceSpec): RecipeArgument[] {
  return [
    { name: "SERVICE", value: spec.name },
    { name: "DESCRIPTION", value: spec.description },
    { name: "GRPC_PORT", value: spec.grpcPort === null ? "" : String(spec.grpcPort) },
    { name: "HTTP_PORT", value: String(spec.httpPort) },
    { name: "DATA_VOLUME", value: spec.dataVolume ? "yes" : "no" },
  ];
}
