import { ApiError, JSONAPI, MISSING_DATA_ERROR } from "../errors";
import { permitAttributes } from "./ruby-compat";
import { validateBodyFilter } from "./rails-params";
import type { RequestInfo, Requests } from "./request-info";
import type { ResponseCache } from "./response-cache";

/** A 200 JSON:API document with the live content type (no charset). */
export function jsonApi(body: unknown, status = 200, contentType: string = JSONAPI): Response {
  return new Response(typeof body === "string" || body instanceof Uint8Array || body instanceof Blob ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": contentType },
  });
}

/** A document that is JSON already (built by the database), as text or UTF-8 bytes: sent as it is. */
export class JsonText {
  constructor(readonly text: string | Uint8Array<ArrayBuffer>) {}
}

const serialized = (document: unknown): string | Uint8Array<ArrayBuffer> => (document instanceof JsonText ? document.text : JSON.stringify(document));

/**
 * A 200 JSON:API answer to a read, served from the response cache while the
 * database has not changed (per provider and URL).
 */
export async function cachedJsonApi(
  cache: ResponseCache | null,
  request: Request,
  info: RequestInfo,
  providerId: string,
  compute: () => Promise<unknown>,
  /** v3 answers `application/json; charset=utf-8`, and never gzipped (RECT has no Rack::Deflater) */
  options: { contentType?: string; gzip?: boolean } = {},
): Promise<Response> {
  const contentType = options.contentType ?? JSONAPI;
  const gzip = options.gzip !== false && acceptsGzip(request);
  if (!cache) {
    const body = serialized(await compute());
    // the request log keeps the text or the bytes themselves (no copy of the Response, and the JSON even when the answer is gzipped)
    info.responseText = body;
    return gzip ? gzipped(Bun.gzipSync(body, { level: 1 }), contentType) : jsonApi(body, 200, contentType);
  }
  const url = request.url;
  const key = `${providerId} ${url.slice(url.indexOf("/", 8))}`;
  const cached = await cache.get(key, async () => new CachedBody(serialized(await compute())), info);
  info.responseText = cached.data;
  if (!gzip) return jsonApi(cached.blob, 200, contentType);
  return gzipped((await cache.get(`${key} gzip`, async () => new CachedBody(Bun.gzipSync(cached.data, { level: 1 })), info)).blob, contentType);
}

/**
 * A cached answer's bytes, also as a Blob: a Response made from a Blob shares
 * its bytes, where one made from a string or a Uint8Array copies them on every
 * request (~7 µs for a 150 KB page, the largest cost of a cached read).
 */
class CachedBody {
  readonly blob: Blob;
  constructor(readonly data: string | Uint8Array<ArrayBuffer>) {
    this.blob = new Blob([data]);
  }
  get length(): number {
    return this.data.length;
  }
}

/** The live service gzips when asked (Rack::Deflater); level 1 keeps it cheap. */
function acceptsGzip(request: Request): boolean {
  const header = request.headers.get("accept-encoding");
  return header !== null && /\bgzip\b(?!;q=0(\.0*)?\b)/i.test(header);
}

function gzipped(bytes: Uint8Array | Blob, contentType: string = JSONAPI): Response {
  return new Response(bytes, { status: 200, headers: { "content-type": contentType, "content-encoding": "gzip", vary: "Accept-Encoding" } });
}

/** Plain JSON for the admin API. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_CONTENT_TYPES = ["application/json", "application/vnd.api+json", "text/x-json"];

/** The body's bytes are not UTF-8, or its JSON escapes a lone surrogate (`"\ud800"`): never stored. */
export class InvalidTextError extends Error {}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF8_LOSSY = new TextDecoder("utf-8");

/**
 * Reads at most MAX_BODY_BYTES of the body as UTF-8 text; a larger one is a
 * 413, cut off as it streams (a chunked body has no Content-Length to judge
 * first, and buffering it whole would let a client hold megabytes per
 * request). Bytes that are not UTF-8 throw InvalidTextError; each caller
 * answers it in its own shape. The text is kept in `keep` (the request's
 * RequestInfo) so that the request log records it without reading it twice.
 */
export async function readBodyText(request: Request, keep?: { bodyText?: string }): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge();
  let bytes: Uint8Array = new Uint8Array(0);
  if (request.body) {
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        reader.cancel().catch(() => {});
        throw payloadTooLarge();
      }
      chunks.push(value);
    }
    bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // the request log shows what came, with U+FFFD where the bytes were not text
    if (keep) keep.bodyText = UTF8_LOSSY.decode(bytes);
    throw new InvalidTextError("not UTF-8");
  }
  if (keep) keep.bodyText = text;
  return text;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What `${value}` gives for a plain object: the text JavaScript would print if `toString` were not shadowed. */
function objectText(): string {
  return "[object Object]";
}

/**
 * JSON.parse that also refuses lone surrogates, and whose objects can all be
 * turned into text. A key `toString` (JSON can only give it a non-function)
 * shadows Object.prototype's, so `${value}` and `String(value)` throw
 * "No default value"; Elysia's validation error formats the failing value
 * that way (`{"name":{"toString":1}}` was a 500, issue 18 item 3). Such an
 * object gets a hidden `Symbol.toPrimitive` (not enumerable, not a JSON key,
 * not seen by TypeBox), which `${value}` asks first. The keys and values are
 * unchanged. Lone surrogates can only come as `\uD800`-style escapes, and a
 * `toString` key only as itself or with escapes, so the parsed value is walked
 * (without recursion: nesting can be deep) only when the text has one of them.
 */
function parseJsonText(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  const surrogates = SURROGATE_ESCAPE.test(text);
  if (!surrogates && !text.includes("toString") && !text.includes("\\u")) return parsed;
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (surrogates && LONE_SURROGATE.test(value)) throw new InvalidTextError("lone surrogate");
    } else if (value !== null && typeof value === "object") {
      if (Object.hasOwn(value, "toString") || Object.hasOwn(value, "valueOf")) {
        Object.defineProperty(value, Symbol.toPrimitive, { value: objectText, enumerable: false, writable: true, configurable: true });
      }
      for (const [key, item] of Object.entries(value)) {
        if (surrogates && LONE_SURROGATE.test(key)) throw new InvalidTextError("lone surrogate");
        stack.push(item);
      }
    }
  }
  return parsed;
}

/**
 * Text that is not Unicode: the live JSON parser refuses invalid UTF-8 with its
 * empty 400 (README, "Differences"); we answer the errors shape and say why.
 */
const INVALID_TEXT_ERROR = ApiError.badRequest("The request body is not valid JSON: it must be UTF-8 text without lone surrogates (\\ud800-\\udfff)");
const ADMIN_INVALID_TEXT_ERROR = ApiError.errors(422, [{ title: "body", detail: "must be valid JSON: UTF-8 text without lone surrogates (\\ud800-\\udfff)" }]);

/** `readBodyText`, with `invalidText` for a body that is not Unicode text. */
function readTextOr(request: Request, invalidText: ApiError, keep?: { bodyText?: string }): Promise<string> {
  return readBodyText(request, keep).catch((e) => {
    throw e instanceof InvalidTextError ? invalidText : e;
  });
}

/** `parseJsonText`, with `invalidText` for a lone surrogate and `malformed()` for text that is not JSON. */
function parseJsonOr(text: string, invalidText: ApiError, malformed: () => ApiError): unknown {
  try {
    return parseJsonText(text);
  } catch (e) {
    throw e instanceof InvalidTextError ? invalidText : malformed();
  }
}

/** For a request answered without reading its body (refused before it, e.g. 401): read it now into `keep`, for the request log. */
export async function readUnreadBody(request: Request, keep: { bodyText?: string }): Promise<void> {
  if (keep.bodyText !== undefined || request.bodyUsed) return;
  if (request.method === "GET" || request.method === "HEAD") return;
  if (request.body === null) return;
  await readBodyText(request, keep).catch(() => undefined);
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
export async function readJsonParams(request: Request, keep?: { bodyText?: string }): Promise<unknown> {
  const text = await readTextOr(request, INVALID_TEXT_ERROR, keep);
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  // an empty body is not parsed at all (Rails)
  if (!JSON_CONTENT_TYPES.includes(contentType) || text === "") return undefined;
  const parsed = parseJsonOr(text, INVALID_TEXT_ERROR, () => ApiError.badRequest("The request body is not valid JSON"));
  validateBodyFilter(request, parsed);
  return parsed;
}

/**
 * The parse hook of a JSON:API write: reads nothing, so that authentication
 * (a transform) runs before the body is read or judged, as live (401 before
 * 400/422). `readJsonApiBody` reads it next.
 */
export const bodyReadAfterAuthentication = () => null;

/**
 * The transform that reads a JSON:API body (docs/reference/business-rules.md §3.1, §3.3) for
 * TypeBox to check: a body of another content type, or an empty one, is left
 * unparsed (Rails), so it has no `data`; `data.attributes` keeps only what the
 * controller permits (ruby-compat `permitAttributes`). The text read is kept
 * in the request's info (`requests`), for the request log.
 */
export function readJsonApiBody(requests: Requests, permit: { keys: readonly string[]; raw?: readonly string[] }) {
  return async (context: { request: Request; body: unknown }) => {
    const { request } = context;
    const parsed = await readJsonParams(request, requests.get(request));
    if (parsed === undefined) {
      context.body = {};
      return;
    }
    const data = (parsed as { data?: unknown } | null)?.data;
    // Elysia's normalizing would turn a string or an array into an object keyed 0, 1, … before TypeBox sees it
    if (typeof data === "string" || Array.isArray(data)) (parsed as { data?: unknown }).data = null;
    if (data !== null && typeof data === "object" && !Array.isArray(data) && Object.hasOwn(data, "attributes")) {
      (data as Record<string, unknown>).attributes = permitAttributes((data as Record<string, unknown>).attributes, permit.keys, permit.raw);
    }
    context.body = parsed;
  };
}

/**
 * The one place where a TypeBox failure on a v2 request becomes the live
 * answer: the failing schema names it (`x-live-error` in model.ts): the
 * missing-`data` 400, or a given status and error item.
 */
export function liveValidationError(error: unknown): ApiError {
  const failures = ((error as { all?: { schema?: Record<string, unknown>; path?: string; message?: string }[] }).all ?? []);
  for (const failure of failures) {
    const live = failure.schema?.["x-live-error"] as "missing-data" | { status: number; title: string; detail: string } | undefined;
    if (live === "missing-data") return MISSING_DATA_ERROR;
    if (live) return ApiError.errors(live.status, [{ title: live.title, detail: live.detail }]);
  }
  const first = failures[0];
  return ApiError.badRequest(first ? `'#${first.path}' ${String(first.message).toLowerCase()}` : "The request is not valid");
}

/** Reads a plain JSON object body (admin API); an empty body is `{}`. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readTextOr(request, ADMIN_INVALID_TEXT_ERROR);
  if (text.trim() === "") return {};
  const parsed = parseJsonOr(text, ADMIN_INVALID_TEXT_ERROR, () => ApiError.errors(422, [{ title: "body", detail: "must be valid JSON" }]));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw ApiError.errors(422, [{ title: "body", detail: "must be a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}
