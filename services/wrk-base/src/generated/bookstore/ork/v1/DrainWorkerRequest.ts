// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * DrainWorkerRequest names the worker to drain.
 */
export interface DrainWorkerRequest {
  /**
   * Id of the worker.
   */
  'id'?: (string);
}

/**
 * DrainWorkerRequest names the worker to drain.
 */
export interface DrainWorkerRequest__Output {
  /**
   * Id of the worker.
   */
  'id': (string);
}
