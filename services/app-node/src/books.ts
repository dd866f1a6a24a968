// Translation between the API's JSON and the wire messages of bookstore.book.v1.
import {
  type Book,
  type Book__Output,
  type BookStatus,
  type CreateBookRequest,
  type ListBooksRequest,
  type PagePosition,
  type UpdateBookRequest,
  type Worker__Output,
  fromTimestamp,
} from "@bookstore/proto";
import type { z } from "zod";
import type { BookSchema, BookStatusName, CreateBookSchema, ListBooksQuery, UpdateBookSchema, WorkerSchema } from "./schemas.js";

export type BookJson = z.output<typeof BookSchema>;
export type WorkerJson = z.output<typeof WorkerSchema>;

const STATUS_NAME: Record<string, BookStatusName> = {
  BOOK_STATUS_AVAILABLE: "available",
  BOOK_STATUS_CHECKED_OUT: "checked_out",
};
const STATUS_ENUM: Record<BookStatusName, BookStatus> = {
  available: "BOOK_STATUS_AVAILABLE",
  checked_out: "BOOK_STATUS_CHECKED_OUT",
};

/** The API's JSON for a book: empty wire values (no ISBN, year 0, no borrower) become null. */
export function toBookJson(book: Book__Output): BookJson {
  return {
    id: book.id,
    title: book.title,
    author: book.author,
    isbn: book.isbn === "" ? null : book.isbn,
    year: book.year === 0 ? null : book.year,
    tags: book.tags,
    status: STATUS_NAME[book.status] ?? "available",
    borrower: book.borrower === "" ? null : book.borrower,
    createdAt: fromTimestamp(book.createdAt) ?? "",
    updatedAt: fromTimestamp(book.updatedAt) ?? "",
    version: book.version,
  };
}

/** Where a book sits in the (createdAt, id) order every rack lists in. */
export function positionOf(book: Book__Output): PagePosition {
  return { createdAt: fromTimestamp(book.createdAt) ?? "", id: book.id };
}

export function toCreateRequest(body: z.output<typeof CreateBookSchema>): CreateBookRequest {
  return { title: body.title, author: body.author, isbn: body.isbn ?? "", year: body.year ?? 0, tags: body.tags ?? [] };
}

/** An UpdateBook request whose mask names exactly the fields the body has. */
export function toUpdateRequest(id: string, body: z.output<typeof UpdateBookSchema>): UpdateBookRequest {
  const book: Book = {};
  if (body.title !== undefined) book.title = body.title;
  if (body.author !== undefined) book.author = body.author;
  if (body.isbn !== undefined) book.isbn = body.isbn ?? "";
  if (body.year !== undefined) book.year = body.year ?? 0;
  if (body.tags !== undefined) book.tags = body.tags;
  const paths = Object.keys(book);
  return { id, book, updateMask: { paths }, expectedVersion: body.expectedVersion ?? 0 };
}

export function toListRequest(query: z.output<typeof ListBooksQuery>, pageSize: number): ListBooksRequest {
  return {
    query: query.q ?? "",
    author: query.author ?? "",
    tag: query.tag ?? "",
    status: query.status ? STATUS_ENUM[query.status] : "BOOK_STATUS_UNSPECIFIED",
    pageSize,
    pageToken: query.pageToken ?? "",
  };
}

const WORKER_STATE_NAME: Record<string, WorkerJson["state"]> = {
  WORKER_STATE_UP: "up",
  WORKER_STATE_DOWN: "down",
  WORKER_STATE_DRAINING: "draining",
};

export function toWorkerJson(worker: Worker__Output): WorkerJson {
  return {
    id: worker.id,
    type: worker.type,
    rack: worker.rack === "" ? null : worker.rack,
    address: worker.address,
    state: WORKER_STATE_NAME[worker.state] ?? "down",
    lastSeen: fromTimestamp(worker.lastSeen) ?? null,
    version: worker.version,
    reason: worker.reason === "" ? null : worker.reason,
  };
}
