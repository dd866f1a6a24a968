// Loads a compose file the way Compose v2 does before it validates it (compose-go, loader/loader.go,
// loadYamlFile): YAML with merge keys, then variable interpolation of every value (keys are not
// interpolated) with the variables the caller gives (compose: the shell's, over compose/.env). The
// result is the dictionary that compose-go checks against the Compose Specification schema; canonical.ts
// turns it into the model that the consistency rules and the structural tests read.
//
// Interpolation follows compose-go's template/template.go: `$$` is a literal `$`; `$NAME` and
// `${NAME}`; `${NAME:-default}` (unset or empty), `${NAME-default}` (unset), `${NAME:?message}`
// (required, not empty), `${NAME?message}` (required), `${NAME:+other}` (set, not empty),
// `${NAME+other}` (set); defaults are themselves interpolated. An unset `${NAME}` is empty.
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { parse } from "yaml";

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable marked required (`:?` or `?`) without a value: compose refuses the project. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string, reason: string) {
    // compose-go's wording (template.MissingRequiredError).
    super(reason ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
    this.name = "MissingVariableError";
  }
}

const NAME = /^[_a-z][_a-z0-9]*/i;
// compose-go tries the separators in the order they appear in the braced text.
const OPERATORS = [":?", "?", ":-", "-", ":+", "+"] as const;

/** The text between `${` at `start` and its closing brace, nested `${...}` included. */
function bracedEnd(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function substituteBraced(body: string, env: Env, template: string): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new Error(`Invalid template: "${template}"`);
  const rest = body.slice(name.length);
  const value = env[name];
  if (rest === "") return value ?? "";
  const operator = OPERATORS.filter((op) => rest.startsWith(op)).sort((a, b) => b.length - a.length)[0];
  if (operator === undefined) throw new Error(`Invalid template: "${template}"`);
  const argument = rest.slice(operator.length);
  const empty = value === undefined || value === "";
  switch (operator) {
    case ":?":
      if (empty) throw new MissingVariableError(name, interpolate(argument, env));
      return value;
    case "?":
      if (value === undefined) throw new MissingVariableError(name, interpolate(argument, env));
      return value;
    case ":-":
      return empty ? interpolate(argument, env) : value;
    case "-":
      return value === undefined ? interpolate(argument, env) : value;
    case ":+":
      return empty ? (value ?? "") : interpolate(argument, env);
    case "+":
      return value === undefined ? "" : interpolate(argument, env);
  }
}

/** One string with every variable replaced, as compose-go's template.Substitute does. */
export function interpolate(template: string, env: Env): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char !== "$") {
      out += char;
      continue;
    }
    const next = template[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "{") {
      const end = bracedEnd(template, i + 2);
      if (end < 0) throw new Error(`Invalid template: "${template}"`);
      out += substituteBraced(template.slice(i + 2, end), env, template);
      i = end;
    } else {
      const name = NAME.exec(template.slice(i + 1))?.[0];
      if (name === undefined) throw new Error(`Invalid template: "${template}"`);
      out += env[name] ?? "";
      i += name.length;
    }
  }
  return out;
}

/** Every string value of a YAML tree interpolated; keys and other scalars as they are. */
export function interpolateTree(value: unknown, env: Env): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateTree(item, env));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateTree(item, env)]));
  }
  return value;
}

/** The variables of an env file (`KEY=value` lines, as compose's `--env-file` reads them). */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
}

export type ComposeDict = Record<string, unknown>;

/** The compose file's dictionary after merge keys and interpolation: what the schema checks. */
export function loadComposeDict(composeFile: string, env: Env): ComposeDict {
  // `merge: true` resolves `<<: *anchor` as YAML 1.1 and compose-go's YAML decoder do.
  const raw: unknown = parse(readFileSync(composeFile, "utf8"), { merge: true, maxAliasCount: 1000 });
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${composeFile}: top-level object must be a mapping`);
  return interpolateTree(raw, env) as ComposeDict;
}
