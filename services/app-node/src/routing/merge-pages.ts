import { type PagePosition, comparePositions } from "@bookstore/proto";

/**
 * One rack's page: its items in (createdAt, id) order, and optionally whether the rack has more
 * items after them (its own next page token was not empty).
 */
export type RackPage<T> = readonly T[] | { readonly items: readonly T[]; readonly more: boolean };

export interface MergedPage<T> {
  items: T[];
  /** Position of the last item kept, when more items remain after it on some rack. */
  next?: PagePosition;
}

/**
 * Merges the pages that racks returned for the same request (each in (createdAt, id) order, each
 * starting after the same position) into one page of at most `pageSize` items in that order.
 *
 * Cutting the merged list at `pageSize` is exact: an item a rack did not return lies after every
 * item that rack did return, so it cannot belong before the cut. `next` is set when items were cut
 * or when a rack said it has more; a token made from it means "strictly after this position" on
 * every rack.
 */
export function mergePages<T>(pages: readonly RackPage<T>[], pageSize: number, position: (item: T) => PagePosition): MergedPage<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a whole number of at least 1, got ${pageSize}`);
  let more = false;
  const keyed: Array<{ item: T; position: PagePosition }> = [];
  for (const page of pages) {
    const items = isArray(page) ? page : page.items;
    if (!isArray(page) && page.more) more = true;
    for (const item of items) keyed.push({ item, position: position(item) });
  }
  keyed.sort((a, b) => comparePositions(a.position, b.position));
  if (keyed.length > pageSize) more = true;
  const kept = keyed.slice(0, pageSize);
  const last = kept.at(-1);
  return more && last ? { items: kept.map((k) => k.item), next: last.position } : { items: kept.map((k) => k.item) };
}

function isArray<T>(page: RackPage<T>): page is readonly T[] {
  return Array.isArray(page);
}
