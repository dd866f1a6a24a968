// Original file: /work/main/proto/bookstore/book/v1/book.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckoutBookRequest as _bookstore_book_v1_CheckoutBookRequest, CheckoutBookRequest__Output as _bookstore_book_v1_CheckoutBookRequest__Output } from '../../../bookstore/book/v1/CheckoutBookRequest.js';
import type { CheckoutBookResponse as _bookstore_book_v1_CheckoutBookResponse, CheckoutBookResponse__Output as _bookstore_book_v1_CheckoutBookResponse__Output } from '../../../bookstore/book/v1/CheckoutBookResponse.js';
import type { CreateBookRequest as _bookstore_book_v1_CreateBookRequest, CreateBookRequest__Output as _bookstore_book_v1_CreateBookRequest__Output } from '../../../bookstore/book/v1/CreateBookRequest.js';
import type { CreateBookResponse as _bookstore_book_v1_CreateBookResponse, CreateBookResponse__Output as _bookstore_book_v1_CreateBookResponse__Output } from '../../../bookstore/book/v1/CreateBookResponse.js';
import type { DeleteBookRequest as _bookstore_book_v1_DeleteBookRequest, DeleteBookRequest__Output as _bookstore_book_v1_DeleteBookRequest__Output } from '../../../bookstore/book/v1/DeleteBookRequest.js';
import type { DeleteBookResponse as _bookstore_book_v1_DeleteBookResponse, DeleteBookResponse__Output as _bookstore_book_v1_DeleteBookResponse__Output } from '../../../bookstore/book/v1/DeleteBookResponse.js';
import type { GetBookRequest as _bookstore_book_v1_GetBookRequest, GetBookRequest__Output as _bookstore_book_v1_GetBookRequest__Output } from '../../../bookstore/book/v1/GetBookRequest.js';
import type { GetBookResponse as _bookstore_book_v1_GetBookResponse, GetBookResponse__Output as _bookstore_book_v1_GetBookResponse__Output } from '../../../bookstore/book/v1/GetBookResponse.js';
import type { ListBooksRequest as _bookstore_book_v1_ListBooksRequest, ListBooksRequest__Output as _bookstore_book_v1_ListBooksRequest__Output } from '../../../bookstore/book/v1/ListBooksRequest.js';
import type { ListBooksResponse as _bookstore_book_v1_ListBooksResponse, ListBooksResponse__Output as _bookstore_book_v1_ListBooksResponse__Output } from '../../../bookstore/book/v1/ListBooksResponse.js';
import type { ReturnBookRequest as _bookstore_book_v1_ReturnBookRequest, ReturnBookRequest__Output as _bookstore_book_v1_ReturnBookRequest__Output } from '../../../bookstore/book/v1/ReturnBookRequest.js';
import type { ReturnBookResponse as _bookstore_book_v1_ReturnBookResponse, ReturnBookResponse__Output as _bookstore_book_v1_ReturnBookResponse__Output } from '../../../bookstore/book/v1/ReturnBookResponse.js';
import type { UpdateBookRequest as _bookstore_book_v1_UpdateBookRequest, UpdateBookRequest__Output as _bookstore_book_v1_UpdateBookRequest__Output } from '../../../bookstore/book/v1/UpdateBookRequest.js';
import type { UpdateBookResponse as _bookstore_book_v1_UpdateBookResponse, UpdateBookResponse__Output as _bookstore_book_v1_UpdateBookResponse__Output } from '../../../bookstore/book/v1/UpdateBookResponse.js';

/**
 * BookService manages the books of one rack.
 */
export interface BookServiceClient extends grpc.Client {
  /**
   * CheckoutBook lends an AVAILABLE book to a borrower; FAILED_PRECONDITION when it is out.
   */
  CheckoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  CheckoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  CheckoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  CheckoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CheckoutBook lends an AVAILABLE book to a borrower; FAILED_PRECONDITION when it is out.
   */
  checkoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  checkoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  checkoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  checkoutBook(argument: _bookstore_book_v1_CheckoutBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_CheckoutBookResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CreateBook stores a new book; its status starts AVAILABLE.
   */
  CreateBook(argument: _bookstore_book_v1_CreateBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  CreateBook(argument: _bookstore_book_v1_CreateBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  CreateBook(argument: _bookstore_book_v1_CreateBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  CreateBook(argument: _bookstore_book_v1_CreateBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CreateBook stores a new book; its status starts AVAILABLE.
   */
  createBook(argument: _bookstore_book_v1_CreateBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  createBook(argument: _bookstore_book_v1_CreateBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  createBook(argument: _bookstore_book_v1_CreateBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  createBook(argument: _bookstore_book_v1_CreateBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_CreateBookResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * DeleteBook removes a book.
   */
  DeleteBook(argument: _bookstore_book_v1_DeleteBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  DeleteBook(argument: _bookstore_book_v1_DeleteBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  DeleteBook(argument: _bookstore_book_v1_DeleteBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  DeleteBook(argument: _bookstore_book_v1_DeleteBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * DeleteBook removes a book.
   */
  deleteBook(argument: _bookstore_book_v1_DeleteBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  deleteBook(argument: _bookstore_book_v1_DeleteBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  deleteBook(argument: _bookstore_book_v1_DeleteBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  deleteBook(argument: _bookstore_book_v1_DeleteBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_DeleteBookResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * GetBook returns one book.
   */
  GetBook(argument: _bookstore_book_v1_GetBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  GetBook(argument: _bookstore_book_v1_GetBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  GetBook(argument: _bookstore_book_v1_GetBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  GetBook(argument: _bookstore_book_v1_GetBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * GetBook returns one book.
   */
  getBook(argument: _bookstore_book_v1_GetBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  getBook(argument: _bookstore_book_v1_GetBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  getBook(argument: _bookstore_book_v1_GetBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  getBook(argument: _bookstore_book_v1_GetBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_GetBookResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ListBooks lists and searches books, in (created_at, id) order, a page at a time.
   */
  ListBooks(argument: _bookstore_book_v1_ListBooksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  ListBooks(argument: _bookstore_book_v1_ListBooksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  ListBooks(argument: _bookstore_book_v1_ListBooksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  ListBooks(argument: _bookstore_book_v1_ListBooksRequest, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ListBooks lists and searches books, in (created_at, id) order, a page at a time.
   */
  listBooks(argument: _bookstore_book_v1_ListBooksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  listBooks(argument: _bookstore_book_v1_ListBooksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  listBooks(argument: _bookstore_book_v1_ListBooksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  listBooks(argument: _bookstore_book_v1_ListBooksRequest, callback: grpc.requestCallback<_bookstore_book_v1_ListBooksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ReturnBook makes a CHECKED_OUT book AVAILABLE again; FAILED_PRECONDITION when it is not out.
   */
  ReturnBook(argument: _bookstore_book_v1_ReturnBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  ReturnBook(argument: _bookstore_book_v1_ReturnBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  ReturnBook(argument: _bookstore_book_v1_ReturnBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  ReturnBook(argument: _bookstore_book_v1_ReturnBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ReturnBook makes a CHECKED_OUT book AVAILABLE again; FAILED_PRECONDITION when it is not out.
   */
  returnBook(argument: _bookstore_book_v1_ReturnBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  returnBook(argument: _bookstore_book_v1_ReturnBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  returnBook(argument: _bookstore_book_v1_ReturnBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  returnBook(argument: _bookstore_book_v1_ReturnBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_ReturnBookResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * UpdateBook changes the fields named in update_mask.
   */
  UpdateBook(argument: _bookstore_book_v1_UpdateBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  UpdateBook(argument: _bookstore_book_v1_UpdateBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  UpdateBook(argument: _bookstore_book_v1_UpdateBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  UpdateBook(argument: _bookstore_book_v1_UpdateBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  /**
   * UpdateBook changes the fields named in update_mask.
   */
  updateBook(argument: _bookstore_book_v1_UpdateBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  updateBook(argument: _bookstore_book_v1_UpdateBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  updateBook(argument: _bookstore_book_v1_UpdateBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  updateBook(argument: _bookstore_book_v1_UpdateBookRequest, callback: grpc.requestCallback<_bookstore_book_v1_UpdateBookResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * BookService manages the books of one rack.
 */
export interface BookServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * CheckoutBook lends an AVAILABLE book to a borrower; FAILED_PRECONDITION when it is out.
   */
  CheckoutBook: grpc.handleUnaryCall<_bookstore_book_v1_CheckoutBookRequest__Output, _bookstore_book_v1_CheckoutBookResponse>;
  
  /**
   * CreateBook stores a new book; its status starts AVAILABLE.
   */
  CreateBook: grpc.handleUnaryCall<_bookstore_book_v1_CreateBookRequest__Output, _bookstore_book_v1_CreateBookResponse>;
  
  /**
   * DeleteBook removes a book.
   */
  DeleteBook: grpc.handleUnaryCall<_bookstore_book_v1_DeleteBookRequest__Output, _bookstore_book_v1_DeleteBookResponse>;
  
  /**
   * GetBook returns one book.
   */
  GetBook: grpc.handleUnaryCall<_bookstore_book_v1_GetBookRequest__Output, _bookstore_book_v1_GetBookResponse>;
  
  /**
   * ListBooks lists and searches books, in (created_at, id) order, a page at a time.
   */
  ListBooks: grpc.handleUnaryCall<_bookstore_book_v1_ListBooksRequest__Output, _bookstore_book_v1_ListBooksResponse>;
  
  /**
   * ReturnBook makes a CHECKED_OUT book AVAILABLE again; FAILED_PRECONDITION when it is not out.
   */
  ReturnBook: grpc.handleUnaryCall<_bookstore_book_v1_ReturnBookRequest__Output, _bookstore_book_v1_ReturnBookResponse>;
  
  /**
   * UpdateBook changes the fields named in update_mask.
   */
  UpdateBook: grpc.handleUnaryCall<_bookstore_book_v1_UpdateBookRequest__Output, _bookstore_book_v1_UpdateBookResponse>;
  
}

export interface BookServiceDefinition extends grpc.ServiceDefinition {
  CheckoutBook: MethodDefinition<_bookstore_book_v1_CheckoutBookRequest, _bookstore_book_v1_CheckoutBookResponse, _bookstore_book_v1_CheckoutBookRequest__Output, _bookstore_book_v1_CheckoutBookResponse__Output>
  CreateBook: MethodDefinition<_bookstore_book_v1_CreateBookRequest, _bookstore_book_v1_CreateBookResponse, _bookstore_book_v1_CreateBookRequest__Output, _bookstore_book_v1_CreateBookResponse__Output>
  DeleteBook: MethodDefinition<_bookstore_book_v1_DeleteBookRequest, _bookstore_book_v1_DeleteBookResponse, _bookstore_book_v1_DeleteBookRequest__Output, _bookstore_book_v1_DeleteBookResponse__Output>
  GetBook: MethodDefinition<_bookstore_book_v1_GetBookRequest, _bookstore_book_v1_GetBookResponse, _bookstore_book_v1_GetBookRequest__Output, _bookstore_book_v1_GetBookResponse__Output>
  ListBooks: MethodDefinition<_bookstore_book_v1_ListBooksRequest, _bookstore_book_v1_ListBooksResponse, _bookstore_book_v1_ListBooksRequest__Output, _bookstore_book_v1_ListBooksResponse__Output>
  ReturnBook: MethodDefinition<_bookstore_book_v1_ReturnBookRequest, _bookstore_book_v1_ReturnBookResponse, _bookstore_book_v1_ReturnBookRequest__Output, _bookstore_book_v1_ReturnBookResponse__Output>
  UpdateBook: MethodDefinition<_bookstore_book_v1_UpdateBookRequest, _bookstore_book_v1_UpdateBookResponse, _bookstore_book_v1_UpdateBookRequest__Output, _bookstore_book_v1_UpdateBookResponse__Output>
}
