// Original file: /work/main/proto/bookstore/thing/v1/thing.proto


/**
 * ForgetThingResponse has no fields.
 */
export interface ForgetThingResponse {
}

/**
 * ForgetThingResponse has no fields.
 */
export interface ForgetThingResponse__Output {
}
