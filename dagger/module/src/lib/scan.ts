// How `scan` runs Trivy (read against trivy v0.74.0's source):
// - `--output` is opened with os.Create, which makes no parent folders: the module creates
//   SCAN_OUTPUT_DIR before Trivy writes into it.
// - Each Trivy process opens <cache-dir>/fanal.db with a 5 s lock timeout ("cache may be in use by
//   another process"): the vulnerability database is downloaded once, on a cache volume that one
//   process holds at a time, and each image is scanned on a private copy with --skip-db-update.
// - Trivy exits 1 on a fatal error (log.Fatal) and with --exit-code on findings: findings get a
//   code of their own, so a broken scan is never read as "vulnerabilities found".

/** Where each scan writes its SBOM and report (created by the module first). */
export const SCAN_OUTPUT_DIR = "/out";

/** The database download's cache folder (a cache volume, mounted Locked). */
export const DB_CACHE_DIR = "/trivy-db-cache";

/** A scan's private cache folder: the downloaded database is copied into its db/ folder. */
export const SCAN_CACHE_DIR = "/trivy-cache";

/** The exit code of a scan with HIGH or CRITICAL findings; Trivy's own errors exit with 1. */
export const FINDINGS_EXIT_CODE = 3;

/** Downloads (or refreshes) the vulnerability database into DB_CACHE_DIR/db. */
export function downloadDbArgs(): string[] {
  return ["trivy", "image", "--quiet", "--cache-dir", DB_CACHE_DIR, "--download-db-only"];
}

export interface ScanFiles {
  sbom: string;
  report: string;
}

/** The names of the files one image's scan writes into SCAN_OUTPUT_DIR (and `scan` returns). */
export function scanFiles(service: string): ScanFiles {
  return { sbom: `${service}.sbom.cdx.json`, report: `${service}.vulnerabilities.txt` };
}

const OFFLINE = ["--cache-dir", SCAN_CACHE_DIR, "--skip-db-update", "--skip-java-db-update"];

/** The SBOM (CycloneDX) of an image tarball. */
export function sbomArgs(tarball: string, file: string): string[] {
  return ["trivy", "image", "--quiet", ...OFFLINE, "--input", tarball, "--format", "cyclonedx", "--output", `${SCAN_OUTPUT_DIR}/${file}`];
}

/** The HIGH and CRITICAL vulnerabilities with a fix, as a table; FINDINGS_EXIT_CODE when any. */
export function vulnerabilityArgs(tarball: string, file: string): string[] {
  return [
    "trivy", "image", "--quiet", ...OFFLINE, "--input", tarball,
    "--scanners", "vuln", "--severity", "HIGH,CRITICAL", "--ignore-unfixed",
    "--exit-code", String(FINDINGS_EXIT_CODE), "--format", "table", "--output", `${SCAN_OUTPUT_DIR}/${file}`,
  ];
}

/** What an exit code of vulnerabilityArgs means; any other code is Trivy failing. */
export function scanOutcome(exitCode: number): "clean" | "findings" | "failed" {
  if (exitCode === 0) return "clean";
  if (exitCode === FINDINGS_EXIT_CODE) return "findings";
  return "failed";
}
