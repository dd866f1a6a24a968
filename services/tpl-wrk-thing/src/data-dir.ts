import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { RACK_ID_PATTERN, readRackId, readString, type Env } from "@bookstore/wrk-base";

/** The settings a thing worker adds to the base ones. */
export interface ThingSettings {
  /** Absolute path of the folder with the rack's database (DATA_DIR). */
  dataDir: string;
  /** RACK_ID when set; otherwise the rack comes from (or is made in) DATA_DIR. */
  rackId: string | undefined;
}

/** DATA_DIR defaults to `.data/<service>` under the current directory, so a laptop run keeps its data. */
export function readThingSettings(env: Env, service: string, cwd = process.cwd()): ThingSettings {
  return {
    dataDir: resolve(cwd, readString(env, "DATA_DIR", join(".data", service))),
    rackId: readRackId(env, "RACK_ID"),
  };
}

/** Where a worker without RACK_ID keeps the rack it generated, so it serves the same rack after a restart. */
export const RACK_FILE = "rack-id";

export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot use DATA_DIR=${dataDir}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The rack this worker serves: RACK_ID when set, else the one kept in `DATA_DIR/rack-id`, made
 * once. The file appears whole or not at all (written aside, synced, then hard-linked into place),
 * and when two processes race, both end up with the one that was linked first.
 */
export function resolveRack(dataDir: string, configured: string | undefined): string {
  ensureDataDir(dataDir);
  if (configured !== undefined) return configured;
  const file = join(dataDir, RACK_FILE);
  const existing = readRackFile(file);
  if (existing !== undefined) return existing;

  const rack = `rack-${randomBytes(4).toString("hex")}`;
  const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  const fd = openSync(aside, "wx");
  try {
    writeSync(fd, `${rack}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(aside);
  }
  syncFolder(dataDir);
  return readRackFile(file) ?? rack;
}

function readRackFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (!RACK_ID_PATTERN.test(text)) {
    throw new Error(`${file} holds ${JSON.stringify(text)}, which is not a rack id: fix or remove the file, or set RACK_ID`);
  }
  return text;
}

/** Makes a new directory entry durable (the file's own fsync does not cover its name). */
function syncFolder(folder: string): void {
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
