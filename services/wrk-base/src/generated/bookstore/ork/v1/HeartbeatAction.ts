// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

/**
 * HeartbeatAction tells a worker what to do after a heartbeat.
 */
export const HeartbeatAction = {
  /**
   * Not set; treated as CONTINUE.
   */
  HEARTBEAT_ACTION_UNSPECIFIED: 'HEARTBEAT_ACTION_UNSPECIFIED',
  /**
   * Keep serving and keep heartbeating.
   */
  HEARTBEAT_ACTION_CONTINUE: 'HEARTBEAT_ACTION_CONTINUE',
  /**
   * The orchestrator does not know this worker (for example after its restart): register again.
   */
  HEARTBEAT_ACTION_REGISTER_AGAIN: 'HEARTBEAT_ACTION_REGISTER_AGAIN',
  /**
   * The worker is being drained: stop gracefully.
   */
  HEARTBEAT_ACTION_DRAIN: 'HEARTBEAT_ACTION_DRAIN',
} as const;

/**
 * HeartbeatAction tells a worker what to do after a heartbeat.
 */
export type HeartbeatAction =
  /**
   * Not set; treated as CONTINUE.
   */
  | 'HEARTBEAT_ACTION_UNSPECIFIED'
  | 0
  /**
   * Keep serving and keep heartbeating.
   */
  | 'HEARTBEAT_ACTION_CONTINUE'
  | 1
  /**
   * The orchestrator does not know this worker (for example after its restart): register again.
   */
  | 'HEARTBEAT_ACTION_REGISTER_AGAIN'
  | 2
  /**
   * The worker is being drained: stop gracefully.
   */
  | 'HEARTBEAT_ACTION_DRAIN'
  | 3

/**
 * HeartbeatAction tells a worker what to do after a heartbeat.
 */
export type HeartbeatAction__Output = typeof HeartbeatAction[keyof typeof HeartbeatAction]
