// The library side of app-node: what tests, the benchmark and the system runner use.
export * from "./api.js";
export * from "./app.js";
export * from "./books.js";
export * from "./errors.js";
export * from "./gateway.js";
export * from "./openapi.js";
export * from "./route.js";
export * from "./routing/index.js";
export * from "./settings.js";
export * from "./tokens.js";
export * from "./validation.js";
