// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * RegisterRequest describes the worker that registers.
 */
export interface RegisterRequest {
  /**
   * Unique id of the worker process.
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
   * host:port at which the orchestrator and gateways reach the worker.
   */
  'address'?: (string);
  /**
   * Version of the worker.
   */
  'version'?: (string);
}

/**
 * RegisterRequest describes the worker that registers.
 */
export interface RegisterRequest__Output {
  /**
   * Unique id of the worker process.
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
   * host:port at which the orchestrator and gateways reach the worker.
   */
  'address': (string);
  /**
   * Version of the worker.
   */
  'version': (string);
}
