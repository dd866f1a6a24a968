// `npm start`'s runner as a user meets it: one process that starts everything, prints where the
// API is and which tokens to use, keeps the data in its folder, and stops cleanly on Ctrl-C.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Supervised } from "../../../compose/local/kit/supervisor.js";
import { REPO_ROOT, freePortBase } from "../../../compose/local/system.js";

interface Run {
  readyLine: string;
  output: () => string;
  interrupt: () => Promise<number | null>;
}

/** Starts `node compose/local/system.ts` (the kit's Supervised) and waits for its ready line. */
async function startRunner(portBase: number, dataDir: string, env: Record<string, string> = {}): Promise<Run> {
  const runner = new Supervised({
    name: "the runner",
    command: process.execPath,
    args: ["compose/local/system.ts", "--port-base", String(portBase), "--data-dir", dataDir],
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
  }).start();
  const readyLine = await runner.waitFor((line) => line.startsWith("bookstore: ready") && line, { timeoutMs: 20_000, what: "the ready line" }).catch(async (error: unknown) => {
    await runner.stop("SIGKILL");
    throw new Error(`${(error as Error).message}\n${runner.output()}`, { cause: error });
  });
  return {
    readyLine,
    output: () => runner.output(),
    interrupt: async () => (await runner.stop("SIGINT", 30_000)).code,
  };
}

describe("npm start (compose/local/system.ts)", function () {
  this.timeout(90_000);
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "bookstore-start-"));
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints the API address and the tokens, keeps data across runs, and stops everything on Ctrl-C", async () => {
    const portBase = await freePortBase();
    const api = `http://127.0.0.1:${portBase}`;
    const first = await startRunner(portBase, dataDir);
    expect(first.readyLine).to.match(
      new RegExp(`^bookstore: ready in \\d+\\.\\d s\\. API: ${api} \\(Authorization: Bearer dev-librarian as librarian, Bearer dev-member as member: the development tokens, set API_TOKENS for others\\); data in .+; Ctrl-C stops everything\\.$`),
    );
    // The services' logs come through, one line each, labelled (read from pipes: allow a moment).
    for (let i = 0; i < 40 && !/ rack-2 +INFO: serving /.test(first.output()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.output()).to.match(/ rack-2 +INFO: serving /);

    const created = await fetch(`${api}/v1/books`, {
      method: "POST",
      headers: { authorization: "Bearer dev-librarian", "content-type": "application/json" },
      body: JSON.stringify({ title: "Kept", author: "Across Runs" }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(created.status).to.equal(201);
    const { id } = (await created.json()) as { id: string };

    expect(await first.interrupt()).to.equal(0);
    expect(first.output()).to.include("bookstore: stopped");
    expect(first.output()).not.to.include("ended with code");
    for (const port of [portBase, portBase + 2, portBase + 4, portBase + 6, portBase + 8, portBase + 10]) {
      const refused = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        () => false,
        () => true,
      );
      expect(refused, `port ${port} closed`).to.equal(true);
    }

    const second = await startRunner(portBase, dataDir);
    const again = await fetch(`${api}/v1/books/${id}`, { headers: { authorization: "Bearer dev-member" }, signal: AbortSignal.timeout(5_000) });
    expect(again.status).to.equal(200);
    expect(await second.interrupt()).to.equal(0);
  });

  it("uses the API_TOKENS of the environment instead of the development tokens, and never prints them", async () => {
    const portBase = await freePortBase();
    const api = `http://127.0.0.1:${portBase}`;
    const librarian = "op-librarian-6f1c2a";
    const member = "op-member-93d0be";
    const run = await startRunner(portBase, dataDir, { API_TOKENS: `${librarian}:librarian:ops,${member}:member:ann` });
    try {
      expect(run.readyLine).to.match(new RegExp(`^bookstore: ready in \\d+\\.\\d s\\. API: ${api} \\(Authorization: Bearer <a token of API_TOKENS>, 2 from the environment\\); data in .+; Ctrl-C stops everything\\.$`));
      expect(run.output()).not.to.include(librarian);
      expect(run.output()).not.to.include(member);
      const post = (token: string) =>
        fetch(`${api}/v1/books`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ title: "Operated", author: "By Tokens" }),
          signal: AbortSignal.timeout(5_000),
        });
      expect((await post(librarian)).status).to.equal(201);
      expect((await post("dev-librarian")).status).to.equal(401);
    } finally {
      expect(await run.interrupt()).to.equal(0);
    }
    expect(run.output()).not.to.include(librarian);
  });
});
