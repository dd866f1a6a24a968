// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Thing as _bookstore_thing_v1_Thing, Thing__Output as _bookstore_thing_v1_Thing__Output } from '../../../bookstore/thing/v1/Thing.js';

/**
 * ListThingsResponse is one page.
 */
export interface ListThingsResponse {
  /**
   * The things, in (created_at, id) order.
   */
  'things'?: (_bookstore_thing_v1_Thing)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken'?: (string);
}

/**
 * ListThingsResponse is one page.
 */
export interface ListThingsResponse__Output {
  /**
   * The things, in (created_at, id) order.
   */
  'things': (_bookstore_thing_v1_Thing__Output)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken': (string);
}
