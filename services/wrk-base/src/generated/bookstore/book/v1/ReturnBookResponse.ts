// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * ReturnBookResponse returns the book.
 */
export interface ReturnBookResponse {
  /**
   * The book, now AVAILABLE.
   */
  'book'?: (_bookstore_book_v1_Book | null);
}

/**
 * ReturnBookResponse returns the book.
 */
export interface ReturnBookResponse__Output {
  /**
   * The book, now AVAILABLE.
   */
  'book': (_bookstore_book_v1_Book__Output | null);
}
