// Just enough of PromQL's lexical structure to list the metric names an expression selects, so
// tests can hold rules and dashboards to the metric catalog. Not a parser: it relies on selectors
// being written `name{...}` or `name[...]` or bare, which covers every expression in this repo.

const KEYWORDS = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right",
  "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
]);

/** Metric names selected by `expr`, in order of first appearance. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    // String literals (label values, regexes) may contain anything, brackets included.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names: string[] = [];
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const before = stripped[match.index - 1] ?? " ";
    const after = stripped.slice(match.index + word.length);
    if (/[0-9.]/.test(before)) continue; // the exponent or unit of a number: 1e3, 5m
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    if (!names.includes(word)) names.push(word);
  }
  return names;
}

/** Grafana's variables in `expr`: `$name` and `${name}` (built-ins like `$__rate_interval` included). */
export function variablesIn(expr: string): string[] {
  const found = new Set<string>();
  for (const match of expr.matchAll(/\$\{(\w+)\}|\$(\w+)/g)) found.add(match[1] ?? match[2] ?? "");
  return [...found];
}
