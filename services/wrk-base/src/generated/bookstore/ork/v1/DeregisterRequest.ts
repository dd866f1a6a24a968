// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * DeregisterRequest removes one worker.
 */
export interface DeregisterRequest {
  /**
   * Id the worker registered with.
   */
  'id'?: (string);
}

/**
 * DeregisterRequest removes one worker.
 */
export interface DeregisterRequest__Output {
  /**
   * Id the worker registered with.
   */
  'id': (string);
}
