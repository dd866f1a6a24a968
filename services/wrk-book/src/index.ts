// The public API of wrk-book: the worker and its book rules, for tests and for workers built on it.
export * from "./book-fields.js";
export * from "./book-metrics.js";
export * from "./book-schema.js";
export * from "./book-search.js";
export * from "./book-service.js";
export * from "./book.js";
export * from "./isbn.js";
export * from "./lending.js";
export * from "./worker.js";
