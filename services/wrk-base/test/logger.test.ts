// The log lines: secrets never reach one, whatever level of a line's fields they travel in, and
// lines written to stdout arrive whole, by the end of their event-loop turn, and before the process exits.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { expect } from "chai";
import { createLogger } from "../src/logger.js";

function capture(): { lines: Array<Record<string, unknown>>; destination: { write(line: string): void; flush(): void } } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), flush: () => undefined } };
}

/**
 * Runs `script` (a module) in a child Node and reads its stdout: the exit code, the `n` of every
 * line, and how long before the exit the line with `"n":<awaited>` came out.
 */
async function runLogging(script: string, awaited: number): Promise<{ code: number | null; numbers: number[]; msBeforeExit: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"], timeout: 20_000 });
  let output = "";
  let awaitedAt: number | undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    if (output.includes(`"n":${awaited},`)) awaitedAt ??= Date.now();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const numbers = output.trim().split("\n").map((line) => (JSON.parse(line) as { n: number }).n);
  return { code, numbers, msBeforeExit: Date.now() - (awaitedAt ?? Date.now()) };
}

describe("log lines", () => {
  it("censor authorization and token on the line and one level down, without touching the logged objects", () => {
    const { lines, destination } = capture();
    const log = createLogger("test", "info", destination);
    const metadata = { authorization: "Bearer s3cret", other: "kept" };
    const settings = { token: "t0ken", port: 3000 };
    log.info({ authorization: "Bearer top", token: "top-token", metadata, settings, count: 2, list: ["a"] }, "line");
    expect(lines[0]).to.include({ authorization: "[redacted]", token: "[redacted]", count: 2, msg: "line" });
    expect(lines[0]?.metadata).to.deep.equal({ authorization: "[redacted]", other: "kept" });
    expect(lines[0]?.settings).to.deep.equal({ token: "[redacted]", port: 3000 });
    expect(metadata.authorization).to.equal("Bearer s3cret");
    expect(settings.token).to.equal("t0ken");
  });

  it("censor a child logger's bindings, and keep an error's message and stack", () => {
    const { lines, destination } = capture();
    const child = createLogger("test", "info", destination).child({ token: "bound", requestId: "r1" });
    const error = Object.assign(new Error("boom"), { authorization: "Bearer e" });
    child.error({ err: error }, "failed");
    expect(lines[0]).to.include({ token: "[redacted]", requestId: "r1" });
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err).to.include({ message: "boom", authorization: "[redacted]", type: "Error" });
    expect(String(err.stack)).to.match(/^Error: boom/);
  });

  it("write an idle process's line at once, and every line by the time the process exits", async () => {
    // The first line must come out while the process idles (at the end of its turn, not at its exit 2 s later).
    const script = `
      import { createLogger } from ${JSON.stringify(new URL("../src/logger.ts", import.meta.url).href)};
      const log = createLogger("exit-test", "info");
      log.info({ n: 0 }, "first");
      setTimeout(() => { for (let n = 1; n <= 500; n++) log.info({ n }, "more"); process.exit(0); }, 2_000);
    `;
    const { code, numbers, msBeforeExit } = await runLogging(script, 0);
    expect(code).to.equal(0);
    expect(msBeforeExit, "the first line came out only at exit").to.be.greaterThan(1_000);
    expect(numbers).to.deep.equal(Array.from({ length: 501 }, (_, n) => n));
  });

  it("write every line of a burst while the process idles after it, the tail after a write included", async () => {
    // More than the gathered size in one turn: writes go out while lines still come, and the tail
    // must follow at once, not wait for the exit 2 s later (with sonic-boom's own minLength this
    // burst left its last 4 KB behind until the exit).
    const script = `
      import { bufferedStdout } from ${JSON.stringify(new URL("../src/log-destination.ts", import.meta.url).href)};
      const stdout = bufferedStdout();
      for (let n = 0; n < 200; n++) stdout.write(JSON.stringify({ n, padding: "x".repeat(100) }) + "\\n");
      setTimeout(() => process.exit(0), 2_000);
    `;
    const { code, numbers, msBeforeExit } = await runLogging(script, 199);
    expect(code).to.equal(0);
    expect(msBeforeExit, "the burst's last line came out only at exit").to.be.greaterThan(1_000);
    expect(numbers).to.deep.equal(Array.from({ length: 200 }, (_, n) => n));
  });
});
