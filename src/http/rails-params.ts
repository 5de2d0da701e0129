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
import { FILTER_NOT_HASH_ERROR } from "./list-params";
import { type FlatQuery, rackConflict, rackShape } from "./ruby-compat";

const EMPTY: FlatQuery = {};

/** The request's query as flat keys (the last of a repeated key wins); 400 when Rack refuses to nest it. */
export function railsQuery(request: Request): FlatQuery {
  const url = request.url;
  if (!url.includes("?")) return EMPTY;
  const pairs = [...new URL(url).searchParams];
  const conflict = rackConflict(pairs);
  if (conflict) throw ApiError.badRequest(`Invalid query parameters: ${conflict}`);
  return Object.fromEntries(pairs);
}

/** `validate_filters` on the query: `filter` absent, nil or a hash. */
export function validateQueryFilter(query: FlatQuery): void {
  const shape = rackShape(query, "filter");
  if (shape === "value" || shape === "other") throw ApiError.errors(400, [FILTER_NOT_HASH_ERROR]);
}

/** `validate_filters` on a parsed JSON body, when the query has no `filter` of its own. */
export function validateBodyFilter(request: Request, body: unknown): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return;
  if (!("filter" in body)) return;
  if (rackShape(railsQuery(request), "filter") !== "absent") return;
  const filter = (body as Record<string, unknown>).filter;
  if (filter === null || filter === undefined) return;
  if (typeof filter !== "object" || Array.isArray(filter)) throw ApiError.errors(400, [FILTER_NOT_HASH_ERROR]);
}
