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
