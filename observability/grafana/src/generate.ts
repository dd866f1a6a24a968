// Writes the dashboards' JSON into observability/grafana/dashboards and the promtool tests of
// their panels into observability/prometheus/tests/panels.test.yml (`npm run dashboards`), or,
// with --check, only says whether the committed files are current (exit 1 when stale).
import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderDashboards } from "./index.js";
import { renderPanelTests } from "./panel-tests.js";

export const DASHBOARDS_DIR = fileURLToPath(new URL("../dashboards/", import.meta.url));
/** The promtool tests of the panels' answers, beside the rules' own tests. */
export const PANEL_TESTS_FILE = fileURLToPath(new URL("../../prometheus/tests/panels.test.yml", import.meta.url));

function panelTestsText(): string {
  return renderPanelTests(renderDashboards().map((r) => r.dashboard));
}

/** Names of the files that differ from what the source renders, are missing, or are left over. */
export async function staleDashboardFiles(dir = DASHBOARDS_DIR): Promise<string[]> {
  const rendered = renderDashboards();
  const stale: string[] = [];
  for (const { fileName, json } of rendered) {
    const onDisk = await readFile(`${dir}${fileName}`, "utf8").catch(() => undefined);
    if (onDisk !== json) stale.push(fileName);
  }
  const expected = new Set(rendered.map((r) => r.fileName));
  for (const name of await readdir(dir)) if (name.endsWith(".json") && !expected.has(name)) stale.push(name);
  if (dir === DASHBOARDS_DIR && (await readFile(PANEL_TESTS_FILE, "utf8").catch(() => undefined)) !== panelTestsText()) stale.push("panels.test.yml");
  return stale;
}

async function write(dir = DASHBOARDS_DIR): Promise<void> {
  const rendered = renderDashboards();
  const expected = new Set(rendered.map((r) => r.fileName));
  for (const name of await readdir(dir)) if (name.endsWith(".json") && !expected.has(name)) await unlink(`${dir}${name}`);
  for (const { fileName, json } of rendered) await writeFile(`${dir}${fileName}`, json);
  await writeFile(PANEL_TESTS_FILE, panelTestsText());
  console.log(`wrote ${rendered.length} dashboards to ${dir}, and ${PANEL_TESTS_FILE}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const stale = await staleDashboardFiles();
    if (stale.length > 0) {
      console.error(`stale dashboards: ${stale.join(", ")}; run npm run dashboards`);
      process.exit(1);
    }
    console.log("dashboards are current");
  } else {
    await write();
  }
}
