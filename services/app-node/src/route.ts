// A route of the API, declared once: its schemas validate requests and document it in /openapi.json.
import type { ParameterizedContext } from "koa";
import type { z } from "zod";
import type { Role } from "./tokens.js";
import type { Principal } from "./tokens.js";
import type { GatewayDeps } from "./deps.js";

export type HttpMethod = "get" | "post" | "patch" | "delete";

/** What koa keeps for one request. */
export interface GatewayState {
  requestId: string;
  principal: Principal | undefined;
  /** Racks a listing had to leave out: on the request's log line, next to its request id. */
  missingRacks?: string[];
  /** Racks whose books a listing holds: with `missingRacks`, every rack the listing asked. */
  answeredRacks?: string[];
}

export type GatewayContext = ParameterizedContext<GatewayState>;

type Input<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A validated request, with what the handler needs to answer it. */
export interface ApiRequest<P, Q, B> {
  ctx: GatewayContext;
  deps: GatewayDeps;
  requestId: string;
  /** Set on every route that has a role. */
  principal: Principal;
  params: Input<P>;
  query: Input<Q>;
  body: Input<B>;
}

export interface SuccessDoc {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** Content type of the schema; JSON when absent. */
  contentType?: string;
}

export interface Route<P = z.ZodType | undefined, Q = z.ZodType | undefined, B = z.ZodType | undefined> {
  method: HttpMethod;
  /** OpenAPI path template, `/v1/books/{id}`; the router gets `/v1/books/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The least role that may call it; public when absent. */
  role?: Role;
  params?: P;
  query?: Q;
  body?: B;
  success: SuccessDoc;
  /** The error statuses this route can answer with, besides the ones every route has. */
  errors: number[];
  handle(request: ApiRequest<P, Q, B>): Promise<void> | void;
}

/** Declares a route with its handler's input types inferred from the schemas. */
export function route<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  definition: Route<P, Q, B>,
): Route {
  return definition as unknown as Route;
}

/** `/v1/books/{id}` → `/v1/books/:id`. */
export function routerPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}
