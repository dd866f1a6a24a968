// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { WorkerState as _bookstore_ork_v1_WorkerState, WorkerState__Output as _bookstore_ork_v1_WorkerState__Output } from '../../../bookstore/ork/v1/WorkerState.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';

/**
 * Worker is one registered worker as the orchestrator knows it.
 */
export interface Worker {
  /**
   * Unique id the worker chose for itself (stable for the life of the process).
   */
  'id'?: (string);
  /**
   * Worker type, for example "book".
   */
  'type'?: (string);
  /**
   * Rack the worker serves; empty when it has none.
   */
  'rack'?: (string);
  /**
   * host:port at which the worker's gRPC server is reached.
   */
  'address'?: (string);
  /**
   * Current state.
   */
  'state'?: (_bookstore_ork_v1_WorkerState);
  /**
   * Last heartbeat or registration received.
   */
  'lastSeen'?: (_google_protobuf_Timestamp | null);
  /**
   * Version the worker reported.
   */
  'version'?: (string);
  /**
   * Why the worker is DOWN, when it is.
   */
  'reason'?: (string);
}

/**
 * Worker is one registered worker as the orchestrator knows it.
 */
export interface Worker__Output {
  /**
   * Unique id the worker chose for itself (stable for the life of the process).
   */
  'id': (string);
  /**
   * Worker type, for example "book".
   */
  'type': (string);
  /**
   * Rack the worker serves; empty when it has none.
   */
  'rack': (string);
  /**
   * host:port at which the worker's gRPC server is reached.
   */
  'address': (string);
  /**
   * Current state.
   */
  'state': (_bookstore_ork_v1_WorkerState__Output);
  /**
   * Last heartbeat or registration received.
   */
  'lastSeen': (_google_protobuf_Timestamp__Output | null);
  /**
   * Version the worker reported.
   */
  'version': (string);
  /**
   * Why the worker is DOWN, when it is.
   */
  'reason': (string);
}
