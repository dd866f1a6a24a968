// The docs show commands and tables that users copy: these tests hold them to the code.
import { readFile } from "node:fs/promises";

import { expect } from "chai";

import { promoteArguments } from "../module/src/lib/image-registry.js";
import { readCatalogue } from "../../.ci/images/catalogue.js";
import { serviceNames } from "../module/src/lib/services.js";
import { computeTags } from "../module/src/lib/tags.js";
import { rollbackCommands } from "../../.ci/registry/rollback-doc.js";

const ROOT = new URL("../../", import.meta.url);

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} ... ${end} not found`);
  return text.slice(from + start.length, to);
}

function cells(row: string): string[] {
  return row
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim().replace(/`/g, ""));
}

describe("docs/versioning.md", () => {
  it("shows, for every example, exactly the tags computeTags gives", async () => {
    const doc = await readFile(new URL("docs/versioning.md", ROOT), "utf8");
    const rows = between(doc, "<!-- tag-examples:start -->", "<!-- tag-examples:end -->")
      .split("\n")
      .filter((line) => line.startsWith("|"))
      .slice(2); // header and separator
    expect(rows).to.have.length.greaterThan(5);
    for (const row of rows) {
      const [branch = "", gitTag = "", sha = "", tags = ""] = cells(row);
      const expected = computeTags({ branch, sha, gitTag }).join(", ");
      expect(tags, row).to.equal(expected);
    }
  });
});

describe("docs/rollback.md", () => {
  it("moves every service with the same skopeo copy the promote function runs", async () => {
    const commands = rollbackCommands(await readFile(new URL("docs/rollback.md", ROOT), "utf8"));
    const copyLine = commands.replace(/\s*\\\n\s*/g, " ");
    const core = promoteArguments("r/x", "sha-0123456", "latest").slice(0, 3).join(" ");
    expect(core).to.equal("copy --all --preserve-digests");
    expect(copyLine).to.include(`skopeo ${core} "docker://$REGISTRY/$service:$GOOD" "docker://$REGISTRY/$service:$MOVE"`);
    expect(copyLine).to.include(`for service in ${serviceNames(readCatalogue()).join(" ")}; do`);
  });
});
