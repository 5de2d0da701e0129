/**
 * The body of a v3 write as RECT's controllers read it (docs/reference/rect/rules.md §3.1, §3.3):
 * `params.require(:data).expect({attributes: [...]})` over Rails' `params` (the JSON or
 * form-encoded body, with the query's keys winning), only the permitted scalar
 * attributes kept. A body without `data`, with a blank `data`, or without attributes left
 * is the 400 `Correct json data structure required…`; `data` as a non-empty string,
 * number, `true` or list is a RECT 500 (`expect` on a non-hash), answered here with the
 * same 400 (README, v3 differences). A body's `filter` that is not a hash is
 * `validate_filters`' 400 when the query has none.
 */
import { ApiError } from "../../../errors";
import { readBodyText, readJsonParams } from "../../../http/json-api";
import { type RackParams, isBlank, rackConflict, rackNest } from "../../../http/ruby-compat";
import { V3_BAD_BODY, v3BadParameter, v3BadRequest, v3Error } from "./envelope";

/** A permitted attribute's value: a JSON scalar or a form string; undefined when absent or not a scalar (dropped). */
export type PermittedValue = string | number | boolean | null | undefined;

const isHash = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Rails' `blank?` for a `data` value. */
function blankData(value: unknown): boolean {
  if (isBlank(value)) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isHash(value)) return Object.keys(value).length === 0;
  return false;
}

/** The body as Rails parses it into `params` (JSON or form-encoded), or undefined. */
async function bodyParams(request: Request, keep: { bodyText?: string }): Promise<unknown> {
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType === "application/x-www-form-urlencoded") {
    const text = await readBodyText(request, keep).catch((e) => {
      throw e instanceof ApiError ? e : v3BadRequest("The request body must be UTF-8 text");
    });
    const pairs = [...new URLSearchParams(text)];
    const conflict = rackConflict(pairs);
    if (conflict) throw v3BadRequest(`Invalid request parameters: ${conflict}`);
    return rackNest(pairs);
  }
  try {
    return await readJsonParams(request, keep);
  } catch (error) {
    // our answer for what RECT's JSON parser refuses (an empty 400): the errors shape, in v3's content type
    if (error instanceof ApiError && error.status === 400 && isHash(error.body)) throw v3Error(400, (error.body as { errors: { title: string; detail: string }[] }).errors);
    throw error;
  }
}

/**
 * `data.attributes`, permitted (`keys`, scalars only), or the 400 of a body without them.
 * `query` is the request's Rack-nested query (its `data` wins over the body's, Rails' merge).
 */
export async function readWriteAttributes(request: Request, query: RackParams, keys: readonly string[], keep: { bodyText?: string }): Promise<Record<string, PermittedValue>> {
  const body = await bodyParams(request, keep);
  if (isHash(body) && query.filter === undefined && Object.hasOwn(body, "filter")) {
    const filter = body.filter;
    if (filter !== null && filter !== undefined && !isHash(filter)) throw v3BadParameter(["Filter must be a hash"]);
  }
  const data = Object.hasOwn(query, "data") ? query.data : isHash(body) ? body.data : undefined;
  if (blankData(data)) throw V3_BAD_BODY;
  if (!isHash(data)) throw V3_BAD_BODY;
  const attributes = data.attributes;
  if (!isHash(attributes)) throw V3_BAD_BODY;
  const permitted: Record<string, PermittedValue> = {};
  for (const key of keys) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") permitted[key] = value;
  }
  if (Object.keys(permitted).length === 0) throw V3_BAD_BODY;
  return permitted;
}

/**
 * A write whose body RECT never reads (void): Rails still parses it into `params`, so
 * malformed JSON is a 400 and a body `filter` that is not a hash is `validate_filters`' 400.
 */
export async function readIgnoredBody(request: Request, query: RackParams, keep: { bodyText?: string }): Promise<void> {
  const body = await bodyParams(request, keep);
  if (isHash(body) && query.filter === undefined && Object.hasOwn(body, "filter")) {
    const filter = body.filter;
    if (filter !== null && filter !== undefined && !isHash(filter)) throw v3BadParameter(["Filter must be a hash"]);
  }
}
