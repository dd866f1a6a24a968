// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ForgetThingRequest names the thing to delete.
 */
export interface ForgetThingRequest {
  /**
   * Id of the thing.
   */
  'id'?: (string);
  /**
   * As in UpdateThingRequest: 0 skips the check.
   */
  'expectedVersion'?: (number | string | Long);
}

/**
 * ForgetThingRequest names the thing to delete.
 */
export interface ForgetThingRequest__Output {
  /**
   * Id of the thing.
   */
  'id': (string);
  /**
   * As in UpdateThingRequest: 0 skips the check.
   */
  'expectedVersion': (number);
}
