// Original file: /work/main/proto/bookstore/book/v1/book.proto


/**
 * GetBookRequest names one book.
 */
export interface GetBookRequest {
  /**
   * Id of the book.
   */
  'id'?: (string);
}

/**
 * GetBookRequest names one book.
 */
export interface GetBookRequest__Output {
  /**
   * Id of the book.
   */
  'id': (string);
}
