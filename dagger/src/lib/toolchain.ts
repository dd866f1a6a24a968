// The pinned images and packages the pipeline runs its steps in.

/** The Node release of the repository (the same as .ci/images/versions.env and the Dockerfiles). */
export const NODE_VERSION = "24.21.0";

/**
 * Lint, type-check, tests and the smoke test run on Debian (like CI, .ci/run) because the tests
 * call Debian's tools; the service images themselves are built on node:<version>-alpine.
 */
export const NODE_CHECK_IMAGE = `node:${NODE_VERSION}-bookworm-slim`;

/**
 * Debian packages the tests call (promtool, amtool, prometheus, shellcheck, yamllint): the part
 * of .ci/run's list that runs inside a plain container. podman, podman-compose, the registry and
 * skopeo are for the image, stack and registry scripts, which run on the CI machine itself.
 */
export const CHECK_TOOL_PACKAGES: readonly string[] = [
  "ca-certificates",
  "prometheus",
  "prometheus-alertmanager",
  "shellcheck",
  "yamllint",
];

/** skopeo moves tags between manifests without pulling layers (the rollback). */
export const SKOPEO_IMAGE = "quay.io/skopeo/stable:v1.22.2";

/** Trivy scans images and writes SBOMs. */
export const TRIVY_IMAGE = "aquasec/trivy:0.74.0";
