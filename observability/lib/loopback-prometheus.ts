// Turns the compose stack's prometheus.yml into one for processes on loopback: the same jobs,
// labels and relabeling, with service discovery replaced by the loopback addresses given, so a
// local Prometheus scrapes the system the way the compose one does.
import { parse, stringify } from "yaml";

interface ScrapeConfig {
  job_name: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  dns_sd_configs?: unknown[];
  [key: string]: unknown;
}

interface PrometheusConfig {
  global?: Record<string, unknown>;
  scrape_configs: ScrapeConfig[];
  [key: string]: unknown;
}

/**
 * The compose stack's jobs whose service has no process on this machine (no Loki, Alloy, Tempo
 * or Grafana package here): the live test leaves them out. ServiceDown covers them in the stack.
 */
export const JOBS_NOT_RUN_ON_LOOPBACK: readonly string[] = ["loki", "alloy", "tempo", "grafana"];

export interface LoopbackOptions {
  /** host:port of each job's targets; every job of the file must be given here or in `notRunHere`, and no other. */
  targets: Readonly<Record<string, readonly string[]>>;
  /** Jobs whose service does not run in this test (Loki, Alloy, Grafana here): left out of the configuration. */
  notRunHere?: readonly string[];
  /** Absolute paths of the rule files to load. */
  ruleFiles: readonly string[];
  /** host:port of an Alertmanager, if alerts are to be sent. */
  alertmanager?: string;
  scrapeInterval: string;
  evaluationInterval: string;
}

export function loopbackPrometheusConfig(composeConfigText: string, options: LoopbackOptions): string {
  const config = parse(composeConfigText) as PrometheusConfig;
  const jobs = config.scrape_configs.map((job) => job.job_name);
  const notRunHere = options.notRunHere ?? [];
  const unknown = [...Object.keys(options.targets), ...notRunHere].filter((job) => !jobs.includes(job));
  if (unknown.length > 0) throw new Error(`no such job in prometheus.yml: ${unknown.join(", ")}`);
  const both = notRunHere.filter((job) => job in options.targets);
  if (both.length > 0) throw new Error(`jobs both given targets and not run here: ${both.join(", ")}`);

  const scrapeConfigs = config.scrape_configs.filter((job) => !notRunHere.includes(job.job_name)).map((job): ScrapeConfig => {
    const targets = options.targets[job.job_name];
    if (!targets || targets.length === 0) throw new Error(`no loopback targets for job ${job.job_name}`);
    // A static job keeps its labels (service); a discovered one gets them from its relabeling.
    const labels = Object.assign({}, ...(job.static_configs ?? []).map((s) => s.labels ?? {})) as Record<string, string>;
    const { dns_sd_configs: _discovered, static_configs: _static, ...rest } = job;
    return { ...rest, static_configs: [{ targets: [...targets], labels }] };
  });

  const result: PrometheusConfig = {
    ...config,
    global: { ...config.global, scrape_interval: options.scrapeInterval, scrape_timeout: options.scrapeInterval, evaluation_interval: options.evaluationInterval },
    rule_files: [...options.ruleFiles],
    scrape_configs: scrapeConfigs,
  };
  // The compose stack's storage settings (Prometheus 3) are not for a local run, nor for Debian's 2.42.
  delete result.storage;
  if (options.alertmanager) result.alerting = { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] };
  else delete result.alerting;
  return stringify(result);
}
