// Original file: /work/main/proto/bookstore/worker/v1/worker.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * PingResponse echoes the request and tells the worker's clock.
 */
export interface PingResponse {
  /**
   * The request's message, unchanged.
   */
  'message'?: (string);
  /**
   * The worker's time when it answered.
   */
  'time'?: (_google_protobuf_Timestamp | null);
}

/**
 * PingResponse echoes the request and tells the worker's clock.
 */
export interface PingResponse__Output {
  /**
   * The request's message, unchanged.
   */
  'message': (string);
  /**
   * The worker's time when it answered.
   */
  'time': (_google_protobuf_Timestamp__Output | null);
}
