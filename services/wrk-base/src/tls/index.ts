export * from "./authorize.js";
export * from "./credentials.js";
export * from "./identity.js";
export * from "./settings.js";
