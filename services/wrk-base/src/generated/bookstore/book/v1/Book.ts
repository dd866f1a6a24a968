// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { BookStatus as _bookstore_book_v1_BookStatus, BookStatus__Output as _bookstore_book_v1_BookStatus__Output } from '../../../bookstore/book/v1/BookStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Book is one book.
 */
export interface Book {
  /**
   * Unique id: "<rack>.<random>".
   */
  'id'?: (string);
  /**
   * Title, 1 to 500 characters; required.
   */
  'title'?: (string);
  /**
   * Author, 1 to 200 characters; required.
   */
  'author'?: (string);
  /**
   * ISBN-10 or ISBN-13 with a valid check digit (hyphens and spaces allowed); may be empty.
   */
  'isbn'?: (string);
  /**
   * Year of publication, from -3000 to next year; 0 when unknown.
   */
  'year'?: (number);
  /**
   * Labels, each 1 to 64 characters, at most 32.
   */
  'tags'?: (string)[];
  /**
   * Whether the book is on the shelf or lent.
   */
  'status'?: (_bookstore_book_v1_BookStatus);
  /**
   * Who has the book while it is CHECKED_OUT; empty otherwise.
   */
  'borrower'?: (string);
  /**
   * When the book was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the book last changed.
   */
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * Grows by one with every change: the handle for optimistic concurrency.
   */
  'version'?: (number | string | Long);
}

/**
 * Book is one book.
 */
export interface Book__Output {
  /**
   * Unique id: "<rack>.<random>".
   */
  'id': (string);
  /**
   * Title, 1 to 500 characters; required.
   */
  'title': (string);
  /**
   * Author, 1 to 200 characters; required.
   */
  'author': (string);
  /**
   * ISBN-10 or ISBN-13 with a valid check digit (hyphens and spaces allowed); may be empty.
   */
  'isbn': (string);
  /**
   * Year of publication, from -3000 to next year; 0 when unknown.
   */
  'year': (number);
  /**
   * Labels, each 1 to 64 characters, at most 32.
   */
  'tags': (string)[];
  /**
   * Whether the book is on the shelf or lent.
   */
  'status': (_bookstore_book_v1_BookStatus__Output);
  /**
   * Who has the book while it is CHECKED_OUT; empty otherwise.
   */
  'borrower': (string);
  /**
   * When the book was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the book last changed.
   */
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * Grows by one with every change: the handle for optimistic concurrency.
   */
  'version': (number);
}
