import { Counter, Gauge, type Registry } from "prom-client";
import { STORED_STATUSES, type StoredStatus } from "./book.js";

/**
 * The domain metrics of wrk-book (names fixed by the dashboards):
 * `book_books{rack,status}` counted at scrape time, `book_checkouts_total{rack}` and
 * `book_returns_total{rack}` counted as they happen.
 */
export class BookMetrics {
  private readonly checkouts: Counter<"rack">;
  private readonly returns: Counter<"rack">;

  constructor(registry: Registry, private readonly rack: string, countByStatus: () => Record<StoredStatus, number> | undefined) {
    new Gauge({
      name: "book_books",
      help: "Books in this worker's rack, by status (available, checked_out).",
      labelNames: ["rack", "status"],
      registers: [registry],
      collect() {
        const counts = countByStatus();
        if (!counts) return;
        for (const status of STORED_STATUSES) this.set({ rack, status }, counts[status]);
      },
    });
    this.checkouts = new Counter({ name: "book_checkouts_total", help: "Books checked out.", labelNames: ["rack"], registers: [registry] });
    this.returns = new Counter({ name: "book_returns_total", help: "Books returned.", labelNames: ["rack"], registers: [registry] });
    // Present from the start at 0, so rate() and alerts see the series before the first checkout.
    this.checkouts.inc({ rack }, 0);
    this.returns.inc({ rack }, 0);
  }

  checkedOut(): void {
    this.checkouts.inc({ rack: this.rack });
  }

  returned(): void {
    this.returns.inc({ rack: this.rack });
  }
}
