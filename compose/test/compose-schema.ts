// The Compose Specification JSON schema, as compose-go checks a file with it (schema/schema.go:
// draft 2020-12, on the interpolated dictionary; the "duration" format it registers is named by no
// property of the schema). The schema is compose-go's own copy (compose-spec/compose-spec.json
// beside this file; where it comes from: README.md there).
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import type { ComposeDict } from "./compose-load.js";

const SCHEMA_FILE = new URL("./compose-spec/compose-spec.json", import.meta.url);

let validator: ReturnType<Ajv2020["compile"]> | undefined;

function compile(): ReturnType<Ajv2020["compile"]> {
  // strictTypes off: the schema uses union types (["boolean", "string"]) on purpose.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  validator ??= ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
  return validator;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(top level)";
  const extra = error.keyword === "additionalProperties" ? ` '${String((error.params as { additionalProperty: string }).additionalProperty)}'` : "";
  return `${at}: ${error.message ?? error.keyword}${extra}`;
}

/** Every schema error of an interpolated compose dictionary (none: the schema accepts it). */
export function schemaErrors(dict: ComposeDict): string[] {
  const validate = compile();
  // Through JSON, as schema.go does: only JSON types reach the validator.
  if (validate(JSON.parse(JSON.stringify(dict)))) return [];
  return (validate.errors ?? []).map(describe);
}
