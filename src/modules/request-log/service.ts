import type { Db } from "../../../db/connection";
import { ApiError, type ErrorItem } from "../../errors";
import { parseRfc3339 } from "../../clock";
import type { FaultMark } from "../../http/request-info";
import { pathPattern } from "../../lib/path-pattern";
import { providerNames } from "./queries";
import { type NowSource, type TokenKind, hint } from "./rules";

/** What the log keeps of one body: the text itself, its first 64 KiB as UTF-8 bytes, or nothing. */
type Kept = string | Uint8Array | null;

/** One recorded exchange. Kept raw; turned into the API's shape only when read. */
export interface LoggedRequest {
  /** given on arrival (`arrived()`), so that newest first means by arrival */
  id: number;
  /** epoch ms */
  time: number;
  providerId: string | null;
  method: string;
  /** the request URL as received (path and query are cut out when read) */
  url: string;
  status: number;
  durationMs: number;
  requestBody: Kept;
  responseBody: Kept;
  /** the error that rendered the answer, when it was one */
  error: ApiError | null;
  /** the fault it got on purpose (docs/reference/sandbox-contract.md, "Faults on demand"); absent = none */
  fault?: FaultMark | null;
  /** the request's headers as kept (`keepHeaders`): the Authorization value replaced, long values cut */
  headers?: Record<string, string>;
  /** the request's effective "now" (epoch ms): its X-With-Server-Date, else the admin clock as of its arrival; null when the header is not a date */
  now?: number | null;
  nowSource?: NowSource;
  /** what the token was (never the token) */
  tokenKind?: TokenKind;
  /** the answer's content type, when the app's answer was seen */
  responseType?: string;
}

export const BODY_LIMIT_BYTES = 64 * 1024;
/** all kept bodies together; beyond it the oldest records lose theirs (a 100-per-page poller would otherwise hold 64 KiB a request) */
export const BODY_BUDGET_BYTES = 64 * 1024 * 1024;
export const DROPPED_BODY = "[not kept: the request log keeps at most 64 MiB of bodies, and this record is one of the oldest]";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function sizeOf(kept: Kept): number {
  return kept === null ? 0 : typeof kept === "string" ? kept.length : kept.byteLength;
}

/**
 * The in-memory ring of the last `capacity` requests to /api/ (REQUEST_LOG_SIZE).
 * Recording does no parsing: it stores references (the URL string, the body
 * text the handler read, the error object) and cuts bodies over 64 KiB; the
 * API's shape is built only when the log is read.
 */
export class RequestLog {
  private ring: Array<LoggedRequest | undefined>;
  /** insertion sequence: the ring's slots */
  private nextId = 1;
  /** records with sequence < firstId were cleared or overwritten */
  private firstId = 1;
  private lastArrival = 0;
  private byId = new Map<number, LoggedRequest>();
  private bodyBytes = 0;
  /** the oldest record that may still hold bodies (for the budget) */
  private trimFrom = 1;
  private scratch = new Uint8Array(BODY_LIMIT_BYTES);
  /** the last long body cut, so that a polled page served from the response cache is cut once */
  private lastCut: { source: string; kept: Uint8Array } | null = null;
  private lastBytesCut: { source: Uint8Array; kept: Uint8Array } | null = null;

  constructor(
    readonly capacity: number,
    readonly bodyBudget = BODY_BUDGET_BYTES,
  ) {
    this.ring = new Array(capacity);
  }

  /**
   * A body as the log keeps it: the first 64 KiB of its UTF-8, without
   * splitting a character. UTF-8 bytes (a page SQLite built) are kept as
   * they are, by reference, and decoded only when the log is read.
   */
  keep(text: string | Uint8Array | null | undefined): Kept {
    if (!text) return null;
    if (typeof text !== "string") return this.keepBytes(text);
    // at most 3 UTF-8 bytes per UTF-16 unit: short texts fit without looking
    if (text.length <= BODY_LIMIT_BYTES / 3) return text;
    if (this.lastCut && this.lastCut.source === text) return this.lastCut.kept;
    const { read, written } = encoder.encodeInto(text, this.scratch);
    if (read === text.length) return text;
    const kept = this.scratch.slice(0, written);
    this.lastCut = { source: text, kept };
    return kept;
  }

  private keepBytes(bytes: Uint8Array): Kept {
    if (bytes.byteLength === 0) return null;
    // by reference only when the bytes are their whole buffer: a view would keep a larger buffer alive
    if (bytes.byteLength <= BODY_LIMIT_BYTES && bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength) return bytes;
    if (this.lastBytesCut && this.lastBytesCut.source === bytes) return this.lastBytesCut.kept;
    // cut before the character that would cross the limit (a continuation byte is 10xxxxxx)
    let end = Math.min(BODY_LIMIT_BYTES, bytes.byteLength);
    while (end > 0 && end < bytes.byteLength && (bytes[end]! & 0xc0) === 0x80) end--;
    // a copy (Uint8Array's slice: a Buffer's own `slice` is a view that would keep the whole page alive)
    const kept = Uint8Array.prototype.slice.call(bytes, 0, end);
    this.lastBytesCut = { source: bytes, kept };
    return kept;
  }

  /** the id of a request that just arrived */
  arrived(): number {
    return ++this.lastArrival;
  }

  record(record: LoggedRequest): void {
    if (this.capacity === 0) return;
    const id = this.nextId++;
    const slot = id % this.capacity;
    const old = this.ring[slot];
    if (old) {
      this.bodyBytes -= sizeOf(old.requestBody) + sizeOf(old.responseBody);
      this.byId.delete(old.id);
    }
    this.ring[slot] = record;
    this.byId.set(record.id, record);
    this.bodyBytes += sizeOf(record.requestBody) + sizeOf(record.responseBody);
    if (id - this.capacity >= this.firstId) this.firstId = id - this.capacity + 1;
    if (this.bodyBytes > this.bodyBudget) this.trim();
  }

  private trim(): void {
    this.trimFrom = Math.max(this.trimFrom, this.firstId);
    while (this.bodyBytes > this.bodyBudget && this.trimFrom < this.nextId - 1) {
      const record = this.ring[this.trimFrom % this.capacity];
      this.trimFrom++;
      if (!record) continue;
      this.bodyBytes -= sizeOf(record.requestBody) + sizeOf(record.responseBody);
      if (record.requestBody !== null) record.requestBody = DROPPED_BODY;
      if (record.responseBody !== null) record.responseBody = DROPPED_BODY;
      this.bodyBytes += sizeOf(record.requestBody) + sizeOf(record.responseBody);
    }
  }

  /** every record, newest arrival first */
  newestFirst(): LoggedRequest[] {
    const records: LoggedRequest[] = [];
    for (let seq = this.nextId - 1; seq >= this.firstId; seq--) {
      const record = this.ring[seq % this.capacity];
      if (record) records.push(record);
    }
    // recorded when answered: a slow request is recorded after quicker ones that came later
    return records.sort((a, b) => b.id - a.id);
  }

  get(id: number): LoggedRequest | null {
    return this.byId.get(id) ?? null;
  }

  /** empties the log; returns how many records it held */
  clear(): number {
    const held = this.byId.size;
    this.byId.clear();
    this.ring = new Array(this.capacity);
    this.firstId = this.nextId;
    this.trimFrom = this.nextId;
    this.bodyBytes = 0;
    this.lastCut = null;
    this.lastBytesCut = null;
    return held;
  }
}

// ---- reading ---------------------------------------------------------------

export interface RequestFilter {
  leadProviderId?: string;
  status?: { exact: number } | { min: number; max: number };
  method?: string;
  pathPrefix?: string;
  since?: number;
  limit: number;
}

const invalid = (field: string, detail: string) => ApiError.unprocessable(field, detail);

/** The list's query, checked; a bad value is a 422 naming the field. */
export function readFilter(query: Record<string, string | undefined>): RequestFilter {
  const filter: RequestFilter = { limit: 100 };
  if (query.limit !== undefined) {
    if (!/^\d{1,4}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > 1000) {
      throw invalid("limit", "must be a whole number from 1 to 1000");
    }
    filter.limit = Number(query.limit);
  }
  if (query.status !== undefined && query.status !== "") {
    const status = query.status.trim().toLowerCase();
    if (/^[1-5]\d\d$/.test(status)) filter.status = { exact: Number(status) };
    else if (/^[1-5]xx$/.test(status)) filter.status = { min: Number(status[0]) * 100, max: Number(status[0]) * 100 + 99 };
    else throw invalid("status", "must be a status code (422) or a class (4xx)");
  }
  if (query.method !== undefined && query.method !== "") {
    if (!/^[A-Za-z]{1,16}$/.test(query.method)) throw invalid("method", "must be an HTTP method, e.g. POST");
    filter.method = query.method.toUpperCase();
  }
  if (query.since !== undefined && query.since !== "") {
    const since = parseRfc3339(query.since.trim());
    if (!since) throw invalid("since", "must be an RFC 3339 date-time, e.g. 2025-01-10T10:42:00Z");
    filter.since = since.getTime();
  }
  if (query.path_prefix !== undefined && query.path_prefix !== "") filter.pathPrefix = query.path_prefix;
  if (query.lead_provider_id !== undefined && query.lead_provider_id !== "") filter.leadProviderId = query.lead_provider_id;
  return filter;
}

function pathAndQuery(url: string): { path: string; query: string } {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return { path: "/", query: "" };
  const q = url.indexOf("?", start);
  return q < 0 ? { path: url.slice(start), query: "" } : { path: url.slice(start, q), query: url.slice(q + 1) };
}

function matches(record: LoggedRequest, filter: RequestFilter): boolean {
  if (filter.since !== undefined && record.time < filter.since) return false;
  if (filter.leadProviderId !== undefined && record.providerId !== filter.leadProviderId) return false;
  if (filter.method !== undefined && record.method !== filter.method) return false;
  if (filter.status) {
    const s = filter.status;
    if ("exact" in s ? record.status !== s.exact : record.status < s.min || record.status > s.max) return false;
  }
  if (filter.pathPrefix !== undefined && !pathAndQuery(record.url).path.startsWith(filter.pathPrefix)) return false;
  return true;
}

function text(kept: Kept): string | null {
  return kept === null ? null : typeof kept === "string" ? kept : decoder.decode(kept);
}

/** `title: detail` of each error item; the message of the live `{"error": …}` shape. */
export function errorLines(error: ApiError | null): string[] {
  if (!error || error.body === null || typeof error.body !== "object") return [];
  const body = error.body as { errors?: ErrorItem[]; error?: unknown };
  if (Array.isArray(body.errors)) return body.errors.map((e) => `${e.title}: ${e.detail}`);
  if (typeof body.error === "string") return [body.error];
  return [];
}

function errorBodyText(error: ApiError): string | null {
  if (error.body === null) return null;
  return typeof error.body === "string" ? error.body : JSON.stringify(error.body);
}

const HEADER_LIMIT = 32;
const HEADER_VALUE_LIMIT = 1024;

/**
 * A request's headers as the log keeps them: lower-case names, the
 * Authorization value replaced by its scheme and `$TOKEN` (the token is never
 * kept), at most 32 headers of at most 1 KiB each (a hostile client's 8 KB
 * bogus tokens and headers must not fill the log's memory).
 */
export function keepHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  let n = 0;
  headers.forEach((value, name) => {
    if (n++ >= HEADER_LIMIT) return;
    kept[name] = name === "authorization" ? redactAuthorization(value) : value.length > HEADER_VALUE_LIMIT ? `[${value.length} characters, not kept]` : value;
  });
  return kept;
}

/**
 * `Bearer abc…` → `Bearer $TOKEN`; `Token token="abc"` → `Token token="$TOKEN"`; anything else → `$TOKEN`.
 * Only literals are returned: a piece cut from the value would keep the whole (8 KB bogus) token alive.
 */
function redactAuthorization(value: string): string {
  const scheme = /^\s*(bearer|token)\s+/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === "bearer") return "Bearer $TOKEN";
  if (scheme === "token") return /token="/i.test(value) ? 'Token token="$TOKEN"' : "Token $TOKEN";
  return "$TOKEN";
}

async function present(db: Db, records: LoggedRequest[]) {
  const names = await providerNames(db, [...new Set(records.map((r) => r.providerId).filter((id): id is string => id !== null))]);
  return records.map((r) => {
    const { path, query } = pathAndQuery(r.url);
    // an error's body is small, and rendered from the same object that answered
    const responseBody = r.responseBody !== null ? text(r.responseBody) : r.error ? errorBodyText(r.error) : null;
    return {
      id: r.id,
      time: new Date(r.time).toISOString(),
      lead_provider_id: r.providerId,
      lead_provider_name: r.providerId === null ? null : (names.get(r.providerId) ?? null),
      method: r.method,
      path,
      query,
      status: r.status,
      duration_ms: r.durationMs,
      request_body: text(r.requestBody),
      response_body: responseBody,
      errors: errorLines(r.error),
      fault: r.fault ?? null,
      request_headers: r.headers ?? {},
      now: r.now === undefined || r.now === null ? null : new Date(r.now).toISOString(),
      now_source: r.nowSource ?? "real",
      token_kind: r.tokenKind ?? "not_checked",
      hint: hint({ status: r.status, path, tokenKind: r.tokenKind ?? "not_checked", nowSource: r.nowSource ?? "real", errors: errorLines(r.error) }),
    };
  });
}

export async function listRequests(db: Db, log: RequestLog | null, query: Record<string, string | undefined>) {
  const filter = readFilter(query);
  const found: LoggedRequest[] = [];
  if (log) {
    for (const record of log.newestFirst()) {
      if (matches(record, filter)) found.push(record);
      if (found.length >= filter.limit) break;
    }
  }
  return { data: await present(db, found) };
}

export async function showRequest(db: Db, log: RequestLog | null, id: string) {
  const record = /^\d{1,15}$/.test(id) && log ? log.get(Number(id)) : null;
  if (!record) throw ApiError.errors(404, [{ title: "Not found", detail: `No request ${id} in the request log` }]);
  const [shown] = await present(db, [record]);
  return { data: shown! };
}

// ---- assertions: POST /admin/requests/find (docs/reference/sandbox-contract.md, "Verifying requests") -----------------

export interface FindInput {
  method?: string;
  path?: string;
  status?: number | string;
  lead_provider_id?: string;
  since?: string;
  request_body?: unknown;
  limit?: number;
}

/**
 * Does `actual` contain `expected`? Objects: every key given, recursively;
 * arrays and scalars: equal (as JSON values).
 */
export function containsJson(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    const object = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(
      ([key, value]) => Object.prototype.hasOwnProperty.call(object, key) && containsJson(object[key], value),
    );
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((value, i) => equalJson(actual[i], value));
  }
  return actual === expected;
}

function equalJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => equalJson(v, b[i]));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equalJson((a as never)[k], (b as never)[k]));
  }
  return a === b;
}

function parsedBody(kept: Kept): unknown {
  const body = text(kept);
  if (body === null) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The records that match, newest first: `count` is every match, `data` the newest `limit`. */
export async function findRequests(db: Db, log: RequestLog | null, input: FindInput) {
  const filter = readFilter({
    status: input.status === undefined ? undefined : String(input.status),
    method: input.method,
    since: input.since,
    lead_provider_id: input.lead_provider_id,
    limit: input.limit === undefined ? undefined : String(input.limit),
  });
  const pattern = input.path === undefined ? null : pathPattern(input.path);
  const wantsBody = input.request_body !== undefined;
  const found: LoggedRequest[] = [];
  let count = 0;
  for (const record of log?.newestFirst() ?? []) {
    if (!matches(record, filter)) continue;
    if (pattern && !pattern.test(pathAndQuery(record.url).path)) continue;
    if (wantsBody && !containsJson(parsedBody(record.requestBody), input.request_body)) continue;
    count++;
    if (found.length < filter.limit) found.push(record);
  }
  return { count, data: await present(db, found) };
}

// ---- replay: GET /admin/requests/{id}/curl and GET /admin/requests.har --------------------------------

/** headers a replay sends again (the others are the client's or the connection's own) */
const REPLAYED = new Set(["content-type", "accept", "accept-encoding", "x-with-server-date", "x-sandbox-fault"]);

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function recordOrThrow(log: RequestLog | null, id: string): LoggedRequest {
  const record = /^\d{1,15}$/.test(id) && log ? log.get(Number(id)) : null;
  if (!record) throw ApiError.errors(404, [{ title: "Not found", detail: `No request ${id} in the request log` }]);
  return record;
}

/**
 * One curl command that sends the request again: `curl -g` (brackets in the
 * query are literal), the token as `$TOKEN` (double quotes, so the shell puts
 * it in), the replayed headers, and the body as it was sent.
 */
export function curlCommand(log: RequestLog | null, id: string): string {
  const record = recordOrThrow(log, id);
  const parts = ["curl -g -sS"];
  if (record.method !== "GET") parts.push(`-X ${record.method}`);
  const headers = record.headers ?? {};
  if (headers.authorization) parts.push(`-H "Authorization: ${headers.authorization.replace(/"/g, '\\"')}"`);
  for (const [name, value] of Object.entries(headers)) if (REPLAYED.has(name)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  const body = text(record.requestBody);
  if (body !== null) parts.push(`--data-binary ${shellQuote(body)}`);
  parts.push(shellQuote(record.url));
  return `${parts.join(" ")}\n`;
}

function harPairs(search: string): { name: string; value: string }[] {
  return [...new URLSearchParams(search)].map(([name, value]) => ({ name, value }));
}

/** The log (the list's filters) as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), oldest first, tokens as `$TOKEN`. */
export async function harLog(db: Db, log: RequestLog | null, query: Record<string, string | undefined>) {
  const filter = readFilter(query);
  const found: LoggedRequest[] = [];
  for (const record of log?.newestFirst() ?? []) {
    if (matches(record, filter)) found.push(record);
    if (found.length >= filter.limit) break;
  }
  const shown = await present(db, found);
  const entries = found
    .map((record, i) => {
      const view = shown[i]!;
      const headers = Object.entries(view.request_headers).map(([name, value]) => ({ name, value }));
      const body = view.request_body;
      const type = record.headers?.["content-type"] ?? "application/json";
      const responseText = view.response_body ?? "";
      return {
        startedDateTime: view.time,
        time: view.duration_ms,
        request: {
          method: view.method,
          url: record.url,
          httpVersion: "HTTP/1.1",
          cookies: [],
          headers,
          queryString: harPairs(view.query),
          ...(body === null ? {} : { postData: { mimeType: type, text: body } }),
          headersSize: -1,
          bodySize: body === null ? 0 : encoder.encode(body).byteLength,
        },
        response: {
          status: view.status,
          statusText: "",
          httpVersion: "HTTP/1.1",
          cookies: [],
          headers: [],
          content: { size: encoder.encode(responseText).byteLength, mimeType: responseMime(record), text: responseText },
          redirectURL: "",
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: view.duration_ms, receive: 0 },
        comment: view.errors.length > 0 ? view.errors.join("\n") : undefined,
      };
    })
    .reverse();
  return {
    log: {
      version: "1.2",
      creator: { name: "lead-provider-sandbox", version: "1" },
      entries: entries.map(({ comment, ...entry }) => (comment === undefined ? entry : { ...entry, comment })),
    },
  };
}

function responseMime(record: LoggedRequest): string {
  if (record.responseType) return record.responseType;
  // answered before the app (the throttle, a fault): text, or nothing
  return record.status === 429 ? "text/plain" : record.status === 0 ? "x-unknown" : "application/json";
}
