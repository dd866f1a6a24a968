import { timingSafeEqual } from "node:crypto";
import { SettingsError } from "@bookstore/wrk-base";

export const ROLES = ["librarian", "member"] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the role decides what it may do, the subject is its name as a borrower. */
export interface Principal {
  role: Role;
  subject: string;
}

/** The known tokens with their principals. */
export interface TokenTable {
  readonly size: number;
  /** The principal of a token; compared in constant time, so timing tells nothing of the tokens. */
  lookup(token: string): Principal | undefined;
}

class Tokens implements TokenTable {
  private readonly entries: Array<{ token: Buffer; principal: Principal }> = [];

  get size(): number {
    return this.entries.length;
  }

  has(token: string): boolean {
    return this.lookup(token) !== undefined;
  }

  add(token: string, principal: Principal): void {
    this.entries.push({ token: Buffer.from(token), principal });
  }

  /** What a log line or a dump shows of the table: never the tokens. */
  toJSON(): { tokens: number } {
    return { tokens: this.entries.length };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TokenTable(${this.entries.length} tokens)`;
  }

  lookup(token: string): Principal | undefined {
    const candidate = Buffer.from(token);
    let found: Principal | undefined;
    // Every entry is compared, matched or not, so the time does not depend on which one matched.
    for (const entry of this.entries) {
      if (entry.token.length === candidate.length && timingSafeEqual(entry.token, candidate)) found = entry.principal;
    }
    return found;
  }
}

const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{8,256}$/;
const SUBJECT_PATTERN = /^[A-Za-z0-9._@-]{1,200}$/;

/**
 * Parses `API_TOKENS`: comma-separated `token:role[:subject]`. The subject defaults to the role.
 * Errors name the entry by position only: the value holds secrets and must never be printed.
 */
export function parseApiTokens(value: string | undefined): TokenTable {
  const fail = (problem: string): never => {
    throw new SettingsError("API_TOKENS", "[hidden]", problem);
  };
  if (value === undefined || value.trim() === "") fail("required: comma-separated token:role[:subject], roles librarian and member");
  const table = new Tokens();
  const entries = (value as string).split(",");
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1} of ${entries.length}`;
    const parts = entry.trim().split(":");
    if (parts.length < 2 || parts.length > 3) fail(`${where}: expected token:role[:subject]`);
    const [token = "", role = "", subject = role] = parts;
    if (!TOKEN_PATTERN.test(token)) fail(`${where}: a token is 8 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -`);
    if (!(ROLES as readonly string[]).includes(role)) fail(`${where}: the role must be librarian or member`);
    if (!SUBJECT_PATTERN.test(subject)) fail(`${where}: a subject is 1 to 200 characters of A-Z a-z 0-9 . _ @ -`);
    if (table.has(token)) fail(`${where}: the same token appears twice`);
    table.add(token, { role: role as Role, subject });
  });
  return table;
}

/** The principal of an `Authorization: Bearer <token>` header; undefined when absent or unknown. */
export function authenticate(tokens: TokenTable, authorization: string | undefined): Principal | undefined {
  if (authorization === undefined || authorization.length < 8) return undefined;
  if (authorization.slice(0, 7).toLowerCase() !== "bearer ") return undefined;
  const token = authorization.slice(7).trim();
  return token === "" ? undefined : tokens.lookup(token);
}

/** A librarian may do everything a member may. */
export function hasRole(principal: Principal, needed: Role): boolean {
  return needed === "member" || principal.role === "librarian";
}
