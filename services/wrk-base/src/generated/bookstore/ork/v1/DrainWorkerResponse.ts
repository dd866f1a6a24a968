// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { Worker as _bookstore_ork_v1_Worker, Worker__Output as _bookstore_ork_v1_Worker__Output } from '../../../bookstore/ork/v1/Worker.js';

/**
 * DrainWorkerResponse returns the drained worker.
 */
export interface DrainWorkerResponse {
  /**
   * The worker, now DRAINING.
   */
  'worker'?: (_bookstore_ork_v1_Worker | null);
}

/**
 * DrainWorkerResponse returns the drained worker.
 */
export interface DrainWorkerResponse__Output {
  /**
   * The worker, now DRAINING.
   */
  'worker': (_bookstore_ork_v1_Worker__Output | null);
}
