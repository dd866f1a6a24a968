import { randomUUID } from "node:crypto";
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from "node:sqlite";
import * as grpc from "@grpc/grpc-js";
import { RpcError, aborted, alreadyExists, notFound } from "@bookstore/wrk-base";
import type { JsonObject, PagePosition } from "@bookstore/proto";
import type { StoredThing, ThingContent } from "./thing.js";

/** What a subclass adds to the store at open: its SQL functions, indexes, tables and triggers. */
export interface SchemaExtension {
  /**
   * Deterministic SQL functions that the extension's indexes or queries call. They are registered
   * on every open, before the statements run (an index on a function needs the function to write).
   */
  functions?: Readonly<Record<string, (...args: SQLOutputValue[]) => SQLInputValue>>;
  /**
   * SQL run at every open, in the same transaction as the base schema, after the `things` table
   * exists: write `CREATE ... IF NOT EXISTS`.
   */
  statements?: readonly string[];
  /** Unique index name → the request field it guards, for ALREADY_EXISTS messages. */
  uniqueFields?: Readonly<Record<string, string>>;
}

/** A piece of a WHERE clause with its parameters, for filters a subclass adds to listings. */
export interface SqlCondition {
  sql: string;
  params: SQLInputValue[];
}

export interface ThingFilter {
  type?: string;
  tag?: string;
  /** More conditions, ANDed; they may use the columns of `things` (seq, id, type, tags, info, ...). */
  conditions?: readonly SqlCondition[];
}

export interface ThingPage {
  things: StoredThing[];
  /** Position of the last thing returned, when more things follow it. */
  next: PagePosition | undefined;
}

export interface WriteOptions {
  /** Only a thing of this type counts as found; it also names the thing in messages ("book ... not found"). */
  type?: string;
}

/** `expectedVersion` of a write that checks no version. */
export const ANY_VERSION = 0;

export interface OpenOptions {
  /** The database file, `<DATA_DIR>/<rack>.sqlite`. */
  path: string;
  rack: string;
  extension?: SchemaExtension;
  /** How long a write waits for a lock held by another connection before it fails. */
  busyTimeoutMs?: number;
}

/** The schema generation this code writes; a newer file is refused rather than misread. */
const SCHEMA_VERSION = 1;

const BASE_SCHEMA = [
  // seq is the rowid under its own name, so it never changes (VACUUM keeps it): FTS tables and
  // the tag index point at it.
  `CREATE TABLE IF NOT EXISTS things (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
     info TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(info)),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     version INTEGER NOT NULL CHECK (version >= 1)
   )`,
  // Keyset paging walks (created_at, id); with a type filter it walks (type, created_at, id).
  `CREATE INDEX IF NOT EXISTS things_by_time ON things (created_at, id)`,
  `CREATE INDEX IF NOT EXISTS things_by_type_time ON things (type, created_at, id)`,
  `CREATE TABLE IF NOT EXISTS thing_tags (
     tag TEXT NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (tag, seq)
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS thing_tags_by_thing ON thing_tags (seq)`,
  // The tag index follows the tags column whatever statement changes it.
  `CREATE TRIGGER IF NOT EXISTS things_tags_after_insert AFTER INSERT ON things BEGIN
     INSERT OR IGNORE INTO thing_tags (tag, seq) SELECT value, new.seq FROM json_each(new.tags);
   END`,
  `CREATE TRIGGER IF NOT EXISTS things_tags_after_update AFTER UPDATE OF tags ON things BEGIN
     DELETE FROM thing_tags WHERE seq = old.seq;
     INSERT OR IGNORE INTO thing_tags (tag, seq) SELECT value, new.seq FROM json_each(new.tags);
   END`,
  `CREATE TRIGGER IF NOT EXISTS things_tags_after_delete AFTER DELETE ON things BEGIN
     DELETE FROM thing_tags WHERE seq = old.seq;
   END`,
  // Creates made once (Idempotency-Key): the key, a digest of the request it came with and the
  // thing it made. Added without a new schema version: a build that does not know the table
  // ignores it, so a rollback still opens the file.
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     key TEXT PRIMARY KEY,
     request_digest TEXT NOT NULL,
     thing_id TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) WITHOUT ROWID`,
];

/** The columns every query of things selects, in the shape `thingFromRow` reads. */
const THING_COLUMNS = "id, type, tags, info, created_at, updated_at, version";

/** A row selected with THING_COLUMNS, as a thing. */
function thingFromRow(row: Record<string, SQLOutputValue>): StoredThing {
  return {
    id: row.id as string,
    type: row.type as string,
    tags: JSON.parse(row.tags as string) as string[],
    info: JSON.parse(row.info as string) as JsonObject,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    version: Number(row.version),
  };
}

/** SQLite's extended result codes for a broken UNIQUE / PRIMARY KEY constraint. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/**
 * The things of one rack in one SQLite file. Every write commits before it returns, and commits are
 * durable: WAL with synchronous=FULL syncs the log at each commit, so an acknowledged write
 * survives a crash of the process or of the machine.
 *
 * node:sqlite is synchronous: a statement runs to its end before any other JavaScript does, so the
 * read-check-write of an update cannot interleave with another call of this process; and each
 * write runs in a BEGIN IMMEDIATE transaction, which holds the file's write lock from its first
 * read, so it cannot interleave with another connection's (another process's) write either. That
 * makes `update` a compare-and-set: what `change` checks of the current thing still holds when the
 * write commits.
 *
 * The SQL of the `things` table stays in this module: workers use these methods (and the
 * SchemaExtension and SqlCondition hooks), never statements of their own.
 */
export class ThingStore {
  readonly db: DatabaseSync;
  readonly rack: string;
  readonly path: string;
  private readonly uniqueFields: Readonly<Record<string, string>>;
  private readonly statements = new Map<string, StatementSync>();
  /** How many transactions are open in this one: nested ones are savepoints. */
  private depth = 0;

  private constructor(db: DatabaseSync, options: OpenOptions) {
    this.db = db;
    this.rack = options.rack;
    this.path = options.path;
    this.uniqueFields = options.extension?.uniqueFields ?? {};
  }

  static open(options: OpenOptions): ThingStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
    } catch (error) {
      throw new Error(`cannot open the thing store ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // Before anything is changed: a file from a newer build is left exactly as it is.
      const found = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
      if (found > SCHEMA_VERSION) throw new Error(`its schema version is ${found}; this build knows up to ${SCHEMA_VERSION}`);
      const mode = db.prepare("PRAGMA journal_mode = WAL").get()?.journal_mode;
      if (mode !== "wal") throw new Error(`journal_mode is ${String(mode)}, not wal`);
      // FULL: the WAL is synced at every commit, so an acknowledged write is on disk.
      db.exec("PRAGMA synchronous = FULL");
      const extension = options.extension ?? {};
      for (const [name, fn] of Object.entries(extension.functions ?? {})) db.function(name, { deterministic: true }, fn);
      const store = new ThingStore(db, options);
      store.transaction(() => {
        for (const sql of [...BASE_SCHEMA, ...(extension.statements ?? [])]) db.exec(sql);
        db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      });
      return store;
    } catch (error) {
      db.close();
      throw new Error(`cannot open the thing store ${options.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  close(): void {
    if (!this.db.isOpen) return;
    // Keeps query plans good across restarts; cheap when there is nothing to do.
    this.db.exec("PRAGMA optimize");
    this.db.close();
  }

  /** A prepared statement, made once per SQL text. */
  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one write transaction: all of it commits (durably) or none of it does. Writes
   * inside it (insert, update, remove, another transaction) join it: a nested transaction is a
   * savepoint, so a refused inner write that `work` catches undoes only itself. `work` must be
   * synchronous: a promise would let other calls' statements into the transaction.
   */
  transaction<T>(work: () => T): T {
    const nested = this.depth > 0;
    const savepoint = `nested_${this.depth}`;
    this.db.exec(nested ? `SAVEPOINT ${savepoint}` : "BEGIN IMMEDIATE");
    this.depth++;
    try {
      const result = work();
      if (result instanceof Promise) throw new Error("a store transaction's work must be synchronous; it returned a promise");
      this.db.exec(nested ? `RELEASE ${savepoint}` : "COMMIT");
      return result;
    } catch (error) {
      if (nested) this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      else if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** A new id in this rack: the rack before the dot is how a gateway routes by id. */
  newId(): string {
    return `${this.rack}.${randomUUID()}`;
  }

  // insert and update answer with what they wrote instead of reading it back: the JSON they
  // stored is the JSON of the very objects they return.
  insert(content: ThingContent): StoredThing {
    const now = new Date().toISOString();
    const id = this.newId();
    this.guard(content.type, () =>
      this.statement("INSERT INTO things (id, type, tags, info, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)").run(
        id,
        content.type,
        JSON.stringify(content.tags),
        JSON.stringify(content.info),
        now,
        now,
      ),
    );
    return { id, type: content.type, tags: content.tags, info: content.info, createdAt: now, updatedAt: now, version: 1 };
  }

  /**
   * Inserts once per key: the first call with `key` inserts and keeps the key, the digest of its
   * request and the thing's id, in one transaction; a later call with the same key and digest
   * answers the stored thing (`replayed`) and writes nothing. The same key with another digest is
   * FAILED_PRECONDITION (field `idempotency_key`); a key whose thing was deleted since, too.
   */
  insertOnce(content: ThingContent, key: string, requestDigest: string): { thing: StoredThing; replayed: boolean } {
    return this.transaction(() => {
      const kept = this.statement("SELECT request_digest, thing_id FROM idempotency_keys WHERE key = ?").get(key);
      if (kept) {
        if (kept.request_digest !== requestDigest) {
          throw new RpcError(grpc.status.FAILED_PRECONDITION, "idempotency_key: this key was used with another request", "idempotency_key");
        }
        const thing = this.get(kept.thing_id as string);
        if (!thing) throw new RpcError(grpc.status.FAILED_PRECONDITION, `idempotency_key: the ${content.type} made with this key was deleted since`, "idempotency_key");
        return { thing, replayed: true };
      }
      const thing = this.insert(content);
      this.statement("INSERT INTO idempotency_keys (key, request_digest, thing_id, created_at) VALUES (?, ?, ?, ?)").run(key, requestDigest, thing.id, thing.createdAt);
      return { thing, replayed: false };
    });
  }

  get(id: string): StoredThing | undefined {
    const row = this.statement(`SELECT ${THING_COLUMNS} FROM things WHERE id = ?`).get(id);
    return row ? thingFromRow(row) : undefined;
  }

  /**
   * Replaces a thing's tags and info with what `change` makes of the stored thing, when its
   * version is still `expectedVersion` (ANY_VERSION: no check). NOT_FOUND, ABORTED on a stale
   * version. The compare-and-set: `change` sees the thing as it is inside the write's transaction,
   * so a precondition it checks (throwing when it does not hold: nothing is written) still holds
   * at the commit, whatever other connections do.
   */
  update(id: string, expectedVersion: number, change: (current: StoredThing) => Omit<ThingContent, "type">, options: WriteOptions = {}): StoredThing {
    return this.transaction(() => {
      const current = this.current(id, expectedVersion, options);
      const next = change(current);
      const now = new Date().toISOString();
      const tags = JSON.stringify(next.tags);
      const info = JSON.stringify(next.info);
      const version = current.version + 1;
      // Unchanged tags are not written: the tag index's trigger fires on any write of the column.
      const write =
        tags === JSON.stringify(current.tags)
          ? () => this.statement("UPDATE things SET info = ?, updated_at = ?, version = ? WHERE id = ?").run(info, now, version, id)
          : () => this.statement("UPDATE things SET tags = ?, info = ?, updated_at = ?, version = ? WHERE id = ?").run(tags, info, now, version, id);
      this.guard(current.type, write);
      return { ...current, tags: next.tags, info: next.info, updatedAt: now, version };
    });
  }

  /** Deletes a thing when its version is still `expectedVersion` (ANY_VERSION: no check). */
  remove(id: string, expectedVersion: number, options: WriteOptions = {}): void {
    this.transaction(() => {
      this.current(id, expectedVersion, options);
      this.statement("DELETE FROM things WHERE id = ?").run(id);
    });
  }

  /** One page of things in (created_at, id) order, strictly after `after` when given. */
  list(filter: ThingFilter, size: number, after?: PagePosition): ThingPage {
    const { where, params } = this.whereClause(filter);
    if (after) {
      where.push("(created_at, id) > (?, ?)");
      // Positions compare as text: bring a token's time to the form the store writes.
      params.push(new Date(after.createdAt).toISOString(), after.id);
    }
    // One more than asked tells whether another page follows.
    const rows = this.statement(
      `SELECT ${THING_COLUMNS} FROM things ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, id LIMIT ?`,
    ).all(...params, size + 1);
    const things = rows.slice(0, size).map(thingFromRow);
    const last = things.at(-1);
    return { things, next: rows.length > size && last ? { createdAt: last.createdAt, id: last.id } : undefined };
  }

  count(filter: ThingFilter): number {
    const { where, params } = this.whereClause(filter);
    const row = this.statement(`SELECT COUNT(*) AS n FROM things ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`).get(...params);
    return Number(row?.n ?? 0);
  }

  /** How many things of each type the rack holds (for the thing_things gauge). */
  countByType(): Array<{ type: string; count: number }> {
    return this.statement("SELECT type, COUNT(*) AS n FROM things GROUP BY type ORDER BY type")
      .all()
      .map((row) => ({ type: row.type as string, count: Number(row.n) }));
  }

  private whereClause(filter: ThingFilter): { where: string[]; params: SQLInputValue[] } {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.type) {
      where.push("type = ?");
      params.push(filter.type);
    }
    if (filter.tag) {
      where.push("seq IN (SELECT seq FROM thing_tags WHERE tag = ?)");
      params.push(filter.tag);
    }
    for (const condition of filter.conditions ?? []) {
      where.push(`(${condition.sql})`);
      params.push(...condition.params);
    }
    return { where, params };
  }

  /** The stored thing a write is about, after the found and version checks. */
  private current(id: string, expectedVersion: number, options: WriteOptions): StoredThing {
    const noun = options.type ?? "thing";
    const current = this.get(id);
    if (!current || (options.type !== undefined && current.type !== options.type)) throw notFound(`${noun} ${id}`);
    if (expectedVersion !== ANY_VERSION && current.version !== expectedVersion) {
      throw aborted(`${noun} ${id} is at version ${current.version}, not ${expectedVersion}: read it again and retry`);
    }
    return current;
  }

  /** Turns a broken unique constraint into ALREADY_EXISTS naming the field it guards. */
  private guard<T>(noun: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      const errcode = (error as { errcode?: number }).errcode;
      if (errcode !== SQLITE_CONSTRAINT_UNIQUE && errcode !== SQLITE_CONSTRAINT_PRIMARYKEY) throw error;
      const message = (error as Error).message;
      const index = /index '([^']+)'/.exec(message)?.[1];
      const column = /failed: things\.(\w+)/.exec(message)?.[1];
      const field = (index !== undefined ? this.uniqueFields[index] : column) ?? "key";
      throw alreadyExists(`a ${noun} with this ${field}`);
    }
  }
}
