/**
 * The checks the live controllers make on `params` before any action runs
 * (docs/live-parity.md §2), on every v2 route:
 *
 * - the query string must nest (Rack): Rails' instrumentation reads the
 *   params before authentication, so `a=1&a[b]=2` is a 400 even without a token;
 * - `validate_filters` (`app/controllers/concerns/api_filter_validation.rb:26-39`),
 *   after authentication: `params[:filter]`, absent or a hash, else
 *   400 `Filter must be a hash`. `params` merges the JSON body and the query
 *   (the query wins), so a body's `filter` counts when the query has none.
 */
import { ApiError } from "../errors";
import { FILTER_NOT_HASH_ERROR, type QueryHash, parseNestedQuery } from "./list-params";

/** The request's query as Rack nests it; 400 when Rack refuses it. */
export function railsQuery(request: Request): QueryHash {
  const url = request.url;
  if (!url.includes("?")) return new Map();
  const nested = parseNestedQuery(new URL(url).searchParams);
  if (!nested.ok) throw ApiError.badRequest(`Invalid query parameters: ${nested.message}`);
  return nested.value;
}

/** `validate_filters` on the query: `filter` absent, nil or a hash. */
export function validateQueryFilter(query: QueryHash): void {
  const filter = query.get("filter");
  if (filter !== undefined && filter !== null && !(filter instanceof Map)) {
    throw ApiError.errors(400, [FILTER_NOT_HASH_ERROR]);
  }
}

/** `validate_filters` on a parsed JSON body, when the query has no `filter` of its own. */
export function validateBodyFilter(request: Request, body: unknown): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return;
  if (!("filter" in body)) return;
  if (railsQuery(request).has("filter")) return;
  const filter = (body as Record<string, unknown>).filter;
  if (filter === null || filter === undefined) return;
  if (typeof filter !== "object" || Array.isArray(filter)) throw ApiError.errors(400, [FILTER_NOT_HASH_ERROR]);
}
