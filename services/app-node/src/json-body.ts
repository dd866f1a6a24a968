// Reads a request's JSON body strictly: a body is UTF-8 JSON text, or it is refused with a clear
// error. Decoding leniently would store U+FFFD in place of what the client sent.
import inflate from "inflation";
import type { Context } from "koa";
import getRawBody from "raw-body";
import { ApiError, type FieldProblem, invalid } from "./errors.js";

const UTF8 = new Set(["utf-8", "utf8"]);
const unsupported = (message: string): ApiError => new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", message);

/** The parsed body (`{}` when empty); throws a 400, 413 or 415 ApiError. */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== "" && !UTF8.has(charset)) throw unsupported(`charset ${charset} is not accepted: send UTF-8`);
  const bytes = await readBytes(ctx, limitBytes);
  if (bytes.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid(invalidUtf8Fields(bytes));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid([{ field: "body", message: "not valid JSON" }]);
  }
  // JSON's \ud800 escapes can still make text that is not Unicode.
  const broken = fieldsWith(body, (s) => !s.isWellFormed());
  if (broken.length > 0) throw invalid(broken.map((field) => ({ field, message: "not valid Unicode text (a lone surrogate)" })));
  return body;
}

async function readBytes(ctx: Context, limitBytes: number): Promise<Buffer> {
  const encoding = (ctx.get("content-encoding") || "identity").toLowerCase();
  let stream;
  try {
    stream = inflate(ctx.req);
  } catch {
    throw unsupported(`Content-Encoding ${encoding} is not accepted: send identity, gzip, deflate or br`);
  }
  try {
    // The declared length is checked only when the bytes on the wire are the body itself.
    const length = encoding === "identity" ? ctx.get("content-length") || undefined : undefined;
    return await getRawBody(stream, { limit: limitBytes, length });
  } catch (error) {
    const { type } = error as { type?: unknown };
    if (type === "entity.too.large") throw new ApiError(413, "PAYLOAD_TOO_LARGE", `request body larger than ${limitBytes} bytes`);
    if (type === "request.size.invalid") throw invalid([{ field: "body", message: "shorter or longer than its Content-Length" }]);
    if (type === "request.aborted") throw invalid([{ field: "body", message: "the request was aborted" }]);
    // zlib's errors: the bytes are not what Content-Encoding says they are.
    throw unsupported(`the body is not valid ${encoding}`);
  }
}

/** The fields whose text held invalid UTF-8 (they read as U+FFFD when decoded leniently). */
function invalidUtf8Fields(bytes: Buffer): FieldProblem[] {
  const message = "not valid UTF-8 text";
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    return [{ field: "body", message }];
  }
  // A correctly encoded U+FFFD in another field would be named too: rare, and the answer is still a 400.
  const fields = fieldsWith(body, (s) => s.includes("\uFFFD"));
  return (fields.length > 0 ? fields : ["body"]).map((field) => ({ field, message }));
}

/** Paths (`title`, `tags.2`) of the strings, keys included, of a parsed JSON value that fail `test`. */
function fieldsWith(value: unknown, test: (text: string) => boolean, path = ""): string[] {
  const join = (key: string | number): string => (path ? `${path}.${key}` : String(key));
  if (typeof value === "string") return test(value) ? [path || "body"] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => fieldsWith(item, test, join(index)));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [...(test(key) ? [join(key)] : []), ...fieldsWith(item, test, join(key))]);
  }
  return [];
}
