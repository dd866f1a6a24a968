// The zod schemas of the API: the same objects validate requests and generate /openapi.json.
import {
  MAX_AUTHOR_LENGTH,
  MAX_BORROWER_LENGTH,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_TAGS,
  MAX_TAG_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_YEAR,
  DEFAULT_PAGE_SIZE,
  characterCount,
  maxYear,
} from "@bookstore/proto";
import { z } from "zod";

export const BOOK_STATUSES = ["available", "checked_out"] as const;
export type BookStatusName = (typeof BOOK_STATUSES)[number];

/**
 * 1 to `max` characters, counted as the racks count them (code points, as JSON Schema's maxLength
 * does), not in UTF-16 units as zod's `.max` would: 500 emoji are a valid title.
 */
function text(max: number) {
  return upTo(max).min(1);
}

/** At most `max` characters (code points), possibly none. */
function upTo(max: number) {
  return z
    .string()
    .refine((value) => characterCount(value) <= max, { message: `Too big: expected at most ${max} characters` })
    .meta({ maxLength: max });
}

const title = text(MAX_TITLE_LENGTH).meta({ example: "Dune" });
const author = text(MAX_AUTHOR_LENGTH).meta({ example: "Frank Herbert" });
// The rack checks the ISBN's check digit; here only its shape, so a typo fails before any hop.
const isbn = z
  .string()
  .max(20)
  .regex(/^[0-9Xx -]*$/, "digits, X, hyphens and spaces only")
  .meta({ description: "ISBN-10 or ISBN-13 with a valid check digit; hyphens and spaces allowed", example: "978-0-441-17271-9" });
// Read when a request is checked, not when the module loads: a gateway may run past New Year.
const year = z
  .number()
  .int()
  .min(MIN_YEAR)
  .refine((value) => value <= maxYear(), { error: () => `Too big: expected at most ${maxYear()} (next year)` })
  .meta({ description: `Year of publication, from ${MIN_YEAR} to next year`, example: 1965 });
const tags = z
  .array(text(MAX_TAG_LENGTH))
  .max(MAX_TAGS)
  .meta({ description: `Labels: at most ${MAX_TAGS}, each 1 to ${MAX_TAG_LENGTH} characters`, example: ["sf"] });
const version = z.number().int().min(1);

export const BookSchema = z
  .object({
    id: z.string().meta({ description: "`<rack>.<uuid>`: the id names the rack that keeps the book", example: "rack-1.0b6e8f5c-4a7d-4c4e-9f1e-2d1c6c1f7a10" }),
    title: z.string(),
    author: z.string(),
    isbn: z.string().nullable(),
    year: z.number().int().nullable(),
    tags: z.array(z.string()),
    status: z.enum(BOOK_STATUSES),
    borrower: z.string().nullable().meta({ description: "Who has the book while it is checked out; null otherwise" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().meta({ description: "Grows with every change; send it back as expectedVersion to update safely" }),
  })
  .meta({ id: "Book" });

export const CreateBookHeaders = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .meta({
      description:
        'Makes the create happen once (IETF httpapi Idempotency-Key): a quoted string ("...") or a bare key, 1 to 255 visible ASCII characters. A retry with the same key and the same fields answers the same book (201, `Idempotency-Replayed: true`); the same key with other fields 422.',
    }),
});

export const CreateBookSchema = z
  .strictObject({ title, author, isbn: isbn.optional(), year: year.optional(), tags: tags.optional() })
  .meta({ id: "CreateBook" });

const UPDATABLE = ["title", "author", "isbn", "year", "tags"] as const;

export const UpdateBookSchema = z
  .strictObject({
    title: title.optional(),
    author: author.optional(),
    isbn: isbn.nullable().optional().meta({ description: "null or \"\" clears it" }),
    year: year.nullable().optional().meta({ description: "null clears it" }),
    tags: tags.optional(),
    expectedVersion: version.optional().meta({ description: "Fail with 409 ABORTED when the book changed since this version" }),
  })
  .refine((body) => UPDATABLE.some((field) => body[field] !== undefined), {
    message: `name at least one of ${UPDATABLE.join(", ")}`,
  })
  .meta({ id: "UpdateBook" });

export const CheckoutSchema = z
  .strictObject({
    borrower: text(MAX_BORROWER_LENGTH).optional().meta({
      description: "Librarians only; defaults to the caller's own subject. A member always borrows as itself.",
      example: "member",
    }),
  })
  .meta({ id: "Checkout" });

export const EmptyBodySchema = z.strictObject({});

export const BookIdParams = z.object({ id: z.string().meta({ description: "Book id, `<rack>.<uuid>`" }) });

export const ListBooksQuery = z.strictObject({
  q: upTo(MAX_QUERY_LENGTH).optional().meta({ description: "Full-text search over title and author (words, prefix matching)" }),
  author: upTo(MAX_AUTHOR_LENGTH).optional().meta({ description: "Exact author, case-insensitive" }),
  tag: upTo(MAX_TAG_LENGTH).optional(),
  status: z.enum(BOOK_STATUSES).optional(),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .meta({ description: `1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent` }),
  pageToken: z.string().max(1000).optional().meta({ description: "The nextPageToken of the previous page" }),
});

export const DeleteBookQuery = z.strictObject({
  expectedVersion: z.coerce.number().int().min(1).optional().meta({ description: "Fail with 409 ABORTED when the book changed since" }),
});

export const BookListSchema = z
  .object({
    items: z.array(BookSchema),
    nextPageToken: z.string().meta({ description: "Pass as pageToken for the next page; empty on the last page" }),
    missingRacks: z.array(z.string()).optional().meta({ description: "Racks that could not answer: the page lacks their books" }),
  })
  .meta({ id: "BookList" });

export const WORKER_STATES = ["up", "down", "draining"] as const;

export const WorkerSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    rack: z.string().nullable(),
    address: z.string(),
    state: z.enum(WORKER_STATES),
    lastSeen: z.iso.datetime().nullable(),
    version: z.string(),
    reason: z.string().nullable(),
  })
  .meta({ id: "Worker" });

export const WorkerListSchema = z.object({ workers: z.array(WorkerSchema) }).meta({ id: "WorkerList" });

export const ListWorkersQuery = z.strictObject({ type: z.string().max(64).optional().meta({ example: "book" }) });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "INVALID_ARGUMENT" }),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });

export const HealthSchema = z.object({ status: z.string() });
