// The configurations the live test derives from the compose stack's: the same jobs, labels,
// routes and receivers, pointed at loopback, and still accepted by the real tools.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { loopbackAlertmanagerConfig } from "../lib/loopback-alertmanager.js";
import { JOBS_NOT_RUN_ON_LOOPBACK, loopbackPrometheusConfig, type LoopbackOptions } from "../lib/loopback-prometheus.js";
import { alertRules, withFor } from "../lib/rules.js";
import { ALERTMANAGER_CONFIG, PROMETHEUS_CONFIG, RULES_FILE } from "../../compose/local/kit/testing/stack-paths.js";
import { runToolOk } from "../../compose/local/kit/testing/run-tool.js";

interface Job {
  job_name: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  dns_sd_configs?: unknown;
  relabel_configs?: unknown;
}

const TARGETS: LoopbackOptions["targets"] = {
  prometheus: ["127.0.0.1:19090"],
  alertmanager: ["127.0.0.1:19093"],
  "wrk-ork": ["127.0.0.1:19101"],
  "wrk-base": ["127.0.0.1:19103"],
  "tpl-wrk-thing": ["127.0.0.1:19104"],
  "wrk-book": ["127.0.0.1:19102", "127.0.0.1:19105"],
  "app-node": ["127.0.0.1:13000"],
};

describe("loopback configurations for the live test", function () {
  let dir: string;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), "loopback-config-"));
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  describe("Prometheus", function () {
    const options = (targets = TARGETS, notRunHere = JOBS_NOT_RUN_ON_LOOPBACK): LoopbackOptions => ({
      targets,
      notRunHere,
      ruleFiles: [join(dir ?? "", "rules.yml")],
      alertmanager: "127.0.0.1:19093",
      scrapeInterval: "1s",
      evaluationInterval: "1s",
    });

    it("keeps every job but those not run here, its labels and relabeling, with static loopback targets", async function () {
      const file = parse(await readFile(PROMETHEUS_CONFIG, "utf8")) as { scrape_configs: Job[] };
      expect(file.scrape_configs.map((job) => job.job_name)).to.include.members([...JOBS_NOT_RUN_ON_LOOPBACK]);
      const original = { scrape_configs: file.scrape_configs.filter((job) => !JOBS_NOT_RUN_ON_LOOPBACK.includes(job.job_name)) };
      const loopback = parse(loopbackPrometheusConfig(await readFile(PROMETHEUS_CONFIG, "utf8"), options())) as {
        scrape_configs: Job[];
        global: Record<string, string>;
        rule_files: string[];
      };
      expect(loopback.scrape_configs.map((job) => job.job_name)).to.deep.equal(original.scrape_configs.map((job) => job.job_name));
      for (const [index, job] of loopback.scrape_configs.entries()) {
        const before = original.scrape_configs[index];
        expect(job.dns_sd_configs, job.job_name).to.equal(undefined);
        expect(job.relabel_configs, job.job_name).to.deep.equal(before?.relabel_configs);
        expect(job.static_configs?.[0]?.targets, job.job_name).to.deep.equal(TARGETS[job.job_name]);
        expect(job.static_configs?.[0]?.labels, job.job_name).to.deep.equal(before?.static_configs?.[0]?.labels ?? {});
      }
      expect(loopback.global.scrape_interval).to.equal("1s");
      expect(loopback.rule_files).to.deep.equal([join(dir, "rules.yml")]);
    });

    it("is accepted by promtool check config, rules included", async function () {
      await writeFile(join(dir, "rules.yml"), withFor(await readFile(RULES_FILE, "utf8"), "2s"));
      await writeFile(join(dir, "prometheus.yml"), loopbackPrometheusConfig(await readFile(PROMETHEUS_CONFIG, "utf8"), options()));
      const result = await runToolOk("promtool", ["check", "config", join(dir, "prometheus.yml")]);
      const count = alertRules(await readFile(RULES_FILE, "utf8")).length;
      expect(result.stdout).to.contain(`SUCCESS: ${count} rules found`);
    });

    it("refuses a job it has no targets for, and a job the file does not have", async function () {
      const text = await readFile(PROMETHEUS_CONFIG, "utf8");
      const { "wrk-book": _racks, ...withoutRacks } = TARGETS;
      expect(() => loopbackPrometheusConfig(text, options(withoutRacks))).to.throw(/no loopback targets for job wrk-book/);
      expect(() => loopbackPrometheusConfig(text, options({ ...TARGETS, "wrk-bok": ["127.0.0.1:1"] }))).to.throw(/no such job in prometheus.yml: wrk-bok/);
      expect(() => loopbackPrometheusConfig(text, options(TARGETS, []))).to.throw(/no loopback targets for job loki/);
      expect(() => loopbackPrometheusConfig(text, options(TARGETS, ["lokki"]))).to.throw(/no such job in prometheus.yml: lokki/);
      expect(() => loopbackPrometheusConfig(text, options(TARGETS, ["wrk-ork"]))).to.throw(/both given targets and not run here: wrk-ork/);
    });
  });

  describe("Alertmanager", function () {
    it("keeps routes and receivers, sends webhooks to the local server on the same paths, waits a second", async function () {
      const text = await readFile(ALERTMANAGER_CONFIG, "utf8");
      const original = parse(text) as { route: { routes: unknown[] }; receivers: Array<{ name: string }>; inhibit_rules: unknown };
      const loopback = parse(loopbackAlertmanagerConfig(text, "http://127.0.0.1:4567")) as {
        route: { group_wait: string; routes: Array<{ group_wait: string; matchers: string[] }> };
        receivers: Array<{ name: string; webhook_configs: Array<{ url: string }> }>;
        inhibit_rules: unknown;
      };
      expect(loopback.receivers.map((r) => r.name)).to.deep.equal(original.receivers.map((r) => r.name));
      expect(loopback.receivers.flatMap((r) => r.webhook_configs.map((w) => w.url))).to.deep.equal([
        "http://127.0.0.1:4567/team",
        "http://127.0.0.1:4567/oncall",
        "http://127.0.0.1:4567/watchdog",
      ]);
      expect(loopback.route.group_wait).to.equal("1s");
      expect(loopback.route.routes.map((r) => r.group_wait)).to.deep.equal(original.route.routes.map(() => "1s"));
      expect(loopback.inhibit_rules).to.deep.equal(original.inhibit_rules);
      await writeFile(join(dir, "alertmanager.yml"), loopbackAlertmanagerConfig(text, "http://127.0.0.1:4567"));
      await runToolOk("amtool", ["check-config", join(dir, "alertmanager.yml")]);
    });

    it("refuses receivers that are not webhooks", function () {
      const text = "route:\n  receiver: mail\nreceivers:\n  - name: mail\n    email_configs:\n      - to: a@example.org\n";
      expect(() => loopbackAlertmanagerConfig(text, "http://127.0.0.1:1")).to.throw(/receiver mail: only webhooks/);
    });
  });
});
