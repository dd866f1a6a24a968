// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { Long } from '@grpc/proto-loader';

/**
 * RegisterResponse tells the worker its lease.
 */
export interface RegisterResponse {
  /**
   * How long a registration or heartbeat keeps the worker alive, in seconds.
   */
  'leaseSeconds'?: (number);
  /**
   * How often the worker should heartbeat, in seconds (shorter than the lease).
   */
  'heartbeatIntervalSeconds'?: (number);
  /**
   * Changes at every start of the orchestrator: a worker that sees another value in a heartbeat's
   * answer registers again at once, so the new orchestrator has its current description.
   */
  'incarnation'?: (number | string | Long);
}

/**
 * RegisterResponse tells the worker its lease.
 */
export interface RegisterResponse__Output {
  /**
   * How long a registration or heartbeat keeps the worker alive, in seconds.
   */
  'leaseSeconds': (number);
  /**
   * How often the worker should heartbeat, in seconds (shorter than the lease).
   */
  'heartbeatIntervalSeconds': (number);
  /**
   * Changes at every start of the orchestrator: a worker that sees another value in a heartbeat's
   * answer registers again at once, so the new orchestrator has its current description.
   */
  'incarnation': (number);
}
