// The public API of wrk-base: what every worker, the orchestrator and the gateway build on.
export * from "./client.js";
export * from "./errors.js";
export * from "./http-server.js";
export * from "./logger.js";
export * from "./metrics.js";
export * from "./page-token.js";
export * from "./protos.js";
export * from "./registration.js";
export * from "./request-id.js";
export * from "./routing/index.js";
export * from "./rpc.js";
export * from "./run.js";
export * from "./server-interceptor.js";
export * from "./settings.js";
export * from "./structs.js";
export * from "./timestamps.js";
export * from "./worker.js";
export type * from "./generated/index.js";
