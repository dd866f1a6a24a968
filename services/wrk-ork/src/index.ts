// The public API of wrk-ork, for tests and tools that embed the orchestrator.
export * from "./health-checker.js";
export * from "./metrics.js";
export * from "./worker-registry.js";
export * from "./service.js";
export * from "./settings.js";
export * from "./validation.js";
export * from "./watch-hub.js";
export * from "./orchestrator.js";
