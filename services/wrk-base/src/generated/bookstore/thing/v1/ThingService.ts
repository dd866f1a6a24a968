// Original file: /work/main/proto/bookstore/thing/v1/thing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CountThingsRequest as _bookstore_thing_v1_CountThingsRequest, CountThingsRequest__Output as _bookstore_thing_v1_CountThingsRequest__Output } from '../../../bookstore/thing/v1/CountThingsRequest.js';
import type { CountThingsResponse as _bookstore_thing_v1_CountThingsResponse, CountThingsResponse__Output as _bookstore_thing_v1_CountThingsResponse__Output } from '../../../bookstore/thing/v1/CountThingsResponse.js';
import type { ForgetThingRequest as _bookstore_thing_v1_ForgetThingRequest, ForgetThingRequest__Output as _bookstore_thing_v1_ForgetThingRequest__Output } from '../../../bookstore/thing/v1/ForgetThingRequest.js';
import type { ForgetThingResponse as _bookstore_thing_v1_ForgetThingResponse, ForgetThingResponse__Output as _bookstore_thing_v1_ForgetThingResponse__Output } from '../../../bookstore/thing/v1/ForgetThingResponse.js';
import type { GetThingRequest as _bookstore_thing_v1_GetThingRequest, GetThingRequest__Output as _bookstore_thing_v1_GetThingRequest__Output } from '../../../bookstore/thing/v1/GetThingRequest.js';
import type { GetThingResponse as _bookstore_thing_v1_GetThingResponse, GetThingResponse__Output as _bookstore_thing_v1_GetThingResponse__Output } from '../../../bookstore/thing/v1/GetThingResponse.js';
import type { ListThingsRequest as _bookstore_thing_v1_ListThingsRequest, ListThingsRequest__Output as _bookstore_thing_v1_ListThingsRequest__Output } from '../../../bookstore/thing/v1/ListThingsRequest.js';
import type { ListThingsResponse as _bookstore_thing_v1_ListThingsResponse, ListThingsResponse__Output as _bookstore_thing_v1_ListThingsResponse__Output } from '../../../bookstore/thing/v1/ListThingsResponse.js';
import type { RegisterThingRequest as _bookstore_thing_v1_RegisterThingRequest, RegisterThingRequest__Output as _bookstore_thing_v1_RegisterThingRequest__Output } from '../../../bookstore/thing/v1/RegisterThingRequest.js';
import type { RegisterThingResponse as _bookstore_thing_v1_RegisterThingResponse, RegisterThingResponse__Output as _bookstore_thing_v1_RegisterThingResponse__Output } from '../../../bookstore/thing/v1/RegisterThingResponse.js';
import type { UpdateThingRequest as _bookstore_thing_v1_UpdateThingRequest, UpdateThingRequest__Output as _bookstore_thing_v1_UpdateThingRequest__Output } from '../../../bookstore/thing/v1/UpdateThingRequest.js';
import type { UpdateThingResponse as _bookstore_thing_v1_UpdateThingResponse, UpdateThingResponse__Output as _bookstore_thing_v1_UpdateThingResponse__Output } from '../../../bookstore/thing/v1/UpdateThingResponse.js';

/**
 * ThingService stores things in the rack of the worker that serves it.
 */
export interface ThingServiceClient extends grpc.Client {
  /**
   * CountThings counts things, optionally filtered.
   */
  CountThings(argument: _bookstore_thing_v1_CountThingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  CountThings(argument: _bookstore_thing_v1_CountThingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  CountThings(argument: _bookstore_thing_v1_CountThingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  CountThings(argument: _bookstore_thing_v1_CountThingsRequest, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CountThings counts things, optionally filtered.
   */
  countThings(argument: _bookstore_thing_v1_CountThingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  countThings(argument: _bookstore_thing_v1_CountThingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  countThings(argument: _bookstore_thing_v1_CountThingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  countThings(argument: _bookstore_thing_v1_CountThingsRequest, callback: grpc.requestCallback<_bookstore_thing_v1_CountThingsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ForgetThing deletes a thing.
   */
  ForgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  ForgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  ForgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  ForgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ForgetThing deletes a thing.
   */
  forgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  forgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  forgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  forgetThing(argument: _bookstore_thing_v1_ForgetThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_ForgetThingResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetThing returns one thing by id.
   */
  GetThing(argument: _bookstore_thing_v1_GetThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  GetThing(argument: _bookstore_thing_v1_GetThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  GetThing(argument: _bookstore_thing_v1_GetThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  GetThing(argument: _bookstore_thing_v1_GetThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetThing returns one thing by id.
   */
  getThing(argument: _bookstore_thing_v1_GetThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  getThing(argument: _bookstore_thing_v1_GetThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  getThing(argument: _bookstore_thing_v1_GetThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  getThing(argument: _bookstore_thing_v1_GetThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_GetThingResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListThings pages through things in (created_at, id) order, optionally filtered.
   */
  ListThings(argument: _bookstore_thing_v1_ListThingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  ListThings(argument: _bookstore_thing_v1_ListThingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  ListThings(argument: _bookstore_thing_v1_ListThingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  ListThings(argument: _bookstore_thing_v1_ListThingsRequest, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListThings pages through things in (created_at, id) order, optionally filtered.
   */
  listThings(argument: _bookstore_thing_v1_ListThingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  listThings(argument: _bookstore_thing_v1_ListThingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  listThings(argument: _bookstore_thing_v1_ListThingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  listThings(argument: _bookstore_thing_v1_ListThingsRequest, callback: grpc.requestCallback<_bookstore_thing_v1_ListThingsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * RegisterThing stores a new thing. The worker assigns its id, which carries the rack.
   */
  RegisterThing(argument: _bookstore_thing_v1_RegisterThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  RegisterThing(argument: _bookstore_thing_v1_RegisterThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  RegisterThing(argument: _bookstore_thing_v1_RegisterThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  RegisterThing(argument: _bookstore_thing_v1_RegisterThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RegisterThing stores a new thing. The worker assigns its id, which carries the rack.
   */
  registerThing(argument: _bookstore_thing_v1_RegisterThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  registerThing(argument: _bookstore_thing_v1_RegisterThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  registerThing(argument: _bookstore_thing_v1_RegisterThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  registerThing(argument: _bookstore_thing_v1_RegisterThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_RegisterThingResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * UpdateThing replaces a thing's tags and info when its version still matches.
   */
  UpdateThing(argument: _bookstore_thing_v1_UpdateThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  UpdateThing(argument: _bookstore_thing_v1_UpdateThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  UpdateThing(argument: _bookstore_thing_v1_UpdateThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  UpdateThing(argument: _bookstore_thing_v1_UpdateThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  /**
   * UpdateThing replaces a thing's tags and info when its version still matches.
   */
  updateThing(argument: _bookstore_thing_v1_UpdateThingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  updateThing(argument: _bookstore_thing_v1_UpdateThingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  updateThing(argument: _bookstore_thing_v1_UpdateThingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  updateThing(argument: _bookstore_thing_v1_UpdateThingRequest, callback: grpc.requestCallback<_bookstore_thing_v1_UpdateThingResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * ThingService stores things in the rack of the worker that serves it.
 */
export interface ThingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * CountThings counts things, optionally filtered.
   */
  CountThings: grpc.handleUnaryCall<_bookstore_thing_v1_CountThingsRequest__Output, _bookstore_thing_v1_CountThingsResponse>;
  
  /**
   * ForgetThing deletes a thing.
   */
  ForgetThing: grpc.handleUnaryCall<_bookstore_thing_v1_ForgetThingRequest__Output, _bookstore_thing_v1_ForgetThingResponse>;
  
  /**
   * GetThing returns one thing by id.
   */
  GetThing: grpc.handleUnaryCall<_bookstore_thing_v1_GetThingRequest__Output, _bookstore_thing_v1_GetThingResponse>;
  
  /**
   * ListThings pages through things in (created_at, id) order, optionally filtered.
   */
  ListThings: grpc.handleUnaryCall<_bookstore_thing_v1_ListThingsRequest__Output, _bookstore_thing_v1_ListThingsResponse>;
  
  /**
   * RegisterThing stores a new thing. The worker assigns its id, which carries the rack.
   */
  RegisterThing: grpc.handleUnaryCall<_bookstore_thing_v1_RegisterThingRequest__Output, _bookstore_thing_v1_RegisterThingResponse>;
  
  /**
   * UpdateThing replaces a thing's tags and info when its version still matches.
   */
  UpdateThing: grpc.handleUnaryCall<_bookstore_thing_v1_UpdateThingRequest__Output, _bookstore_thing_v1_UpdateThingResponse>;
  
}

export interface ThingServiceDefinition extends grpc.ServiceDefinition {
  CountThings: MethodDefinition<_bookstore_thing_v1_CountThingsRequest, _bookstore_thing_v1_CountThingsResponse, _bookstore_thing_v1_CountThingsRequest__Output, _bookstore_thing_v1_CountThingsResponse__Output>
  ForgetThing: MethodDefinition<_bookstore_thing_v1_ForgetThingRequest, _bookstore_thing_v1_ForgetThingResponse, _bookstore_thing_v1_ForgetThingRequest__Output, _bookstore_thing_v1_ForgetThingResponse__Output>
  GetThing: MethodDefinition<_bookstore_thing_v1_GetThingRequest, _bookstore_thing_v1_GetThingResponse, _bookstore_thing_v1_GetThingRequest__Output, _bookstore_thing_v1_GetThingResponse__Output>
  ListThings: MethodDefinition<_bookstore_thing_v1_ListThingsRequest, _bookstore_thing_v1_ListThingsResponse, _bookstore_thing_v1_ListThingsRequest__Output, _bookstore_thing_v1_ListThingsResponse__Output>
  RegisterThing: MethodDefinition<_bookstore_thing_v1_RegisterThingRequest, _bookstore_thing_v1_RegisterThingResponse, _bookstore_thing_v1_RegisterThingRequest__Output, _bookstore_thing_v1_RegisterThingResponse__Output>
  UpdateThing: MethodDefinition<_bookstore_thing_v1_UpdateThingRequest, _bookstore_thing_v1_UpdateThingResponse, _bookstore_thing_v1_UpdateThingRequest__Output, _bookstore_thing_v1_UpdateThingResponse__Output>
}
