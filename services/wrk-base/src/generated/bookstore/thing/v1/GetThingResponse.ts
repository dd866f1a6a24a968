// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Thing as _bookstore_thing_v1_Thing, Thing__Output as _bookstore_thing_v1_Thing__Output } from '../../../bookstore/thing/v1/Thing.js';

/**
 * GetThingResponse returns the thing.
 */
export interface GetThingResponse {
  /**
   * The thing.
   */
  'thing'?: (_bookstore_thing_v1_Thing | null);
}

/**
 * GetThingResponse returns the thing.
 */
export interface GetThingResponse__Output {
  /**
   * The thing.
   */
  'thing': (_bookstore_thing_v1_Thing__Output | null);
}
