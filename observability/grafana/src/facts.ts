// The facts the dashboards show but do not own, read where they are written: the alert rules
// (each alert's expression and threshold) and the compose file (each service's CPU and memory
// limits). `npm run dashboards` bakes them into the JSON; the staleness test fails when either
// file changes and the JSON was not generated again.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { type AlertRule, type AlertThreshold, alertRules, alertThreshold } from "../../lib/rules.js";

const RULES_FILE = new URL("../../prometheus/rules/bookstore.rules.yml", import.meta.url);
const COMPOSE_FILE = new URL("../../../compose/docker-compose.yml", import.meta.url);

let rules: Map<string, AlertRule> | undefined;

/** The alert rule called `name`; an unknown name is an error, so a renamed alert breaks the build. */
export function alertRule(name: string): AlertRule {
  rules ??= new Map(alertRules(readFileSync(RULES_FILE, "utf8")).map((rule) => [rule.alert, rule]));
  const rule = rules.get(name);
  if (!rule) throw new Error(`no alert ${name} in ${RULES_FILE.pathname}`);
  return rule;
}

export function thresholdOf(name: string): AlertThreshold {
  return alertThreshold(alertRule(name));
}

export interface ServiceLimits {
  /** CPU limit in cores. */
  cpus: number;
  memoryBytes: number;
}

/** A compose byte size as compose-go reads it (go-units RAMInBytes): `256M`, `1g`, `512MiB`, powers of 1024. */
export function composeBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(text.trim());
  if (!match) throw new Error(`not a compose byte size: ${text}`);
  const power = match[2] ? "kmgtp".indexOf(match[2].toLowerCase()) + 1 : 0;
  return Number(match[1]) * 1024 ** power;
}

/** The limits every service of the book system runs with (`x-service-limits` of the compose file). */
export function serviceLimits(): ServiceLimits {
  const compose = parse(readFileSync(COMPOSE_FILE, "utf8")) as { "x-service-limits"?: { resources?: { limits?: { cpus?: string; memory?: string } } } };
  const limits = compose["x-service-limits"]?.resources?.limits;
  if (!limits?.cpus || !limits.memory) throw new Error(`no x-service-limits.resources.limits with cpus and memory in ${COMPOSE_FILE.pathname}`);
  return { cpus: Number(limits.cpus), memoryBytes: composeBytes(limits.memory) };
}
