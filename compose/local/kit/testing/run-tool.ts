// Runs the real tools the tests rely on (promtool, amtool, prometheus) with a
// deadline. A missing tool fails the test with the Debian package to install, never skips it.
import { CommandError, runCommand } from "../command.ts";

/**
 * The Debian package that brings each tool the tests call. The check container installs exactly
 * these (.ci/check/Dockerfile; dagger/test/check-container.test.ts holds the two together).
 */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  promtool: "prometheus",
  prometheus: "prometheus",
  amtool: "prometheus-alertmanager",
  "prometheus-alertmanager": "prometheus-alertmanager",
  // The curl examples of docs/services/app-node.md (services/app-node/test/docs.test.ts).
  curl: "curl",
  // Certificates for the TLS tests.
  openssl: "openssl",
  // dagger/release/test/breaking.test.ts makes a repository of its own.
  git: "git",
};

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function missingToolMessage(command: string): string {
  const pkg = TOOL_PACKAGES[command];
  return `${command} is not installed${pkg ? `: apt-get install ${pkg}` : ""}`;
}

/** Resolves with the exit code and output whatever the code; rejects only when the tool cannot run (the kit's runCommand). */
export async function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    const result = await runCommand(command, args, { cwd: options.cwd, env: options.env, timeoutMs, allowFailure: true });
    return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    if (error instanceof CommandError && error.failure === "missing") throw new Error(missingToolMessage(command), { cause: error });
    if (error instanceof CommandError && error.failure === "timeout") throw new Error(`${command} ${args.join(" ")} did not finish within ${timeoutMs} ms`, { cause: error });
    throw error;
  }
}

/** Like runTool, but a non-zero exit is an error that shows the tool's output. */
export async function runToolOk(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const result = await runTool(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.code}\n${result.stdout}${result.stderr}`);
  }
  return result;
}
