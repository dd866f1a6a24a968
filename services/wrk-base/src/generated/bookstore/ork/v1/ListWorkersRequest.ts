// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * ListWorkersRequest filters the listing.
 */
export interface ListWorkersRequest {
  /**
   * Only workers of this type; all types when empty.
   */
  'type'?: (string);
}

/**
 * ListWorkersRequest filters the listing.
 */
export interface ListWorkersRequest__Output {
  /**
   * Only workers of this type; all types when empty.
   */
  'type': (string);
}
