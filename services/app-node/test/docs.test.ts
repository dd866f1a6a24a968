// The curl examples of docs/services/app-node.md, run as a reader would run them (in order, in one
// shell) against the system `npm start` runs, on other ports; each answer must match the output the
// docs show, up to ids, times, tokens and addresses.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT, type RunningSystem, freePortBase, startSystem } from "../../../compose/local/system.js";

interface Example {
  command: string;
  /** The output block that follows the command in the docs, if any. */
  expected?: { lang: string; text: string };
}

/** The sh blocks of the endpoints section, each with the json or text block that follows it. */
function examplesOf(markdown: string): Example[] {
  const section = markdown.slice(markdown.indexOf("## The endpoints"));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] as string, text: m[2] as string, end: (m.index ?? 0) + m[0].length, start: m.index ?? 0 }));
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "sh") return;
    const next = blocks[i + 1];
    const adjacent = next && next.lang !== "sh" && section.slice(block.end, next.start).trim() === "";
    examples.push({ command: block.text, expected: adjacent ? { lang: next.lang, text: next.text } : undefined });
  });
  return examples;
}

/** Text with the parts that differ from run to run replaced by placeholders. */
function normalize(text: string): string {
  return text
    .replace(/rack-\d\.[0-9a-f-]{36}/g, "<book-id>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
    .replace(/127\.0\.0\.1:\d+/g, "<address>")
    .replace(/"nextPageToken":\s*"[A-Za-z0-9_-]+"/g, '"nextPageToken":"<token>"')
    .replace(/\b(base-none|book-rack-\d|thing-rack-[0-9a-f]{8})-[0-9a-f]{8}\b/g, "<worker-id>")
    .replace(/\brack-[0-9a-f]{8}\b/g, "<thing-rack>");
}

describe("the curl examples of docs/services/app-node.md", function () {
  this.timeout(60_000);
  let system: RunningSystem;
  let work: string;

  before(async function () {
    this.timeout(60_000);
    work = mkdtempSync(join(tmpdir(), "bookstore-docs-"));
    system = await startSystem({ portBase: await freePortBase(), dataDir: join(work, "data"), env: { LOG_LEVEL: "warn" } });
  });

  after(async function () {
    this.timeout(60_000);
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("answer what the docs show", () => {
    const examples = examplesOf(readFileSync(join(REPO_ROOT, "docs/services/app-node.md"), "utf8"));
    expect(examples.length).to.be.greaterThan(15);
    // One shell for all of them, in order, as a reader pastes them: `ID=...` carries over.
    const script = ["set -u"];
    examples.forEach((example, i) => {
      const command = example.command.replaceAll("http://127.0.0.1:3000", system.apiUrl);
      script.push(`{\n${command}\n} > ${join(work, `${i}.out`)} 2>&1; echo $? > ${join(work, `${i}.rc`)}`);
    });
    writeFileSync(join(work, "examples.sh"), script.join("\n"));
    execFileSync("bash", [join(work, "examples.sh")], { cwd: REPO_ROOT, timeout: 30_000 });

    examples.forEach((example, i) => {
      const output = readFileSync(join(work, `${i}.out`), "utf8");
      const where = `example ${i + 1}:\n${example.command}\n→ ${output}`;
      expect(readFileSync(join(work, `${i}.rc`), "utf8").trim(), where).to.equal("0");
      if (!example.expected) {
        expect(() => JSON.parse(output) as unknown, where).not.to.throw();
        return;
      }
      if (example.expected.lang === "json") {
        expect(normalize(JSON.stringify(JSON.parse(output))), where).to.equal(normalize(JSON.stringify(JSON.parse(example.expected.text))));
      } else {
        expect(normalize(output.trim()), where).to.equal(normalize(example.expected.text.trim()));
      }
    });
  });
});
