// Reads the queries out of a dashboard's JSON model, and fills in dashboard variables the way
// Grafana does, so a test can run every panel's query against a real Prometheus.
import type { Dashboard, Panel, RowPanel, VariableModel } from "@grafana/grafana-foundation-sdk/dashboard";
import { variablesIn } from "../../lib/promql.js";

export interface PanelQuery {
  dashboardUid: string;
  panelTitle: string;
  refId: string;
  expr: string;
  /** Instant (stat, table) rather than range (time series). */
  instant: boolean;
}

export interface LabelValuesVariable {
  name: string;
  /** The series selector of `label_values(selector, label)`; undefined for `label_values(label)`. */
  selector: string | undefined;
  label: string;
  /** What "All" stands for when the variable says (`.*`); else the regex of every value. */
  allValue: string | undefined;
}

function panelsOf(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === "row") panels.push(...(panel as RowPanel).panels);
    else panels.push(panel as Panel);
  }
  return panels;
}

export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      const { expr, refId, instant } = target as { expr?: unknown; refId?: unknown; instant?: unknown };
      if (typeof expr !== "string" || expr.trim() === "") {
        throw new Error(`dashboard ${dashboard.uid}, panel "${panel.title}": a target without a PromQL expr`);
      }
      queries.push({
        dashboardUid: dashboard.uid ?? "",
        panelTitle: panel.title ?? "",
        refId: typeof refId === "string" ? refId : "",
        expr,
        instant: instant === true,
      });
    }
  }
  return queries;
}

/** The PromQL of the dashboard's Prometheus annotations, by name. */
export function annotationQueries(dashboard: Dashboard): Array<{ name: string; expr: string }> {
  return (dashboard.annotations?.list ?? [])
    .filter((annotation) => annotation.datasource?.type === "prometheus")
    .map((annotation) => ({ name: annotation.name, expr: annotation.expr ?? "" }));
}

/** The dashboard's `label_values(...)` variables, in the order Grafana resolves them. */
export function labelValuesVariables(dashboard: Dashboard): LabelValuesVariable[] {
  return (dashboard.templating.list ?? []).map((variable: VariableModel) => {
    const query = typeof variable.query === "string" ? variable.query : "";
    const match = /^label_values\(\s*(?:(.+),\s*)?(\w+)\s*\)$/.exec(query.trim());
    if (variable.type !== "query" || !match) {
      throw new Error(`dashboard ${dashboard.uid}: variable ${variable.name} is not a label_values() query (${JSON.stringify(query)})`);
    }
    return { name: variable.name, selector: match[1]?.trim(), label: match[2] ?? "", allValue: variable.allValue };
  });
}

/** What Grafana puts in a regex matcher for "All": the variable's `allValue`, else every value. */
export function allOf(variable: LabelValuesVariable, values: readonly string[]): string {
  return variable.allValue ?? regexOfValues(values);
}

/** What Grafana puts in a regex matcher for several chosen values: `(a|b)`, each value escaped. */
export function regexOfValues(values: readonly string[]): string {
  return `(${values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")})`;
}

export interface Substitutions {
  /** Dashboard variables by name, already in the form they take inside a query. */
  variables: Readonly<Record<string, string>>;
  /** The value of `$__rate_interval` (and `$__interval`), e.g. "1m". */
  rateInterval: string;
}

/** `expr` with every variable replaced; an unknown variable is an error, never left in. */
export function expandVariables(expr: string, substitutions: Substitutions): string {
  const known: Record<string, string> = {
    ...substitutions.variables,
    __rate_interval: substitutions.rateInterval,
    __interval: substitutions.rateInterval,
  };
  for (const name of variablesIn(expr)) {
    if (!(name in known)) throw new Error(`unknown variable $${name} in ${expr}`);
  }
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_whole, braced: string | undefined, bare: string | undefined) => known[braced ?? bare ?? ""] ?? "");
}
