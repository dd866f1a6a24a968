// /openapi.json, generated from the route table: the schemas that validate requests describe them.
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { Route } from "./route.js";
import { ErrorSchema } from "./schemas.js";

export const BODY_LIMIT_BYTES = 32 * 1024;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: `details` names each bad field",
  401: "Missing or unknown bearer token",
  403: "The token's role may not do this",
  404: "No such book (or no route)",
  409: "Conflict: the book is not in the state the call needs, or changed since `expectedVersion`",
  422: "The Idempotency-Key was used before with another request",
  413: `Body larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  415: "A Content-Encoding other than identity, gzip, deflate or br, a body that is not what it says, or a charset other than UTF-8",
  503: "A rack or the orchestrator cannot serve now",
  504: "A rack or the orchestrator did not answer within the deadline",
};

/** The error statuses a route can answer with: its own, plus those its role and body imply. */
export function errorStatuses(route: Route): number[] {
  const statuses = new Set(route.errors);
  if (route.role) [401, 403].forEach((s) => statuses.add(s));
  if (route.body || route.query) statuses.add(400);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

export interface OpenApiInfo {
  title: string;
  version: string;
}

export function buildOpenApiDocument(routes: readonly Route[], info: OpenApiInfo): ReturnType<OpenApiGeneratorV31["generateDocument"]> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A token of API_TOKENS: role librarian (everything) or member (read, check out and return as itself)",
  });
  for (const route of routes) {
    const responses: RouteConfig["responses"] = {
      [route.success.status]: {
        description: route.success.description,
        ...(route.success.schema ? { content: { [route.success.contentType ?? "application/json"]: { schema: route.success.schema } } } : {}),
      },
    };
    for (const status of errorStatuses(route)) {
      responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: { "application/json": { schema: ErrorSchema } } };
    }
    const request: NonNullable<RouteConfig["request"]> = {};
    if (route.params) request.params = route.params as NonNullable<typeof request.params>;
    if (route.query) request.query = route.query as NonNullable<typeof request.query>;
    if (route.headers) request.headers = route.headers as NonNullable<typeof request.headers>;
    // A body that may be left out entirely is one whose schema accepts {}.
    if (route.body) request.body = { required: !route.body.safeParse({}).success, content: { "application/json": { schema: route.body } } };
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.role ? { security: [{ [bearer.name]: [] }], "x-required-role": route.role } : {}),
      request,
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description: "The HTTP API of the bookstore: books on racks of wrk-book workers, reached through the routing table of wrk-ork.",
    },
    servers: [{ url: "/" }],
  });
}
