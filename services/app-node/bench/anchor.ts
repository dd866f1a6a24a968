// The benchmark's anchors: bare koa servers that answer the same URLs with the same JSON as the
// full path, without auth, validation, metrics, logs or the routing client.
//   ANCHOR=static  returns fixed JSON (BOOK_JSON for /v1/books/<id>, SEARCH_JSON for /v1/books).
//   ANCHOR=grpc    fetches it over one plain grpc-js hop: GetBook on the book's rack, ListBooks on
//                  every rack (in parallel) merged, as the gateway does. RACKS="rack-1=host:port,...".
// Run by bench/run.ts as `node bench/anchor.ts` (Node strips the types; no relative imports here).
import { createServer } from "node:http";
import { mergePages, positionOf, toBookJson } from "@bookstore/app-node";
import { channelCredentials, readTlsSettings } from "@bookstore/wrk-base";
import {
  type BookServiceClient,
  type GetBookResponse__Output,
  type ListBooksResponse__Output,
  encodePageToken,
  loadContracts,
} from "@bookstore/proto";
import Koa from "koa";

const DEADLINE_MS = 2_000;
const port = Number(process.env.PORT);
const mode = process.env.ANCHOR;
const app = new Koa();

if (mode === "static") {
  const book = process.env.BOOK_JSON ?? "{}";
  const search = process.env.SEARCH_JSON ?? "{}";
  app.use((ctx) => {
    ctx.type = "application/json";
    ctx.body = ctx.path === "/v1/books" ? search : book;
  });
} else if (mode === "grpc") {
  const BookService = loadContracts().book.BookService;
  const clients = new Map<string, BookServiceClient>();
  for (const entry of (process.env.RACKS ?? "").split(",")) {
    const [rack = "", address = ""] = entry.split("=");
    clients.set(rack, new BookService(address, channelCredentials(readTlsSettings(process.env))));
  }
  const getBook = (client: BookServiceClient, id: string) =>
    new Promise<GetBookResponse__Output>((resolve, reject) =>
      client.getBook({ id }, { deadline: Date.now() + DEADLINE_MS }, (error, response) => (error || !response ? reject(error) : resolve(response))),
    );
  const listBooks = (client: BookServiceClient, query: string, pageSize: number) =>
    new Promise<ListBooksResponse__Output>((resolve, reject) =>
      client.listBooks({ query, pageSize }, { deadline: Date.now() + DEADLINE_MS }, (error, response) => (error || !response ? reject(error) : resolve(response))),
    );
  app.use(async (ctx) => {
    if (ctx.path === "/v1/books") {
      const pageSize = Number(ctx.query.pageSize ?? 50);
      const pages = await Promise.all([...clients.values()].map((client) => listBooks(client, String(ctx.query.q ?? ""), pageSize)));
      const merged = mergePages(
        pages.map((page) => ({ items: page.books, more: page.nextPageToken !== "" })),
        pageSize,
        positionOf,
      );
      ctx.body = { items: merged.items.map(toBookJson), nextPageToken: merged.next ? encodePageToken(merged.next) : "" };
      return;
    }
    const id = ctx.path.slice("/v1/books/".length);
    const client = clients.get(id.slice(0, id.indexOf(".")));
    if (!client) return ctx.throw(404);
    const response = await getBook(client, id);
    ctx.body = response.book ? toBookJson(response.book) : {};
  });
} else {
  console.error("ANCHOR must be static or grpc");
  process.exit(2);
}

const server = createServer(app.callback()).listen(port, "127.0.0.1", () => console.log("listening"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
