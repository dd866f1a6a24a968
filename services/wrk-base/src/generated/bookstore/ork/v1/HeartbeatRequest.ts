// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * HeartbeatRequest renews the lease of one worker.
 */
export interface HeartbeatRequest {
  /**
   * Id the worker registered with.
   */
  'id'?: (string);
}

/**
 * HeartbeatRequest renews the lease of one worker.
 */
export interface HeartbeatRequest__Output {
  /**
   * Id the worker registered with.
   */
  'id': (string);
}
