// A route of the API, declared once: its schemas validate requests and document it in /openapi.json.
import type { ParameterizedContext } from "koa";
import type { z } from "zod";
import type { Role } from "./tokens.js";
import type { Principal } from "./tokens.js";
import type { GatewayDeps } from "./deps.js";
import { parseInput } from "./validation.js";

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

/** A route as it is declared: its handler's input types follow from its schemas. */
export interface RouteDefinition<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined> {
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
  /** Request headers the route reads, for the OpenAPI document (the handler parses their values). */
  headers?: z.ZodObject;
  success: SuccessDoc;
  /** The error statuses this route can answer with, besides the ones every route has. */
  errors: number[];
  handle(request: ApiRequest<P, Q, B>): Promise<void> | void;
}

/** What the router hands a route: the request before its inputs are checked. */
export interface UncheckedRequest {
  ctx: GatewayContext;
  deps: GatewayDeps;
  /** Set when the route has a role (the router has checked it). */
  principal: Principal | undefined;
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * A route as the table keeps it, whatever its schemas: `handle` checks the inputs against the
 * route's own schemas (400 naming every bad field) before its typed handler sees them.
 */
export interface Route extends Omit<RouteDefinition<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>, "handle"> {
  handle(request: UncheckedRequest): Promise<void>;
}

/** Declares a route with its handler's input types inferred from the schemas. */
export function route<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  definition: RouteDefinition<P, Q, B>,
): Route {
  const { handle, ...doc } = definition;
  return {
    ...doc,
    async handle({ ctx, deps, principal, params, query, body }) {
      await handle({
        ctx,
        deps,
        requestId: ctx.state.requestId,
        // Only routes with a role read it, and the router has set it for them.
        principal: principal as Principal,
        params: checked(definition.params, params, "path"),
        query: checked(definition.query, query, "query"),
        body: checked(definition.body, body, "body"),
      });
    },
  };
}

/** The input parsed by its schema; undefined for a route without one. */
function checked<S extends z.ZodType | undefined>(schema: S | undefined, value: unknown, where: string): Input<S> {
  // TypeScript cannot narrow S through the test, so the conditional type is asserted once here.
  return (schema === undefined ? undefined : parseInput(schema, value, where)) as Input<S>;
}

/** `/v1/books/{id}` → `/v1/books/:id`. */
export function routerPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}
