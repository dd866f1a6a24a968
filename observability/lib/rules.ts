// The alerting rules file as data: for tests that hold it to its conventions, and for the live
// test, which runs the same rules with a short `for`.
import { parse, stringify } from "yaml";

export interface AlertRule {
  group: string;
  alert: string;
  expr: string;
  for: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
}

function parseRuleFile(text: string): RuleFile {
  const file = parse(text) as RuleFile | null;
  if (!file || !Array.isArray(file.groups)) throw new Error("not a Prometheus rule file: no groups");
  return file;
}

export function alertRules(text: string): AlertRule[] {
  return parseRuleFile(text).groups.flatMap((group) =>
    group.rules
      .filter((rule) => typeof rule.alert === "string")
      .map((rule) => ({
        group: group.name,
        alert: rule.alert as string,
        expr: String(rule.expr),
        for: typeof rule.for === "string" ? rule.for : undefined,
        labels: (rule.labels ?? {}) as Record<string, string>,
        annotations: (rule.annotations ?? {}) as Record<string, string>,
      })),
  );
}

export interface AlertThreshold {
  operator: ">" | ">=" | "<" | "<=" | "==" | "!=";
  value: number;
}

/**
 * The value an alert compares against: the first comparison with a number in its expression
 * (`> 0.05` of `ratio > 0.05 and traffic >= 10`, `== 0` of `up == 0`). Label matchers and
 * strings are not comparisons; an expression without one is an error.
 */
export function alertThreshold(rule: Pick<AlertRule, "alert" | "expr">): AlertThreshold {
  const noStrings = rule.expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const match = /(>=|<=|==|!=|>|<)\s*(?:bool\s+)?(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])/.exec(noStrings);
  if (!match) throw new Error(`alert ${rule.alert}: no comparison with a number in ${rule.expr}`);
  return { operator: match[1] as AlertThreshold["operator"], value: Number(match[2]) };
}

/** The same rules with every alert's `for` set to `duration`: alerts fire fast in a live test. */
export function withFor(text: string, duration: string): string {
  const file = parseRuleFile(text);
  for (const group of file.groups) for (const rule of group.rules) if (typeof rule.alert === "string") rule.for = duration;
  return stringify(file);
}
