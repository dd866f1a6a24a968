// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { Worker as _bookstore_ork_v1_Worker, Worker__Output as _bookstore_ork_v1_Worker__Output } from '../../../bookstore/ork/v1/Worker.js';

/**
 * ListWorkersResponse lists workers, ordered by type, rack and id.
 */
export interface ListWorkersResponse {
  /**
   * The workers.
   */
  'workers'?: (_bookstore_ork_v1_Worker)[];
}

/**
 * ListWorkersResponse lists workers, ordered by type, rack and id.
 */
export interface ListWorkersResponse__Output {
  /**
   * The workers.
   */
  'workers': (_bookstore_ork_v1_Worker__Output)[];
}
