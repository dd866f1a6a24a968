import { invalidArgument } from "@bookstore/wrk-base";
import { toTimestamp, type Book, type JsonObject, type JsonValue } from "@bookstore/proto";
import type { StoredThing, ThingContent } from "@bookstore/tpl-wrk-thing";
import { checkBookFields, checkBorrower, type BookFields } from "./book-fields.js";

/** Books are things of this type. */
export const BOOK_TYPE = "book";

/** The status as stored in a book's info (lowercase, as the HTTP API shows it). */
export type StoredStatus = "available" | "checked_out";
export const STORED_STATUSES: readonly StoredStatus[] = ["available", "checked_out"];

export type WireStatus = "BOOK_STATUS_AVAILABLE" | "BOOK_STATUS_CHECKED_OUT";

export function statusToWire(status: StoredStatus): WireStatus {
  return status === "checked_out" ? "BOOK_STATUS_CHECKED_OUT" : "BOOK_STATUS_AVAILABLE";
}

/** A filter status from the wire; undefined for UNSPECIFIED (any status). */
export function statusFromWire(status: string | number, field = "status"): StoredStatus | undefined {
  switch (status) {
    case "BOOK_STATUS_UNSPECIFIED":
      return undefined;
    case "BOOK_STATUS_AVAILABLE":
      return "available";
    case "BOOK_STATUS_CHECKED_OUT":
      return "checked_out";
    default:
      throw invalidArgument(field, `unknown status ${JSON.stringify(status)}`);
  }
}

/** A book's info, the way the store keeps it (and the ThingService shows it). */
export interface BookInfo extends BookFields {
  status: StoredStatus;
  borrower: string;
}

export const BOOK_INFO_KEYS = ["title", "author", "isbn", "year", "status", "borrower"] as const;

export function bookInfoObject(info: BookInfo): JsonObject {
  return { title: info.title, author: info.author, isbn: info.isbn, year: info.year, status: info.status, borrower: info.borrower };
}

/** The book in a stored thing's info (written by this service, so already valid). */
export function readBookInfo(info: JsonObject): BookInfo {
  return {
    title: typeof info.title === "string" ? info.title : "",
    author: typeof info.author === "string" ? info.author : "",
    isbn: typeof info.isbn === "string" ? info.isbn : "",
    year: typeof info.year === "number" ? info.year : 0,
    status: info.status === "checked_out" ? "checked_out" : "available",
    borrower: typeof info.borrower === "string" ? info.borrower : "",
  };
}

export function toBookMessage(thing: StoredThing): Book {
  const info = readBookInfo(thing.info);
  return {
    id: thing.id,
    title: info.title,
    author: info.author,
    isbn: info.isbn,
    year: info.year,
    tags: thing.tags,
    status: statusToWire(info.status),
    borrower: info.borrower,
    createdAt: toTimestamp(thing.createdAt),
    updatedAt: toTimestamp(thing.updatedAt),
    version: thing.version,
  };
}

function textIn(info: JsonObject, key: string): string {
  const value: JsonValue | undefined = info[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalidArgument(`info.${key}`, "must be a string");
  return value;
}

function numberIn(info: JsonObject, key: string): number {
  const value: JsonValue | undefined = info[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== "number") throw invalidArgument(`info.${key}`, "must be a number");
  return value;
}

/**
 * The book rules for a thing of type "book" written through the ThingService: its info holds
 * exactly the book's fields, checked as CreateBook and UpdateBook check them. Status and borrower
 * change only through CheckoutBook and ReturnBook: they may be left out (the current ones are
 * kept) or repeated unchanged.
 */
export function validateBookThing(content: ThingContent, previous: StoredThing | undefined): ThingContent {
  for (const key of Object.keys(content.info)) {
    if (!(BOOK_INFO_KEYS as readonly string[]).includes(key)) throw invalidArgument(`info.${key}`, `not a book field (${BOOK_INFO_KEYS.join(", ")})`);
  }
  const fields = checkBookFields(
    { title: textIn(content.info, "title"), author: textIn(content.info, "author"), isbn: textIn(content.info, "isbn"), year: numberIn(content.info, "year") },
    "info.",
  );
  const current = previous ? readBookInfo(previous.info) : { status: "available" as const, borrower: "" };
  const status = content.info.status ?? current.status;
  if (status !== current.status) throw invalidArgument("info.status", `is ${current.status}; it changes only through CheckoutBook and ReturnBook`);
  const borrowerText = textIn(content.info, "borrower");
  const borrower = content.info.borrower === undefined || content.info.borrower === null ? current.borrower : borrowerText === "" ? "" : checkBorrower(borrowerText, "info.borrower");
  if (borrower !== current.borrower) throw invalidArgument("info.borrower", "changes only through CheckoutBook and ReturnBook");
  return { type: content.type, tags: content.tags, info: bookInfoObject({ ...fields, status: current.status, borrower: current.borrower }) };
}
