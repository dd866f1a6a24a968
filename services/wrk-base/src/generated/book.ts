import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Book as _bookstore_book_v1_Book, Book__Output as _bookstore_book_v1_Book__Output } from './bookstore/book/v1/Book.js';
import type { BookServiceClient as _bookstore_book_v1_BookServiceClient, BookServiceDefinition as _bookstore_book_v1_BookServiceDefinition } from './bookstore/book/v1/BookService.js';
import type { CheckoutBookRequest as _bookstore_book_v1_CheckoutBookRequest, CheckoutBookRequest__Output as _bookstore_book_v1_CheckoutBookRequest__Output } from './bookstore/book/v1/CheckoutBookRequest.js';
import type { CheckoutBookResponse as _bookstore_book_v1_CheckoutBookResponse, CheckoutBookResponse__Output as _bookstore_book_v1_CheckoutBookResponse__Output } from './bookstore/book/v1/CheckoutBookResponse.js';
import type { CreateBookRequest as _bookstore_book_v1_CreateBookRequest, CreateBookRequest__Output as _bookstore_book_v1_CreateBookRequest__Output } from './bookstore/book/v1/CreateBookRequest.js';
import type { CreateBookResponse as _bookstore_book_v1_CreateBookResponse, CreateBookResponse__Output as _bookstore_book_v1_CreateBookResponse__Output } from './bookstore/book/v1/CreateBookResponse.js';
import type { DeleteBookRequest as _bookstore_book_v1_DeleteBookRequest, DeleteBookRequest__Output as _bookstore_book_v1_DeleteBookRequest__Output } from './bookstore/book/v1/DeleteBookRequest.js';
import type { DeleteBookResponse as _bookstore_book_v1_DeleteBookResponse, DeleteBookResponse__Output as _bookstore_book_v1_DeleteBookResponse__Output } from './bookstore/book/v1/DeleteBookResponse.js';
import type { GetBookRequest as _bookstore_book_v1_GetBookRequest, GetBookRequest__Output as _bookstore_book_v1_GetBookRequest__Output } from './bookstore/book/v1/GetBookRequest.js';
import type { GetBookResponse as _bookstore_book_v1_GetBookResponse, GetBookResponse__Output as _bookstore_book_v1_GetBookResponse__Output } from './bookstore/book/v1/GetBookResponse.js';
import type { ListBooksRequest as _bookstore_book_v1_ListBooksRequest, ListBooksRequest__Output as _bookstore_book_v1_ListBooksRequest__Output } from './bookstore/book/v1/ListBooksRequest.js';
import type { ListBooksResponse as _bookstore_book_v1_ListBooksResponse, ListBooksResponse__Output as _bookstore_book_v1_ListBooksResponse__Output } from './bookstore/book/v1/ListBooksResponse.js';
import type { ReturnBookRequest as _bookstore_book_v1_ReturnBookRequest, ReturnBookRequest__Output as _bookstore_book_v1_ReturnBookRequest__Output } from './bookstore/book/v1/ReturnBookRequest.js';
import type { ReturnBookResponse as _bookstore_book_v1_ReturnBookResponse, ReturnBookResponse__Output as _bookstore_book_v1_ReturnBookResponse__Output } from './bookstore/book/v1/ReturnBookResponse.js';
import type { UpdateBookRequest as _bookstore_book_v1_UpdateBookRequest, UpdateBookRequest__Output as _bookstore_book_v1_UpdateBookRequest__Output } from './bookstore/book/v1/UpdateBookRequest.js';
import type { UpdateBookResponse as _bookstore_book_v1_UpdateBookResponse, UpdateBookResponse__Output as _bookstore_book_v1_UpdateBookResponse__Output } from './bookstore/book/v1/UpdateBookResponse.js';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from './google/protobuf/FieldMask.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bookstore: {
    book: {
      v1: {
        Book: MessageTypeDefinition<_bookstore_book_v1_Book, _bookstore_book_v1_Book__Output>
        /**
         * BookService manages the books of one rack.
         */
        BookService: SubtypeConstructor<typeof grpc.Client, _bookstore_book_v1_BookServiceClient> & { service: _bookstore_book_v1_BookServiceDefinition }
        BookStatus: EnumTypeDefinition
        CheckoutBookRequest: MessageTypeDefinition<_bookstore_book_v1_CheckoutBookRequest, _bookstore_book_v1_CheckoutBookRequest__Output>
        CheckoutBookResponse: MessageTypeDefinition<_bookstore_book_v1_CheckoutBookResponse, _bookstore_book_v1_CheckoutBookResponse__Output>
        CreateBookRequest: MessageTypeDefinition<_bookstore_book_v1_CreateBookRequest, _bookstore_book_v1_CreateBookRequest__Output>
        CreateBookResponse: MessageTypeDefinition<_bookstore_book_v1_CreateBookResponse, _bookstore_book_v1_CreateBookResponse__Output>
        DeleteBookRequest: MessageTypeDefinition<_bookstore_book_v1_DeleteBookRequest, _bookstore_book_v1_DeleteBookRequest__Output>
        DeleteBookResponse: MessageTypeDefinition<_bookstore_book_v1_DeleteBookResponse, _bookstore_book_v1_DeleteBookResponse__Output>
        GetBookRequest: MessageTypeDefinition<_bookstore_book_v1_GetBookRequest, _bookstore_book_v1_GetBookRequest__Output>
        GetBookResponse: MessageTypeDefinition<_bookstore_book_v1_GetBookResponse, _bookstore_book_v1_GetBookResponse__Output>
        ListBooksRequest: MessageTypeDefinition<_bookstore_book_v1_ListBooksRequest, _bookstore_book_v1_ListBooksRequest__Output>
        ListBooksResponse: MessageTypeDefinition<_bookstore_book_v1_ListBooksResponse, _bookstore_book_v1_ListBooksResponse__Output>
        ReturnBookRequest: MessageTypeDefinition<_bookstore_book_v1_ReturnBookRequest, _bookstore_book_v1_ReturnBookRequest__Output>
        ReturnBookResponse: MessageTypeDefinition<_bookstore_book_v1_ReturnBookResponse, _bookstore_book_v1_ReturnBookResponse__Output>
        UpdateBookRequest: MessageTypeDefinition<_bookstore_book_v1_UpdateBookRequest, _bookstore_book_v1_UpdateBookRequest__Output>
        UpdateBookResponse: MessageTypeDefinition<_bookstore_book_v1_UpdateBookResponse, _bookstore_book_v1_UpdateBookResponse__Output>
      }
    }
  }
  google: {
    protobuf: {
      FieldMask: MessageTypeDefinition<_google_protobuf_FieldMask, _google_protobuf_FieldMask__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

