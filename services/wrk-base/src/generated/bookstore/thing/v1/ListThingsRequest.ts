// Original file: /work/main/proto/bookstore/thing/v1/thing.proto


/**
 * ListThingsRequest filters and pages the listing.
 */
export interface ListThingsRequest {
  /**
   * Only things of this type; all when empty.
   */
  'type'?: (string);
  /**
   * Only things that have this tag; all when empty.
   */
  'tag'?: (string);
  /**
   * At most this many things (1 to 1000); 50 when 0.
   */
  'pageSize'?: (number);
  /**
   * Where to continue: a next_page_token from an earlier response. Tokens are positions in the
   * (created_at, id) order shared by all racks, so a gateway may pass one rack's token to another.
   */
  'pageToken'?: (string);
}

/**
 * ListThingsRequest filters and pages the listing.
 */
export interface ListThingsRequest__Output {
  /**
   * Only things of this type; all when empty.
   */
  'type': (string);
  /**
   * Only things that have this tag; all when empty.
   */
  'tag': (string);
  /**
   * At most this many things (1 to 1000); 50 when 0.
   */
  'pageSize': (number);
  /**
   * Where to continue: a next_page_token from an earlier response. Tokens are positions in the
   * (created_at, id) order shared by all racks, so a gateway may pass one rack's token to another.
   */
  'pageToken': (string);
}
