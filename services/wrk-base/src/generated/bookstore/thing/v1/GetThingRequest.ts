// Original file: /work/main/proto/bookstore/thing/v1/thing.proto


/**
 * GetThingRequest names one thing.
 */
export interface GetThingRequest {
  /**
   * Id of the thing.
   */
  'id'?: (string);
}

/**
 * GetThingRequest names one thing.
 */
export interface GetThingRequest__Output {
  /**
   * Id of the thing.
   */
  'id': (string);
}
