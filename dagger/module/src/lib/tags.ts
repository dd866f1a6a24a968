// The image tags of a build, from the branch, the commit and an optional version tag:
//   main -> latest, dev -> development, any other branch -> alpha-<7-char sha>
//   always the immutable sha-<7-char sha>
//   a version tag v1.2.3 -> 1.2.3, 1.2, 1 (a pre-release such as v1.2.3-rc.1 -> only 1.2.3-rc.1)
// Immutable tags come first: publish pushes them before it moves any tag that users follow.

export const MAX_TAG_LENGTH = 128;
export const SHORT_SHA_LENGTH = 7;

const BRANCH_TAGS: Readonly<Record<string, string>> = {
  main: "latest",
  dev: "development",
};

export interface TagRequest {
  /** Branch name (`main`, `dev`, `feature/x`) or `refs/heads/<name>`; empty for a tag-only build. */
  readonly branch: string;
  /** The commit: 7 to 40 hexadecimal characters. */
  readonly sha: string;
  /** A version tag such as `v1.2.3`; empty when the build is not a release. */
  readonly gitTag?: string;
}

export interface SemanticVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string | null;
  readonly build: string | null;
}

/** The first 7 characters of a commit id, lower case; a clear error for anything but hex. */
export function shortSha(sha: string): string {
  const value = sha.trim().toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(value)) {
    throw new Error(`not a commit id: ${JSON.stringify(sha)} (expected 7 to 40 hexadecimal characters)`);
  }
  return value.slice(0, SHORT_SHA_LENGTH);
}

/**
 * Makes any text a valid image tag: only `[A-Za-z0-9_.-]`, not starting with `.` or `-`, at most
 * 128 characters. Other characters become `-` (so `1.0.0+build.5` becomes `1.0.0-build.5`).
 */
export function toValidTag(raw: string): string {
  const replaced = raw.trim().replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[.-]+/, "");
  const tag = replaced.slice(0, MAX_TAG_LENGTH);
  if (tag === "") {
    throw new Error(`cannot make an image tag from ${JSON.stringify(raw)}`);
  }
  return tag;
}

export function isValidTag(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

const NUMERIC = "0|[1-9][0-9]*";
const IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
const SEMVER_TAG = new RegExp(`^v?(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?$`);

/** Parses `v1.2.3`, `1.2.3`, `v1.2.3-rc.1`, `v1.2.3+build.5`; null for anything else. */
export function parseVersionTag(gitTag: string): SemanticVersion | null {
  const value = gitTag.trim().replace(/^refs\/tags\//, "");
  const match = SEMVER_TAG.exec(value);
  if (!match) return null;
  const [, major, minor, patch, prerelease, build] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: prerelease ?? null,
    build: build ?? null,
  };
}

/** `refs/heads/feature/x` -> `feature/x`. */
export function normalizeBranch(branch: string): string {
  const value = branch.trim();
  if (value.startsWith("refs/tags/")) {
    throw new Error(`${value} is a tag, not a branch: pass it as the version tag (--git-tag)`);
  }
  return value.replace(/^refs\/heads\//, "");
}

/** The tag a branch moves: latest, development or alpha-<short sha>. */
export function branchTag(branch: string, sha: string): string {
  const name = normalizeBranch(branch);
  if (name === "") throw new Error("the branch name is empty");
  return BRANCH_TAGS[name] ?? `alpha-${shortSha(sha)}`;
}

/** The tags of a version: 1.2.3, 1.2, 1 for a release (0.4.1, 0.4 for a 0.x one); only the full version for a pre-release. */
export function versionTags(gitTag: string): string[] {
  const version = parseVersionTag(gitTag);
  if (!version) {
    throw new Error(`${JSON.stringify(gitTag)} is not a version tag (expected v<major>.<minor>.<patch>, e.g. v1.2.3)`);
  }
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const suffix = `${version.prerelease ? `-${version.prerelease}` : ""}${version.build ? `+${version.build}` : ""}`;
  const full = toValidTag(`${core}${suffix}`);
  if (version.prerelease) return [full];
  // 0.x makes no promise from one minor to the next, so a bare `0` would name incompatible
  // releases (docker/metadata-action leaves it out for the same reason).
  if (Number(version.major) === 0) return [full, `${version.major}.${version.minor}`];
  return [full, `${version.major}.${version.minor}`, `${version.major}`];
}

/** The immutable tag of a commit. */
export function shaTag(sha: string): string {
  return `sha-${shortSha(sha)}`;
}

/**
 * Every tag of one build, immutable ones first, without duplicates, each a valid tag.
 * A branch or a version tag (or both) is required.
 */
export function computeTags(request: TagRequest): string[] {
  const branch = normalizeBranch(request.branch);
  const gitTag = (request.gitTag ?? "").trim();
  if (branch === "" && gitTag === "") {
    throw new Error("a branch or a version tag is required to compute the tags");
  }
  const tags = [shaTag(request.sha)];
  if (gitTag !== "") tags.push(...versionTags(gitTag));
  if (branch !== "") tags.push(branchTag(branch, request.sha));
  return [...new Set(tags.map(toValidTag))];
}

/** True for tags that must never move once pushed: sha-<sha> and full versions. */
export function isImmutableTag(tag: string): boolean {
  return /^sha-[0-9a-f]{7}$/.test(tag) || /^\d+\.\d+\.\d+(?:[-+].*)?$/.test(tag);
}

/** The version label of a build (org.opencontainers.image.version): the version, else the sha tag. */
export function versionLabel(request: TagRequest): string {
  const gitTag = (request.gitTag ?? "").trim();
  if (gitTag !== "") {
    const [full] = versionTags(gitTag);
    if (full !== undefined) return full;
  }
  return shaTag(request.sha);
}
