/**
 * The body of a v3 write, read as RECT's controllers read it
 * (docs/reference/rect/rules.md §0 "Request bodies", §3.1, §3.3):
 *
 * - `params` is the body's parameters merged with the query's, the query
 *   winning (ActionDispatch `parameters`: `request_parameters.merge(query_parameters)`);
 * - a JSON body (`application/json`, `text/x-json`, `application/jsonrequest`)
 *   and a form body (`application/x-www-form-urlencoded`, nested as Rack
 *   nests a query) are parsed; another content type, or an empty body, gives
 *   no parameters; a JSON text that is not an object is `{"_json": …}`;
 * - `validate_filters` sees the merged `filter` (filter_validatable.rb:21-37);
 * - `params.require(:data).expect({attributes: [keys]})` (e.g.
 *   partnerships_controller.rb:44-50): `data` absent or blank, `attributes`
 *   not a hash, or no listed key with a permitted scalar value (text, a
 *   number, a boolean, null) → the 400 `Correct json data structure
 *   required…`. Where RECT answers 500 (`data` a non-blank string, a number,
 *   `true` or a non-empty list: `expect` on a String; malformed JSON: a bare
 *   400 from Rails) we answer a 400 in the errors shape (README, v3 differences).
 *
 * The routes that read a body declare `parse: "none"` and call this from the
 * handler, so authentication, `validate_filters` and (for PUT) the lookup come
 * first, in RECT's order (§2.2).
 */
import type { AppContext } from "../../../context";
import { ApiError } from "../../../errors";
import { InvalidTextError, readBodyText } from "../../../http/json-api";
import { type RackParams, isBlank, rackConflict, rackNest } from "../../../http/ruby-compat";
import { V3_BAD_BODY, v3BadParameter, v3BadRequest, v3Error } from "./envelope";

const JSON_TYPES = ["application/json", "text/x-json", "application/jsonrequest"];
const FORM_TYPE = "application/x-www-form-urlencoded";

/** A permitted scalar of strong parameters, as JSON or a form gives it. */
export type PermittedScalar = string | number | boolean | null;

const isHash = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

export const INVALID_JSON_DETAIL = "The request body is not valid JSON";
export const INVALID_TEXT_DETAIL = "The request body must be UTF-8 text without lone surrogates (\\ud800-\\udfff)";

/** The body's own parameters (before the query is merged over them). */
async function bodyParams(ctx: AppContext, request: Request): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBodyText(request, ctx.requests.of(request));
  } catch (error) {
    if (error instanceof InvalidTextError) throw v3BadRequest(INVALID_TEXT_DETAIL);
    // the 413 of a body over MAX_BODY_BYTES, in the v3 content type
    if (error instanceof ApiError) throw v3Error(error.status, (error.body as { errors: { title: string; detail: string }[] }).errors);
    throw error;
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (JSON_TYPES.includes(contentType)) {
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw v3BadRequest(INVALID_JSON_DETAIL);
    }
    return isHash(parsed) ? parsed : { _json: parsed };
  }
  if (contentType === FORM_TYPE) {
    const pairs = [...new URLSearchParams(text)];
    const conflict = rackConflict(pairs);
    if (conflict) throw v3BadRequest(`Invalid request parameters: ${conflict}`);
    return rackNest(pairs);
  }
  return {};
}

/**
 * Reads the body and returns the permitted `data.attributes` (only `keys`,
 * only scalar values), or throws the 400 of §3.3. `query` is the request's
 * Rack-nested query (the `rack` of the v3 plugin), merged over the body.
 */
export async function v3WriteAttributes(ctx: AppContext, request: Request, query: RackParams, keys: readonly string[]): Promise<Record<string, PermittedScalar>> {
  const params: Record<string, unknown> = { ...(await bodyParams(ctx, request)), ...query };
  // validate_filters on the merged params: `params[:filter] ||= {}`, then a hash or the 400
  const filter = params.filter;
  if (filter !== undefined && filter !== null && filter !== false && !isHash(filter)) throw v3BadParameter(["Filter must be a hash"]);
  const data = params.data;
  if (isBlank(data) || (isHash(data) && Object.keys(data).length === 0) || (Array.isArray(data) && data.length === 0)) throw V3_BAD_BODY;
  // a non-blank string, a number, `true` or a list: RECT's 500 (String#expect), our 400
  if (!isHash(data)) throw V3_BAD_BODY;
  const attributes = data.attributes;
  if (!isHash(attributes)) throw V3_BAD_BODY;
  const permitted: Record<string, PermittedScalar> = {};
  for (const key of keys) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") permitted[key] = value;
  }
  if (Object.keys(permitted).length === 0) throw V3_BAD_BODY;
  return permitted;
}

/** The request body a v3 write documents (`detail.requestBody`): JSON, or the same keys form-encoded. */
export function v3RequestBody(schema: unknown, example: unknown, description: string) {
  return {
    description,
    required: true,
    content: { "application/json": { schema, example } },
  };
}
