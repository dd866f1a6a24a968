// Who may call what. A server interceptor refuses, by method, a call whose caller has no verified
// bookstore identity (UNAUTHENTICATED: no certificate, or one our CA did not sign) or the wrong one
// (PERMISSION_DENIED), before any handler runs, so a refused call changes nothing. Handlers that
// must compare the identity with the request (a worker's registration and its rack) read it with
// `callIdentity` and refuse with `permissionDenied`.
import * as grpc from "@grpc/grpc-js";
import { RpcError } from "../errors.js";
import { HEALTH_SERVICE } from "@bookstore/proto";
import { type AuthContext, type Identity, describeIdentity, peerIdentity } from "./identity.js";

type Role = Identity["role"];

/** Open to any TLS client, certificate or not: probes (grpc-health-probe, grpcurl -cacert) and `list`. */
const OPEN_SERVICES = new Set([HEALTH_SERVICE, "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]);

const ORK = "/bookstore.ork.v1.OrchestratorService/";
/** The roles allowed per method; a method not named here is the gateway's alone (the book data). */
const BY_METHOD: ReadonlyMap<string, readonly Role[]> = new Map([
  // The handlers also check the request's type and rack against the certificate's.
  [`${ORK}Register`, ["worker"]],
  [`${ORK}Heartbeat`, ["worker"]],
  [`${ORK}Deregister`, ["worker"]],
  [`${ORK}ListWorkers`, ["gateway", "admin"]],
  [`${ORK}WatchRouting`, ["gateway", "admin"]],
  [`${ORK}DrainWorker`, ["admin"]],
  [`${ORK}ForgetWorker`, ["admin"]],
  ["/bookstore.worker.v1.WorkerService/Ping", ["orchestrator", "gateway", "admin"]],
  ["/bookstore.worker.v1.WorkerService/GetInfo", ["orchestrator", "gateway", "admin"]],
]);
const DEFAULT_ROLES: readonly Role[] = ["gateway"];

export type Decision = { allowed: true } | { allowed: false; code: grpc.status; details: string };

/** The decision for one call of `path` by `identity` (undefined: no verified certificate). */
export function decide(path: string, identity: Identity | undefined): Decision {
  const service = path.split("/")[1] ?? "";
  if (OPEN_SERVICES.has(service)) return { allowed: true };
  if (!identity) {
    return { allowed: false, code: grpc.status.UNAUTHENTICATED, details: "a client certificate signed by the cluster's CA is required (see docs/deployment.md, TLS)" };
  }
  const roles = BY_METHOD.get(path) ?? DEFAULT_ROLES;
  if (roles.includes(identity.role)) return { allowed: true };
  return { allowed: false, code: grpc.status.PERMISSION_DENIED, details: `${describeIdentity(identity)} may not call ${path} (allowed: ${roles.join(", ")})` };
}

/**
 * The interceptor. Put it after the observing one in the server's list: grpc-js wraps the list
 * in order, so the observer sees (logs and counts) the refusals.
 */
export function authorizeCalls(): grpc.ServerInterceptor {
  return (method, call) => {
    let refused = false;
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            const decision = decide(method.path, peerIdentity(call.getAuthContext() as AuthContext));
            if (decision.allowed) nextMetadata(metadata);
            else {
              refused = true;
              call.sendStatus({ code: decision.code, details: decision.details, metadata: new grpc.Metadata() });
            }
          },
          onReceiveMessage(message, nextMessage) {
            if (!refused) nextMessage(message);
          },
          onReceiveHalfClose(nextHalfClose) {
            if (!refused) nextHalfClose();
          },
        });
      },
    });
  };
}

/** The verified identity of a call's peer, for handlers; undefined with TLS_INSECURE=1 only (else the interceptor refused it). */
export function callIdentity(call: { getAuthContext(): unknown }): Identity | undefined {
  return peerIdentity(call.getAuthContext() as AuthContext);
}

export function permissionDenied(details: string): RpcError {
  return new RpcError(grpc.status.PERMISSION_DENIED, details);
}
