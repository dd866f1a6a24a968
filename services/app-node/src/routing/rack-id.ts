import { RACK_ID_PATTERN } from "@bookstore/wrk-base";

/**
 * The rack named by an id of the form `<rack>.<uuid>`, so a gateway can send a call about one
 * book straight to the rack that owns it; undefined when the id does not have that form.
 */
export function rackOfId(id: string): string | undefined {
  const dot = id.indexOf(".");
  if (dot <= 0 || dot === id.length - 1) return undefined;
  const rack = id.slice(0, dot);
  return RACK_ID_PATTERN.test(rack) ? rack : undefined;
}
