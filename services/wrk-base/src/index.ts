// The public API of wrk-base, the service host: what every worker, the orchestrator and the gateway
// build on. The wire contracts they speak (types, loader, page tokens, conversions, limits) are
// @bookstore/proto's.
export * from "./client.js";
export * from "./client-metrics.js";
export * from "./errors.js";
export * from "./grpc-serving.js";
export * from "./host.js";
export * from "./http-server.js";
export * from "./address.js";
export * from "./logger.js";
export * from "./metrics.js";
export * from "./registration.js";
export * from "./request-id.js";
export * from "./rpc.js";
export * from "./run.js";
export * from "./server-interceptor.js";
export * from "./settings.js";
export * from "./tls/index.js";
export * from "./tracing.js";
export * from "./worker.js";
export * from "./grpc-service.js";
