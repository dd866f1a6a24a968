import { createHash } from "node:crypto";

/**
 * Rendezvous (highest random weight) hashing: the rack whose hash with the key is highest. The
 * same key goes to the same rack while that rack stays healthy, and when a rack comes or goes only
 * the keys of that rack move.
 */
export function rendezvousRack(key: string, racks: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1n;
  for (const rack of racks) {
    const score = createHash("sha256").update(key).update("\n").update(rack).digest().readBigUInt64BE(0);
    if (score > bestScore || (score === bestScore && best !== undefined && rack < best)) {
      best = rack;
      bestScore = score;
    }
  }
  return best;
}
