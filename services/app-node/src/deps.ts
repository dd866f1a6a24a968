import type { Logger } from "@bookstore/wrk-base";
import type { BookServiceDefinition, OrchestratorServiceClient } from "@bookstore/proto";
import type { RoutingClient, ServiceClass } from "./routing/index.js";
import type { Registry } from "prom-client";
import type { TokenTable } from "./tokens.js";

/** What the HTTP app needs from the process around it. */
export interface GatewayDeps {
  routing: RoutingClient;
  /** The orchestrator, for the list of workers. */
  ork: OrchestratorServiceClient;
  /** Generated client class of bookstore.book.v1.BookService, opened per rack by the routing client. */
  bookService: ServiceClass<BookServiceDefinition>;
  tokens: TokenTable;
  callTimeoutMs: number;
  log: Logger;
  registry: Registry;
  /** False while starting (no healthy rack yet) and once shutdown has begun. */
  ready(): boolean;
  /** True once shutdown has begun: every answer then closes its connection. */
  stopping(): boolean;
}
