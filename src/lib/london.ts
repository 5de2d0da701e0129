/**
 * Europe/London, RECT's `config.time_zone` (config/application.rb:38): its
 * "today" (`Date.current`) is the London calendar date of the clock, and a
 * time without an offset (`X-With-Server-Date: 2027-01-10T10:42:00`, a
 * reference-data `…T00:00:00 Europe/London`) is London local time.
 */

const PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function londonParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, string> = {};
  for (const p of PARTS.formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** London's offset from UTC at `instant`, in milliseconds (0 in winter, 3,600,000 in summer). */
export function londonOffsetMs(instant: Date): number {
  const p = londonParts(instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The London calendar date of an instant, `YYYY-MM-DD` ("today" of RECT's rules). */
export function londonDate(instant: Date): string {
  const p = londonParts(instant);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * The instant of a London wall-clock time (as `Time.zone.local`): the offset
 * of that moment, so `2025-07-01 00:00` is 2025-06-30T23:00:00Z. In the
 * autumn's repeated hour the first (summer) instant is taken; in the spring's
 * missing hour the time is read with the winter offset (an hour later).
 */
export function fromLondonLocal(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // the offset at the naive instant, then at the corrected one (two steps settle around the switches)
  let guess = naive - londonOffsetMs(new Date(naive));
  guess = naive - londonOffsetMs(new Date(guess));
  return new Date(guess);
}

/** `YYYY-MM-DD` plus `days` (negative = earlier), in the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `months` (Rails' `months.since`: the day is clamped to the month's last). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}
