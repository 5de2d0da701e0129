/**
 * Declaration dates and milestone windows (docs/reference/business-rules.md §0, §5.1, §7).
 *
 * The live service reads `declaration_date` twice:
 *  - once through Rails' datetime cast, which is lenient ("turnable into a
 *    time", §5.1 check 3) and is the value every comparison uses;
 *  - once against a strict RFC 3339-ish pattern (§5.1 check 6a).
 * Both are modelled here. Comparisons are done in whole epoch microseconds,
 * because Rails keeps microseconds and the milestone end is
 * 23:59:59.999999 UTC: a JavaScript Date (milliseconds) cannot tell
 * 23:59:59.999999 (refused) from 23:59:59.999 (accepted).
 */
import { isBlank } from "../../http/ruby-compat";

/** Whole microseconds since the Unix epoch (exact for years up to ~2255). */
export type EpochMicros = number;

/**
 * The accepted format (§5.1): `YYYY-MM-DD`, `T` in either case, `hh:mm:ss`,
 * an optional fraction after `.` or `,`, and an optional zone (`Z`/`z`,
 * `±hh`, `±hhmm`, `±hh:mm`). Anchored at both ends, so surrounding spaces fail.
 */
const ACCEPTED_FORMAT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * What we count as "turnable into a time" (§5.1 check 3) when the strict
 * format fails. Rails' fallback (Ruby's Date._parse) accepts far more shapes
 * than this; we accept the ISO-like ones clients actually send: a date with
 * `-` or `/`, optionally a time after `T`/`t` or spaces, optionally a zone,
 * surrounding spaces allowed. Anything else (e.g. `foo`, `13 Nov 2021`)
 * counts as not turnable, so it gets check 3 as well as check 6a.
 */
const LENIENT_FORMAT =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/** Leading zero-padded `YYYY-MM-DD`, tolerant of unpadded month/day (the seed CSVs have `2022-1-25`). */
const DATE_ONLY = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;

/** Seconds east of UTC for a zone designator; undefined zone means UTC (§5.1 "The zone is optional"). */
function zoneOffsetSeconds(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 3600 + minutes * 60);
}

/**
 * Builds an instant the way Ruby's Time.utc does, which is what the live cast
 * calls: out-of-range fields raise (→ null) except that day 29–31 in a short
 * month, hour 24 at exactly 00:00, and second 60 roll forward.
 */
function buildInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone: string | undefined,
): EpochMicros | null {
  const fractionMicros = fraction ? Number(fraction.slice(0, 6).padEnd(6, '0')) : 0;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > 31) return null;
  if (minute > 59) return null;
  if (second > 60) return null;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || fractionMicros > 0))) return null;

  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + fractionMicros - zoneOffsetSeconds(zone) * 1_000_000;
}

function instantFromMatch(m: RegExpExecArray): EpochMicros | null {
  return buildInstant(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    m[7],
    m[8],
  );
}

/** Strict parse (§5.1 check 6a passes) to epoch microseconds, or null. */
export function parseDeclarationDateMicros(raw: string): EpochMicros | null {
  const m = ACCEPTED_FORMAT.exec(raw);
  return m ? instantFromMatch(m) : null;
}

/**
 * Strict parse: the value is in the accepted format and survives a general
 * date parse. Returns the instant (milliseconds; sub-millisecond digits are
 * dropped) or null.
 */
export function parseDeclarationDate(raw: string): Date | null {
  const micros = parseDeclarationDateMicros(raw);
  return micros === null ? null : microsToDate(micros);
}

/** Lenient parse (the value Rails' datetime cast yields), to epoch microseconds, or null. */
export function castDeclarationDateMicros(raw: string): EpochMicros | null {
  const strict = parseDeclarationDateMicros(raw);
  if (strict !== null) return strict;
  const m = LENIENT_FORMAT.exec(raw.trim());
  return m ? instantFromMatch(m) : null;
}

/** Lenient parse (see castDeclarationDateMicros). */
export function castDeclarationDate(raw: string): Date | null {
  const micros = castDeclarationDateMicros(raw);
  return micros === null ? null : microsToDate(micros);
}

/**
 * §5.1 check 3: can the value be turned into a time at all? `2021-11-13`
 * and `2021-11-13 10:00:00` can (they fail only 6a); `foo` and month 19 cannot.
 */
export function isTurnableIntoTime(raw: string | undefined): boolean {
  return raw !== undefined && !isBlank(raw) && castDeclarationDateMicros(raw) !== null;
}

/** §5.1 check 6a: is the value in the accepted format (and a real time)? */
export function isAcceptedDeclarationDateFormat(raw: string): boolean {
  return parseDeclarationDateMicros(raw) !== null;
}

/** RFC 3339, whole seconds (truncated), `Z` suffix: `2021-05-31T02:22:32Z` (§0). */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString(); // 2021-05-31T02:22:32.123Z
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

export function dateToMicros(d: Date): EpochMicros {
  return d.getTime() * 1000;
}

export function microsToDate(micros: EpochMicros): Date {
  return new Date(Math.floor(micros / 1000));
}

/** 00:00:00 UTC of a `YYYY-MM-DD` date (month/day may be unpadded). Throws on malformed data. */
export function startOfDayMicros(ymd: string): EpochMicros {
  const m = DATE_ONLY.exec(ymd);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(ymd)}`);
  const micros = buildInstant(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, undefined, undefined);
  if (micros === null) throw new Error(`not a calendar date: ${JSON.stringify(ymd)}`);
  return micros;
}

/** Rails' end_of_day: 23:59:59.999999 UTC of the date. */
export function endOfDayMicros(ymd: string): EpochMicros {
  return startOfDayMicros(ymd) + 86_400_000_000 - 1;
}

/** Milestone start: inclusive from 00:00:00 UTC on the start date (§7). */
export function milestoneStartMicros(startDate: string): EpochMicros {
  return startOfDayMicros(startDate);
}

/** Milestone end: 23:59:59.999999 UTC of the milestone date; null means open-ended (§7). */
export function milestoneEndMicros(milestoneDate: string | null): EpochMicros | null {
  return milestoneDate === null || isBlank(milestoneDate) ? null : endOfDayMicros(milestoneDate);
}

/** §5.1 check 6b: earlier than 00:00:00 UTC on the start date. */
export function isBeforeMilestoneStart(at: EpochMicros, startDate: string): boolean {
  return at < milestoneStartMicros(startDate);
}

/**
 * §5.1 check 6c: at or after 23:59:59.999999 UTC on the milestone date (the
 * live comparison is `end_of_day <= date`, so that exact microsecond is out).
 */
export function isAfterMilestoneEnd(at: EpochMicros, milestoneDate: string | null): boolean {
  const end = milestoneEndMicros(milestoneDate);
  return end !== null && at >= end;
}
