// Every dashboard of the stack, and their JSON as Grafana loads it from
// observability/grafana/dashboards (written by generate.ts, compared by observability/test).
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { booksDashboard } from "./dashboards/books.js";
import { grpcDashboard } from "./dashboards/grpc.js";
import { nodeProcessDashboard } from "./dashboards/node-process.js";
import { orchestratorDashboard } from "./dashboards/orchestrator.js";
import { overviewDashboard } from "./dashboards/overview.js";

export const DASHBOARD_BUILDERS: ReadonlyArray<() => Dashboard> = [
  overviewDashboard,
  grpcDashboard,
  orchestratorDashboard,
  booksDashboard,
  nodeProcessDashboard,
];

export interface RenderedDashboard {
  /** File name in observability/grafana/dashboards: the dashboard's uid. */
  fileName: string;
  dashboard: Dashboard;
  json: string;
}

export function renderDashboards(): RenderedDashboard[] {
  return DASHBOARD_BUILDERS.map((build) => {
    const dashboard = build();
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title ?? "?"}" has no uid`);
    return { fileName: `${dashboard.uid}.json`, dashboard, json: `${JSON.stringify(dashboard, null, 2)}\n` };
  });
}
