// The public API of @bookstore/proto, the wire contracts: the loader of the .proto files of
// bookstore/, the TypeScript types and the descriptor set generated from them (src/generated/,
// `npm run proto:gen`), and what both ends of the wire share: page tokens, Struct and Timestamp
// conversions, and the bounds of the fields.
export * from "./limits.js";
export * from "./page-token.js";
export * from "./protos.js";
export * from "./structs.js";
export * from "./timestamps.js";
export * from "./generated/descriptor-set.js";
export type * from "./generated/index.js";
