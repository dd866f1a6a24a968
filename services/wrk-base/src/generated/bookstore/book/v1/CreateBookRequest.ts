// Original file: /work/main/proto/bookstore/book/v1/book.proto


/**
 * CreateBookRequest carries the new book's fields.
 */
export interface CreateBookRequest {
  /**
   * Title; required.
   */
  'title'?: (string);
  /**
   * Author; required.
   */
  'author'?: (string);
  /**
   * ISBN-10 or ISBN-13; optional.
   */
  'isbn'?: (string);
  /**
   * Year of publication; optional.
   */
  'year'?: (number);
  /**
   * Labels; optional.
   */
  'tags'?: (string)[];
  /**
   * Optional. A create with a key is made once: the rack keeps the key with the book, and the same
   * key with the same fields answers that book again (replayed); with other fields it fails with
   * FAILED_PRECONDITION naming the field idempotency_key. 1 to 255 characters.
   */
  'idempotencyKey'?: (string);
}

/**
 * CreateBookRequest carries the new book's fields.
 */
export interface CreateBookRequest__Output {
  /**
   * Title; required.
   */
  'title': (string);
  /**
   * Author; required.
   */
  'author': (string);
  /**
   * ISBN-10 or ISBN-13; optional.
   */
  'isbn': (string);
  /**
   * Year of publication; optional.
   */
  'year': (number);
  /**
   * Labels; optional.
   */
  'tags': (string)[];
  /**
   * Optional. A create with a key is made once: the rack keeps the key with the book, and the same
   * key with the same fields answers that book again (replayed); with other fields it fails with
   * FAILED_PRECONDITION naming the field idempotency_key. 1 to 255 characters.
   */
  'idempotencyKey': (string);
}
