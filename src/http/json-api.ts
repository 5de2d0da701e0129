import type { AppContext } from "../context";
import { ApiError, JSONAPI, MISSING_DATA_ERROR } from "../errors";
import { validateBodyFilter } from "./rails-params";

/** A 200 JSON:API document with the live content type (no charset). */
export function jsonApi(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": JSONAPI },
  });
}

/**
 * A 200 JSON:API answer to a read, served from the response cache while the
 * database has not changed (per provider and URL).
 */
export async function cachedJsonApi(ctx: AppContext, request: Request, providerId: string, compute: () => Promise<unknown>): Promise<Response> {
  const gzip = acceptsGzip(request);
  if (!ctx.cache) {
    const body = JSON.stringify(await compute());
    noteResponseText(ctx, request, body);
    return gzip ? gzipped(Bun.gzipSync(body, { level: 1 })) : jsonApi(body);
  }
  const url = request.url;
  const key = `${providerId} ${url.slice(url.indexOf("/", 8))}`;
  const body = await ctx.cache.get(key, async () => JSON.stringify(await compute()), request);
  noteResponseText(ctx, request, body);
  if (!gzip) return jsonApi(body);
  return gzipped(await ctx.cache.get(`${key} gzip`, async () => Bun.gzipSync(body, { level: 1 }), request));
}

/** The request log keeps the text itself (no copy of the Response, and the JSON even when the answer is gzipped). */
function noteResponseText(ctx: AppContext, request: Request, body: string) {
  const info = ctx.requestInfo.get(request);
  if (info) info.responseText = body;
}

/** The live service gzips when asked (Rack::Deflater); level 1 keeps it cheap. */
function acceptsGzip(request: Request): boolean {
  const header = request.headers.get("accept-encoding");
  return header !== null && /\bgzip\b(?!;q=0(\.0*)?\b)/i.test(header);
}

function gzipped(bytes: Uint8Array): Response {
  return new Response(bytes, { status: 200, headers: { "content-type": JSONAPI, "content-encoding": "gzip", vary: "Accept-Encoding" } });
}

/** Plain JSON for the admin API. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_CONTENT_TYPES = ["application/json", "application/vnd.api+json", "text/x-json"];

/** The body text as the handler read it, kept on the request so that the request log records it without reading it twice. */
const BODY_TEXT = Symbol("body text");

/** Reads at most MAX_BODY_BYTES of the body as text; a larger one is a 413. */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge();
  const text = await request.text();
  (request as unknown as Record<symbol, string>)[BODY_TEXT] = text;
  if (text.length > MAX_BODY_BYTES && Buffer.byteLength(text) > MAX_BODY_BYTES) throw payloadTooLarge();
  return text;
}

/** The body text read by `readBodyText`, or undefined when nobody read it. */
export function bodyTextOf(request: Request): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[BODY_TEXT];
}

/** The body text read from `from` (a copy routed again, see src/http/format.ts), recorded for `to` too. */
export function carryBodyText(from: Request, to: Request): void {
  const text = bodyTextOf(from);
  if (text !== undefined) (to as unknown as Record<symbol, string>)[BODY_TEXT] = text;
}

/** For a request answered without reading its body (refused before it, e.g. 401): read it now, for the request log. */
export async function readUnreadBody(request: Request): Promise<void> {
  if (bodyTextOf(request) !== undefined || request.bodyUsed) return;
  if (request.method === "GET" || request.method === "HEAD") return;
  if (request.body === null) return;
  await readBodyText(request).catch(() => undefined);
}

function payloadTooLarge(): ApiError {
  return ApiError.errors(413, [
    { title: "Payload too large", detail: `The request body must be at most ${MAX_BODY_BYTES} bytes` },
  ]);
}

/**
 * The JSON body as Rails merges it into `params` (`undefined` when it is not
 * parsed: another content type, or empty), after `validate_filters` has
 * looked at its `filter` (src/http/rails-params.ts). Malformed JSON is our
 * 400 (live: an empty 400, README differences).
 */
export async function readJsonParams(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  // an empty body is not parsed at all (Rails)
  if (!JSON_CONTENT_TYPES.includes(contentType) || text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw ApiError.badRequest("The request body is not valid JSON");
  }
  validateBodyFilter(request, parsed);
  return parsed;
}

/**
 * The `data.attributes` of a JSON:API request body, as the live controllers
 * read it (business-rules §3.1, §3.3): a body of another content type is left
 * unparsed, so it has no `data`; `data` missing, null, `{}` or `[]` is the
 * live 400. Where the live service answers an accident (an empty 400 for
 * malformed JSON, a 500 for a string `data`) we answer a 400 in the errors
 * shape (README, "Differences from the live service").
 */
export async function readDataAttributes(request: Request): Promise<Record<string, unknown>> {
  const parsed = await readJsonParams(request);
  if (parsed === undefined) throw MISSING_DATA_ERROR;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw MISSING_DATA_ERROR;
  const data = (parsed as Record<string, unknown>).data;
  if (data === null || data === undefined || typeof data !== "object") throw MISSING_DATA_ERROR;
  if (Array.isArray(data) || Object.keys(data).length === 0) throw MISSING_DATA_ERROR;
  const attributes = (data as Record<string, unknown>).attributes;
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) return {};
  return attributes as Record<string, unknown>;
}

/** Reads a plain JSON object body (admin API); an empty body is `{}`. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readBodyText(request);
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw ApiError.errors(422, [{ title: "body", detail: "must be valid JSON" }]);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw ApiError.errors(422, [{ title: "body", detail: "must be a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}
