// Original file: /work/main/proto/bookstore/worker/v1/worker.proto


/**
 * GetInfoRequest has no fields.
 */
export interface GetInfoRequest {
}

/**
 * GetInfoRequest has no fields.
 */
export interface GetInfoRequest__Output {
}
