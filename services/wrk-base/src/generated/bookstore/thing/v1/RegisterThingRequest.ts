// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';

/**
 * RegisterThingRequest carries the new thing's content.
 */
export interface RegisterThingRequest {
  /**
   * Type of the thing; required.
   */
  'type'?: (string);
  /**
   * Labels.
   */
  'tags'?: (string)[];
  /**
   * The thing's data.
   */
  'info'?: (_google_protobuf_Struct | null);
}

/**
 * RegisterThingRequest carries the new thing's content.
 */
export interface RegisterThingRequest__Output {
  /**
   * Type of the thing; required.
   */
  'type': (string);
  /**
   * Labels.
   */
  'tags': (string)[];
  /**
   * The thing's data.
   */
  'info': (_google_protobuf_Struct__Output | null);
}
