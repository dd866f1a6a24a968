import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CountThingsRequest as _bookstore_thing_v1_CountThingsRequest, CountThingsRequest__Output as _bookstore_thing_v1_CountThingsRequest__Output } from './bookstore/thing/v1/CountThingsRequest.js';
import type { CountThingsResponse as _bookstore_thing_v1_CountThingsResponse, CountThingsResponse__Output as _bookstore_thing_v1_CountThingsResponse__Output } from './bookstore/thing/v1/CountThingsResponse.js';
import type { ForgetThingRequest as _bookstore_thing_v1_ForgetThingRequest, ForgetThingRequest__Output as _bookstore_thing_v1_ForgetThingRequest__Output } from './bookstore/thing/v1/ForgetThingRequest.js';
import type { ForgetThingResponse as _bookstore_thing_v1_ForgetThingResponse, ForgetThingResponse__Output as _bookstore_thing_v1_ForgetThingResponse__Output } from './bookstore/thing/v1/ForgetThingResponse.js';
import type { GetThingRequest as _bookstore_thing_v1_GetThingRequest, GetThingRequest__Output as _bookstore_thing_v1_GetThingRequest__Output } from './bookstore/thing/v1/GetThingRequest.js';
import type { GetThingResponse as _bookstore_thing_v1_GetThingResponse, GetThingResponse__Output as _bookstore_thing_v1_GetThingResponse__Output } from './bookstore/thing/v1/GetThingResponse.js';
import type { ListThingsRequest as _bookstore_thing_v1_ListThingsRequest, ListThingsRequest__Output as _bookstore_thing_v1_ListThingsRequest__Output } from './bookstore/thing/v1/ListThingsRequest.js';
import type { ListThingsResponse as _bookstore_thing_v1_ListThingsResponse, ListThingsResponse__Output as _bookstore_thing_v1_ListThingsResponse__Output } from './bookstore/thing/v1/ListThingsResponse.js';
import type { RegisterThingRequest as _bookstore_thing_v1_RegisterThingRequest, RegisterThingRequest__Output as _bookstore_thing_v1_RegisterThingRequest__Output } from './bookstore/thing/v1/RegisterThingRequest.js';
import type { RegisterThingResponse as _bookstore_thing_v1_RegisterThingResponse, RegisterThingResponse__Output as _bookstore_thing_v1_RegisterThingResponse__Output } from './bookstore/thing/v1/RegisterThingResponse.js';
import type { Thing as _bookstore_thing_v1_Thing, Thing__Output as _bookstore_thing_v1_Thing__Output } from './bookstore/thing/v1/Thing.js';
import type { ThingServiceClient as _bookstore_thing_v1_ThingServiceClient, ThingServiceDefinition as _bookstore_thing_v1_ThingServiceDefinition } from './bookstore/thing/v1/ThingService.js';
import type { UpdateThingRequest as _bookstore_thing_v1_UpdateThingRequest, UpdateThingRequest__Output as _bookstore_thing_v1_UpdateThingRequest__Output } from './bookstore/thing/v1/UpdateThingRequest.js';
import type { UpdateThingResponse as _bookstore_thing_v1_UpdateThingResponse, UpdateThingResponse__Output as _bookstore_thing_v1_UpdateThingResponse__Output } from './bookstore/thing/v1/UpdateThingResponse.js';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue.js';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bookstore: {
    thing: {
      v1: {
        CountThingsRequest: MessageTypeDefinition<_bookstore_thing_v1_CountThingsRequest, _bookstore_thing_v1_CountThingsRequest__Output>
        CountThingsResponse: MessageTypeDefinition<_bookstore_thing_v1_CountThingsResponse, _bookstore_thing_v1_CountThingsResponse__Output>
        ForgetThingRequest: MessageTypeDefinition<_bookstore_thing_v1_ForgetThingRequest, _bookstore_thing_v1_ForgetThingRequest__Output>
        ForgetThingResponse: MessageTypeDefinition<_bookstore_thing_v1_ForgetThingResponse, _bookstore_thing_v1_ForgetThingResponse__Output>
        GetThingRequest: MessageTypeDefinition<_bookstore_thing_v1_GetThingRequest, _bookstore_thing_v1_GetThingRequest__Output>
        GetThingResponse: MessageTypeDefinition<_bookstore_thing_v1_GetThingResponse, _bookstore_thing_v1_GetThingResponse__Output>
        ListThingsRequest: MessageTypeDefinition<_bookstore_thing_v1_ListThingsRequest, _bookstore_thing_v1_ListThingsRequest__Output>
        ListThingsResponse: MessageTypeDefinition<_bookstore_thing_v1_ListThingsResponse, _bookstore_thing_v1_ListThingsResponse__Output>
        RegisterThingRequest: MessageTypeDefinition<_bookstore_thing_v1_RegisterThingRequest, _bookstore_thing_v1_RegisterThingRequest__Output>
        RegisterThingResponse: MessageTypeDefinition<_bookstore_thing_v1_RegisterThingResponse, _bookstore_thing_v1_RegisterThingResponse__Output>
        Thing: MessageTypeDefinition<_bookstore_thing_v1_Thing, _bookstore_thing_v1_Thing__Output>
        /**
         * ThingService stores things in the rack of the worker that serves it.
         */
        ThingService: SubtypeConstructor<typeof grpc.Client, _bookstore_thing_v1_ThingServiceClient> & { service: _bookstore_thing_v1_ThingServiceDefinition }
        UpdateThingRequest: MessageTypeDefinition<_bookstore_thing_v1_UpdateThingRequest, _bookstore_thing_v1_UpdateThingRequest__Output>
        UpdateThingResponse: MessageTypeDefinition<_bookstore_thing_v1_UpdateThingResponse, _bookstore_thing_v1_UpdateThingResponse__Output>
      }
    }
  }
  google: {
    protobuf: {
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
}

