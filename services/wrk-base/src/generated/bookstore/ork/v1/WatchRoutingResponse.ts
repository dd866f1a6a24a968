// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type { Route as _bookstore_ork_v1_Route, Route__Output as _bookstore_ork_v1_Route__Output } from '../../../bookstore/ork/v1/Route.js';
import type { Long } from '@grpc/proto-loader';

/**
 * WatchRoutingResponse is one full routing table.
 */
export interface WatchRoutingResponse {
  /**
   * Every known rack, healthy or not, ordered by type and rack.
   */
  'routes'?: (_bookstore_ork_v1_Route)[];
  /**
   * Increases with every change of the table since the orchestrator started.
   */
  'revision'?: (number | string | Long);
  /**
   * The orchestrator's incarnation (see RegisterResponse.incarnation): a gateway that sees it change
   * keeps the healthy routes the new table does not have yet while their workers register again.
   */
  'incarnation'?: (number | string | Long);
}

/**
 * WatchRoutingResponse is one full routing table.
 */
export interface WatchRoutingResponse__Output {
  /**
   * Every known rack, healthy or not, ordered by type and rack.
   */
  'routes': (_bookstore_ork_v1_Route__Output)[];
  /**
   * Increases with every change of the table since the orchestrator started.
   */
  'revision': (number);
  /**
   * The orchestrator's incarnation (see RegisterResponse.incarnation): a gateway that sees it change
   * keeps the healthy routes the new table does not have yet while their workers register again.
   */
  'incarnation': (number);
}
