// Runs lint, type-check and the tests inside the check container, as `dagger call check` does
// under an engine, with podman instead: the same recipe (.ci/check/Dockerfile, on a Debian
// stand-in for its node:<version>-bookworm-slim base, made by make-base.sh --debian), the same
// source (the checkout filtered by the module's SOURCE_IGNORE), the same install and commands
// (dagger/module/src/lib/toolchain.ts). A tool the tests call but the recipe lacks fails here too.
//
// Usage: npm run check:container [-- lint typecheck test]   (default: all three, in that order)

import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

import { isIgnored } from "../../dagger/module/src/lib/source.js";
import { CHECK_COMMANDS, CHECK_DOCKERFILE, WORKSPACE_INSTALL, type CheckName } from "../../dagger/module/src/lib/toolchain.js";
import { hostCaCerts } from "../images/build.js";
import { hostArch, podman, REPO_ROOT, run } from "../images/podman.js";

const CHECK_IMAGE = "localhost/bookstore/check:latest";
const MINUTE = 60_000;

function shellQuote(word: string): string {
  return /^[\w./=@:-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function chosenChecks(args: readonly string[]): CheckName[] {
  const known = Object.keys(CHECK_COMMANDS) as CheckName[];
  const unknown = args.filter((arg) => !(known as string[]).includes(arg));
  if (unknown.length > 0) throw new Error(`unknown check ${unknown.join(", ")}: expected some of ${known.join(", ")}`);
  return args.length === 0 ? known : (args as CheckName[]);
}

async function main(): Promise<void> {
  const checks = chosenChecks(process.argv.slice(2));
  const arch = hostArch();
  const started = performance.now();
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  await run("bash", [join(REPO_ROOT, ".ci/images/make-base.sh"), "--debian", arch], { timeoutMs: 20 * MINUTE, echo: true });
  const empty = mkdtempSync(join(tmpdir(), "bookstore-check-context-"));
  try {
    await podman(
      [
        "build", "--isolation=chroot", "--layers", "--quiet",
        `--build-arg=NODE_CHECK_IMAGE=localhost/bookstore/node-debian:24-${arch}`,
        "-f", join(REPO_ROOT, CHECK_DOCKERFILE), "-t", CHECK_IMAGE, empty,
      ],
      { timeoutMs: 20 * MINUTE },
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  console.log(`check container: ${CHECK_IMAGE} built from ${CHECK_DOCKERFILE} (${elapsed()})`);

  // The source as the engine receives it: a copy without what SOURCE_IGNORE leaves out.
  const work = mkdtempSync(join(tmpdir(), "bookstore-check-"));
  const source = join(work, "src");
  cpSync(REPO_ROOT, source, {
    recursive: true,
    filter: (path) => path === REPO_ROOT || !isIgnored(relative(REPO_ROOT, path).split(sep).join("/")),
  });
  const npmCache = join(REPO_ROOT, ".ci/.cache/npm");
  mkdirSync(npmCache, { recursive: true });

  const script = ["set -e", `echo "==> ${WORKSPACE_INSTALL.join(" ")}"`, WORKSPACE_INSTALL.map(shellQuote).join(" ")];
  for (const name of checks) {
    const command = CHECK_COMMANDS[name].map(shellQuote).join(" ");
    script.push(`echo "==> ${name}: ${command}"`, command);
  }
  // Behind a TLS-inspecting proxy npm needs the CA the host trusts (harmless without one).
  const caCerts = hostCaCerts();
  const trust = caCerts ? ["--volume", `${caCerts}:/run/host-ca.crt:ro`, "--env", "NODE_EXTRA_CA_CERTS=/run/host-ca.crt"] : [];
  try {
    await podman(
      ["run", "--rm", ...trust, "--volume", `${source}:/src`, "--volume", `${npmCache}:/root/.npm`, "--workdir", "/src", CHECK_IMAGE, "bash", "-c", script.join("\n")],
      { timeoutMs: 60 * MINUTE, echo: true },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`check container: ${checks.join(", ")} passed (${elapsed()})`);
}

try {
  await main();
} catch (error) {
  console.error(`check container: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
