// The platforms every image is built for. Kept as plain strings here; the module casts them to
// the SDK's Platform type at the edge.

export const DEFAULT_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

export type SupportedPlatform = (typeof DEFAULT_PLATFORMS)[number];

/** "linux/arm64" -> "arm64": the suffix used in local image tags and summaries. */
export function architectureOf(platform: SupportedPlatform): string {
  return platform.slice("linux/".length);
}

function parseOne(raw: string): SupportedPlatform {
  const value = raw.trim().toLowerCase();
  // "linux/arm64/v8" is the same platform as "linux/arm64" for our images.
  const normalized = value === "linux/arm64/v8" ? "linux/arm64" : value;
  const match = DEFAULT_PLATFORMS.find((p) => p === normalized);
  if (!match) {
    throw new Error(`unsupported platform "${raw}": expected one of ${DEFAULT_PLATFORMS.join(", ")}`);
  }
  return match;
}

/**
 * The platforms asked for, validated, without duplicates, in the default order.
 * No platform (or only empty values) means all default platforms. Comma-separated values are
 * accepted too, so `--platforms linux/amd64,linux/arm64` works however the CLI splits it.
 */
export function parsePlatforms(requested: readonly string[]): SupportedPlatform[] {
  const values = requested.flatMap((r) => r.split(",")).filter((r) => r.trim() !== "");
  if (values.length === 0) return [...DEFAULT_PLATFORMS];
  const chosen = new Set(values.map(parseOne));
  return DEFAULT_PLATFORMS.filter((p) => chosen.has(p));
}

/**
 * One platform. Empty means the engine's own platform, so a plain `build` on an arm64 laptop
 * builds natively instead of under emulation.
 */
export function parsePlatform(requested: string, enginePlatform: string): SupportedPlatform {
  return parseOne(requested.trim() === "" ? enginePlatform : requested);
}

/** A Dockerfile build argument (`--build-arg NAME=VALUE`). */
export interface PlatformBuildArgument {
  readonly name: "BUILDPLATFORM" | "TARGETPLATFORM";
  readonly value: SupportedPlatform;
}

/**
 * The platform arguments of every image build, for the module (Directory.dockerBuild) and for
 * podman (.ci/images/build.ts) alike. Dagger's dockerBuild sets only the target platform, and
 * BuildKit's Dockerfile frontend then makes the build platform the same (read in dagger v0.21.8
 * core/container.go and internal/buildkit/frontend/dockerfile/dockerfile2llb/platform.go), so
 * `FROM --platform=$BUILDPLATFORM` would run npm, tsc and esbuild under emulation for a foreign
 * target. A build argument of the same name overrides it (convert.go's setKVValue): the build
 * stage then runs on the engine's own platform, and only the runtime stage, which runs no
 * command, is the target's. buildah 1.28 does not fill either itself.
 */
export function platformBuildArgs(native: SupportedPlatform, target: SupportedPlatform): PlatformBuildArgument[] {
  return [
    { name: "BUILDPLATFORM", value: native },
    { name: "TARGETPLATFORM", value: target },
  ];
}
