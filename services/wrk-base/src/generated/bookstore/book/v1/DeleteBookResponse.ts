// Original file: /work/main/proto/bookstore/book/v1/book.proto


/**
 * DeleteBookResponse has no fields.
 */
export interface DeleteBookResponse {
}

/**
 * DeleteBookResponse has no fields.
 */
export interface DeleteBookResponse__Output {
}
