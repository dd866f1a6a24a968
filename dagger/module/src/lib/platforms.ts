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
