import { createHash } from "node:crypto";
import { invalidArgument, notFound, unary, type Logger } from "@bookstore/wrk-base";
import { decodePageToken, encodePageToken, type BookServiceHandlers, type Book__Output } from "@bookstore/proto";
import { expectedVersionOf, normalizeTags, pageSizeOf, requireId, type ThingPolicy, type ThingStore, validateTyped } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, bookInfoObject, readBookInfo, statusFromWire, toBookMessage } from "./book.js";
import { checkBookField, checkBorrower, type BookFields } from "./book-fields.js";
import type { Registry } from "prom-client";
import { BookMetrics } from "./book-metrics.js";
import { bookFilter } from "./book-search.js";
import { Lending } from "./lending.js";

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

/**
 * The masked fields of an UpdateBook request. Each is checked here by its rule, so that a bad
 * field is refused before the store is read (as the gateway refuses it before the hop); the whole
 * book is then checked by the validation hook inside the write.
 */
function patchOf(fields: Set<UpdatableField>, book: Book__Output | null): Partial<BookFields> & { tags?: string[] } {
  const given = book ?? { title: "", author: "", isbn: "", year: 0, tags: [] };
  const patch: Partial<BookFields> & { tags?: string[] } = {};
  if (fields.has("title")) patch.title = checkBookField("title", given.title);
  if (fields.has("author")) patch.author = checkBookField("author", given.author);
  if (fields.has("isbn")) patch.isbn = checkBookField("isbn", given.isbn);
  if (fields.has("year")) patch.year = checkBookField("year", given.year);
  if (fields.has("tags")) patch.tags = normalizeTags(given.tags);
  return patch;
}

export interface BookServiceDeps {
  store: ThingStore;
  /** The worker's validation hook, the one its ThingService runs: every write of a book passes it. */
  policy: ThingPolicy;
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
export function bookServiceHandlers({ store, policy, lending, metrics, log }: BookServiceDeps): BookServiceHandlers {
  const bookOnly = { type: BOOK_TYPE };
  return {
    CreateBook: unary(log, (request) => {
      const tags = normalizeTags(request.tags);
      const given = { type: BOOK_TYPE, tags, info: { title: request.title, author: request.author, isbn: request.isbn, year: request.year } };
      const content = validateTyped(policy, given, undefined);
      const fields = readBookInfo(content.info);
      const key = idempotencyKeyOf(request.idempotencyKey);
      if (key === undefined) return { book: toBookMessage(store.insert(content)), replayed: false };
      // The digest of the checked fields: the same book asked for twice, however it was spelled.
      const digest = createHash("sha256").update(JSON.stringify([fields.title, fields.author, fields.isbn, fields.year, content.tags])).digest("hex");
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
      const { tags, ...fields } = patchOf(maskFields(request.updateMask?.paths), request.book);
      const thing = store.update(
        id,
        expectedVersion,
        (current) => {
          const next = { type: current.type, tags: tags ?? current.tags, info: bookInfoObject({ ...readBookInfo(current.info), ...fields }) };
          const { tags: nextTags, info } = validateTyped(policy, next, current);
          return { tags: nextTags, info };
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

/**
 * The BookService of one rack, composed of what it needs: the rack's store (its lending and the
 * book metrics are made from it here) and the worker's validation hook.
 */
export function bookService({ store, policy, registry, log }: { store: ThingStore; policy: ThingPolicy; registry: Registry; log: Logger }): BookServiceHandlers {
  const lending = new Lending(store);
  const metrics = new BookMetrics(registry, store.rack, () => lending.countByStatus());
  return bookServiceHandlers({ store, policy, lending, metrics, log });
}
