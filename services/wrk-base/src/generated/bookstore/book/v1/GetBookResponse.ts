// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * GetBookResponse returns the book.
 */
export interface GetBookResponse {
  /**
   * The book.
   */
  'book'?: (_bookstore_book_v1_Book | null);
}

/**
 * GetBookResponse returns the book.
 */
export interface GetBookResponse__Output {
  /**
   * The book.
   */
  'book': (_bookstore_book_v1_Book__Output | null);
}
