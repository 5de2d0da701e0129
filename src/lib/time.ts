/** RFC 3339 with whole seconds and `Z`, as the live service writes every timestamp. */
export function toTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19) + "Z";
}

/** The first whole second at or after `date` (`updated_since` against whole-second timestamps: a fraction rounds up). */
export function ceilToSecond(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / 1000) * 1000);
}

/** `2022-1-25` or `2021/05/10` → `2022-01-25`. The reference CSVs do not zero-pad. */
export function normaliseCsvDate(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(trimmed);
  if (!match) throw new Error(`not a date: ${value}`);
  return `${match[1]}-${match[2]!.padStart(2, "0")}-${match[3]!.padStart(2, "0")}`;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function toDateOnly(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const daysInMonth = (year: number, month: number) =>
  [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/** Whether year-month-day names a real day of the Gregorian calendar (no 31 April, no 29 February 2025). */
export function calendarDateExists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Why a value that starts `YYYY-MM-DD` names no day, naming what is missing:
 * "2025-02-31 is not a date: February 2025 has 28 days"; null when the day
 * exists or the value does not start with a date.
 */
export function missingDay(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [text, year, month, day] = [m[0], Number(m[1]), Number(m[2]), Number(m[3])];
  if (calendarDateExists(year, month, day)) return null;
  if (month < 1 || month > 12) return `${text} is not a date: a year has 12 months`;
  if (day < 1) return `${text} is not a date: the days of a month start at 01`;
  return `${text} is not a date: ${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
}
