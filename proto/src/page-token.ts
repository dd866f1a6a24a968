// Listings are ordered by (createdAt, id) on every rack, so one position in that order is valid on
// all racks: a gateway sends the same token to each rack and merges the pages.

export interface PagePosition {
  /** ISO 8601 creation time of the last item returned. */
  createdAt: string;
  /** Id of the last item returned (breaks ties between equal times). */
  id: string;
}

export class PageTokenError extends Error {
  constructor() {
    super("page_token is not a token this service issued");
    this.name = "PageTokenError";
  }
}

export function encodePageToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString("base64url");
}

/** The position a token stands for; undefined for an empty token (the first page). */
export function decodePageToken(token: string): PagePosition | undefined {
  if (token === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string" &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: any malformed token gets the same clear error
  }
  throw new PageTokenError();
}

/** Orders items the way every rack lists them. */
export function comparePositions(a: PagePosition, b: PagePosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
