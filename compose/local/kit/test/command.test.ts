import { expect } from "chai";
import { CommandError, runCommand } from "../command.ts";

describe("kit: runCommand", () => {
  it("runs a command to its end with its input and returns its output", async () => {
    const result = await runCommand("sh", ["-c", "cat; echo err >&2"], { timeoutMs: 5_000, input: "hello\n" });
    expect(result).to.include({ code: 0, signal: null, stdout: "hello\n", stderr: "err\n" });
  });

  it("throws a CommandError with the exit code and the output's tail", async () => {
    const error = (await runCommand("sh", ["-c", "echo step failed; exit 3"], { timeoutMs: 5_000 }).catch((e: unknown) => e)) as CommandError;
    expect(error).to.be.instanceOf(CommandError);
    expect(error.failure).to.equal("exit");
    expect(error.result.code).to.equal(3);
    expect(error.message).to.equal('sh -c echo step failed; exit 3 exited with 3\nstep failed');
    const allowed = await runCommand("sh", ["-c", "exit 4"], { timeoutMs: 5_000, allowFailure: true });
    expect(allowed.code).to.equal(4);
  });

  it("kills the whole process group at the deadline", async () => {
    const started = Date.now();
    // The grandchild (sleep) would keep the pipes open if only the shell were killed.
    const error = (await runCommand("sh", ["-c", "sleep 30 & wait"], { timeoutMs: 200 }).catch((e: unknown) => e)) as CommandError;
    expect(error.failure).to.equal("timeout");
    expect(error.message).to.equal("sh -c sleep 30 & wait did not finish within 200 ms");
    expect(Date.now() - started).to.be.below(5_000);
  });

  it("says when the command is not installed", async () => {
    const missing = "no-such-tool-here";
    const error = (await runCommand(missing, [], { timeoutMs: 1_000 }).catch((e: unknown) => e)) as CommandError;
    expect(error.failure).to.equal("missing");
    expect(error.message).to.equal("no-such-tool-here is not installed");
  });
});
