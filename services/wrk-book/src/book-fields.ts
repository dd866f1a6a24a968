import { invalidArgument } from "@bookstore/wrk-base";
import { MAX_AUTHOR_LENGTH, MAX_BORROWER_LENGTH, MAX_TITLE_LENGTH, MIN_YEAR, characterCount, hasControlCharacters, maxYear } from "@bookstore/proto";
import { checkIsbn } from "./isbn.js";

// The rules for a book's own fields (see book.proto). Each failure names the field: "title: required",
// "isbn: check digit does not match". `field` is the name to report: "title" on the BookService,
// "info.title" on the ThingService.

/** Text as stored: trimmed and in Unicode NFC, so equal-looking names compare equal. */
export function checkText(value: string, field: string, maxLength: number): string {
  const text = value.normalize("NFC").trim();
  if (text === "") throw invalidArgument(field, "required");
  if (characterCount(text) > maxLength) throw invalidArgument(field, `longer than ${maxLength} characters`);
  if (hasControlCharacters(text)) throw invalidArgument(field, "must not contain control characters");
  return text;
}

export function checkYear(year: number, field: string, now?: Date): number {
  if (!Number.isInteger(year)) throw invalidArgument(field, `must be a whole number, got ${year}`);
  if (year === 0) return 0;
  const latest = maxYear(now);
  if (year < MIN_YEAR || year > latest) throw invalidArgument(field, `must be from ${MIN_YEAR} to ${latest} (0 when unknown), got ${year}`);
  return year;
}

export function checkIsbnField(value: string, field: string): string {
  const result = checkIsbn(value);
  if (!result.ok) throw invalidArgument(field, result.problem);
  return result.isbn;
}

export function checkBorrower(value: string, field = "borrower"): string {
  return checkText(value, field, MAX_BORROWER_LENGTH);
}

/** The fields a caller sets on a book. */
export interface BookFields {
  title: string;
  author: string;
  isbn: string;
  year: number;
}

/** The rule of each of a book's fields, written once: every check of a book's fields reads it. */
const BOOK_FIELD_RULES: { readonly [K in keyof BookFields]: (value: BookFields[K], field: string) => BookFields[K] } = {
  title: (value, field) => checkText(value, field, MAX_TITLE_LENGTH),
  author: (value, field) => checkText(value, field, MAX_AUTHOR_LENGTH),
  isbn: (value, field) => checkIsbnField(value, field),
  year: (value, field) => checkYear(value, field),
};

/** Checks and normalizes one of a book's fields, reported as `field` (its name by default). */
export function checkBookField<K extends keyof BookFields>(name: K, value: BookFields[K], field: string = name): BookFields[K] {
  return BOOK_FIELD_RULES[name](value, field);
}

/** Checks and normalizes all of a book's fields; `prefix` goes before each field name ("info."). */
export function checkBookFields(fields: BookFields, prefix = ""): BookFields {
  return {
    title: checkBookField("title", fields.title, `${prefix}title`),
    author: checkBookField("author", fields.author, `${prefix}author`),
    isbn: checkBookField("isbn", fields.isbn, `${prefix}isbn`),
    year: checkBookField("year", fields.year, `${prefix}year`),
  };
}

/** How an author is compared in the `author` filter: exact, but without regard to case. */
export function foldAuthor(author: string): string {
  return author.normalize("NFC").trim().toLowerCase();
}
