// The tables the image run prints: sizes over the base per service and platform, and build times.

import type { Arch } from "./podman.js";

export const MB = 1_000_000;
/** The size budget of the issue: at most this much over the base image. */
export const MAX_OVER_BASE_BYTES = 10 * MB;

export interface SizeRow {
  service: string;
  arch: Arch;
  imageBytes: number;
  baseBytes: number;
}

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(2);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** A Markdown table (it goes into docs/images.md as printed): sizes in MB (10^6 bytes). */
export function sizeTable(rows: readonly SizeRow[]): string {
  return table(
    ["image", "platform", "size MB", "base MB", "over base MB", "within 10 MB"],
    rows.map((row) => [
      row.service,
      `linux/${row.arch}`,
      megabytes(row.imageBytes),
      megabytes(row.baseBytes),
      megabytes(row.imageBytes - row.baseBytes),
      row.imageBytes - row.baseBytes <= MAX_OVER_BASE_BYTES ? "yes" : "NO",
    ]),
  );
}

export function oversized(rows: readonly SizeRow[]): SizeRow[] {
  return rows.filter((row) => row.imageBytes - row.baseBytes > MAX_OVER_BASE_BYTES);
}

export interface BuildTime {
  service: string;
  arch: Arch;
  seconds: number;
}

/** Build seconds per service and platform, with the totals and the arm64/amd64 ratio. */
export function buildTimeTable(times: readonly BuildTime[]): string {
  const services = [...new Set(times.map((time) => time.service))];
  const secondsOf = (service: string | undefined, arch: Arch): number =>
    times.filter((time) => (service === undefined || time.service === service) && time.arch === arch).reduce((sum, time) => sum + time.seconds, 0);
  const ratio = (service?: string): string => {
    const amd64 = secondsOf(service, "amd64");
    return amd64 > 0 ? (secondsOf(service, "arm64") / amd64).toFixed(2) : "-";
  };
  return table(
    ["image", "amd64 s", "arm64 s", "arm64 / amd64"],
    [
      ...services.map((service) => [service, secondsOf(service, "amd64").toFixed(1), secondsOf(service, "arm64").toFixed(1), ratio(service)]),
      ["all", secondsOf(undefined, "amd64").toFixed(1), secondsOf(undefined, "arm64").toFixed(1), ratio()],
    ],
  );
}
