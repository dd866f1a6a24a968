// The book endpoints: each one finds the rack from the id (or fans out to all racks) and makes one
// call with a deadline and the request id.
import * as grpc from "@grpc/grpc-js";
import { INVALID_FIELD_TRAILER } from "@bookstore/wrk-base";
import {
  type BookServiceDefinition,
  type Book__Output,
  DEFAULT_PAGE_SIZE,
  PageTokenError,
  decodePageToken,
  encodePageToken,
} from "@bookstore/proto";
import { type AnswerOf, type RequestOf, mergePages, rackOfId } from "./routing/index.js";
import { positionOf, toBookJson, toCreateRequest, toListRequest, toUpdateRequest } from "./books.js";
import { ApiError, forbidden, invalid, notFound, unavailable } from "./errors.js";
import { idempotencyKeyOf } from "./idempotency-key.js";
import { type ApiRequest, route } from "./route.js";
import {
  BookIdParams,
  BookListSchema,
  BookSchema,
  CheckoutSchema,
  CreateBookHeaders,
  CreateBookSchema,
  DeleteBookQuery,
  EmptyBodySchema,
  ListBooksQuery,
  UpdateBookSchema,
} from "./schemas.js";

type AnyRequest = Pick<ApiRequest<unknown, unknown, unknown>, "deps" | "requestId">;

/** One call of the BookService on a rack, with the request's id; UNAVAILABLE at once when the rack cannot serve. */
function onRack<M extends keyof BookServiceDefinition & string>(
  request: AnyRequest,
  rack: string,
  method: M,
  message: RequestOf<BookServiceDefinition[M]>,
): Promise<AnswerOf<BookServiceDefinition[M]>> {
  return request.deps.routing.call(rack, request.deps.bookService, method, message, { requestId: request.requestId });
}

/** The book a `/v1/books/{id}...` route names, and its rack: an id without one cannot name any book. */
function bookAt({ id }: { id: string }): { id: string; rack: string } {
  const rack = rackOfId(id);
  if (rack === undefined) throw notFound(`book ${id} not found`);
  return { id, rack };
}

function bookOf(response: { book: Book__Output | null }): Book__Output {
  if (!response.book) throw new Error("the rack answered without a book");
  return response.book;
}

/** One call about one book whose answer is the book: the API's JSON of it becomes the body. */
async function answerBook<M extends "GetBook" | "UpdateBook" | "CheckoutBook" | "ReturnBook">(
  request: Pick<ApiRequest<unknown, unknown, unknown>, "deps" | "requestId" | "ctx">,
  rack: string,
  method: M,
  message: RequestOf<BookServiceDefinition[M]>,
): Promise<void> {
  request.ctx.body = toBookJson(bookOf(await onRack(request, rack, method, message)));
}

const TAG = "books";

/** What every route about one book (`/v1/books/{id}...`) declares alike. */
const ONE_BOOK = { tag: TAG, params: BookIdParams };

/**
 * What the lending routes (check out, return) declare alike: a member may call them, with a body,
 * and the book may be in the wrong state for it (409).
 */
const LENDING = { ...ONE_BOOK, role: "member" as const, errors: [400, 404, 409, 413, 503, 504] };

/** The 200 answer of a route that answers the book. */
const theBook = (description: string) => ({ status: 200, description, schema: BookSchema });

/** The rack's answer to a known key with other fields: FAILED_PRECONDITION about `idempotency_key`. */
function keyReused(error: unknown): boolean {
  const { code, details, metadata } = error as Partial<grpc.ServiceError>;
  return code === grpc.status.FAILED_PRECONDITION && metadata?.get(INVALID_FIELD_TRAILER)[0] === "idempotency_key" && details?.includes("another request") === true;
}

export const bookRoutes = [
  route({
    method: "get",
    path: "/v1/books",
    operationId: "listBooks",
    summary: "List and search books across all racks",
    description:
      "Books of every rack, in creation order, a page at a time. A rack that cannot answer is named in `missingRacks` and its books are left out of the page.",
    tag: TAG,
    role: "member",
    query: ListBooksQuery,
    success: { status: 200, description: "One page of books", schema: BookListSchema },
    errors: [400, 503, 504],
    async handle(request) {
      const { query } = request;
      if (query.pageToken !== undefined) {
        try {
          decodePageToken(query.pageToken);
        } catch (error) {
          if (error instanceof PageTokenError) throw invalid([{ field: "pageToken", message: "not a token this API issued" }]);
          throw error;
        }
      }
      const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
      const listRequest = toListRequest(query, pageSize);
      const { results, missingRacks } = await request.deps.routing.fanOut((rack) =>
        onRack(request, rack, "ListBooks", listRequest),
      );
      if (results.size === 0) throw unavailable(missingRacks.length ? `no book rack answered (missing: ${missingRacks.join(", ")})` : "no book rack is known yet");
      const pages = [...results.values()].map((page) => ({ items: page.books, more: page.nextPageToken !== "" }));
      const merged = mergePages(pages, pageSize, positionOf);
      const body: { items: ReturnType<typeof toBookJson>[]; nextPageToken: string; missingRacks?: string[] } = {
        items: merged.items.map(toBookJson),
        nextPageToken: merged.next ? encodePageToken(merged.next) : "",
      };
      request.ctx.state.answeredRacks = [...results.keys()];
      if (missingRacks.length > 0) {
        body.missingRacks = missingRacks;
        request.ctx.state.missingRacks = missingRacks;
      }
      request.ctx.body = body;
    },
  }),

  route({
    method: "post",
    path: "/v1/books",
    operationId: "createBook",
    summary: "Create a book",
    description:
      "Stores the book on one healthy rack (the racks take turns); the id names that rack. With an `Idempotency-Key`, the book goes to the key's own rack (rendezvous hashing over every known rack), which keeps the key with the book: a retry answers the same book, and while that rack is down the create answers 503 rather than make a second book elsewhere.",
    tag: TAG,
    role: "librarian",
    headers: CreateBookHeaders,
    body: CreateBookSchema,
    success: { status: 201, description: "The stored book (the same one again for a retry with its Idempotency-Key)", schema: BookSchema },
    errors: [400, 409, 413, 422, 503, 504],
    async handle(request) {
      // The raw header, not ctx.get(): a header sent empty is a bad key, not none.
      const key = idempotencyKeyOf(request.ctx.headers["idempotency-key"] as string | undefined);
      const rack = key === undefined ? request.deps.routing.pickRackForCreate() : request.deps.routing.homeRackOf(key);
      const createRequest = { ...toCreateRequest(request.body), idempotencyKey: key ?? "" };
      const response = await onRack(request, rack, "CreateBook", createRequest).catch((error: unknown) => {
        throw keyReused(error) ? new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request") : error;
      });
      const book = toBookJson(bookOf(response));
      if (response.replayed) request.ctx.set("idempotency-replayed", "true");
      request.ctx.status = 201;
      request.ctx.set("location", `/v1/books/${encodeURIComponent(book.id)}`);
      request.ctx.body = book;
    },
  }),

  route({
    method: "get",
    path: "/v1/books/{id}",
    operationId: "getBook",
    summary: "Get one book",
    ...ONE_BOOK,
    role: "member",
    success: theBook("The book"),
    errors: [404, 503, 504],
    async handle(request) {
      const { id, rack } = bookAt(request.params);
      await answerBook(request, rack, "GetBook", { id });
    },
  }),

  route({
    method: "patch",
    path: "/v1/books/{id}",
    operationId: "updateBook",
    summary: "Change some fields of a book",
    description: "Only the fields present change. With `expectedVersion`, the change is made only if nobody changed the book since (409 ABORTED otherwise).",
    ...ONE_BOOK,
    role: "librarian",
    body: UpdateBookSchema,
    success: theBook("The book as stored now"),
    errors: [400, 404, 409, 413, 503, 504],
    async handle(request) {
      const { id, rack } = bookAt(request.params);
      await answerBook(request, rack, "UpdateBook", toUpdateRequest(id, request.body));
    },
  }),

  route({
    method: "delete",
    path: "/v1/books/{id}",
    operationId: "deleteBook",
    summary: "Delete a book",
    ...ONE_BOOK,
    role: "librarian",
    query: DeleteBookQuery,
    success: { status: 204, description: "Deleted" },
    errors: [400, 404, 409, 503, 504],
    async handle(request) {
      const { id, rack } = bookAt(request.params);
      const expectedVersion = request.query.expectedVersion ?? 0;
      await onRack(request, rack, "DeleteBook", { id, expectedVersion });
      request.ctx.status = 204;
    },
  }),

  route({
    method: "post",
    path: "/v1/books/{id}/checkout",
    operationId: "checkoutBook",
    summary: "Check a book out",
    description:
      "A member borrows as itself (its token's subject); a librarian may name any `borrower` (its own subject when absent). 409 FAILED_PRECONDITION when the book is already out.",
    ...LENDING,
    body: CheckoutSchema,
    success: theBook("The book, now checked out"),
    async handle(request) {
      const { id, rack } = bookAt(request.params);
      const { body, principal } = request;
      const borrower = body.borrower ?? principal.subject;
      if (principal.role !== "librarian" && borrower !== principal.subject) {
        throw forbidden("a member may check out books only for itself");
      }
      await answerBook(request, rack, "CheckoutBook", { id, borrower });
    },
  }),

  route({
    method: "post",
    path: "/v1/books/{id}/return",
    operationId: "returnBook",
    summary: "Return a book",
    description:
      "A librarian may return any book; a member only a book it borrowed (403 otherwise). 409 FAILED_PRECONDITION when the book is not out.",
    ...LENDING,
    body: EmptyBodySchema,
    success: theBook("The book, now available"),
    async handle(request) {
      const { id, rack } = bookAt(request.params);
      const { principal } = request;
      if (principal.role !== "librarian") {
        // Read first to answer 403 (not someone else's book) rather than 409; the return itself
        // names the borrower, so the rack refuses it if the book changed hands in between.
        const current = bookOf(await onRack(request, rack, "GetBook", { id }));
        if (current.status === "BOOK_STATUS_CHECKED_OUT" && current.borrower !== principal.subject) {
          throw forbidden("a member may return only a book it borrowed");
        }
      }
      await answerBook(request, rack, "ReturnBook", { id, borrower: principal.role === "librarian" ? "" : principal.subject });
    },
  }),
];
