// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * WatchRoutingRequest filters the routing table.
 */
export interface WatchRoutingRequest {
  /**
   * Only routes of this worker type; all types when empty.
   */
  'type'?: (string);
}

/**
 * WatchRoutingRequest filters the routing table.
 */
export interface WatchRoutingRequest__Output {
  /**
   * Only routes of this worker type; all types when empty.
   */
  'type': (string);
}
