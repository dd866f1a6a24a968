import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeregisterRequest as _bookstore_ork_v1_DeregisterRequest, DeregisterRequest__Output as _bookstore_ork_v1_DeregisterRequest__Output } from './bookstore/ork/v1/DeregisterRequest.js';
import type { DeregisterResponse as _bookstore_ork_v1_DeregisterResponse, DeregisterResponse__Output as _bookstore_ork_v1_DeregisterResponse__Output } from './bookstore/ork/v1/DeregisterResponse.js';
import type { DrainWorkerRequest as _bookstore_ork_v1_DrainWorkerRequest, DrainWorkerRequest__Output as _bookstore_ork_v1_DrainWorkerRequest__Output } from './bookstore/ork/v1/DrainWorkerRequest.js';
import type { DrainWorkerResponse as _bookstore_ork_v1_DrainWorkerResponse, DrainWorkerResponse__Output as _bookstore_ork_v1_DrainWorkerResponse__Output } from './bookstore/ork/v1/DrainWorkerResponse.js';
import type { ForgetWorkerRequest as _bookstore_ork_v1_ForgetWorkerRequest, ForgetWorkerRequest__Output as _bookstore_ork_v1_ForgetWorkerRequest__Output } from './bookstore/ork/v1/ForgetWorkerRequest.js';
import type { ForgetWorkerResponse as _bookstore_ork_v1_ForgetWorkerResponse, ForgetWorkerResponse__Output as _bookstore_ork_v1_ForgetWorkerResponse__Output } from './bookstore/ork/v1/ForgetWorkerResponse.js';
import type { HeartbeatRequest as _bookstore_ork_v1_HeartbeatRequest, HeartbeatRequest__Output as _bookstore_ork_v1_HeartbeatRequest__Output } from './bookstore/ork/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _bookstore_ork_v1_HeartbeatResponse, HeartbeatResponse__Output as _bookstore_ork_v1_HeartbeatResponse__Output } from './bookstore/ork/v1/HeartbeatResponse.js';
import type { ListWorkersRequest as _bookstore_ork_v1_ListWorkersRequest, ListWorkersRequest__Output as _bookstore_ork_v1_ListWorkersRequest__Output } from './bookstore/ork/v1/ListWorkersRequest.js';
import type { ListWorkersResponse as _bookstore_ork_v1_ListWorkersResponse, ListWorkersResponse__Output as _bookstore_ork_v1_ListWorkersResponse__Output } from './bookstore/ork/v1/ListWorkersResponse.js';
import type { OrchestratorServiceClient as _bookstore_ork_v1_OrchestratorServiceClient, OrchestratorServiceDefinition as _bookstore_ork_v1_OrchestratorServiceDefinition } from './bookstore/ork/v1/OrchestratorService.js';
import type { RegisterRequest as _bookstore_ork_v1_RegisterRequest, RegisterRequest__Output as _bookstore_ork_v1_RegisterRequest__Output } from './bookstore/ork/v1/RegisterRequest.js';
import type { RegisterResponse as _bookstore_ork_v1_RegisterResponse, RegisterResponse__Output as _bookstore_ork_v1_RegisterResponse__Output } from './bookstore/ork/v1/RegisterResponse.js';
import type { Route as _bookstore_ork_v1_Route, Route__Output as _bookstore_ork_v1_Route__Output } from './bookstore/ork/v1/Route.js';
import type { WatchRoutingRequest as _bookstore_ork_v1_WatchRoutingRequest, WatchRoutingRequest__Output as _bookstore_ork_v1_WatchRoutingRequest__Output } from './bookstore/ork/v1/WatchRoutingRequest.js';
import type { WatchRoutingResponse as _bookstore_ork_v1_WatchRoutingResponse, WatchRoutingResponse__Output as _bookstore_ork_v1_WatchRoutingResponse__Output } from './bookstore/ork/v1/WatchRoutingResponse.js';
import type { Worker as _bookstore_ork_v1_Worker, Worker__Output as _bookstore_ork_v1_Worker__Output } from './bookstore/ork/v1/Worker.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bookstore: {
    ork: {
      v1: {
        DeregisterRequest: MessageTypeDefinition<_bookstore_ork_v1_DeregisterRequest, _bookstore_ork_v1_DeregisterRequest__Output>
        DeregisterResponse: MessageTypeDefinition<_bookstore_ork_v1_DeregisterResponse, _bookstore_ork_v1_DeregisterResponse__Output>
        DrainWorkerRequest: MessageTypeDefinition<_bookstore_ork_v1_DrainWorkerRequest, _bookstore_ork_v1_DrainWorkerRequest__Output>
        DrainWorkerResponse: MessageTypeDefinition<_bookstore_ork_v1_DrainWorkerResponse, _bookstore_ork_v1_DrainWorkerResponse__Output>
        ForgetWorkerRequest: MessageTypeDefinition<_bookstore_ork_v1_ForgetWorkerRequest, _bookstore_ork_v1_ForgetWorkerRequest__Output>
        ForgetWorkerResponse: MessageTypeDefinition<_bookstore_ork_v1_ForgetWorkerResponse, _bookstore_ork_v1_ForgetWorkerResponse__Output>
        HeartbeatAction: EnumTypeDefinition
        HeartbeatRequest: MessageTypeDefinition<_bookstore_ork_v1_HeartbeatRequest, _bookstore_ork_v1_HeartbeatRequest__Output>
        HeartbeatResponse: MessageTypeDefinition<_bookstore_ork_v1_HeartbeatResponse, _bookstore_ork_v1_HeartbeatResponse__Output>
        ListWorkersRequest: MessageTypeDefinition<_bookstore_ork_v1_ListWorkersRequest, _bookstore_ork_v1_ListWorkersRequest__Output>
        ListWorkersResponse: MessageTypeDefinition<_bookstore_ork_v1_ListWorkersResponse, _bookstore_ork_v1_ListWorkersResponse__Output>
        /**
         * OrchestratorService keeps the registry of workers and publishes where each rack is served.
         */
        OrchestratorService: SubtypeConstructor<typeof grpc.Client, _bookstore_ork_v1_OrchestratorServiceClient> & { service: _bookstore_ork_v1_OrchestratorServiceDefinition }
        RegisterRequest: MessageTypeDefinition<_bookstore_ork_v1_RegisterRequest, _bookstore_ork_v1_RegisterRequest__Output>
        RegisterResponse: MessageTypeDefinition<_bookstore_ork_v1_RegisterResponse, _bookstore_ork_v1_RegisterResponse__Output>
        Route: MessageTypeDefinition<_bookstore_ork_v1_Route, _bookstore_ork_v1_Route__Output>
        WatchRoutingRequest: MessageTypeDefinition<_bookstore_ork_v1_WatchRoutingRequest, _bookstore_ork_v1_WatchRoutingRequest__Output>
        WatchRoutingResponse: MessageTypeDefinition<_bookstore_ork_v1_WatchRoutingResponse, _bookstore_ork_v1_WatchRoutingResponse__Output>
        Worker: MessageTypeDefinition<_bookstore_ork_v1_Worker, _bookstore_ork_v1_Worker__Output>
        WorkerState: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

