// Original file: /work/main/proto/bookstore/ork/v1/ork.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeregisterRequest as _bookstore_ork_v1_DeregisterRequest, DeregisterRequest__Output as _bookstore_ork_v1_DeregisterRequest__Output } from '../../../bookstore/ork/v1/DeregisterRequest.js';
import type { DeregisterResponse as _bookstore_ork_v1_DeregisterResponse, DeregisterResponse__Output as _bookstore_ork_v1_DeregisterResponse__Output } from '../../../bookstore/ork/v1/DeregisterResponse.js';
import type { DrainWorkerRequest as _bookstore_ork_v1_DrainWorkerRequest, DrainWorkerRequest__Output as _bookstore_ork_v1_DrainWorkerRequest__Output } from '../../../bookstore/ork/v1/DrainWorkerRequest.js';
import type { DrainWorkerResponse as _bookstore_ork_v1_DrainWorkerResponse, DrainWorkerResponse__Output as _bookstore_ork_v1_DrainWorkerResponse__Output } from '../../../bookstore/ork/v1/DrainWorkerResponse.js';
import type { ForgetWorkerRequest as _bookstore_ork_v1_ForgetWorkerRequest, ForgetWorkerRequest__Output as _bookstore_ork_v1_ForgetWorkerRequest__Output } from '../../../bookstore/ork/v1/ForgetWorkerRequest.js';
import type { ForgetWorkerResponse as _bookstore_ork_v1_ForgetWorkerResponse, ForgetWorkerResponse__Output as _bookstore_ork_v1_ForgetWorkerResponse__Output } from '../../../bookstore/ork/v1/ForgetWorkerResponse.js';
import type { HeartbeatRequest as _bookstore_ork_v1_HeartbeatRequest, HeartbeatRequest__Output as _bookstore_ork_v1_HeartbeatRequest__Output } from '../../../bookstore/ork/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _bookstore_ork_v1_HeartbeatResponse, HeartbeatResponse__Output as _bookstore_ork_v1_HeartbeatResponse__Output } from '../../../bookstore/ork/v1/HeartbeatResponse.js';
import type { ListWorkersRequest as _bookstore_ork_v1_ListWorkersRequest, ListWorkersRequest__Output as _bookstore_ork_v1_ListWorkersRequest__Output } from '../../../bookstore/ork/v1/ListWorkersRequest.js';
import type { ListWorkersResponse as _bookstore_ork_v1_ListWorkersResponse, ListWorkersResponse__Output as _bookstore_ork_v1_ListWorkersResponse__Output } from '../../../bookstore/ork/v1/ListWorkersResponse.js';
import type { RegisterRequest as _bookstore_ork_v1_RegisterRequest, RegisterRequest__Output as _bookstore_ork_v1_RegisterRequest__Output } from '../../../bookstore/ork/v1/RegisterRequest.js';
import type { RegisterResponse as _bookstore_ork_v1_RegisterResponse, RegisterResponse__Output as _bookstore_ork_v1_RegisterResponse__Output } from '../../../bookstore/ork/v1/RegisterResponse.js';
import type { WatchRoutingRequest as _bookstore_ork_v1_WatchRoutingRequest, WatchRoutingRequest__Output as _bookstore_ork_v1_WatchRoutingRequest__Output } from '../../../bookstore/ork/v1/WatchRoutingRequest.js';
import type { WatchRoutingResponse as _bookstore_ork_v1_WatchRoutingResponse, WatchRoutingResponse__Output as _bookstore_ork_v1_WatchRoutingResponse__Output } from '../../../bookstore/ork/v1/WatchRoutingResponse.js';

/**
 * OrchestratorService keeps the registry of workers and publishes where each rack is served.
 */
export interface OrchestratorServiceClient extends grpc.Client {
  /**
   * Deregister tells the orchestrator that a worker is stopping. A worker with a rack stays known as
   * DOWN (its rack still holds data) until a worker of its rack registers or it is forgotten; a
   * worker without a rack is removed.
   */
  Deregister(argument: _bookstore_ork_v1_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _bookstore_ork_v1_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _bookstore_ork_v1_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  Deregister(argument: _bookstore_ork_v1_DeregisterRequest, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deregister tells the orchestrator that a worker is stopping. A worker with a rack stays known as
   * DOWN (its rack still holds data) until a worker of its rack registers or it is forgotten; a
   * worker without a rack is removed.
   */
  deregister(argument: _bookstore_ork_v1_DeregisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _bookstore_ork_v1_DeregisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _bookstore_ork_v1_DeregisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  deregister(argument: _bookstore_ork_v1_DeregisterRequest, callback: grpc.requestCallback<_bookstore_ork_v1_DeregisterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * DrainWorker takes a worker out of routing, then tells it to stop at its next heartbeat.
   */
  DrainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  DrainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  DrainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  DrainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * DrainWorker takes a worker out of routing, then tells it to stop at its next heartbeat.
   */
  drainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  drainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  drainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  drainWorker(argument: _bookstore_ork_v1_DrainWorkerRequest, callback: grpc.requestCallback<_bookstore_ork_v1_DrainWorkerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ForgetWorker removes a worker from the registry at once, whatever its state.
   */
  ForgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  ForgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  ForgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  ForgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ForgetWorker removes a worker from the registry at once, whatever its state.
   */
  forgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  forgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  forgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  forgetWorker(argument: _bookstore_ork_v1_ForgetWorkerRequest, callback: grpc.requestCallback<_bookstore_ork_v1_ForgetWorkerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Heartbeat renews a worker's lease. The answer tells the worker what to do next.
   */
  Heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Heartbeat renews a worker's lease. The answer tells the worker what to do next.
   */
  heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _bookstore_ork_v1_HeartbeatRequest, callback: grpc.requestCallback<_bookstore_ork_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListWorkers returns every known worker, optionally of one type.
   */
  ListWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListWorkers returns every known worker, optionally of one type.
   */
  listWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _bookstore_ork_v1_ListWorkersRequest, callback: grpc.requestCallback<_bookstore_ork_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Register announces a worker. Registering again with the same worker id replaces the entry.
   */
  Register(argument: _bookstore_ork_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _bookstore_ork_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _bookstore_ork_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _bookstore_ork_v1_RegisterRequest, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Register announces a worker. Registering again with the same worker id replaces the entry.
   */
  register(argument: _bookstore_ork_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _bookstore_ork_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _bookstore_ork_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _bookstore_ork_v1_RegisterRequest, callback: grpc.requestCallback<_bookstore_ork_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * WatchRouting streams the routing table: the current table at once, then each change.
   */
  WatchRouting(argument: _bookstore_ork_v1_WatchRoutingRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_bookstore_ork_v1_WatchRoutingResponse__Output>;
  WatchRouting(argument: _bookstore_ork_v1_WatchRoutingRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_bookstore_ork_v1_WatchRoutingResponse__Output>;
  /**
   * WatchRouting streams the routing table: the current table at once, then each change.
   */
  watchRouting(argument: _bookstore_ork_v1_WatchRoutingRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_bookstore_ork_v1_WatchRoutingResponse__Output>;
  watchRouting(argument: _bookstore_ork_v1_WatchRoutingRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_bookstore_ork_v1_WatchRoutingResponse__Output>;
  
}

/**
 * OrchestratorService keeps the registry of workers and publishes where each rack is served.
 */
export interface OrchestratorServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Deregister tells the orchestrator that a worker is stopping. A worker with a rack stays known as
   * DOWN (its rack still holds data) until a worker of its rack registers or it is forgotten; a
   * worker without a rack is removed.
   */
  Deregister: grpc.handleUnaryCall<_bookstore_ork_v1_DeregisterRequest__Output, _bookstore_ork_v1_DeregisterResponse>;
  
  /**
   * DrainWorker takes a worker out of routing, then tells it to stop at its next heartbeat.
   */
  DrainWorker: grpc.handleUnaryCall<_bookstore_ork_v1_DrainWorkerRequest__Output, _bookstore_ork_v1_DrainWorkerResponse>;
  
  /**
   * ForgetWorker removes a worker from the registry at once, whatever its state.
   */
  ForgetWorker: grpc.handleUnaryCall<_bookstore_ork_v1_ForgetWorkerRequest__Output, _bookstore_ork_v1_ForgetWorkerResponse>;
  
  /**
   * Heartbeat renews a worker's lease. The answer tells the worker what to do next.
   */
  Heartbeat: grpc.handleUnaryCall<_bookstore_ork_v1_HeartbeatRequest__Output, _bookstore_ork_v1_HeartbeatResponse>;
  
  /**
   * ListWorkers returns every known worker, optionally of one type.
   */
  ListWorkers: grpc.handleUnaryCall<_bookstore_ork_v1_ListWorkersRequest__Output, _bookstore_ork_v1_ListWorkersResponse>;
  
  /**
   * Register announces a worker. Registering again with the same worker id replaces the entry.
   */
  Register: grpc.handleUnaryCall<_bookstore_ork_v1_RegisterRequest__Output, _bookstore_ork_v1_RegisterResponse>;
  
  /**
   * WatchRouting streams the routing table: the current table at once, then each change.
   */
  WatchRouting: grpc.handleServerStreamingCall<_bookstore_ork_v1_WatchRoutingRequest__Output, _bookstore_ork_v1_WatchRoutingResponse>;
  
}

export interface OrchestratorServiceDefinition extends grpc.ServiceDefinition {
  Deregister: MethodDefinition<_bookstore_ork_v1_DeregisterRequest, _bookstore_ork_v1_DeregisterResponse, _bookstore_ork_v1_DeregisterRequest__Output, _bookstore_ork_v1_DeregisterResponse__Output>
  DrainWorker: MethodDefinition<_bookstore_ork_v1_DrainWorkerRequest, _bookstore_ork_v1_DrainWorkerResponse, _bookstore_ork_v1_DrainWorkerRequest__Output, _bookstore_ork_v1_DrainWorkerResponse__Output>
  ForgetWorker: MethodDefinition<_bookstore_ork_v1_ForgetWorkerRequest, _bookstore_ork_v1_ForgetWorkerResponse, _bookstore_ork_v1_ForgetWorkerRequest__Output, _bookstore_ork_v1_ForgetWorkerResponse__Output>
  Heartbeat: MethodDefinition<_bookstore_ork_v1_HeartbeatRequest, _bookstore_ork_v1_HeartbeatResponse, _bookstore_ork_v1_HeartbeatRequest__Output, _bookstore_ork_v1_HeartbeatResponse__Output>
  ListWorkers: MethodDefinition<_bookstore_ork_v1_ListWorkersRequest, _bookstore_ork_v1_ListWorkersResponse, _bookstore_ork_v1_ListWorkersRequest__Output, _bookstore_ork_v1_ListWorkersResponse__Output>
  Register: MethodDefinition<_bookstore_ork_v1_RegisterRequest, _bookstore_ork_v1_RegisterResponse, _bookstore_ork_v1_RegisterRequest__Output, _bookstore_ork_v1_RegisterResponse__Output>
  WatchRouting: MethodDefinition<_bookstore_ork_v1_WatchRoutingRequest, _bookstore_ork_v1_WatchRoutingResponse, _bookstore_ork_v1_WatchRoutingRequest__Output, _bookstore_ork_v1_WatchRoutingResponse__Output>
}
