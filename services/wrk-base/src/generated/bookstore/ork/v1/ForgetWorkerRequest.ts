// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * ForgetWorkerRequest names the worker to forget.
 */
export interface ForgetWorkerRequest {
  /**
   * Id of the worker.
   */
  'id'?: (string);
}

/**
 * ForgetWorkerRequest names the worker to forget.
 */
export interface ForgetWorkerRequest__Output {
  /**
   * Id of the worker.
   */
  'id': (string);
}
