import { ApiError } from "./errors";

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
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** Parses an RFC 3339 instant (zone required); null when it is not one. */
export function parseRfc3339(value: string): Date | null {
  if (!RFC3339.test(value)) return null;
  const date = new Date(value.replace(",", ".").replace("t", "T").replace("z", "Z"));
  return Number.isNaN(date.getTime()) ? null : date;
}

export const SERVER_DATE_HEADER = "x-with-server-date";

/** "now" for one request: its `X-With-Server-Date` header when present, else the clock. */
export function requestNow(clock: Clock, request: Request): Date {
  const header = request.headers.get(SERVER_DATE_HEADER);
  if (header === null) return clock.now();
  const date = parseRfc3339(header.trim());
  if (!date) {
    throw ApiError.badRequest(
      `The header 'X-With-Server-Date' must be an RFC 3339 date-time, e.g. 2025-01-10T10:42:00Z`,
    );
  }
  return date;
}
