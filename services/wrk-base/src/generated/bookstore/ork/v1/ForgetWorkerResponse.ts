// Original file: /work/main/proto/bookstore/ork/v1/ork.proto


/**
 * ForgetWorkerResponse has no fields.
 */
export interface ForgetWorkerResponse {
}

/**
 * ForgetWorkerResponse has no fields.
 */
export interface ForgetWorkerResponse__Output {
}
