/**
 * Query-string parsing for the two list endpoints (docs/reference/business-rules.md §3.3, §4.3,
 * §4.4, §5.5): `GET /participants/ecf(.csv)` and `GET /participant-declarations(.csv)`.
 *
 * Pure and synchronous: the caller hands over the raw `[key, value]` pairs as
 * `new URL(req.url).searchParams` yields them (already percent-decoded once,
 * `+` already turned into a space) and gets back either the parsed values or
 * a 400 in the `{"errors":[{title,detail}]}` shape. Nothing here throws but
 * `readListParams`, the routes' entry, which turns that 400 into an ApiError.
 *
 * The live service is Rails: Rack nests bracketed keys (`filter[cohort]=2021`
 * → `{filter: {cohort: "2021"}}`). We keep the keys flat, as Elysia parses
 * them, and ask `rackShape` (ruby-compat.ts) what Rack would have made of the
 * two keys the lists read, which tells `?filter=2021` (a string) from
 * `?filter[cohort]=2021` (a hash).
 *
 * Order of the checks (only the first failure is reported, as live), which
 * follows the order in which the live controller touches each value:
 *   1. `filter` is not a hash (a `before_action`);
 *   2. a recognised `filter[...]` key holding an array or hash (ours, see below);
 *   3. `filter[updated_since]` (parsed while the query scope is built);
 *   4. `page` is not a hash, or a `page[...]` key holding an array or hash
 *      (evaluated as the arguments of `paginate`);
 *   5. `filter[participant_id]` not a UUID (the database rejects it when the
 *      page is counted);
 *   6. `page[page]` / `page[per_page]` below 1 (Pagy's own validation).
 */
import { ApiError } from "../errors";
import { type FlatQuery, isBlank, normaliseUuid, parseCohortFilter, parseUpdatedSince, rackShape, rubyToI } from "./ruby-compat";

export interface ParamError {
  title: string;
  detail: string;
}

/** The query as `[key, value]` pairs (URLSearchParams) or as Elysia's flat object. */
export type QueryPairs = Iterable<readonly [string, string]> | FlatQuery;

export interface ListParamsOptions {
  /** `filter[cohort]` is honoured (participants). v2 declarations ignore it. */
  allowCohortFilter: boolean;
  /** `filter[participant_id]` is honoured (declarations only). */
  allowParticipantIdFilter: boolean;
  /**
   * Default `true`. Pass `false` for the CSV endpoints: live never reads
   * `page` there, so neither its shape nor its values can fail, and the CSV
   * returns every row. `page`/`perPage` then carry the defaults.
   */
  paginate?: boolean;
  /**
   * The participant reads take their filter through strong parameters,
   * `params.permit(:id, filter: %i[cohort updated_since])` (live
   * app/controllers/api/v1/ecf_participants_controller.rb:55-57): a nested
   * value (array or hash) is not a permitted scalar and is silently dropped,
   * so that filter is simply absent. Default: a nested value is a 400.
   */
  dropNestedFilters?: boolean;
}

export interface ListParams {
  /** Start years to keep; `null` = no filter (every cohort from 2021 on); `[]` = matches nothing. */
  cohorts: number[] | null;
  /** `null` = no filter. Participants compare `>=`, declarations `>` (the caller's business). */
  updatedSince: Date | null;
  /** Canonical lower-case hyphenated UUID, or `null` = no filter. Always `null` unless allowed. */
  participantId: string | null;
  /** 1-based page number, ≥ 1. */
  page: number;
  /** Page size, 1..3000. */
  perPage: number;
}

export type ListParamsResult =
  | { ok: true; value: ListParams }
  | { ok: false; status: 400; errors: ParamError[] };

// ---------------------------------------------------------------------------
// Exact strings (docs/reference/business-rules.md §3.3; "RCF3339" sic)
// ---------------------------------------------------------------------------

export const FILTER_NOT_HASH_ERROR: ParamError = {
  title: 'Bad parameter',
  detail: 'Filter must be a hash',
};

/**
 * `?page=2`: live answers 500 `{"error":"Internal server error"}` (the
 * controller calls `params.dig(:page, :per_page)` on a String). We choose a
 * 400 in the same style as the filter one instead of replaying the crash.
 */
export const PAGE_NOT_HASH_ERROR: ParamError = {
  title: 'Bad parameter',
  detail: 'Page must be a hash',
};

export const UPDATED_SINCE_ERROR: ParamError = {
  title: 'Bad request',
  detail: "The filter '#/updated_since' must be a valid RCF3339 date",
};

export const PAGINATION_ERROR: ParamError = {
  title: 'Bad request',
  detail:
    "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid number (equal and more than 1)",
};

/** Mimics the PostgreSQL message the live service echoes (§3.3). */
export function participantIdError(value: string): ParamError {
  return { title: 'Bad request', detail: `invalid input syntax for type uuid: "${value}"` };
}

/**
 * Ours: a recognised `filter[...]` key sent as an array or hash
 * (`filter[updated_since][]=...`). Live either crashes (500) or, for
 * `filter[cohort]`, silently matches nothing; we answer 400.
 */
export function nestedFilterError(key: string): ParamError {
  return {
    title: 'Bad parameter',
    detail: `The filter '#/${key}' must be a single value, not an array or a hash`,
  };
}

/** Ours: `page[per_page][]=1` and the like (live: 500). */
export function nestedPageError(key: string): ParamError {
  return {
    title: 'Bad parameter',
    detail: `The '#/page[${key}]' parameter must be a single value, not an array or a hash`,
  };
}

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 3000;
/**
 * Live turns any page number into a Ruby bignum, and a page past the end is
 * simply empty. We clamp so that `(page - 1) * perPage` stays a safe integer
 * for the SQL OFFSET; any clamped page is still far past the end.
 */
export const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / MAX_PER_PAGE);

// ---------------------------------------------------------------------------
// The whole thing
// ---------------------------------------------------------------------------

function fail(error: ParamError): ListParamsResult {
  return { ok: false, status: 400, errors: [error] };
}

function flat(pairs: QueryPairs): FlatQuery {
  if (!(Symbol.iterator in pairs)) return pairs as FlatQuery;
  const query: FlatQuery = {};
  for (const [key, value] of pairs as Iterable<readonly [string, string]>) query[String(key)] = String(value);
  return query;
}

/**
 * Parse the list query (participants: `allowCohortFilter: true`;
 * declarations: `allowParticipantIdFilter: true`). See the module comment for
 * the order of the checks. Unknown filter keys and unknown top-level keys are
 * ignored.
 *
 * `?filter` (no `=`) and `?filter=` both arrive as `filter: ""`. Rack gives
 * nil for the first (no error) and "" for the second ("Filter must be a
 * hash"); we cannot tell them apart and treat both as the empty string. Same
 * for `page`.
 */
export function parseListParams(pairs: QueryPairs, options: ListParamsOptions): ListParamsResult {
  const paginate = options.paginate !== false;
  const query = flat(pairs);

  // 1. filter must be a hash (absent is {}).
  const filterShape = rackShape(query, "filter");
  if (filterShape === "value" || filterShape === "other") return fail(FILTER_NOT_HASH_ERROR);

  // 2. recognised filter keys must be single values.
  const recognisedFilterKeys = ["updated_since"];
  if (options.allowCohortFilter) recognisedFilterKeys.unshift("cohort");
  if (options.allowParticipantIdFilter) recognisedFilterKeys.push("participant_id");
  const dropped = new Set<string>();
  for (const key of recognisedFilterKeys) {
    const shape = rackShape(query, `filter[${key}]`);
    if (shape !== "hash" && shape !== "other") continue;
    // strong parameters drop a nested value: that filter is simply absent
    if (options.dropNestedFilters) dropped.add(key);
    else return fail(nestedFilterError(key));
  }

  // 3. updated_since
  let updatedSince: Date | null = null;
  const updatedSinceRaw = dropped.has("updated_since") ? undefined : query["filter[updated_since]"];
  if (updatedSinceRaw !== undefined && !isBlank(updatedSinceRaw)) {
    updatedSince = parseUpdatedSince(updatedSinceRaw);
    if (updatedSince === null) return fail(UPDATED_SINCE_ERROR);
  }

  // 4. page must be a hash, its two keys single values.
  if (paginate) {
    const pageShape = rackShape(query, "page");
    if (pageShape === "value" || pageShape === "other") return fail(PAGE_NOT_HASH_ERROR);
    for (const key of ["per_page", "page"]) {
      const shape = rackShape(query, `page[${key}]`);
      if (shape === "hash" || shape === "other") return fail(nestedPageError(key));
    }
  }

  // 5. participant_id (declarations): blank ignored, otherwise a UUID.
  let participantId: string | null = null;
  const participantIdRaw = query["filter[participant_id]"];
  if (options.allowParticipantIdFilter && participantIdRaw !== undefined && !isBlank(participantIdRaw)) {
    participantId = normaliseUuid(participantIdRaw);
    if (participantId === null) return fail(participantIdError(participantIdRaw));
  }

  // 6. pagination values: lenient integers, default 100 / 1, per_page capped.
  let page = 1;
  let perPage = DEFAULT_PER_PAGE;
  if (paginate) {
    const pageRaw = query["page[page]"];
    const perPageRaw = query["page[per_page]"];
    perPage = Math.min(perPageRaw === undefined ? DEFAULT_PER_PAGE : rubyToI(perPageRaw), MAX_PER_PAGE);
    page = pageRaw === undefined ? 1 : rubyToI(pageRaw);
    if (page < 1 || perPage < 1) return fail(PAGINATION_ERROR);
    page = Math.min(page, MAX_PAGE);
  }

  // cohort: never an error.
  const cohortRaw = dropped.has("cohort") ? undefined : query["filter[cohort]"];
  const cohorts = options.allowCohortFilter && cohortRaw !== undefined ? parseCohortFilter(cohortRaw) : null;

  return { ok: true, value: { cohorts, updatedSince, participantId, page, perPage } };
}

/** A list's query parameters, or the live 400 thrown as an ApiError. */
export function readListParams(query: QueryPairs, options: ListParamsOptions): ListParams {
  const result = parseListParams(query, options);
  if (!result.ok) throw ApiError.errors(result.status, result.errors);
  return result.value;
}
