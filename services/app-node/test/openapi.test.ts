import { expect } from "chai";
import { API_ROUTES, openApiDocument } from "../src/api.js";
import { Gateway } from "../src/gateway.js";
import { knownTlsEnv } from "../../../compose/local/kit/testing/tls.js";

const METHODS = ["get", "post", "patch", "delete", "put"] as const;

/** "GET /v1/books/{id}" for every operation of the document. */
function documentedOperations(document: ReturnType<typeof openApiDocument>): string[] {
  const operations: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) if (item[method]) operations.push(`${method.toUpperCase()} ${path}`);
  }
  return operations.sort();
}

describe("app-node OpenAPI document", () => {
  const document = openApiDocument();

  it("documents every route the router serves, and the router serves every documented route", async () => {
    const gateway = new Gateway({ ...knownTlsEnv("app-node"), API_TOKENS: "test-token-1:member", LOG_LEVEL: "silent", ORK_ADDR: "127.0.0.1:9" });
    const served: string[] = [];
    for (const layer of gateway.router.stack) {
      const path = String(layer.path).replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      // koa-router adds HEAD to every GET: HEAD is not part of the documented API.
      for (const method of layer.methods) if (method !== "HEAD") served.push(`${method} ${path}`);
    }
    expect(served.sort()).to.deep.equal(documentedOperations(document));
    expect(served).to.include.members(["GET /v1/books", "POST /v1/books/{id}/checkout", "GET /v1/workers", "GET /openapi.json", "GET /readyz"]);
    await gateway.stop("test over");
  });

  it("has an operation with its success and error responses for every route of the table", () => {
    for (const route of API_ROUTES) {
      const operation = document.paths?.[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).to.exist;
      expect(operation?.operationId).to.equal(route.operationId);
      expect(operation?.responses).to.have.property(String(route.success.status));
      if (route.role) {
        expect(operation?.security, route.operationId).to.deep.equal([{ bearer: [] }]);
        expect(operation?.responses).to.include.keys("401", "403");
      } else {
        expect(operation?.security, route.operationId).to.equal(undefined);
      }
      if (route.body) expect(operation?.responses).to.include.keys("400", "413", "415");
    }
  });

  it("describes request bodies and queries from the validating schemas", () => {
    const create = document.paths?.["/v1/books"]?.post;
    expect(create?.requestBody).to.deep.include({ required: true });
    const schemas = document.components?.schemas ?? {};
    expect(schemas.CreateBook).to.deep.include({ required: ["title", "author"], additionalProperties: false });
    const checkout = document.paths?.["/v1/books/{id}/checkout"]?.post;
    expect(checkout?.requestBody).to.deep.include({ required: false });
    const list = document.paths?.["/v1/books"]?.get;
    const names = (list?.parameters as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`);
    expect(names).to.deep.equal(["query:q", "query:author", "query:tag", "query:status", "query:pageSize", "query:pageToken"]);
    expect(schemas.Book).to.have.nested.property("properties.status.enum").that.deep.equals(["available", "checked_out"]);
  });

  it("resolves every $ref to a component", () => {
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).to.be.greaterThan(10);
    const components = document.components as Record<string, Record<string, unknown>>;
    for (const [, kind = "", name = ""] of refs) expect(components[kind]?.[name], `${kind}/${name}`).to.exist;
  });
});
