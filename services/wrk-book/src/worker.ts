import type * as grpc from "@grpc/grpc-js";
import type { Env } from "@bookstore/wrk-base";
import { ThingWorker, type SchemaExtension, type StoredThing, type ThingContent } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, validateBookThing } from "./book.js";
import { DEFAULT_PORTS } from "./default-ports.js";
import { bookSchema } from "./book-schema.js";
import { BOOK_SERVICE, bookService } from "./book-service.js";

export interface BookWorkerOptions {
  version: string;
  env?: Env;
  drainTimeoutMs?: number;
}

/**
 * The book worker: a thing worker whose things are books. It serves the BookService, composed of
 * the rack's store and the worker's validation hook, and, inherited, the ThingService, which
 * accepts only things of type "book" that pass the same hook.
 */
export class BookWorker extends ThingWorker {
  constructor(options: BookWorkerOptions) {
    super({ name: "wrk-book", type: "book", ports: DEFAULT_PORTS, ...options });
  }

  protected override thingTypes(): readonly string[] {
    return [BOOK_TYPE];
  }

  protected override validateThing(content: ThingContent, previous: StoredThing | undefined): ThingContent {
    return validateBookThing(content, previous);
  }

  protected override schemaExtension(): SchemaExtension {
    return bookSchema;
  }

  protected override addServices(server: grpc.Server): string[] {
    const names = super.addServices(server);
    server.addService(this.contracts.book.BookService.service, bookService({ store: this.store, policy: this.policy, registry: this.registry, log: this.log }));
    return [...names, BOOK_SERVICE];
  }
}
