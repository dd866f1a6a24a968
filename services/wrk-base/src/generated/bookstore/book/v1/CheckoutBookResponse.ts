// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * CheckoutBookResponse returns the lent book.
 */
export interface CheckoutBookResponse {
  /**
   * The book, now CHECKED_OUT.
   */
  'book'?: (_bookstore_book_v1_Book | null);
}

/**
 * CheckoutBookResponse returns the lent book.
 */
export interface CheckoutBookResponse__Output {
  /**
   * The book, now CHECKED_OUT.
   */
  'book': (_bookstore_book_v1_Book__Output | null);
}
