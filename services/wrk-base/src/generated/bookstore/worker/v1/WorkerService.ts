// Original file: /work/main/proto/bookstore/worker/v1/worker.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetInfoRequest as _bookstore_worker_v1_GetInfoRequest, GetInfoRequest__Output as _bookstore_worker_v1_GetInfoRequest__Output } from '../../../bookstore/worker/v1/GetInfoRequest.js';
import type { GetInfoResponse as _bookstore_worker_v1_GetInfoResponse, GetInfoResponse__Output as _bookstore_worker_v1_GetInfoResponse__Output } from '../../../bookstore/worker/v1/GetInfoResponse.js';
import type { PingRequest as _bookstore_worker_v1_PingRequest, PingRequest__Output as _bookstore_worker_v1_PingRequest__Output } from '../../../bookstore/worker/v1/PingRequest.js';
import type { PingResponse as _bookstore_worker_v1_PingResponse, PingResponse__Output as _bookstore_worker_v1_PingResponse__Output } from '../../../bookstore/worker/v1/PingResponse.js';

/**
 * WorkerService answers who a worker is and whether it is reachable.
 */
export interface WorkerServiceClient extends grpc.Client {
  /**
   * GetInfo describes the worker: its id, type, rack, version and start time.
   */
  GetInfo(argument: _bookstore_worker_v1_GetInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _bookstore_worker_v1_GetInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _bookstore_worker_v1_GetInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  GetInfo(argument: _bookstore_worker_v1_GetInfoRequest, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetInfo describes the worker: its id, type, rack, version and start time.
   */
  getInfo(argument: _bookstore_worker_v1_GetInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _bookstore_worker_v1_GetInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _bookstore_worker_v1_GetInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  getInfo(argument: _bookstore_worker_v1_GetInfoRequest, callback: grpc.requestCallback<_bookstore_worker_v1_GetInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ping answers at once; it proves the worker's gRPC server is up.
   */
  Ping(argument: _bookstore_worker_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _bookstore_worker_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _bookstore_worker_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _bookstore_worker_v1_PingRequest, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ping answers at once; it proves the worker's gRPC server is up.
   */
  ping(argument: _bookstore_worker_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _bookstore_worker_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _bookstore_worker_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _bookstore_worker_v1_PingRequest, callback: grpc.requestCallback<_bookstore_worker_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * WorkerService answers who a worker is and whether it is reachable.
 */
export interface WorkerServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * GetInfo describes the worker: its id, type, rack, version and start time.
   */
  GetInfo: grpc.handleUnaryCall<_bookstore_worker_v1_GetInfoRequest__Output, _bookstore_worker_v1_GetInfoResponse>;
  
  /**
   * Ping answers at once; it proves the worker's gRPC server is up.
   */
  Ping: grpc.handleUnaryCall<_bookstore_worker_v1_PingRequest__Output, _bookstore_worker_v1_PingResponse>;
  
}

export interface WorkerServiceDefinition extends grpc.ServiceDefinition {
  GetInfo: MethodDefinition<_bookstore_worker_v1_GetInfoRequest, _bookstore_worker_v1_GetInfoResponse, _bookstore_worker_v1_GetInfoRequest__Output, _bookstore_worker_v1_GetInfoResponse__Output>
  Ping: MethodDefinition<_bookstore_worker_v1_PingRequest, _bookstore_worker_v1_PingResponse, _bookstore_worker_v1_PingRequest__Output, _bookstore_worker_v1_PingResponse__Output>
}
