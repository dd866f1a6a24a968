// The test-support entry of the template (`@bookstore/tpl-wrk-thing/test-support`): what the tests
// of every thing worker need alike, so a worker's tests import it rather than reach into this folder.
// Only tests import it: it is TypeScript run by tsx, outside the package's compiled `dist/`.
export * from "./thrown.js";
export * from "./rack-process.js";
export * from "./thing-api.js";
