// Where the files under test live, from the repository root.
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const repoPath = (relative: string): string => `${REPO_ROOT}${relative}`;

export const COMPOSE_FILE = repoPath("compose/docker-compose.yml");
export const ENV_EXAMPLE = repoPath("compose/.env.example");
export const PROMETHEUS_CONFIG = repoPath("observability/prometheus/prometheus.yml");
export const RULES_DIR = repoPath("observability/prometheus/rules");
export const RULES_FILE = repoPath("observability/prometheus/rules/bookstore.rules.yml");
export const RULES_TEST_FILE = repoPath("observability/prometheus/tests/bookstore.rules.test.yml");
export const ALERTMANAGER_CONFIG = repoPath("observability/alertmanager/alertmanager.yml");
export const GRAFANA_DATASOURCES = repoPath("observability/grafana/provisioning/datasources/datasources.yml");
export const GRAFANA_DASHBOARD_PROVIDERS = repoPath("observability/grafana/provisioning/dashboards/dashboards.yml");
export const ALLOY_CONFIG = repoPath("observability/alloy/config.alloy");
export const LOKI_CONFIG = repoPath("observability/loki/loki.yml");
export const MONITORING_DOC = repoPath("docs/monitoring.md");
