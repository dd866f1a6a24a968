// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from '../../../bookstore/book/v1/Book.js';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../../google/protobuf/FieldMask.js';
import type { Long } from '@grpc/proto-loader';

/**
 * UpdateBookRequest changes some fields of a book.
 */
export interface UpdateBookRequest {
  /**
   * Id of the book.
   */
  'id'?: (string);
  /**
   * The new values; only the fields named in update_mask are read.
   */
  'book'?: (_bookstore_book_v1_Book | null);
  /**
   * Fields to change: any of "title", "author", "isbn", "year", "tags".
   */
  'updateMask'?: (_google_protobuf_FieldMask | null);
  /**
   * The version the caller read; ABORTED when the book changed since. 0 skips the check.
   */
  'expectedVersion'?: (number | string | Long);
}

/**
 * UpdateBookRequest changes some fields of a book.
 */
export interface UpdateBookRequest__Output {
  /**
   * Id of the book.
   */
  'id': (string);
  /**
   * The new values; only the fields named in update_mask are read.
   */
  'book': (_bookstore_book_v1_Book__Output | null);
  /**
   * Fields to change: any of "title", "author", "isbn", "year", "tags".
   */
  'updateMask': (_google_protobuf_FieldMask__Output | null);
  /**
   * The version the caller read; ABORTED when the book changed since. 0 skips the check.
   */
  'expectedVersion': (number);
}
