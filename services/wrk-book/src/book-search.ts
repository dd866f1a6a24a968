import { invalidArgument } from "@bookstore/wrk-base";
import { MAX_AUTHOR_LENGTH, MAX_QUERY_LENGTH, MAX_QUERY_WORDS, characterCount } from "@bookstore/proto";
import { checkTag, type SqlCondition, type ThingFilter } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, type StoredStatus } from "./book.js";
import { foldAuthor } from "./book-fields.js";
import { AUTHOR_KEY_EXPRESSION, SEARCH_CONDITION, STATUS_EXPRESSION } from "./book-schema.js";

/** A word as FTS5's unicode61 tokenizer sees one: letters, digits and combining marks. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * The FTS5 expression for what a user typed: every word must match, each as a prefix. Each word
 * is quoted, so FTS syntax in the input (AND, NEAR, quotes, *, column filters) is plain text and
 * cannot make the query fail. Undefined when the text has no words at all.
 */
export function searchExpression(text: string, field = "query"): string | undefined {
  if (characterCount(text) > MAX_QUERY_LENGTH) throw invalidArgument(field, `longer than ${MAX_QUERY_LENGTH} characters`);
  const words = text.normalize("NFC").match(WORD) ?? [];
  if (words.length > MAX_QUERY_WORDS) throw invalidArgument(field, `more than ${MAX_QUERY_WORDS} words`);
  return words.length === 0 ? undefined : words.map((word) => `"${word}"*`).join(" ");
}

export interface BookQuery {
  query: string;
  author: string;
  tag: string;
  status: StoredStatus | undefined;
}

/** Books of one status (the books_by_status index serves it). */
export function statusCondition(status: StoredStatus): SqlCondition {
  return { sql: `${STATUS_EXPRESSION} = ?`, params: [status] };
}

/** The store filter for a ListBooks request; undefined when nothing can match (a query without words). */
export function bookFilter(request: BookQuery): ThingFilter | undefined {
  const conditions: SqlCondition[] = [];
  if (request.query.trim() !== "") {
    const expression = searchExpression(request.query);
    if (expression === undefined) return undefined;
    conditions.push({ sql: SEARCH_CONDITION, params: [expression] });
  }
  if (request.author.trim() !== "") {
    if (characterCount(request.author) > MAX_AUTHOR_LENGTH) throw invalidArgument("author", `longer than ${MAX_AUTHOR_LENGTH} characters`);
    conditions.push({ sql: `${AUTHOR_KEY_EXPRESSION} = ?`, params: [foldAuthor(request.author)] });
  }
  if (request.status !== undefined) conditions.push(statusCondition(request.status));
  return { type: BOOK_TYPE, tag: request.tag === "" ? undefined : checkTag(request.tag, "tag"), conditions };
}
