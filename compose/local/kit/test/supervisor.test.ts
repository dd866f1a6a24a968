import { expect } from "chai";
import { ExitedEarly, Supervised, jsonLines } from "../supervisor.ts";

const node = (script: string, name = "child"): Supervised => new Supervised({ name, command: process.execPath, args: ["-e", script] });

describe("kit: Supervised", () => {
  it("keeps its lines and JSON lines, waits for a line and stops it with a signal", async () => {
    const child = node(`console.log('{"msg":"serving","port":1}'); console.error("plain"); setInterval(() => {}, 1000)`).start();
    try {
      const port = await child.waitFor((line) => jsonLines([line])[0]?.port as number | undefined, { timeoutMs: 5_000 });
      expect(port).to.equal(1);
      await child.waitFor((line) => line === "plain", { timeoutMs: 5_000 });
      expect(child.logs()).to.deep.equal([{ msg: "serving", port: 1 }]);
      expect(child.running).to.equal(true);
    } finally {
      expect(await child.stop("SIGTERM")).to.deep.equal({ code: null, signal: "SIGTERM" });
    }
    expect(child.running).to.equal(false);
  });

  it("fails a wait at once with ExitedEarly when the process ends", async () => {
    const child = node(`console.log("bye"); process.exit(3)`, "quitter").start();
    const error = await child.waitFor((line) => line === "never", { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ExitedEarly);
    expect((error as ExitedEarly).exit.code).to.equal(3);
    expect((error as Error).message).to.equal("quitter exited early (code 3, signal null):\nbye");
  });

  it("kills with SIGKILL what outlives the grace, and starts again", async () => {
    const child = node(`process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)`).start();
    await child.waitFor((line) => line === "up", { timeoutMs: 5_000 });
    expect(await child.stop("SIGTERM", 200)).to.deep.equal({ code: null, signal: "SIGKILL" });
    child.start();
    await child.waitFor((line) => child.lines.filter((l) => l === "up").length === 2 && line === "up", { timeoutMs: 5_000 });
    await child.stop("SIGKILL");
  });
});
