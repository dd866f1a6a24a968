import { invalidArgument } from "@bookstore/wrk-base";
import {
  DEFAULT_PAGE_SIZE,
  MAX_ID_LENGTH,
  MAX_INFO_BYTES,
  MAX_PAGE_SIZE,
  MAX_TAGS,
  MAX_TAG_LENGTH,
  TYPE_PATTERN,
  characterCount,
  hasControlCharacters,
  type JsonObject,
} from "@bookstore/proto";

// Checks of request fields shared by every thing worker. Each failure is INVALID_ARGUMENT with a
// message that starts with the field's name, so a caller (or the gateway) can point at it.

export function requireId(id: string, field = "id"): string {
  if (id === "") throw invalidArgument(field, "required");
  if (id.length > MAX_ID_LENGTH) throw invalidArgument(field, `longer than ${MAX_ID_LENGTH} characters, so not an id this service issued`);
  return id;
}

export function checkType(type: string, field = "type"): string {
  if (type === "") throw invalidArgument(field, "required");
  if (!TYPE_PATTERN.test(type)) throw invalidArgument(field, "must be a lowercase letter followed by up to 63 of a-z, 0-9, '.', '_' and '-'");
  return type;
}

export function checkTag(tag: string, field: string): string {
  const length = characterCount(tag);
  if (length === 0) throw invalidArgument(field, "must not be empty");
  if (length > MAX_TAG_LENGTH) throw invalidArgument(field, `longer than ${MAX_TAG_LENGTH} characters`);
  if (hasControlCharacters(tag)) throw invalidArgument(field, "must not contain control characters");
  return tag;
}

/** Checks every tag and drops repeats (a tag is there or not), keeping the first order. */
export function normalizeTags(tags: readonly string[], field = "tags"): string[] {
  const unique = [...new Set(tags.map((tag, index) => checkTag(tag, `${field}[${index}]`)))];
  if (unique.length > MAX_TAGS) throw invalidArgument(field, `at most ${MAX_TAGS} tags, got ${unique.length}`);
  return unique;
}

export function checkInfoSize(info: JsonObject, field = "info"): JsonObject {
  const bytes = Buffer.byteLength(JSON.stringify(info));
  if (bytes > MAX_INFO_BYTES) throw invalidArgument(field, `${bytes} bytes as JSON, more than the ${MAX_INFO_BYTES} allowed`);
  return info;
}

/** 0 means the default; anything else must be within 1..MAX_PAGE_SIZE. */
export function pageSizeOf(pageSize: number, field = "page_size"): number {
  if (pageSize === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidArgument(field, `must be from 1 to ${MAX_PAGE_SIZE} (0 for ${DEFAULT_PAGE_SIZE}), got ${pageSize}`);
  }
  return pageSize;
}

export function expectedVersionOf(version: number, field = "expected_version"): number {
  if (!Number.isSafeInteger(version) || version < 0) throw invalidArgument(field, `must be 0 (no check) or a version, got ${version}`);
  return version;
}
