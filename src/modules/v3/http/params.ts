/**
 * The list mechanics every v3 index shares (docs/reference/rect/rules.md §4), as RECT's controller
 * concerns read `params` (app/controllers/concerns/api/*.rb): the `filter`
 * hash check, comma lists, `updated_since`, countless pagination and `sort`.
 * Plain functions over Rack-nested params; each failure is the RECT 400.
 */
import { type RackParams, type RackValue, isBlank, parseRectUpdatedSince, rackConflict, rackNest, rubyToI } from "../../../http/ruby-compat";
import { v3BadParameter, v3BadRequest, v3Error } from "./envelope";

const EMPTY: RackParams = {};

/** The request's query, nested as Rack nests it; a query Rack refuses is a 400 (RECT: an empty `text/html` 400). */
export function v3Params(request: Request): RackParams {
  const url = request.url;
  if (!url.includes("?")) return EMPTY;
  const pairs = [...new URL(url).searchParams];
  const conflict = rackConflict(pairs);
  if (conflict) throw v3BadRequest(`Invalid query parameters: ${conflict}`);
  return rackNest(pairs);
}

const isHash = (value: RackValue | undefined): value is { [key: string]: RackValue } =>
  value !== undefined && typeof value === "object" && !Array.isArray(value);

/**
 * `validate_filters` (filter_validatable.rb:21-45), on every v3 action:
 * `filter` absent or a hash, else `Filter must be a hash`; then each
 * required filter key must be present (its value may be blank).
 */
export function validateFilters(params: RackParams, required: readonly string[] = []): void {
  const filter = params.filter;
  if (filter !== undefined && !isHash(filter)) throw v3BadParameter(["Filter must be a hash"]);
  const missing = required.filter((key) => !isHash(filter) || !(key in filter));
  if (missing.length) throw v3BadParameter(missing.map((key) => `The filter '#/${key}' must be included in your request`));
}

/** `params.dig(:filter, key)`. */
export function filterValue(params: RackParams, key: string): RackValue | undefined {
  const filter = params.filter;
  return isHash(filter) ? filter[key] : undefined;
}

/** A filter value RECT would crash on (a hash where a list or a value is read): our 400 (README, differences). */
function nestedFilter(key: string) {
  return v3BadRequest(`The filter '#/${key}' must be a value or a list of values, not a hash`);
}

/**
 * `extract_conditions` (condition_extractable.rb:7-27): a comma-separated
 * string (split on `,`, no trimming) or a repeated `filter[key][]=`; blank →
 * null (the filter is not applied); items failing `keep` are dropped, so
 * none left → `[]` (matches nothing).
 */
function conditions(params: RackParams, key: string, keep: (item: string) => boolean): string[] | null {
  const value = filterValue(params, key);
  if (value === undefined) return null;
  if (isHash(value)) throw nestedFilter(key);
  if (typeof value === "string") return isBlank(value) ? null : value.split(",").filter(keep);
  if (value.length === 0) return null;
  return value.filter((item): item is string => typeof item === "string" && keep(item));
}

const INTEGER = /^\d+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `filter[cohort]` as a list of years (docs/reference/rect/rules.md §4.1): null = not applied, `[]` = nothing. */
export function cohortList(params: RackParams): number[] | null {
  const items = conditions(params, "cohort", (item) => INTEGER.test(item));
  return items === null ? null : [...new Set(items.map(Number).filter(Number.isSafeInteger))];
}

/** A UUID list filter (`filter[participant_id]`, `filter[delivery_partner_id]` on declarations): lower-cased. */
export function uuidList(params: RackParams, key: string): string[] | null {
  const items = conditions(params, key, (item) => UUID.test(item));
  return items === null ? null : [...new Set(items.map((item) => item.toLowerCase()))];
}

/** An unchecked list filter (`filter[delivery_partner_id]` on partnerships, docs/reference/rect/rules.md §4.1): split only. */
export function plainList(params: RackParams, key: string): string[] | null {
  return conditions(params, key, () => true);
}

/**
 * `ContractPeriod.find_by(year: params.dig(:filter, :cohort))`
 * (contract_period_filterable.rb:11-13): one year, read like an integer
 * column cast (leading digits: `2025,2026` is 2025); null when blank or not a
 * number (then RECT finds no contract period).
 */
export function singleCohort(params: RackParams): number | null {
  const value = filterValue(params, "cohort");
  if (value === undefined) return null;
  if (typeof value !== "string") throw nestedFilter("cohort");
  if (!/^\s*[+-]?\d/.test(value)) return null;
  const year = rubyToI(value);
  return Number.isSafeInteger(year) ? year : null;
}

export const UPDATED_SINCE_DETAIL = "The filter '#/updated_since' must be a valid ISO 8601 date";

/**
 * `filter[updated_since]` (date_filterable.rb:13-21): blank → null; else
 * decoded once more and read by `Time.iso8601`; failure → 400. Compared
 * inclusively (`>=`) by every list (docs/reference/rect/rules.md §4.2). Timestamps are kept in
 * whole seconds, so a `since` with a fraction counts from the next second.
 */
export function updatedSince(params: RackParams): Date | null {
  const value = filterValue(params, "updated_since");
  if (value === undefined) return null;
  if (typeof value !== "string") {
    // `URI.decode_www_form_component` of a list or hash raises (TypeError, a RECT 500)
    if (isHash(value) || value.length > 0) throw v3BadRequest(UPDATED_SINCE_DETAIL);
    return null;
  }
  if (isBlank(value)) return null;
  const date = parseRectUpdatedSince(value);
  if (!date) throw v3BadRequest(UPDATED_SINCE_DETAIL);
  return new Date(Math.ceil(date.getTime() / 1000) * 1000);
}

export const PAGINATION_DETAIL = "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number";
export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 3000;

export interface Page {
  limit: number;
  offset: number;
  /** past any possible row: answer `{"data":[]}` without a query */
  beyond: boolean;
}

/**
 * Countless pagination (paginatable.rb, config/initializers/pagy.rb):
 * `page[per_page]` default 100, capped at 3000; `page[page]` default 1; both
 * read with `to_i`; below 1 → 400. Past the last page: an empty page.
 */
export function pagination(params: RackParams): Page {
  const page = params.page;
  if (page === undefined) return { limit: DEFAULT_PER_PAGE, offset: 0, beyond: false };
  // `?page=2`: String#dig raises (a RECT 500); the v2 sandbox's answer for the same
  if (!isHash(page)) throw v3Error(400, [{ title: "Bad parameter", detail: "Page must be a hash" }]);
  const read = (value: RackValue | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    // an Array or Hash has no `to_i` (a RECT 500)
    if (typeof value !== "string") throw v3BadRequest(PAGINATION_DETAIL);
    return rubyToI(value);
  };
  const limit = Math.min(read(page.per_page, DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const number = read(page.page, 1);
  if (limit < 1 || number < 1) throw v3BadRequest(PAGINATION_DETAIL);
  const offset = (number - 1) * limit;
  return { limit, offset, beyond: !Number.isSafeInteger(offset) || offset > 2 ** 40 };
}

export interface SortPart {
  /** the model's attribute name (after `updated_at` → the endpoint's API timestamp) */
  attribute: string;
  direction: "asc" | "desc";
}

/**
 * `sort_order` (orderable.rb:9-40): a comma-separated list; each part may
 * start with `+` (the default) or `-`; `updated_at` becomes `updatedAt`
 * (the endpoint's API timestamp, `api_updated_at` unless said); a name not
 * among the model's `attributes` is dropped; none left → null (the default
 * order). `sort` as a list or hash is not permitted: null.
 */
export function sortParts(params: RackParams, attributes: readonly string[], updatedAt = "api_updated_at"): SortPart[] | null {
  const sort = params.sort;
  if (typeof sort !== "string") return null;
  const parts: SortPart[] = [];
  for (let part of sort.split(",")) {
    let direction: "asc" | "desc" = "asc";
    if (part.startsWith("+") || part.startsWith("-")) {
      direction = part[0] === "-" ? "desc" : "asc";
      part = part.slice(1);
    }
    const attribute = part === "updated_at" ? updatedAt : part;
    if (attributes.includes(attribute)) parts.push({ attribute, direction });
  }
  return parts.length ? parts : null;
}

