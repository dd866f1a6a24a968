// The routing client: what a gateway uses to send calls straight to the rack that owns the data.
export * from "./client-metrics.js";
export * from "./create-rule.js";
export * from "./merge-pages.js";
export * from "./rack-id.js";
export * from "./routing-client.js";
