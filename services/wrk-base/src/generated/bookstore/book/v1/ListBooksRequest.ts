// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { BookStatus as _bookstore_book_v1_BookStatus, BookStatus__Output as _bookstore_book_v1_BookStatus__Output } from '../../../bookstore/book/v1/BookStatus.js';

/**
 * ListBooksRequest filters and pages the listing.
 */
export interface ListBooksRequest {
  /**
   * Full-text search over title and author (words, prefix matching); all books when empty.
   */
  'query'?: (string);
  /**
   * Only books by this author (exact, case-insensitive).
   */
  'author'?: (string);
  /**
   * Only books with this tag.
   */
  'tag'?: (string);
  /**
   * Only books with this status; any when UNSPECIFIED.
   */
  'status'?: (_bookstore_book_v1_BookStatus);
  /**
   * At most this many books (1 to 1000); 50 when 0.
   */
  'pageSize'?: (number);
  /**
   * Where to continue: a next_page_token from an earlier response. Tokens are positions in the
   * (created_at, id) order shared by all racks, so a gateway may pass one rack's token to another.
   */
  'pageToken'?: (string);
}

/**
 * ListBooksRequest filters and pages the listing.
 */
export interface ListBooksRequest__Output {
  /**
   * Full-text search over title and author (words, prefix matching); all books when empty.
   */
  'query': (string);
  /**
   * Only books by this author (exact, case-insensitive).
   */
  'author': (string);
  /**
   * Only books with this tag.
   */
  'tag': (string);
  /**
   * Only books with this status; any when UNSPECIFIED.
   */
  'status': (_bookstore_book_v1_BookStatus__Output);
  /**
   * At most this many books (1 to 1000); 50 when 0.
   */
  'pageSize': (number);
  /**
   * Where to continue: a next_page_token from an earlier response. Tokens are positions in the
   * (created_at, id) order shared by all racks, so a gateway may pass one rack's token to another.
   */
  'pageToken': (string);
}
