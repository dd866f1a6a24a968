// Readable summaries of what the pipeline did: one line per image, failures spelled out.

export interface BuildOutcome {
  readonly service: string;
  readonly platform: string;
  readonly ok: boolean;
  readonly seconds: number;
  /** The error message of a failed build. */
  readonly error?: string;
}

export interface PublishOutcome {
  readonly service: string;
  readonly repository: string;
  /** Tag -> the digest the registry answered for it. */
  readonly digests: ReadonlyArray<{ readonly tag: string; readonly digest: string }>;
  /** Each platform's manifest digest, as the index the registry serves lists them. */
  readonly platforms?: readonly PublishedPlatform[];
}

export interface PublishedPlatform {
  /** os/architecture[/variant], e.g. linux/arm64 */
  readonly platform: string;
  readonly digest: string;
}

/** The platform manifests of an index (the raw manifest as the registry serves it). */
export function platformsOfIndex(raw: string): PublishedPlatform[] {
  let index: { manifests?: Array<{ digest?: string; platform?: { os?: string; architecture?: string; variant?: string } }> };
  try {
    index = JSON.parse(raw) as typeof index;
  } catch (error) {
    throw new Error(`the registry's manifest is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(index.manifests)) throw new Error("the registry's manifest is not a multi-arch index (no manifests)");
  return (
    index.manifests
      // Attestation manifests that builders put in an index have the platform unknown/unknown.
      .filter((entry) => entry.platform?.os !== undefined && entry.platform.os !== "unknown")
      .map((entry) => {
        const platform = [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant].filter((part) => part !== undefined && part !== "").join("/");
        if (!entry.digest || !/^sha256:[0-9a-f]{64}$/.test(entry.digest)) throw new Error(`the index lists ${platform} without a sha256 digest`);
        return { platform, digest: entry.digest };
      })
  );
}

/**
 * What publish pushed, for the steps after it (attestations) and for people: per service the
 * repository, the tags, the index digest and each platform's digest. One digest for all the tags
 * of an image, or it throws: later steps must not guess which one was meant.
 */
export function formatPublishJson(outcomes: readonly PublishOutcome[]): string {
  const services = outcomes.map((o) => {
    const distinct = [...new Set(o.digests.map((d) => d.digest))];
    if (distinct.length !== 1 || distinct[0] === undefined) {
      throw new Error(`${o.repository}: its tags point at ${distinct.length === 0 ? "no digest" : `different digests (${distinct.join(", ")})`}`);
    }
    return { service: o.service, repository: o.repository, tags: o.digests.map((d) => d.tag), indexDigest: distinct[0], platforms: o.platforms ?? [] };
  });
  return `${JSON.stringify({ services }, null, 2)}\n`;
}

function pad(value: string, width: number): string {
  return value.padEnd(width, " ");
}

function firstLine(message: string): string {
  const line = message.split("\n").find((l) => l.trim() !== "") ?? message;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** A table of builds, then a verdict line: "5 services x 2 platforms: 10 built, 0 failed". */
export function formatBuildSummary(outcomes: readonly BuildOutcome[], skipped: readonly string[] = []): string {
  const serviceWidth = Math.max("service".length, ...outcomes.map((o) => o.service.length));
  const platformWidth = Math.max("platform".length, ...outcomes.map((o) => o.platform.length));
  const lines = [`${pad("service", serviceWidth)}  ${pad("platform", platformWidth)}  result  seconds`];
  for (const o of outcomes) {
    const result = o.ok ? "ok    " : "FAILED";
    lines.push(`${pad(o.service, serviceWidth)}  ${pad(o.platform, platformWidth)}  ${result}  ${o.seconds.toFixed(1)}`);
  }
  for (const o of outcomes.filter((x) => !x.ok)) {
    lines.push(`error in ${o.service} (${o.platform}): ${firstLine(o.error ?? "unknown error")}`);
  }
  if (skipped.length > 0) {
    lines.push(`not affected, not built: ${skipped.join(", ")}`);
  }
  const services = new Set(outcomes.map((o) => o.service)).size;
  const platforms = new Set(outcomes.map((o) => o.platform)).size;
  const failed = outcomes.filter((o) => !o.ok).length;
  lines.push(`${services} services x ${platforms} platforms: ${outcomes.length - failed} built, ${failed} failed`);
  return lines.join("\n");
}

/**
 * One line per service with its digest and tags. When a registry answered different digests for
 * the tags of one image (which should never happen), every tag is listed with its own digest.
 */
export function formatPublishSummary(outcomes: readonly PublishOutcome[]): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const distinct = [...new Set(o.digests.map((d) => d.digest))];
    if (distinct.length === 1 && distinct[0] !== undefined) {
      lines.push(`${o.repository}@${distinct[0]}  tags: ${o.digests.map((d) => d.tag).join(", ")}`);
    } else {
      lines.push(`${o.repository}: tags point at different digests:`);
      for (const d of o.digests) lines.push(`  ${d.tag} -> ${d.digest}`);
    }
  }
  return lines.join("\n");
}
