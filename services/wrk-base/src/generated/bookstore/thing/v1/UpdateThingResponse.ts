// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Thing as _bookstore_thing_v1_Thing, Thing__Output as _bookstore_thing_v1_Thing__Output } from '../../../bookstore/thing/v1/Thing.js';

/**
 * UpdateThingResponse returns the updated thing.
 */
export interface UpdateThingResponse {
  /**
   * The thing as stored now, its version one higher.
   */
  'thing'?: (_bookstore_thing_v1_Thing | null);
}

/**
 * UpdateThingResponse returns the updated thing.
 */
export interface UpdateThingResponse__Output {
  /**
   * The thing as stored now, its version one higher.
   */
  'thing': (_bookstore_thing_v1_Thing__Output | null);
}
