// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Thing is one stored thing.
 */
export interface Thing {
  /**
   * Unique id: "<rack>.<random>", so that the id tells which rack owns the thing.
   */
  'id'?: (string);
  /**
   * Type of the thing, for example "book"; each worker type accepts its own types.
   */
  'type'?: (string);
  /**
   * Free-form labels, each 1 to 64 characters, at most 32 of them.
   */
  'tags'?: (string)[];
  /**
   * The thing's own data, as JSON.
   */
  'info'?: (_google_protobuf_Struct | null);
  /**
   * When the thing was registered.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the thing last changed.
   */
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * Starts at 1 and grows by one with every change: the handle for optimistic concurrency.
   */
  'version'?: (number | string | Long);
}

/**
 * Thing is one stored thing.
 */
export interface Thing__Output {
  /**
   * Unique id: "<rack>.<random>", so that the id tells which rack owns the thing.
   */
  'id': (string);
  /**
   * Type of the thing, for example "book"; each worker type accepts its own types.
   */
  'type': (string);
  /**
   * Free-form labels, each 1 to 64 characters, at most 32 of them.
   */
  'tags': (string)[];
  /**
   * The thing's own data, as JSON.
   */
  'info': (_google_protobuf_Struct__Output | null);
  /**
   * When the thing was registered.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the thing last changed.
   */
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * Starts at 1 and grows by one with every change: the handle for optimistic concurrency.
   */
  'version': (number);
}
