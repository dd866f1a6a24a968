// The Idempotency-Key request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
// its value is a Structured Field String ("..."), parsed here with structured-headers. Many
// clients send the key bare (Stripe's style), so a bare value of visible ASCII is taken too.
import { parseItem } from "structured-headers";
import { invalid } from "./errors.js";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The key of a request; undefined when the header is absent. 400 naming the header when it is bad. */
export function idempotencyKeyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const key = value.startsWith('"') ? structuredString(value) : value.trim();
  if (key === undefined || key === "" || !/^[\x21-\x7e]+$/.test(key)) {
    throw invalid([{ field: IDEMPOTENCY_KEY_HEADER, message: 'expected a quoted string ("...") or a bare key of visible ASCII characters' }]);
  }
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalid([{ field: IDEMPOTENCY_KEY_HEADER, message: `at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` }]);
  }
  return key;
}

function structuredString(value: string): string | undefined {
  try {
    const [item] = parseItem(value);
    return typeof item === "string" ? item : undefined;
  } catch {
    return undefined;
  }
}
