// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';
import type { Long } from '@grpc/proto-loader';

/**
 * UpdateThingRequest replaces the tags and info of one thing.
 */
export interface UpdateThingRequest {
  /**
   * Id of the thing.
   */
  'id'?: (string);
  /**
   * The version the caller read; the update fails with ABORTED when the thing has changed
   * since. 0 skips the check (last write wins).
   */
  'expectedVersion'?: (number | string | Long);
  /**
   * The new labels (replace the old ones).
   */
  'tags'?: (string)[];
  /**
   * The new data (replaces the old data).
   */
  'info'?: (_google_protobuf_Struct | null);
}

/**
 * UpdateThingRequest replaces the tags and info of one thing.
 */
export interface UpdateThingRequest__Output {
  /**
   * Id of the thing.
   */
  'id': (string);
  /**
   * The version the caller read; the update fails with ABORTED when the thing has changed
   * since. 0 skips the check (last write wins).
   */
  'expectedVersion': (number);
  /**
   * The new labels (replace the old ones).
   */
  'tags': (string)[];
  /**
   * The new data (replaces the old data).
   */
  'info': (_google_protobuf_Struct__Output | null);
}
