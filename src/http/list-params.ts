/**
 * Query-string parsing for the two list endpoints (business-rules §3.3, §4.3,
 * §4.4, §5.5): `GET /participants/ecf(.csv)` and `GET /participant-declarations(.csv)`.
 *
 * Pure and synchronous: the caller hands over the raw `[key, value]` pairs as
 * `new URL(req.url).searchParams` yields them (already percent-decoded once,
 * `+` already turned into a space) and gets back either the parsed values or
 * a 400 in the `{"errors":[{title,detail}]}` shape. Nothing here throws but
 * `readListParams`, the routes' entry, which turns that 400 into an ApiError.
 *
 * The live service is Rails: the pairs become a nested hash through Rack's
 * bracket syntax (`filter[cohort]=2021` → `{filter: {cohort: "2021"}}`), so
 * that is rebuilt here first (see `parseNestedQuery`), which is what lets us
 * tell `?filter=2021` (a string) from `?filter[cohort]=2021` (a hash).
 *
 * Order of the checks (only the first failure is reported, as live), which
 * follows the order in which the live controller touches each value:
 *   0. a bracket conflict in the query itself (`a=1&a[b]=2`): Rails refuses the
 *      whole query string;
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

export interface ParamError {
  title: string;
  detail: string;
}

export type QueryPairs = Iterable<readonly [string, string]>;

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
// Exact strings (business-rules §3.3; "RCF3339" sic)
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
// Rack's nested query parsing (rack 2.2 `normalize_params`)
// ---------------------------------------------------------------------------

/** A parsed query value: a string, `null` (Ruby nil), an array or a hash. */
export type QueryValue = string | null | QueryValue[] | QueryHash;
export type QueryHash = Map<string, QueryValue>;

/** Rack's `param_depth_limit`. */
const MAX_DEPTH = 100;

class ParameterTypeError extends Error {}

function rubyClassName(value: QueryValue | undefined): string {
  if (value === null || value === undefined) return 'NilClass';
  if (typeof value === 'string') return 'String';
  if (Array.isArray(value)) return 'Array';
  return 'Rack::QueryParser::Params';
}

function isHash(value: QueryValue | undefined): value is QueryHash {
  return value instanceof Map;
}

function hashHasKey(hash: QueryHash, key: string): boolean {
  if (/\[\]/.test(key)) return false;
  let current: QueryValue | undefined = hash;
  for (const part of key.split(/[[\]]+/)) {
    if (part === '') continue;
    if (!isHash(current) || !current.has(part)) return false;
    current = current.get(part);
  }
  return true;
}

function normalizeParams(
  params: QueryHash,
  name: string,
  v: string,
  depth: number,
): QueryHash | QueryValue[] | null {
  if (depth > MAX_DEPTH) throw new ParameterTypeError('parameters nested too deeply');

  const match = /^[[\]]*([^[\]]+)\]*/.exec(name);
  const k = match ? match[1]! : '';
  const after = match ? name.slice(match[0].length) : '';

  if (k === '') {
    return name === '[]' ? [v] : null;
  }

  if (after === '') {
    params.set(k, v);
  } else if (after === '[') {
    params.set(name, v);
  } else if (after === '[]') {
    if (!params.has(k) || params.get(k) === null) params.set(k, []);
    const existing = params.get(k);
    if (!Array.isArray(existing)) {
      throw new ParameterTypeError(`expected Array (got ${rubyClassName(existing)}) for param \`${k}'`);
    }
    existing.push(v);
  } else {
    const md = /^\[\]\[([^[\]]+)\]$/.exec(after) ?? /^\[\](.+)$/.exec(after);
    if (md) {
      const childKey = md[1]!;
      if (!params.has(k) || params.get(k) === null) params.set(k, []);
      const existing = params.get(k);
      if (!Array.isArray(existing)) {
        throw new ParameterTypeError(`expected Array (got ${rubyClassName(existing)}) for param \`${k}'`);
      }
      const last = existing[existing.length - 1];
      if (isHash(last) && !hashHasKey(last, childKey)) {
        normalizeParams(last, childKey, v, depth + 1);
      } else {
        existing.push(normalizeParams(new Map(), childKey, v, depth + 1));
      }
    } else {
      if (!params.has(k) || params.get(k) === null) params.set(k, new Map());
      const existing = params.get(k);
      if (!isHash(existing)) {
        throw new ParameterTypeError(`expected Hash (got ${rubyClassName(existing)}) for param \`${k}'`);
      }
      params.set(k, normalizeParams(existing, after, v, depth + 1));
    }
  }
  return params;
}

/**
 * The pairs as Rack nests them. Repeated scalar keys: the last one wins.
 * Returns the Rack error text on a type conflict (`a=1&a[b]=2`).
 */
export function parseNestedQuery(
  pairs: QueryPairs,
): { ok: true; value: QueryHash } | { ok: false; message: string } {
  const root: QueryHash = new Map();
  try {
    for (const [key, value] of pairs) normalizeParams(root, String(key), String(value), 1);
  } catch (error) {
    if (error instanceof ParameterTypeError) return { ok: false, message: error.message };
    return { ok: false, message: String(error) };
  }
  return { ok: true, value: root };
}

// ---------------------------------------------------------------------------
// filter[updated_since]: Ruby's Time.iso8601 (time.rb `xmlschema`)
// ---------------------------------------------------------------------------

// Ruby: /\A\s*(-?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d(?::?\d\d)?)?\s*\z/i
// The year is narrowed to four digits (YYYY). Ruby's \s is ASCII whitespace only.
const ISO8601_RE =
  /^[ \t\r\n\f\v]*(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)?[ \t\r\n\f\v]*$/i;

function parseIso8601Once(raw: string): Date | null {
  const m = ISO8601_RE.exec(raw);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  // Ruby's Time.utc/Time.local range checks. Days 29–31 of a short month are
  // not refused: they roll into the next month (`2021-02-30` → 2 March), and
  // second 60 rolls into the next minute, as in Ruby.
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > 31) return null;
  if (hour > 24) return null;
  if (minute > (hour === 24 ? 0 : 59)) return null;
  if (second > (hour === 24 ? 0 : 60)) return null;
  // Sub-millisecond digits are truncated (JS dates hold milliseconds).
  const millis = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;

  let offsetSeconds = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hh = Number(digits.slice(0, 2));
    const mm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    offsetSeconds = sign * (hh * 3600 + mm * 60);
    // Ruby: "utc_offset out of range" unless -86400 < offset < 86400.
    if (Math.abs(offsetSeconds) >= 86400) return null;
  }
  // No zone: Ruby uses server-local time, which is UTC on the live service.

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 19xx
  date.setUTCHours(hour, minute, second, millis);
  const time = date.getTime() - offsetSeconds * 1000;
  return Number.isFinite(time) ? new Date(time) : null;
}

/**
 * Ruby's `URI.decode_www_form_component`: `+` → space, `%XX` → byte; a `%`
 * not followed by two hex digits is an error. `null` on failure.
 */
function decodeWwwFormComponent(raw: string): string | null {
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) return null;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null; // bytes that are not UTF-8 could never parse as a date anyway
  }
}

/**
 * `filter[updated_since]` as live parses it (§4.3): strict ISO 8601
 * date-time (`YYYY-MM-DD`, `T`, `hh:mm:ss`, optional `.fraction`, optional
 * `Z` / `±hh` / `±hhmm` / `±hh:mm`; `T` and `Z` in either case; surrounding
 * ASCII whitespace tolerated, as Ruby's regexp does). Without a zone the time
 * is UTC. On failure the value is percent-decoded once more and parsed again,
 * so a double-encoded value works. A `+` that arrived as a space fails.
 *
 * Returns `null` when the value is not a valid date-time (the caller answers
 * `UPDATED_SINCE_ERROR`). Blank values are the caller's business: live skips
 * the filter for a blank value before ever parsing it.
 */
export function parseUpdatedSince(raw: string): Date | null {
  const first = parseIso8601Once(raw);
  if (first) return first;
  const decoded = decodeWwwFormComponent(raw);
  return decoded === null ? null : parseIso8601Once(decoded);
}

// ---------------------------------------------------------------------------
// Numbers: Ruby String#to_i and ActiveRecord's integer casting
// ---------------------------------------------------------------------------

/**
 * Ruby `String#to_i`: optional leading whitespace, optional sign, then digits
 * (single underscores allowed between digits); anything else gives 0.
 * `2abc` → 2, `1.9` → 1, `abc` → 0, `""` → 0, `-1` → -1.
 */
export function rubyToI(raw: string): number {
  const m = /^[ \t\r\n\f\v]*([+-]?)(\d+(?:_\d+)*)/.exec(raw);
  if (!m) return 0;
  const n = Number(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/**
 * `filter[cohort]` (§4.3): a comma-separated list of start years.
 * Blank (empty or whitespace only) → `null`, meaning every cohort from 2021 on.
 * Otherwise each entry is cast as ActiveRecord casts a value for an integer
 * column: an entry that does not start with (optional spaces and sign and) a
 * digit matches nothing and is dropped; one that does is read like `to_i`
 * (`" 2022"` → 2022, `"2022abc"` → 2022). So `abc` gives `[]` (no rows, no
 * error), and `2021,` gives `[2021]`. Duplicates are removed.
 */
export function parseCohortFilter(raw: string): number[] | null {
  if (raw.trim() === '') return null;
  const years: number[] = [];
  for (const entry of raw.split(',')) {
    if (!/^[ \t\r\n\f\v]*[+-]?\d/.test(entry)) continue;
    const year = rubyToI(entry);
    // Out of the integer column's range: live's predicate matches nothing.
    if (!Number.isSafeInteger(year)) continue;
    if (!years.includes(year)) years.push(year);
  }
  return years;
}

// ---------------------------------------------------------------------------
// filter[participant_id]: PostgreSQL's uuid input
// ---------------------------------------------------------------------------

/**
 * PostgreSQL `uuid_in`: optional `{...}`, 32 hex digits in either case, with
 * an optional hyphen after any group of four digits. Returns the canonical
 * lower-case `8-4-4-4-12` form (so the value compares equal to stored ids),
 * or `null` when PostgreSQL would refuse the value.
 */
export function normaliseUuid(raw: string): string | null {
  let i = 0;
  let braces = false;
  if (raw[0] === '{') {
    braces = true;
    i = 1;
  }
  let hex = '';
  for (let byte = 0; byte < 16; byte++) {
    const pair = raw.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return null;
    hex += pair.toLowerCase();
    i += 2;
    if (raw[i] === '-' && byte % 2 === 1 && byte < 15) i += 1;
  }
  if (braces) {
    if (raw[i] !== '}') return null;
    i += 1;
  }
  if (i !== raw.length) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------
// The whole thing
// ---------------------------------------------------------------------------

function fail(error: ParamError): ListParamsResult {
  return { ok: false, status: 400, errors: [error] };
}

/** Ruby `blank?` for a string: empty or whitespace only. */
function isBlankString(value: string): boolean {
  return value.trim() === '';
}

/**
 * Parse the list query (participants: `allowCohortFilter: true`;
 * declarations: `allowParticipantIdFilter: true`). See the module comment for
 * the order of the checks. Unknown filter keys and unknown top-level keys are
 * ignored.
 *
 * One ambiguity of `URLSearchParams`: `?filter` (no `=`) and `?filter=` both
 * arrive as `["filter", ""]`. Rack gives nil for the first (no error) and ""
 * for the second ("Filter must be a hash"); we cannot tell them apart and
 * treat both as the empty string. Same for `page`.
 */
export function parseListParams(pairs: QueryPairs, options: ListParamsOptions): ListParamsResult {
  const paginate = options.paginate !== false;

  const nested = parseNestedQuery(pairs);
  if (!nested.ok) {
    // Rails: ActionController::BadRequest "Invalid query parameters: <rack message>".
    return fail({ title: 'Bad request', detail: `Invalid query parameters: ${nested.message}` });
  }
  const root = nested.value;

  // 1. filter must be a hash (absent/nil becomes {}).
  const filterRaw = root.get('filter') ?? null;
  if (filterRaw !== null && !isHash(filterRaw)) return fail(FILTER_NOT_HASH_ERROR);
  const filter: QueryHash = filterRaw ?? new Map();

  // 2. recognised filter keys must be single values.
  const recognisedFilterKeys = ['updated_since'];
  if (options.allowCohortFilter) recognisedFilterKeys.unshift('cohort');
  if (options.allowParticipantIdFilter) recognisedFilterKeys.push('participant_id');
  const filterValue = (key: string): string | null => {
    const value = filter.get(key);
    if (typeof value === 'string') return value;
    // `where("user_id = ?", ["<uuid>"])` quotes a one-element array as that value (declarations)
    if (key === 'participant_id' && Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
    return null;
  };
  for (const key of recognisedFilterKeys) {
    const value = filter.get(key);
    if (value !== undefined && value !== null && typeof value !== 'string') {
      if (options.dropNestedFilters) continue;
      if (key === 'participant_id' && filterValue(key) !== null) continue;
      return fail(nestedFilterError(key));
    }
  }

  // 3. updated_since
  let updatedSince: Date | null = null;
  const updatedSinceRaw = filterValue('updated_since');
  if (updatedSinceRaw !== null && !isBlankString(updatedSinceRaw)) {
    updatedSince = parseUpdatedSince(updatedSinceRaw);
    if (updatedSince === null) return fail(UPDATED_SINCE_ERROR);
  }

  // 4. page must be a hash, its two keys single values.
  let pageRaw: string | null = null;
  let perPageRaw: string | null = null;
  if (paginate) {
    const pageParam = root.get('page') ?? null;
    if (pageParam !== null && !isHash(pageParam)) return fail(PAGE_NOT_HASH_ERROR);
    const pageHash: QueryHash = pageParam ?? new Map();
    for (const key of ['per_page', 'page']) {
      const value = pageHash.get(key);
      if (value !== undefined && value !== null && typeof value !== 'string') {
        return fail(nestedPageError(key));
      }
    }
    const pageValue = pageHash.get('page');
    const perPageValue = pageHash.get('per_page');
    pageRaw = typeof pageValue === 'string' ? pageValue : null;
    perPageRaw = typeof perPageValue === 'string' ? perPageValue : null;
  }

  // 5. participant_id (declarations): blank ignored, otherwise a UUID.
  let participantId: string | null = null;
  if (options.allowParticipantIdFilter) {
    const raw = filterValue('participant_id');
    if (raw !== null && !isBlankString(raw)) {
      participantId = normaliseUuid(raw);
      if (participantId === null) return fail(participantIdError(raw));
    }
  }

  // 6. pagination values: lenient integers, default 100 / 1, per_page capped.
  let page = 1;
  let perPage = DEFAULT_PER_PAGE;
  if (paginate) {
    perPage = Math.min(perPageRaw === null ? DEFAULT_PER_PAGE : rubyToI(perPageRaw), MAX_PER_PAGE);
    page = pageRaw === null ? 1 : rubyToI(pageRaw);
    if (page < 1 || perPage < 1) return fail(PAGINATION_ERROR);
    page = Math.min(page, MAX_PAGE);
  }

  // cohort: never an error.
  let cohorts: number[] | null = null;
  if (options.allowCohortFilter) {
    const raw = filterValue('cohort');
    cohorts = raw === null ? null : parseCohortFilter(raw);
  }

  return { ok: true, value: { cohorts, updatedSince, participantId, page, perPage } };
}

/**
 * A request's list parameters, or the live 400 thrown as an ApiError. A URL
 * without a query string (most single GETs) is not parsed at all.
 */
export function readListParams(request: Request, options: ListParamsOptions): ListParams {
  const url = request.url;
  const result = parseListParams(url.includes("?") ? new URL(url).searchParams : [], options);
  if (!result.ok) throw ApiError.errors(result.status, result.errors);
  return result.value;
}
