// Original file: /work/main/proto/bookstore/book/v1/book.proto

/**
 * BookStatus says whether a book can be checked out.
 */
export const BookStatus = {
  /**
   * Not set: in a filter, any status.
   */
  BOOK_STATUS_UNSPECIFIED: 'BOOK_STATUS_UNSPECIFIED',
  /**
   * On the shelf.
   */
  BOOK_STATUS_AVAILABLE: 'BOOK_STATUS_AVAILABLE',
  /**
   * Lent to a borrower.
   */
  BOOK_STATUS_CHECKED_OUT: 'BOOK_STATUS_CHECKED_OUT',
} as const;

/**
 * BookStatus says whether a book can be checked out.
 */
export type BookStatus =
  /**
   * Not set: in a filter, any status.
   */
  | 'BOOK_STATUS_UNSPECIFIED'
  | 0
  /**
   * On the shelf.
   */
  | 'BOOK_STATUS_AVAILABLE'
  | 1
  /**
   * Lent to a borrower.
   */
  | 'BOOK_STATUS_CHECKED_OUT'
  | 2

/**
 * BookStatus says whether a book can be checked out.
 */
export type BookStatus__Output = typeof BookStatus[keyof typeof BookStatus]
