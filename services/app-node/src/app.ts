// The koa app: request id, metrics and the one log line around every request, one error shape,
// and the routes of the table with their auth, body limit and validation.
import { performance } from "node:perf_hooks";
import Router from "@koa/router";
import { REQUEST_ID_HEADER, acceptRequestId, endHttpServerSpan, inSpan, sampledTraceId, startHttpServerSpan, traceFields } from "@bookstore/wrk-base";
import Koa from "koa";
import type { GatewayDeps } from "./deps.js";
import { ApiError, forbidden, fromGrpcError, unauthenticated } from "./errors.js";
import { readJsonBody } from "./json-body.js";
import { HttpMetrics, UNMATCHED_ROUTE } from "./metrics.js";
import { BODY_LIMIT_BYTES } from "./openapi.js";
import { type GatewayContext, type GatewayState, type Route, routerPath } from "./route.js";
import { authenticate, hasRole } from "./tokens.js";

export interface GatewayApp {
  app: Koa<GatewayState>;
  router: Router<GatewayState>;
}

const FALLBACK_CODES: Record<number, string> = {
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
};

/** Every method some route answers (koa-router adds HEAD to GET, and OPTIONS); TRACE and the rest get 405. */
const SERVED_METHODS = ["HEAD", "OPTIONS"];

/** The ApiError of anything a request can throw: ours, a failed gRPC call, or koa's HTTP errors. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const http = error as { status?: unknown; expose?: unknown };
  if (typeof http.status === "number" && http.expose === true) {
    return new ApiError(http.status, FALLBACK_CODES[http.status] ?? "INVALID_ARGUMENT", String((error as Error).message));
  }
  return fromGrpcError(error);
}

function matchedRoute(ctx: GatewayContext): string {
  const pattern = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof pattern === "string" ? pattern : UNMATCHED_ROUTE;
}

/** `metrics`: shared when one registry backs two apps (the API and the metrics port). */
export function createApp(deps: GatewayDeps, routes: readonly Route[], metrics = new HttpMetrics(deps.registry)): GatewayApp {
  const app = new Koa<GatewayState>();
  app.silent = true;
  const { log } = deps;
  // Probes and scrapes come every few seconds and say nothing new: debug, not info.
  const quietRoutes = new Set(routes.filter((r) => r.tag === "operations").map((r) => routerPath(r.path)));
  const servedMethods = new Set([...SERVED_METHODS, ...routes.map((r) => r.method.toUpperCase())]);

  app.use(async (ctx, next) => {
    const startedAt = performance.now();
    // Read once: each is a getter through koa's delegates, and the line below needs them again.
    const { method, path } = ctx;
    // Probes and scrapes get no span: they would be most of the traces and say nothing.
    const span = quietRoutes.has(path) ? undefined : startHttpServerSpan({ method, path, scheme: ctx.protocol, headers: ctx.headers });
    const requestId = acceptRequestId(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.state.requestId = requestId;
    ctx.state.principal = undefined;
    ctx.set(REQUEST_ID_HEADER, requestId);
    // Answers are about one caller's data, now: never cached, never sniffed into another type.
    ctx.set("x-content-type-options", "nosniff");
    ctx.set("cache-control", "no-store");
    let failure: ApiError | undefined;
    let cause: unknown;
    try {
      // Inside the span: the gRPC calls the route makes are its children, and carry its traceparent.
      await (span ? inSpan(span, next) : next());
      if (!servedMethods.has(method)) {
        // TRACE, PUT, ...: no path of the API answers them (koa-router would say 404 or 501).
        ctx.body = undefined;
        ctx.status = 405;
        // The router has set Allow when the path exists; otherwise say what the API serves at all.
        if (!ctx.response.get("allow")) ctx.set("allow", [...servedMethods].join(", "));
      }
      if (ctx.status >= 400 && (ctx.body === undefined || ctx.body === null)) {
        // Nothing matched (404), or the path exists with other methods (405, Allow is set).
        failure = new ApiError(ctx.status, FALLBACK_CODES[ctx.status] ?? "INVALID_ARGUMENT", `no route ${method} ${path}`);
      }
    } catch (error) {
      cause = error;
      failure = toApiError(error);
    }
    if (failure) {
      ctx.status = failure.status;
      ctx.body = failure.toBody();
    }
    // Shutting down: each answer ends its keep-alive connection cleanly, so no client sends a
    // request on a connection that is about to close (which would be reset).
    if (deps.stopping()) ctx.set("connection", "close");
    const route = matchedRoute(ctx);
    const { status } = ctx;
    const seconds = (performance.now() - startedAt) / 1000;
    metrics.observe(method, route, status, seconds, sampledTraceId(span));
    if (span) endHttpServerSpan(span, method, route === UNMATCHED_ROUTE ? undefined : route, status);
    if (ctx.state.answeredRacks) metrics.observeListing(ctx.state.answeredRacks, ctx.state.missingRacks ?? []);
    const line: Record<string, unknown> = { requestId, ...traceFields(span), method, route, path, status, ms: Math.round(seconds * 1e4) / 10 };
    if (ctx.state.missingRacks) line.missingRacks = ctx.state.missingRacks;
    if (quietRoutes.has(route) && status !== 500) {
      log.debug(line, "request");
    } else if (status >= 500) {
      // Only an unexpected failure has a stack worth keeping; 503 and 504 say a worker is away.
      if (status === 500) log.error({ ...line, err: cause }, "request failed");
      else log.warn({ ...line, error: failure?.message }, "request failed");
    } else {
      log.info(line, "request");
    }
  });

  const router = new Router<GatewayState>();
  for (const route of routes) {
    router[route.method](routerPath(route.path), async (ctx) => {
      let principal = undefined;
      if (route.role) {
        principal = authenticate(deps.tokens, ctx.get("authorization") || undefined);
        if (!principal) {
          ctx.set("www-authenticate", 'Bearer realm="bookstore"');
          throw unauthenticated(ctx.get("authorization") ? "unknown bearer token" : "missing bearer token: send Authorization: Bearer <token>");
        }
        if (!hasRole(principal, route.role)) throw forbidden(`this needs the ${route.role} role`);
        ctx.state.principal = principal;
      }
      const body = route.body ? await readJsonBody(ctx, BODY_LIMIT_BYTES) : undefined;
      await route.handle({ ctx, deps, principal, params: ctx.params, query: ctx.query, body });
    });
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router };
}
