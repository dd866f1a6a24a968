// Stops an npm script at once, with one line, when Node is not the major version the project needs
// (.nvmrc, the one place it is written): on an older Node, `npm start` and `npm test` would
// otherwise die later with ERR_UNKNOWN_FILE_EXTENSION and a stack trace.
//
// Plain JavaScript that any Node since 12 runs, so it can speak on the Node that is wrong.
// Usage (package.json's prebuild and preverify): node compose/local/require-node.mjs
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The major version .nvmrc asks for ("24", "v24" or "24.1.0" all mean 24). */
export function neededMajor(nvmrc) {
  const match = /^v?(\d+)/.exec(nvmrc.trim());
  if (!match) throw new Error(`.nvmrc: expected a Node version such as 24, got "${nvmrc.trim()}"`);
  return Number(match[1]);
}

/** The one line to print when `found` (process.versions.node) is not of the needed major, else undefined. */
export function nodeVersionProblem(found, needed) {
  if (Number(found.split(".")[0]) === needed) return undefined;
  return (
    `bookstore needs Node ${needed}, found Node ${found}: ` +
    `with nvm or fnm, run "nvm install" or "fnm use --install-if-missing" here (they read .nvmrc); ` +
    `or with nothing installed, run the same command through "npx -y -p node@${needed} -- npm ..." (for example npx -y -p node@${needed} -- npm start)`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const needed = neededMajor(readFileSync(new URL("../../.nvmrc", import.meta.url), "utf8"));
  const problem = nodeVersionProblem(process.versions.node, needed);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
