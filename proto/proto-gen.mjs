// Generates TypeScript types for the wire contracts in bookstore/ (npm run proto:gen) into
// src/generated/ (git-ignored), plus an index that re-exports every type under its own name, and
// the file descriptors that server reflection serves (descriptor-set-gen.mjs).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDescriptorSet } from "./descriptor-set-gen.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = fileURLToPath(new URL("src/generated", import.meta.url));
// Every contract under proto/bookstore/<name>/v1/<name>.proto, found on disk: a new worker's
// contract is compiled without an edit here.
const bookstore = join(root, "proto", "bookstore");
const contracts = readdirSync(bookstore, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(bookstore, entry.name, "v1", `${entry.name}.proto`)))
  .map((entry) => `bookstore/${entry.name}/v1/${entry.name}.proto`)
  .sort();

rmSync(out, { recursive: true, force: true });
// The flags must match LOADER_OPTIONS in src/protos.ts.
execFileSync(
  process.execPath,
  [
    join(root, "node_modules/@grpc/proto-loader/build/bin/proto-loader-gen-types.js"),
    "--grpcLib=@grpc/grpc-js", "--longs=Number", "--enums=String", "--defaults", "--oneofs",
    "--includeComments", "--importFileExtension=.js", "-I", join(root, "proto"), "-O", out, ...contracts,
  ],
  { stdio: "inherit" },
);

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (dir !== out && entry.name.endsWith(".ts")) files.push(relative(out, path).replace(/\.ts$/, ".js"));
  }
};
walk(out);
files.sort();
writeFileSync(join(out, "index.ts"), files.map((file) => `export type * from "./${file}";\n`).join(""));
generateDescriptorSet(root, out);
