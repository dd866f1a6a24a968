// Original file: /work/main/proto/bookstore/book/v1/book.proto


/**
 * ReturnBookRequest brings a book back.
 */
export interface ReturnBookRequest {
  /**
   * Id of the book.
   */
  'id'?: (string);
  /**
   * When set, the book is returned only if this is its borrower, checked in the same step as the
   * change; FAILED_PRECONDITION otherwise. Empty: whoever borrowed it.
   */
  'borrower'?: (string);
}

/**
 * ReturnBookRequest brings a book back.
 */
export interface ReturnBookRequest__Output {
  /**
   * Id of the book.
   */
  'id': (string);
  /**
   * When set, the book is returned only if this is its borrower, checked in the same step as the
   * change; FAILED_PRECONDITION otherwise. Empty: whoever borrowed it.
   */
  'borrower': (string);
}
