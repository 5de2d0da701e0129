import { ApiError } from "./errors";
import { calendarDateExists, missingDay } from "./lib/time";

/**
 * The service's one source of "now": real time, moved by the admin clock
 * (after which it runs on from the new instant), and overridden for a single
 * request by its `X-With-Server-Date` header (see `requestNow`).
 */
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** how far the admin clock is from real time (0 when not moved) */
  get offset(): number {
    return this.offsetMs;
  }

  set(instant: Date): Date {
    this.offsetMs = instant.getTime() - Date.now();
    return this.now();
  }

  reset(): Date {
    this.offsetMs = 0;
    return this.now();
  }
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an RFC 3339 instant (zone required); null when it is not one, or
 * names a day that does not exist (`2025-02-31`: JavaScript, and Ruby's
 * `Time.iso8601`, would roll it over to 3 March; we refuse it).
 */
export function parseRfc3339(value: string): Date | null {
  const m = RFC3339.exec(value);
  if (!m || !calendarDateExists(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  const date = new Date(value.replace(",", ".").replace("t", "T").replace("z", "Z"));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The instants the service's clock may be set to. Past year 9999 a
 * timestamp is written `+010000-…`, which sorts first and drops out of
 * `updated_since`; the live data starts in 2021. A millennium either way of
 * now is plenty for any test.
 */
export const CLOCK_YEARS = { from: 2000, to: 2999 } as const;

export function inClockRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= CLOCK_YEARS.from && year <= CLOCK_YEARS.to;
}

export const SERVER_DATE_HEADER = "x-with-server-date";

/** "now" for one request: its `X-With-Server-Date` header when present, else the clock. */
export function requestNow(clock: Clock, request: Request): Date {
  const header = request.headers.get(SERVER_DATE_HEADER);
  if (header === null) return clock.now();
  const date = parseRfc3339(header.trim());
  if (!date) {
    // RFC 3339 but no such day (2025-02-31): say which day is missing
    const missing = RFC3339.test(header.trim()) ? missingDay(header) : null;
    if (missing) throw ApiError.badRequest(`The header 'X-With-Server-Date' names a day that does not exist: ${missing}`);
    throw ApiError.badRequest(
      `The header 'X-With-Server-Date' must be an RFC 3339 date-time of a day that exists, e.g. 2025-01-10T10:42:00Z`,
    );
  }
  if (!inClockRange(date)) {
    throw ApiError.badRequest(`The header 'X-With-Server-Date' must be in the years ${CLOCK_YEARS.from} to ${CLOCK_YEARS.to}`);
  }
  return date;
}
