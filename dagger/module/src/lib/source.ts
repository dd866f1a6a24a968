// What of the repository is sent to the engine as the `source` directory.
//
// The engine filters a contextual directory by its `ignore` list only, never by .gitignore: each
// git-ignored file that matters must be listed here too. Plain data without the Dagger SDK, so
// that `.ci/check/run-checks.ts` copies the checkout for the check container by the same list.

import { matchesGlob } from "node:path";

/**
 * Never sent: dependencies, build output, local caches, generated code, logs, and settings files
 * that hold a developer's credentials (compose/.env); only their committed `.env.example` goes.
 */
export const SOURCE_IGNORE = [
  "**/node_modules",
  "**/dist",
  "**/*.tsbuildinfo",
  "**/.data",
  "**/coverage",
  "**/*.log",
  "**/.env",
  "**/.env.*",
  "!**/.env.example",
  "proto/src/generated",
  // where the generated types were before proto/ held them (a checkout from then still has them)
  "services/wrk-base/src/generated",
  ".git",
  ".ci/.cache",
  "dagger/module/sdk",
];

/**
 * Whether a path (relative to the repository root, with `/`) is left out by `patterns`, read the
 * way the engine reads them (.dockerignore rules): the last matching pattern decides, `!` keeps a
 * path back in, and a left-out folder leaves out everything under it.
 */
export function isIgnored(path: string, patterns: readonly string[] = SOURCE_IGNORE): boolean {
  const parts = path.split("/");
  let ignored = false;
  for (const pattern of patterns) {
    const keep = pattern.startsWith("!");
    const glob = keep ? pattern.slice(1) : pattern;
    // A pattern matches the path itself or one of the folders it lies in.
    const matches = parts.some((_, i) => matchesGlob(parts.slice(0, i + 1).join("/"), glob));
    if (matches) ignored = !keep;
  }
  return ignored;
}
