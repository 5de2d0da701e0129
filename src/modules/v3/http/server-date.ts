/**
 * `X-With-Server-Date` on v3 (app/middlewares/api/time_traveler_middleware.rb,
 * docs/reference/rect/rules.md §2.4): `Time.zone.parse` in London, so a value without an offset
 * (or a date alone) is London local time. RECT answers a value it cannot
 * parse with a 500; we answer a 400 in the errors shape naming the header
 * (README, differences). Like v2, a day that does not exist and a year
 * outside 2000–2999 are refused too.
 */
import { CLOCK_YEARS, type Clock, SERVER_DATE_HEADER, inClockRange } from "../../../clock";
import { fromLondonLocal } from "../../../lib/london";
import { calendarDateExists, missingDay } from "../../../lib/time";
import type { ApiError } from "../../../errors";
import { V3_ROUTE_NOT_FOUND, v3BadRequest } from "./envelope";

const SERVER_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instant, or null when it is not an ISO 8601 date or date-time of a day that exists. */
export function parseServerDate(raw: string): Date | null {
  const m = SERVER_DATE.exec(raw.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!calendarDateExists(year, month, day)) return null;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] === undefined ? 0 : Number((m[7] + "00").slice(0, 3));
  const zone = m[8];
  if (zone === undefined) return fromLondonLocal(year, month, day, hour, minute, second, ms);
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z" && zone !== "UTC") {
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0));
    if (Math.abs(offsetMinutes) >= 24 * 60) return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const SERVER_DATE_DETAIL =
  "The header 'X-With-Server-Date' must be an ISO 8601 date or date-time of a day that exists, e.g. 2027-01-10T10:42:00Z (London time when it has no offset)";

/** "now" for one v3 request: its `X-With-Server-Date` when present, else the clock. */
export function v3RequestNow(clock: Clock, request: Request): Date {
  const header = request.headers.get(SERVER_DATE_HEADER);
  if (header === null) return clock.now();
  const date = parseServerDate(header);
  if (!date) {
    // the shape of a date, but no such day (2025-02-31): say which day is missing, as v2 does
    const missing = SERVER_DATE.test(header.trim()) ? missingDay(header) : null;
    throw v3BadRequest(missing ? `The header 'X-With-Server-Date' names a day that does not exist: ${missing}` : SERVER_DATE_DETAIL);
  }
  if (!inClockRange(date)) throw v3BadRequest(`The header 'X-With-Server-Date' must be in the years ${CLOCK_YEARS.from} to ${CLOCK_YEARS.to}`);
  return date;
}

/**
 * An unknown v3 route (docs/reference/rect/rules.md §1): RECT's exceptions app answers
 * `{"error":"Resource not found"}`; but its time travel middleware runs
 * first, so an unparseable `X-With-Server-Date` is its 500 (our 400) even here.
 */
export function v3RouteNotFound(request: Request): ApiError {
  const header = request.headers.get(SERVER_DATE_HEADER);
  if (header !== null && parseServerDate(header) === null) return v3BadRequest(SERVER_DATE_DETAIL);
  return V3_ROUTE_NOT_FOUND;
}
