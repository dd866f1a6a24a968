// The routing client: what the gateway uses to send calls straight to the rack that owns the data.
export * from "./create-rule.js";
export * from "./merge-pages.js";
export * from "./rack-id.js";
export * from "./routing-client.js";
