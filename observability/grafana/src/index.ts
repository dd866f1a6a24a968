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

/**
 * The SDK places links and annotation toggles `inControlsMenu`, the bottom of a dropdown where
 * Grafana 13 hides them: without a placement they sit in the dashboard's top bar.
 */
function placeInTopBar(dashboard: Dashboard): Dashboard {
  for (const link of dashboard.links ?? []) delete link.placement;
  for (const annotation of dashboard.annotations?.list ?? []) delete annotation.placement;
  return dashboard;
}

export function renderDashboards(): RenderedDashboard[] {
  return DASHBOARD_BUILDERS.map((build) => {
    const dashboard = placeInTopBar(build());
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title ?? "?"}" has no uid`);
    return { fileName: `${dashboard.uid}.json`, dashboard, json: `${JSON.stringify(dashboard, null, 2)}\n` };
  });
}
