// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

/**
 * WorkerState is the orchestrator's view of one worker.
 */
export const WorkerState = {
  /**
   * Not set; never sent by the orchestrator.
   */
  WORKER_STATE_UNSPECIFIED: 'WORKER_STATE_UNSPECIFIED',
  /**
   * Registered, lease current and health check passing: routable.
   */
  WORKER_STATE_UP: 'WORKER_STATE_UP',
  /**
   * Lease lapsed or health check failing: not routable until it recovers.
   */
  WORKER_STATE_DOWN: 'WORKER_STATE_DOWN',
  /**
   * Being drained by an operator: not routable, told to stop.
   */
  WORKER_STATE_DRAINING: 'WORKER_STATE_DRAINING',
} as const;

/**
 * WorkerState is the orchestrator's view of one worker.
 */
export type WorkerState =
  /**
   * Not set; never sent by the orchestrator.
   */
  | 'WORKER_STATE_UNSPECIFIED'
  | 0
  /**
   * Registered, lease current and health check passing: routable.
   */
  | 'WORKER_STATE_UP'
  | 1
  /**
   * Lease lapsed or health check failing: not routable until it recovers.
   */
  | 'WORKER_STATE_DOWN'
  | 2
  /**
   * Being drained by an operator: not routable, told to stop.
   */
  | 'WORKER_STATE_DRAINING'
  | 3

/**
 * WorkerState is the orchestrator's view of one worker.
 */
export type WorkerState__Output = typeof WorkerState[keyof typeof WorkerState]
