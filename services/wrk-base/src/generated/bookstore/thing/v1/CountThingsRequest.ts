// Original file: /work/main/proto/bookstore/thing/v1/thing.proto


/**
 * CountThingsRequest filters the count.
 */
export interface CountThingsRequest {
  /**
   * Only things of this type; all when empty.
   */
  'type'?: (string);
  /**
   * Only things that have this tag; all when empty.
   */
  'tag'?: (string);
}

/**
 * CountThingsRequest filters the count.
 */
export interface CountThingsRequest__Output {
  /**
   * Only things of this type; all when empty.
   */
  'type': (string);
  /**
   * Only things that have this tag; all when empty.
   */
  'tag': (string);
}
