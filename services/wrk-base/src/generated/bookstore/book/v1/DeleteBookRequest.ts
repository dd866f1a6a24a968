// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type { Long } from '@grpc/proto-loader';

/**
 * DeleteBookRequest names the book to delete.
 */
export interface DeleteBookRequest {
  /**
   * Id of the book.
   */
  'id'?: (string);
  /**
   * As in UpdateBookRequest: 0 skips the check.
   */
  'expectedVersion'?: (number | string | Long);
}

/**
 * DeleteBookRequest names the book to delete.
 */
export interface DeleteBookRequest__Output {
  /**
   * Id of the book.
   */
  'id': (string);
  /**
   * As in UpdateBookRequest: 0 skips the check.
   */
  'expectedVersion': (number);
}
