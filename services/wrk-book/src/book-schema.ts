import type { SchemaExtension } from "@bookstore/tpl-wrk-thing";
import type { SQLInputValue, SQLOutputValue } from "node:sqlite";

// What wrk-book adds to the thing store: an FTS5 index over title and author, and expression
// indexes for the status and author filters. All of it follows the things table through triggers,
// so every write path (BookService, ThingService, checkout) keeps it right.

/**
 * Lowercases text the way JavaScript does (all of Unicode, not only A-Z as SQLite's lower()).
 * One declared parameter: node:sqlite registers a function with the arity of its JavaScript length.
 */
export function bookFold(value: SQLOutputValue): SQLInputValue {
  return typeof value === "string" ? value.toLowerCase() : null;
}

/** The SQL expressions the filters use: the same text as in the indexes, so the indexes serve them. */
export const STATUS_EXPRESSION = "json_extract(info, '$.status')";
export const AUTHOR_KEY_EXPRESSION = "book_fold(json_extract(info, '$.author'))";
export const SEARCH_CONDITION = "seq IN (SELECT rowid FROM book_search WHERE book_search MATCH ?)";

const TEXT_OF = (row: "new" | "old"): string => `json_extract(${row}.info, '$.title'), json_extract(${row}.info, '$.author')`;

export const bookSchema: SchemaExtension = {
  functions: { book_fold: bookFold },
  statements: [
    `CREATE INDEX IF NOT EXISTS books_by_status ON things (${STATUS_EXPRESSION})`,
    `CREATE INDEX IF NOT EXISTS books_by_author ON things (${AUTHOR_KEY_EXPRESSION})`,
    // External content: the FTS table keeps only its index; the text is read from this view.
    `CREATE VIEW IF NOT EXISTS book_text AS
       SELECT seq, json_extract(info, '$.title') AS title, json_extract(info, '$.author') AS author FROM things WHERE type = 'book'`,
    // remove_diacritics 2: "garcia" finds "García"; unicode61 folds case for all of Unicode.
    `CREATE VIRTUAL TABLE IF NOT EXISTS book_search USING fts5(
       title, author, content = 'book_text', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
     )`,
    `CREATE TRIGGER IF NOT EXISTS book_search_after_insert AFTER INSERT ON things WHEN new.type = 'book' BEGIN
       INSERT INTO book_search (rowid, title, author) VALUES (new.seq, ${TEXT_OF("new")});
     END`,
    // Checkouts change the info too: re-index only when the title or the author changed.
    `CREATE TRIGGER IF NOT EXISTS book_search_after_update AFTER UPDATE OF info ON things
     WHEN new.type = 'book'
       AND (json_extract(old.info, '$.title') IS NOT json_extract(new.info, '$.title')
         OR json_extract(old.info, '$.author') IS NOT json_extract(new.info, '$.author')) BEGIN
       INSERT INTO book_search (book_search, rowid, title, author) VALUES ('delete', old.seq, ${TEXT_OF("old")});
       INSERT INTO book_search (rowid, title, author) VALUES (new.seq, ${TEXT_OF("new")});
     END`,
    `CREATE TRIGGER IF NOT EXISTS book_search_after_delete AFTER DELETE ON things WHEN old.type = 'book' BEGIN
       INSERT INTO book_search (book_search, rowid, title, author) VALUES ('delete', old.seq, ${TEXT_OF("old")});
     END`,
  ],
};
