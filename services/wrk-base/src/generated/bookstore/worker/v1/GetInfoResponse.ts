// Original file: /work/main/proto/bookstore/worker/v1/worker.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * GetInfoResponse describes the worker.
 */
export interface GetInfoResponse {
  /**
   * Id of this worker process, unique among all workers (type, rack and a random part).
   */
  'id'?: (string);
  /**
   * Worker type, for example "book", "thing" or "base".
   */
  'type'?: (string);
  /**
   * Rack the worker serves; empty for workers without durable data.
   */
  'rack'?: (string);
  /**
   * Version of the worker's package.
   */
  'version'?: (string);
  /**
   * When the worker started.
   */
  'startedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * Address at which the orchestrator reaches this worker (host:port).
   */
  'advertiseAddress'?: (string);
}

/**
 * GetInfoResponse describes the worker.
 */
export interface GetInfoResponse__Output {
  /**
   * Id of this worker process, unique among all workers (type, rack and a random part).
   */
  'id': (string);
  /**
   * Worker type, for example "book", "thing" or "base".
   */
  'type': (string);
  /**
   * Rack the worker serves; empty for workers without durable data.
   */
  'rack': (string);
  /**
   * Version of the worker's package.
   */
  'version': (string);
  /**
   * When the worker started.
   */
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * Address at which the orchestrator reaches this worker (host:port).
   */
  'advertiseAddress': (string);
}
