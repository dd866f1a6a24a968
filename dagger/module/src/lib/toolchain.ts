// The pinned images and recipes the pipeline runs its steps in.

/**
 * The recipe of the check container (Node on Debian with every tool the tests call), relative to
 * the repository root. The module builds it with the engine; `.ci/check/run-checks.ts` builds
 * the same file with podman, so a tool missing from it fails in both places.
 */
export const CHECK_DOCKERFILE = ".ci/check/Dockerfile";

/** The files `npm ci` reads: copied first, so the install stays cached while only sources change. */
export const WORKSPACE_MANIFESTS: readonly string[] = ["package.json", "package-lock.json", ".npmrc", "proto/package.json", "services/*/package.json"];

/** Installs the workspace inside the check container. */
export const WORKSPACE_INSTALL: readonly string[] = ["npm", "ci", "--no-audit", "--no-fund"];

/** What each check function runs inside the installed workspace (`dagger call <name>`). */
export const CHECK_COMMANDS = {
  lint: ["npm", "run", "lint"],
  typecheck: ["npm", "run", "typecheck"],
  test: ["npm", "test"],
} as const satisfies Record<string, readonly string[]>;

export type CheckName = keyof typeof CHECK_COMMANDS;

/** Where `breaking` mounts the merge base's proto/ folder in the check container. */
export const BREAKING_BASE_PROTO = "/base/proto";

/** buf breaking of the source's proto/ against the base's, as files (`npm run breaking` takes the same flag). */
export const BREAKING_COMMAND: readonly string[] = ["npm", "run", "breaking", "--", "--against-proto", BREAKING_BASE_PROTO];

/** skopeo moves tags between manifests without pulling layers (the rollback). */
export const SKOPEO_IMAGE = "quay.io/skopeo/stable:v1.22.2";

/** Trivy scans images and writes SBOMs. */
export const TRIVY_IMAGE = "aquasec/trivy:0.74.0";
