// The bounds every thing worker enforces on what it stores. They are part of the contract
// (see thing.proto and docs/services/tpl-wrk-thing.md): change them there too.

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
