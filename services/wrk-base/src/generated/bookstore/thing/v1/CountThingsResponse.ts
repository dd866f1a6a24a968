// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type { Long } from '@grpc/proto-loader';

/**
 * CountThingsResponse is the count.
 */
export interface CountThingsResponse {
  /**
   * How many things match.
   */
  'count'?: (number | string | Long);
}

/**
 * CountThingsResponse is the count.
 */
export interface CountThingsResponse__Output {
  /**
   * How many things match.
   */
  'count': (number);
}
