// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * CreateBookResponse returns the stored book.
 */
export interface CreateBookResponse {
  /**
   * The book as stored (now, for a replay).
   */
  'book'?: (_bookstore_book_v1_Book | null);
  /**
   * True when the idempotency key was seen before: no book was made by this call.
   */
  'replayed'?: (boolean);
}

/**
 * CreateBookResponse returns the stored book.
 */
export interface CreateBookResponse__Output {
  /**
   * The book as stored (now, for a replay).
   */
  'book': (_bookstore_book_v1_Book__Output | null);
  /**
   * True when the idempotency key was seen before: no book was made by this call.
   */
  'replayed': (boolean);
}
