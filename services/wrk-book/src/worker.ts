import type * as grpc from "@grpc/grpc-js";
import type { Env } from "@bookstore/wrk-base";
import { ThingWorker, type SchemaExtension, type StoredThing, type ThingContent } from "@bookstore/tpl-wrk-thing";
import { BOOK_TYPE, validateBookThing } from "./book.js";
import { BookMetrics } from "./book-metrics.js";
import { DEFAULT_PORTS } from "./default-ports.js";
import { bookSchema } from "./book-schema.js";
import { BOOK_SERVICE, bookServiceHandlers } from "./book-service.js";
import { Lending } from "./lending.js";

export interface BookWorkerOptions {
  version: string;
  env?: Env;
  drainTimeoutMs?: number;
  /** Whether to register with the orchestrator (a test may run a rack alone). */
  register?: boolean;
}

/**
 * The book worker: a thing worker whose things are books. It serves the BookService and, inherited,
 * the ThingService, which accepts only things of type "book" that pass the book rules.
 */
export class BookWorker extends ThingWorker {
  private lending: Lending | undefined;
  private metrics: BookMetrics | undefined;

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

  protected override async onInit(): Promise<void> {
    await super.onInit();
    const lending = new Lending(this.store);
    this.lending = lending;
    this.metrics = new BookMetrics(this.registry, this.rack, () => lending.countByStatus());
  }

  protected override addServices(server: grpc.Server): string[] {
    const names = super.addServices(server);
    if (!this.lending || !this.metrics) throw new Error("addServices ran before onInit");
    server.addService(this.contracts.book.BookService.service, bookServiceHandlers({ store: this.store, policy: this.policy, lending: this.lending, metrics: this.metrics, log: this.log }));
    return [...names, BOOK_SERVICE];
  }
}
