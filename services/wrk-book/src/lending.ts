import type { SQLOutputValue } from "node:sqlite";
import { failedPrecondition, notFound } from "@bookstore/wrk-base";
import { THING_COLUMNS, thingFromRow, type StoredThing, type ThingStore } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, STORED_STATUSES, type StoredStatus } from "./book.js";
import { STATUS_EXPRESSION } from "./book-schema.js";

/**
 * Checkout and return: each is one UPDATE that changes the status only when it is still the
 * expected one, so of two checkouts of the same book exactly one wins, in this process or any other.
 */
export class Lending {
  constructor(private readonly store: ThingStore) {}

  checkout(id: string, borrower: string): StoredThing {
    const changed = this.move(id, "available", "checked_out", borrower);
    if (changed) return changed;
    throw failedPrecondition(`book ${id} is already checked out`);
  }

  /** Returns the book; with `borrower`, only when that is who has it. */
  giveBack(id: string, borrower = ""): StoredThing {
    const changed = this.move(id, "checked_out", "available", "", borrower);
    if (changed) return changed;
    throw failedPrecondition(borrower === "" ? `book ${id} is not checked out` : `book ${id} is not checked out by ${borrower}`);
  }

  /** Books of each status in the rack, for the book_books gauge; undefined once the store is closed. */
  countByStatus(): Record<StoredStatus, number> | undefined {
    if (!this.store.isOpen) return undefined;
    const counts: Record<StoredStatus, number> = { available: 0, checked_out: 0 };
    const rows = this.store.statement(`SELECT ${STATUS_EXPRESSION} AS status, COUNT(*) AS n FROM things WHERE type = ? GROUP BY 1`).all(BOOK_TYPE);
    for (const row of rows) {
      const status = row.status as StoredStatus;
      if (STORED_STATUSES.includes(status)) counts[status] = Number(row.n);
    }
    return counts;
  }

  /**
   * The book after the change, or undefined when its status was not `from` (or, with
   * `expectedBorrower`, its borrower was another); NOT_FOUND when there is no such book.
   */
  private move(id: string, from: StoredStatus, to: StoredStatus, borrower: string, expectedBorrower = ""): StoredThing | undefined {
    const row = this.store
      .statement(
        `UPDATE things SET info = json_set(info, '$.status', ?, '$.borrower', ?), updated_at = ?, version = version + 1
         WHERE id = ? AND type = ? AND ${STATUS_EXPRESSION} = ?
           AND (? = '' OR json_extract(info, '$.borrower') = ?) RETURNING ${THING_COLUMNS}`,
      )
      .get(to, borrower, new Date().toISOString(), id, BOOK_TYPE, from, expectedBorrower, expectedBorrower);
    if (row) return thingFromRow(row as Record<string, SQLOutputValue>);
    const current = this.store.get(id);
    if (!current || current.type !== BOOK_TYPE) throw notFound(`book ${id}`);
    return undefined;
  }
}
