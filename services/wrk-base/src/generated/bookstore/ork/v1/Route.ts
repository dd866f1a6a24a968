// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * Route says where one rack of one worker type is served.
 */
export interface Route {
  /**
   * Worker type, for example "book".
   */
  'type'?: (string);
  /**
   * Rack id.
   */
  'rack'?: (string);
  /**
   * host:port of the worker that serves the rack.
   */
  'address'?: (string);
  /**
   * True when the rack's worker is UP; false when the rack is known but cannot serve now.
   */
  'healthy'?: (boolean);
  /**
   * Id of the worker serving the rack.
   */
  'workerId'?: (string);
}

/**
 * Route says where one rack of one worker type is served.
 */
export interface Route__Output {
  /**
   * Worker type, for example "book".
   */
  'type': (string);
  /**
   * Rack id.
   */
  'rack': (string);
  /**
   * host:port of the worker that serves the rack.
   */
  'address': (string);
  /**
   * True when the rack's worker is UP; false when the rack is known but cannot serve now.
   */
  'healthy': (boolean);
  /**
   * Id of the worker serving the rack.
   */
  'workerId': (string);
}
