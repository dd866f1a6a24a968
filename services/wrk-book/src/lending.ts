import { failedPrecondition, type RpcError } from "@bookstore/wrk-base";
import { ANY_VERSION, type StoredThing, type ThingStore } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, STORED_STATUSES, readBookInfo, type StoredStatus } from "./book.js";
import { statusCondition } from "./book-search.js";

/**
 * Checkout and return: each is one compare-and-set on the store (`update` checks the status in
 * the write's own transaction), so of two checkouts of the same book exactly one wins, in this
 * process or any other.
 */
export class Lending {
  constructor(private readonly store: ThingStore) {}

  checkout(id: string, borrower: string): StoredThing {
    return this.move(id, "available", "checked_out", borrower, "", () => failedPrecondition(`book ${id} is already checked out`));
  }

  /** Returns the book; with `borrower`, only when that is who has it. */
  giveBack(id: string, borrower = ""): StoredThing {
    return this.move(id, "checked_out", "available", "", borrower, () =>
      failedPrecondition(borrower === "" ? `book ${id} is not checked out` : `book ${id} is not checked out by ${borrower}`),
    );
  }

  /** Books of each status in the rack, for the book_books gauge; undefined once the store is closed. */
  countByStatus(): Record<StoredStatus, number> | undefined {
    if (!this.store.isOpen) return undefined;
    const counts: Record<StoredStatus, number> = { available: 0, checked_out: 0 };
    for (const status of STORED_STATUSES) counts[status] = this.store.count({ type: BOOK_TYPE, conditions: [statusCondition(status)] });
    return counts;
  }

  /**
   * The book after its status went from `from` to `to` (and, with `expectedBorrower`, only when
   * that is its borrower); `refused()` when it was not so; NOT_FOUND when there is no such book.
   */
  private move(id: string, from: StoredStatus, to: StoredStatus, borrower: string, expectedBorrower: string, refused: () => RpcError): StoredThing {
    return this.store.update(
      id,
      ANY_VERSION,
      (current) => {
        const { status, borrower: holder } = readBookInfo(current.info);
        if (status !== from || (expectedBorrower !== "" && holder !== expectedBorrower)) throw refused();
        return { tags: current.tags, info: { ...current.info, status: to, borrower } };
      },
      { type: BOOK_TYPE },
    );
  }
}
