// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';

/**
 * ListBooksResponse is one page.
 */
export interface ListBooksResponse {
  /**
   * The books, in (created_at, id) order.
   */
  'books'?: (_bookstore_book_v1_Book)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken'?: (string);
}

/**
 * ListBooksResponse is one page.
 */
export interface ListBooksResponse__Output {
  /**
   * The books, in (created_at, id) order.
   */
  'books': (_bookstore_book_v1_Book__Output)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken': (string);
}
