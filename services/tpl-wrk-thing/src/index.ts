// The public API of the thing-worker template: what a new thing worker extends and reuses.
export * from "./data-dir.js";
export * from "./metrics.js";
export * from "./rules.js";
export * from "./store.js";
export * from "./thing-service.js";
export * from "./thing.js";
export * from "./worker.js";
