// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * DeregisterResponse has no fields.
 */
export interface DeregisterResponse {
}

/**
 * DeregisterResponse has no fields.
 */
export interface DeregisterResponse__Output {
}
