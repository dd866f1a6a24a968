// The bounds of the wire contracts (thing.proto, book.proto), written once: the racks enforce
// them and the gateway checks the same ones before any hop. Change them there too.

/** A tag: 1 to 64 characters. */
export const MAX_TAG_LENGTH = 64;
/** At most this many tags on one thing. */
export const MAX_TAGS = 32;
/** The info of one thing, as JSON text, in bytes (UTF-8). */
export const MAX_INFO_BYTES = 64 * 1024;
/** Ids are "<rack>.<uuid>": 40 + 1 + 36 characters; anything longer cannot be one. */
export const MAX_ID_LENGTH = 100;
/** Type names: a lowercase letter, then up to 63 of a-z, 0-9, '.', '_' and '-'. */
export const TYPE_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

export const MAX_TITLE_LENGTH = 500;
export const MAX_AUTHOR_LENGTH = 200;
export const MAX_BORROWER_LENGTH = 200;
/** Longest full-text query, and most words in it. */
export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_WORDS = 16;
export const MIN_YEAR = -3000;

/** Books may be announced a year ahead; nothing later is a plausible year of publication. */
export function maxYear(now: Date = new Date()): number {
  return now.getUTCFullYear() + 1;
}

/** Whether `text` holds C0/C1 control characters, which make a label unreadable or unsafe to log. */
export function hasControlCharacters(text: string): boolean {
  return /\p{Cc}/u.test(text);
}

/** Length in characters (code points), the unit the limits are stated in: 500 emoji are a valid title. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
