// Books: how many there are per rack and status, and the checkout and return traffic.
import { RowBuilder, type Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { bookstoreDashboard, labelVariable, numberPanels, stat, timeseries } from "../panels.js";

const racks = 'rack=~"$rack"';
/** Zero per rack: the baseline for counters that have not counted yet on a rack. */
const zeroPerRack = `sum by (rack) (book_books{${racks}}) * 0`;

function booksIn(status: string): string {
  return `sum(book_books{${racks}, status="${status}"}) or vector(0)`;
}

export function booksDashboard(): Dashboard {
  return numberPanels(
    bookstoreDashboard("bookstore-books", "Bookstore / Books by status", "Books per rack and status, and checkouts and returns.")
      .withVariable(labelVariable("rack", "Rack", "book_books", "rack"))
      .withRow(new RowBuilder("Stock"))
      .withPanel(stat({ title: "Books", description: "Books on the chosen racks.", queries: [{ expr: `sum(book_books{${racks}}) or vector(0)`, legend: "books" }], width: 8 }))
      .withPanel(stat({ title: "Available", description: "Books on the shelf.", queries: [{ expr: booksIn("available"), legend: "available" }], width: 8 }))
      .withPanel(stat({ title: "Checked out", description: "Books lent out.", queries: [{ expr: booksIn("checked_out"), legend: "checked out" }], width: 8 }))
      .withPanel(timeseries({
        title: "Books by rack and status",
        description: "`book_books` per rack and status.",
        queries: [{ expr: `sum by (rack, status) (book_books{${racks}})`, legend: "{{rack}} {{status}}" }],
      }))
      .withPanel(timeseries({
        title: "Share checked out by rack",
        description: "Checked-out books over all books of the rack.",
        queries: [{
          expr: `(sum by (rack) (book_books{${racks}, status="checked_out"}) or ${zeroPerRack}) / sum by (rack) (book_books{${racks}})`,
          legend: "{{rack}}",
        }],
        unit: "percentunit",
      }))
      .withRow(new RowBuilder("Lending"))
      .withPanel(timeseries({
        title: "Checkouts per minute by rack",
        description: "`book_checkouts_total`.",
        queries: [{ expr: `sum by (rack) (rate(book_checkouts_total{${racks}}[$__rate_interval])) * 60 or ${zeroPerRack}`, legend: "{{rack}}" }],
      }))
      .withPanel(timeseries({
        title: "Returns per minute by rack",
        description: "`book_returns_total`.",
        queries: [{ expr: `sum by (rack) (rate(book_returns_total{${racks}}[$__rate_interval])) * 60 or ${zeroPerRack}`, legend: "{{rack}}" }],
      }))
      .build(),
  );
}
