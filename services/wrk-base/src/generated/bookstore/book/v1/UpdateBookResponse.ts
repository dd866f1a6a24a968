// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * UpdateBookResponse returns the changed book.
 */
export interface UpdateBookResponse {
  /**
   * The book as stored now.
   */
  'book'?: (_bookstore_book_v1_Book | null);
}

/**
 * UpdateBookResponse returns the changed book.
 */
export interface UpdateBookResponse__Output {
  /**
   * The book as stored now.
   */
  'book': (_bookstore_book_v1_Book__Output | null);
}
