// Original file: /work/main/proto/bookstore/worker/v1/worker.proto


/**
 * PingRequest may carry a payload that is echoed back.
 */
export interface PingRequest {
  /**
   * Echoed back unchanged in PingResponse.message.
   */
  'message'?: (string);
}

/**
 * PingRequest may carry a payload that is echoed back.
 */
export interface PingRequest__Output {
  /**
   * Echoed back unchanged in PingResponse.message.
   */
  'message': (string);
}
