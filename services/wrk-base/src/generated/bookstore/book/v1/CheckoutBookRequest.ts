// Original file: /work/main/proto/bookstore/book/v1/book.proto


/**
 * CheckoutBookRequest lends a book.
 */
export interface CheckoutBookRequest {
  /**
   * Id of the book.
   */
  'id'?: (string);
  /**
   * Who borrows it, 1 to 200 characters; required.
   */
  'borrower'?: (string);
}

/**
 * CheckoutBookRequest lends a book.
 */
export interface CheckoutBookRequest__Output {
  /**
   * Id of the book.
   */
  'id': (string);
  /**
   * Who borrows it, 1 to 200 characters; required.
   */
  'borrower': (string);
}
