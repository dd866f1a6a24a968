import type { z } from "zod";
import { type FieldProblem, invalid } from "./errors.js";

/** Field-level problems of a failed parse, in the API's names; `where` names a problem of the whole input. */
export function fieldProblems(error: z.ZodError, where: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ field: path ? `${path}.${key}` : key, message: "unknown field" });
      continue;
    }
    // zod says "Invalid input: expected string, received undefined" for a missing field.
    const message = issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? "required" : issue.message;
    problems.push({ field: path || where, message });
  }
  return problems;
}

/** The parsed input, or a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(fieldProblems(result.error, where));
  return result.data;
}
