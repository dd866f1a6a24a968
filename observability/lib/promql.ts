// Just enough of PromQL's lexical structure to list the series selectors of an expression, so
// tests can hold rules and dashboards to the metric catalog and check each selector against a
// running Prometheus. Not a parser: it relies on selectors being written `name{...}`, `name[...]`
// or bare, which covers every expression in this repository.

const KEYWORDS = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right",
  "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
]);

/** `text` with the inside of every match of `pattern` replaced by spaces: positions stay put. */
function blank(text: string, pattern: RegExp, keepEnds = false): string {
  return text.replace(pattern, (match) => (keepEnds ? match[0] + " ".repeat(match.length - 2) + match[match.length - 1] : " ".repeat(match.length)));
}

export interface Selector {
  metric: string;
  /** The selector as written, matchers included: `up{service="x"}`. */
  text: string;
}

/** The vector selectors of `expr` that name a metric, in order. */
export function selectors(expr: string): Selector[] {
  // String literals (label values, regexes) may contain anything, brackets included.
  const noStrings = blank(expr, /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, true);
  const noGroupings = blank(noStrings, /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g);
  const scan = blank(blank(noGroupings, /\{[^}]*\}/g, true), /\[[^\]]*\]/g);
  const found: Selector[] = [];
  for (const match of scan.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const end = match.index + word.length;
    const before = scan[match.index - 1] ?? " ";
    const after = scan.slice(end);
    if (/[0-9.]/.test(before)) continue; // the exponent or unit of a number: 1e3, 5m
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    const braces = /^\s*\{/.exec(after);
    const close = braces ? noGroupings.indexOf("}", end) : -1;
    found.push({ metric: word, text: braces && close >= 0 ? `${word}${expr.slice(end + braces[0].length - 1, close + 1)}` : word });
  }
  return found;
}

/** Metric names selected by `expr`, in order of first appearance. */
export function metricNames(expr: string): string[] {
  return [...new Set(selectors(expr).map((selector) => selector.metric))];
}

/** Grafana's variables in `expr`: `$name` and `${name}` (built-ins like `$__rate_interval` included). */
export function variablesIn(expr: string): string[] {
  const found = new Set<string>();
  for (const match of expr.matchAll(/\$\{(\w+)\}|\$(\w+)/g)) found.add(match[1] ?? match[2] ?? "");
  return [...found];
}
