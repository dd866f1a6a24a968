// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Thing as _bookstore_thing_v1_Thing, Thing__Output as _bookstore_thing_v1_Thing__Output } from '../../../bookstore/thing/v1/Thing.js';

/**
 * RegisterThingResponse returns the stored thing.
 */
export interface RegisterThingResponse {
  /**
   * The thing as stored, with id, timestamps and version 1.
   */
  'thing'?: (_bookstore_thing_v1_Thing | null);
}

/**
 * RegisterThingResponse returns the stored thing.
 */
export interface RegisterThingResponse__Output {
  /**
   * The thing as stored, with id, timestamps and version 1.
   */
  'thing': (_bookstore_thing_v1_Thing__Output | null);
}
