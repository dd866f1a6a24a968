// wrk-book: the book worker of one rack.
import { packageVersion, runService } from "@bookstore/wrk-base";
import { BookWorker } from "./worker.js";

await runService("wrk-book", () => new BookWorker({ version: packageVersion(import.meta.url) }));
