// Every route of the API, in one table: the router and /openapi.json are both made from it.
import { packageVersion } from "@bookstore/wrk-base";
import { bookRoutes } from "./book-routes.js";
import { buildOpenApiDocument } from "./openapi.js";
import { type Route, route } from "./route.js";
import { probeRoutes, workerRoutes } from "./system-routes.js";

const openApiRoute = route({
  method: "get",
  path: "/openapi.json",
  operationId: "openapi",
  summary: "This OpenAPI document",
  tag: "operations",
  success: { status: 200, description: "OpenAPI 3.1 document of every route" },
  errors: [],
  handle({ ctx }) {
    ctx.type = "application/json";
    ctx.body = openApiText();
  },
});

export const API_ROUTES: readonly Route[] = [...bookRoutes, ...workerRoutes, ...probeRoutes, openApiRoute];

export const API_VERSION = packageVersion(import.meta.url);

export function openApiDocument(): ReturnType<typeof buildOpenApiDocument> {
  return buildOpenApiDocument(API_ROUTES, { title: "Bookstore API", version: API_VERSION });
}

let text: string | undefined;

function openApiText(): string {
  text ??= JSON.stringify(openApiDocument());
  return text;
}
