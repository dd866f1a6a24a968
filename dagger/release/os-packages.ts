// The OS packages of an image, read from the package database its base ships: Alpine's
// /lib/apk/db/installed (node:<version>-alpine) or Debian's /var/lib/dpkg/status, and the
// per-package files of /var/lib/dpkg/status.d/ that distroless-style images keep instead.
// Both formats are paragraphs of "key: value" lines (apk writes "K:value" with one-letter keys);
// no npm package reads either, so the two small readers are here.

/** Where each package database lives inside an image. */
export const PACKAGE_DATABASES = {
  apk: "/lib/apk/db/installed",
  dpkg: "/var/lib/dpkg/status",
  dpkgDir: "/var/lib/dpkg/status.d",
} as const;

export interface OsPackage {
  readonly type: "apk" | "deb";
  readonly name: string;
  readonly version: string;
  /** The architecture as the package manager names it (x86_64, aarch64, amd64, arm64, all). */
  readonly arch: string;
  /** The source package when it differs from the binary one (dpkg Source, apk origin). */
  readonly source?: string;
  /** The licence as the package declares it; Debian's databases carry none. */
  readonly licence?: string;
}

/** Paragraphs of a control-style file: blank lines between records, a leading space continues a value. */
function paragraphs(text: string, separator: ":" | ": "): Array<Map<string, string>> {
  const records: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let lastKey = "";
  const flush = (): void => {
    if (current.size > 0) records.push(current);
    current = new Map();
    lastKey = "";
  };
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (!lastKey) throw new Error(`line ${index + 1}: a continuation line before any field`);
      current.set(lastKey, `${current.get(lastKey) ?? ""}\n${line.trim()}`);
      continue;
    }
    const at = line.indexOf(separator === ": " ? ":" : separator);
    if (at <= 0) throw new Error(`line ${index + 1}: expected "key${separator}value", got "${line.slice(0, 80)}"`);
    lastKey = line.slice(0, at);
    current.set(lastKey, line.slice(at + 1).trim());
  }
  flush();
  return records;
}

function required(record: Map<string, string>, key: string, what: string): string {
  const value = record.get(key);
  if (!value) throw new Error(`${what}: a record without ${key} (${[...record.keys()].join(", ")})`);
  return value;
}

/** Installed packages of a dpkg status file (or one status.d file). */
export function parseDpkgStatus(text: string): OsPackage[] {
  const packages: OsPackage[] = [];
  for (const record of paragraphs(text, ": ")) {
    // status.d files have no Status line: every record in them is installed.
    const status = record.get("Status");
    if (status !== undefined && !/\binstalled$/.test(status)) continue;
    const name = required(record, "Package", "dpkg status");
    const source = record.get("Source")?.replace(/\s*\(.*\)$/, "");
    packages.push({
      type: "deb",
      name,
      version: required(record, "Version", `dpkg status, ${name}`),
      arch: required(record, "Architecture", `dpkg status, ${name}`),
      ...(source && source !== name ? { source } : {}),
    });
  }
  return packages;
}

/** Installed packages of apk's database. */
export function parseApkInstalled(text: string): OsPackage[] {
  return paragraphs(text, ":").map((record) => {
    const name = required(record, "P", "apk installed");
    const origin = record.get("o");
    const licence = record.get("L");
    return {
      type: "apk",
      name,
      version: required(record, "V", `apk installed, ${name}`),
      arch: required(record, "A", `apk installed, ${name}`),
      ...(origin && origin !== name ? { source: origin } : {}),
      ...(licence ? { licence } : {}),
    };
  });
}

/** The packages of every database found, by path inside the image (absent databases left out). */
export function osPackagesOf(databases: ReadonlyMap<string, string>): OsPackage[] {
  const found: OsPackage[] = [];
  for (const [path, text] of databases) {
    try {
      if (path === PACKAGE_DATABASES.apk) found.push(...parseApkInstalled(text));
      else if (path === PACKAGE_DATABASES.dpkg || path.startsWith(`${PACKAGE_DATABASES.dpkgDir}/`)) found.push(...parseDpkgStatus(text));
      else throw new Error("not a package database this reads");
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** ID and VERSION_ID of /etc/os-release ("debian-12", "alpine-3.22.1"), for the purls' distro qualifier. */
export function distroOf(osRelease: string | undefined): string | undefined {
  if (!osRelease) return undefined;
  const fields = new Map(
    osRelease
      .split("\n")
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1] ?? "", (match[2] ?? "").replace(/^"(.*)"$/, "$1")]),
  );
  const id = fields.get("ID");
  if (!id) return undefined;
  const version = fields.get("VERSION_ID");
  return version ? `${id}-${version}` : id;
}
