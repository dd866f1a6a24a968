// What a worker's certificate lets it say about itself: a worker registers, heartbeats and leaves
// only as the type its certificate names, and as the rack it names when it names one (a
// certificate without a rack is for a worker whose rack is made at its first start; it may serve
// any rack of its type). A worker id already held by another type or rack cannot be taken over.
import { type Identity, describeIdentity, permissionDenied, spiffeIdOf } from "@bookstore/wrk-base";

/** Throws PERMISSION_DENIED unless `identity` may act as a worker of `type` and `rack`. With TLS off (no identity) anything goes. */
export function checkWorkerClaim(identity: Identity | undefined, claim: { id: string; type: string; rack: string }): void {
  if (identity === undefined) return;
  const fits = identity.role === "worker" && identity.type === claim.type && (identity.rack === undefined || identity.rack === claim.rack);
  if (!fits) {
    const claimed = spiffeIdOf({ role: "worker", type: claim.type, ...(claim.rack ? { rack: claim.rack } : {}) });
    throw permissionDenied(`${describeIdentity(identity)} may not act as worker ${claim.id} (${claimed})`);
  }
}
