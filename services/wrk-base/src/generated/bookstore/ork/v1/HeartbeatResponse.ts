// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { HeartbeatAction as _bookstore_ork_v1_HeartbeatAction, HeartbeatAction__Output as _bookstore_ork_v1_HeartbeatAction__Output } from '../../../bookstore/ork/v1/HeartbeatAction.js';
import type { Long } from '@grpc/proto-loader';

/**
 * HeartbeatResponse tells the worker what to do next.
 */
export interface HeartbeatResponse {
  /**
   * What the worker should do.
   */
  'action'?: (_bookstore_ork_v1_HeartbeatAction);
  /**
   * The lease granted by this heartbeat, in seconds.
   */
  'leaseSeconds'?: (number);
  /**
   * The orchestrator's incarnation (see RegisterResponse.incarnation).
   */
  'incarnation'?: (number | string | Long);
}

/**
 * HeartbeatResponse tells the worker what to do next.
 */
export interface HeartbeatResponse__Output {
  /**
   * What the worker should do.
   */
  'action': (_bookstore_ork_v1_HeartbeatAction__Output);
  /**
   * The lease granted by this heartbeat, in seconds.
   */
  'leaseSeconds': (number);
  /**
   * The orchestrator's incarnation (see RegisterResponse.incarnation).
   */
  'incarnation': (number);
}
