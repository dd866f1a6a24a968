import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetInfoRequest as _bookstore_worker_v1_GetInfoRequest, GetInfoRequest__Output as _bookstore_worker_v1_GetInfoRequest__Output } from './bookstore/worker/v1/GetInfoRequest.js';
import type { GetInfoResponse as _bookstore_worker_v1_GetInfoResponse, GetInfoResponse__Output as _bookstore_worker_v1_GetInfoResponse__Output } from './bookstore/worker/v1/GetInfoResponse.js';
import type { PingRequest as _bookstore_worker_v1_PingRequest, PingRequest__Output as _bookstore_worker_v1_PingRequest__Output } from './bookstore/worker/v1/PingRequest.js';
import type { PingResponse as _bookstore_worker_v1_PingResponse, PingResponse__Output as _bookstore_worker_v1_PingResponse__Output } from './bookstore/worker/v1/PingResponse.js';
import type { WorkerServiceClient as _bookstore_worker_v1_WorkerServiceClient, WorkerServiceDefinition as _bookstore_worker_v1_WorkerServiceDefinition } from './bookstore/worker/v1/WorkerService.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bookstore: {
    worker: {
      v1: {
        GetInfoRequest: MessageTypeDefinition<_bookstore_worker_v1_GetInfoRequest, _bookstore_worker_v1_GetInfoRequest__Output>
        GetInfoResponse: MessageTypeDefinition<_bookstore_worker_v1_GetInfoResponse, _bookstore_worker_v1_GetInfoResponse__Output>
        PingRequest: MessageTypeDefinition<_bookstore_worker_v1_PingRequest, _bookstore_worker_v1_PingRequest__Output>
        PingResponse: MessageTypeDefinition<_bookstore_worker_v1_PingResponse, _bookstore_worker_v1_PingResponse__Output>
        /**
         * WorkerService answers who a worker is and whether it is reachable.
         */
        WorkerService: SubtypeConstructor<typeof grpc.Client, _bookstore_worker_v1_WorkerServiceClient> & { service: _bookstore_worker_v1_WorkerServiceDefinition }
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

