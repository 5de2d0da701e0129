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

/** Whether year-month-day names a real day of the Gregorian calendar (no 31 April, no 29 February 2025). */
export function calendarDateExists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}
