// What the module sends to the engine as `source`, and how `scan` runs Trivy.
import { readFile } from "node:fs/promises";

import { expect } from "chai";

import {
  DB_CACHE_DIR,
  downloadDbArgs,
  FINDINGS_EXIT_CODE,
  SCAN_CACHE_DIR,
  SCAN_OUTPUT_DIR,
  sbomArgs,
  scanFiles,
  scanOutcome,
  vulnerabilityArgs,
} from "../module/src/lib/scan.js";
import { isIgnored } from "../module/src/lib/source.js";

const ROOT = new URL("../../", import.meta.url);

describe("the source sent to the engine", () => {
  it("leaves out settings with credentials, generated code and logs, but keeps the examples", () => {
    for (const path of ["compose/.env", ".env", "compose/.env.local", "proto/src/generated", "proto/src/generated/a.ts", "npm-debug.log", "services/app-node/node_modules/x/index.js", ".git/HEAD"]) {
      expect(isIgnored(path), path).to.equal(true);
    }
    for (const path of ["compose/.env.example", "compose/docker-compose.yml", "services/wrk-base/src/main.ts", ".github/workflows/ci.yml", "dagger.json"]) {
      expect(isIgnored(path), path).to.equal(false);
    }
  });

  it("leaves out everything .gitignore leaves out (the engine does not read .gitignore)", async () => {
    const lines = (await readFile(new URL(".gitignore", ROOT), "utf8")).split("\n").map((l) => l.trim());
    const patterns = lines.filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("!"));
    expect(patterns).to.include(".env");
    for (const pattern of patterns) {
      const sample = pattern.replace(/\/$/, "").replaceAll("*", "x");
      expect(isIgnored(sample), pattern).to.equal(true);
      // Unanchored patterns apply in every folder.
      if (!pattern.replace(/\/$/, "").includes("/")) expect(isIgnored(`services/app-node/${sample}`), pattern).to.equal(true);
    }
  });
});

describe("scan's Trivy commands", () => {
  it("download the database once, into the shared cache", () => {
    const args = downloadDbArgs();
    expect(args).to.include("--download-db-only");
    expect(args[args.indexOf("--cache-dir") + 1]).to.equal(DB_CACHE_DIR);
    expect(args).not.to.include("--skip-db-update");
  });

  it("scan offline on a private cache, writing into the folder the module creates", () => {
    const files = scanFiles("wrk-book");
    for (const args of [sbomArgs("/scan/image.tar", files.sbom), vulnerabilityArgs("/scan/image.tar", files.report)]) {
      expect(args).to.include("--skip-db-update");
      expect(args[args.indexOf("--cache-dir") + 1]).to.equal(SCAN_CACHE_DIR);
      expect(args[args.indexOf("--output") + 1]).to.match(new RegExp(`^${SCAN_OUTPUT_DIR}/wrk-book\\.`));
    }
  });

  it("tell findings from a failing Trivy, which exits with 1", () => {
    const args = vulnerabilityArgs("/scan/image.tar", "x.txt");
    expect(args[args.indexOf("--exit-code") + 1]).to.equal(String(FINDINGS_EXIT_CODE));
    expect(FINDINGS_EXIT_CODE).not.to.be.oneOf([0, 1]);
    expect(scanOutcome(0)).to.equal("clean");
    expect(scanOutcome(FINDINGS_EXIT_CODE)).to.equal("findings");
    expect(scanOutcome(1)).to.equal("failed");
    expect(scanOutcome(2)).to.equal("failed");
  });
});
