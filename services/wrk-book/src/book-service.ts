import { createHash } from "node:crypto";
import {
  decodePageToken,
  encodePageToken,
  MAX_AUTHOR_LENGTH,
  MAX_TITLE_LENGTH,
  invalidArgument,
  notFound,
  unary,
  type BookServiceHandlers,
  type Book__Output,
  type Logger,
} from "@bookstore/wrk-base";
import { expectedVersionOf, normalizeTags, pageSizeOf, requireId, type ThingStore } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, bookInfoObject, readBookInfo, statusFromWire, toBookMessage } from "./book.js";
import { checkBorrower, checkIsbnField, checkText, checkYear, checkBookFields } from "./book-fields.js";
import type { BookMetrics } from "./book-metrics.js";
import { bookFilter } from "./book-search.js";
import type { Lending } from "./lending.js";

export const BOOK_SERVICE = "bookstore.book.v1.BookService";

/** The fields UpdateBook can change, as named in its update_mask. */
export const UPDATABLE_FIELDS = ["title", "author", "isbn", "year", "tags"] as const;
type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

export function maskFields(paths: readonly string[] | undefined): Set<UpdatableField> {
  if (!paths || paths.length === 0) throw invalidArgument("update_mask", `name the fields to change: any of ${UPDATABLE_FIELDS.join(", ")}`);
  for (const path of paths) {
    if (!(UPDATABLE_FIELDS as readonly string[]).includes(path)) {
      throw invalidArgument("update_mask", `cannot change ${JSON.stringify(path)}: the fields are ${UPDATABLE_FIELDS.join(", ")}`);
    }
  }
  return new Set(paths as UpdatableField[]);
}

/** The masked fields of an UpdateBook request, each checked on its own. */
function changesOf(fields: Set<UpdatableField>, book: Book__Output | null) {
  const given = book ?? { title: "", author: "", isbn: "", year: 0, tags: [] };
  return {
    title: fields.has("title") ? checkText(given.title, "title", MAX_TITLE_LENGTH) : undefined,
    author: fields.has("author") ? checkText(given.author, "author", MAX_AUTHOR_LENGTH) : undefined,
    isbn: fields.has("isbn") ? checkIsbnField(given.isbn, "isbn") : undefined,
    year: fields.has("year") ? checkYear(given.year, "year") : undefined,
    tags: fields.has("tags") ? normalizeTags(given.tags) : undefined,
  };
}

export interface BookServiceDeps {
  store: ThingStore;
  lending: Lending;
  metrics: BookMetrics;
  log: Logger;
}

/** The idempotency key of a create: undefined when there is none; 1 to 255 characters. */
function idempotencyKeyOf(key: string): string | undefined {
  if (key === "") return undefined;
  if (key.length > 255) throw invalidArgument("idempotency_key", "at most 255 characters");
  return key;
}

/** bookstore.book.v1.BookService over the books (things of type "book") of one rack. */
export function bookServiceHandlers({ store, lending, metrics, log }: BookServiceDeps): BookServiceHandlers {
  const bookOnly = { type: BOOK_TYPE };
  return {
    CreateBook: unary(log, (request) => {
      const fields = checkBookFields({ title: request.title, author: request.author, isbn: request.isbn, year: request.year });
      const tags = normalizeTags(request.tags);
      const content = { type: BOOK_TYPE, tags, info: bookInfoObject({ ...fields, status: "available", borrower: "" }) };
      const key = idempotencyKeyOf(request.idempotencyKey);
      if (key === undefined) return { book: toBookMessage(store.insert(content)), replayed: false };
      // The digest of the checked fields: the same book asked for twice, however it was spelled.
      const digest = createHash("sha256").update(JSON.stringify([fields.title, fields.author, fields.isbn, fields.year, tags])).digest("hex");
      const { thing, replayed } = store.insertOnce(content, key, digest);
      return { book: toBookMessage(thing), replayed };
    }),

    GetBook: unary(log, (request) => {
      const id = requireId(request.id);
      const thing = store.get(id);
      if (!thing || thing.type !== BOOK_TYPE) throw notFound(`book ${id}`);
      return { book: toBookMessage(thing) };
    }),

    UpdateBook: unary(log, (request) => {
      const id = requireId(request.id);
      const expectedVersion = expectedVersionOf(request.expectedVersion);
      const changes = changesOf(maskFields(request.updateMask?.paths), request.book);
      const thing = store.update(
        id,
        expectedVersion,
        (current) => {
          const info = readBookInfo(current.info);
          return {
            tags: changes.tags ?? current.tags,
            info: bookInfoObject({
              ...info,
              title: changes.title ?? info.title,
              author: changes.author ?? info.author,
              isbn: changes.isbn ?? info.isbn,
              year: changes.year ?? info.year,
            }),
          };
        },
        bookOnly,
      );
      return { book: toBookMessage(thing) };
    }),

    DeleteBook: unary(log, (request) => {
      store.remove(requireId(request.id), expectedVersionOf(request.expectedVersion), bookOnly);
      return {};
    }),

    ListBooks: unary(log, (request) => {
      const size = pageSizeOf(request.pageSize);
      const after = decodePageToken(request.pageToken);
      const filter = bookFilter({ query: request.query, author: request.author, tag: request.tag, status: statusFromWire(request.status) });
      if (!filter) return { books: [], nextPageToken: "" };
      const page = store.list(filter, size, after);
      return { books: page.things.map(toBookMessage), nextPageToken: page.next ? encodePageToken(page.next) : "" };
    }),

    CheckoutBook: unary(log, (request) => {
      const id = requireId(request.id);
      const thing = lending.checkout(id, checkBorrower(request.borrower));
      metrics.checkedOut();
      return { book: toBookMessage(thing) };
    }),

    ReturnBook: unary(log, (request) => {
      const id = requireId(request.id);
      const thing = lending.giveBack(id, request.borrower === "" ? "" : checkBorrower(request.borrower));
      metrics.returned();
      return { book: toBookMessage(thing) };
    }),
  };
}
