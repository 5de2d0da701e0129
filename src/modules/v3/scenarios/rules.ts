/**
 * The scenario document's readings (docs/reference/rect/control-plane.md §3): relative dates,
 * references, and the domain invariants of docs/reference/rect/rules.md §5 that a load checks.
 * Plain functions; a failure is a `ScenarioError` naming the JSON pointer of
 * the value (`/teachers/0/ect_periods/0/started_on`).
 */
import { addDays, addMonths, fromLondonLocal, londonDate } from "../../../lib/london";
import { calendarDateExists, toTimestamp } from "../../../lib/time";

export class ScenarioError extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
  ) {
    super(`${pointer}: ${detail}`);
  }
}

const TERM = /([+-])(\d+)([dwmy])/g;
const RELATIVE = /^(today|now)((?:[+-]\d+[dwmy])*)$/;

function shiftDate(date: string, terms: string): string {
  let result = date;
  for (const [, sign, n, unit] of terms.matchAll(TERM)) {
    const k = (sign === "-" ? -1 : 1) * Number(n);
    if (unit === "d") result = addDays(result, k);
    else if (unit === "w") result = addDays(result, 7 * k);
    else if (unit === "m") result = addMonths(result, k);
    else result = addMonths(result, 12 * k);
  }
  return result;
}

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && calendarDateExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A date: `YYYY-MM-DD`, or `today` with terms (`today-30d`, `today+2w`,
 * `today-6m+1d`), "today" being the London date of the admin clock; `now…`
 * is taken as its date too.
 */
export function resolveDate(value: unknown, pointer: string, now: Date): string {
  if (typeof value !== "string") throw new ScenarioError(pointer, "must be a date: YYYY-MM-DD, or today with ±Nd/w/m/y terms (today-30d)");
  const relative = RELATIVE.exec(value);
  if (relative) return shiftDate(londonDate(now), relative[2]!);
  if (isDate(value)) return value;
  throw new ScenarioError(pointer, "must be a date: YYYY-MM-DD, or today with ±Nd/w/m/y terms (today-30d)");
}

export function resolveOptionalDate(value: unknown, pointer: string, now: Date): string | null {
  return value === undefined || value === null ? null : resolveDate(value, pointer, now);
}

/**
 * An instant: RFC 3339 (`2025-09-01T08:00:00Z`), a date (midnight London),
 * or `now` with terms (`now-10d`; months and years keep the time of day);
 * `today…` is midnight London of that date. Whole seconds, as stored.
 */
export function resolveInstant(value: unknown, pointer: string, now: Date): string {
  const fail = () => new ScenarioError(pointer, "must be an instant: RFC 3339 (2025-09-01T08:00:00Z), a date, or now with ±Nd/w/m/y terms (now-10d)");
  if (typeof value !== "string") throw fail();
  const relative = RELATIVE.exec(value);
  if (relative) {
    if (relative[1] === "today") return londonMidnight(shiftDate(londonDate(now), relative[2]!));
    const utcDate = toTimestamp(now).slice(0, 10);
    const shifted = shiftDate(utcDate, relative[2]!);
    const days = (Date.parse(shifted) - Date.parse(utcDate)) / 86_400_000;
    return toTimestamp(new Date(now.getTime() + days * 86_400_000));
  }
  if (isDate(value)) return londonMidnight(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m || !calendarDateExists(Number(m[1]), Number(m[2]), Number(m[3]))) throw fail();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw fail();
  return toTimestamp(date);
}

export function resolveOptionalInstant(value: unknown, pointer: string, now: Date): string | null {
  return value === undefined || value === null ? null : resolveInstant(value, pointer, now);
}

function londonMidnight(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return toTimestamp(fromLondonLocal(y, m, d));
}

/** The London date of a stored instant. */
export function dateOfInstant(instant: string): string {
  return londonDate(new Date(instant));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An optional `id` given by the document: a lower-case UUID. */
export function optionalUuid(value: unknown, pointer: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !UUID.test(value.toLowerCase())) throw new ScenarioError(pointer, "must be a UUID");
  return value.toLowerCase();
}

export function requiredString(value: unknown, pointer: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new ScenarioError(pointer, "is required (text)");
  return value;
}

export function optionalString(value: unknown, pointer: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ScenarioError(pointer, "must be text or null");
  return value;
}

export function optionalBoolean(value: unknown, pointer: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") throw new ScenarioError(pointer, "must be true or false");
  return value;
}

export function year(value: unknown, pointer: string): number {
  const n = typeof value === "string" && /^\d{4}$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new ScenarioError(pointer, "must be a cohort year (2021)");
  return n;
}

export function list(value: unknown, pointer: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ScenarioError(pointer, "must be a list");
  return value;
}

export function object(value: unknown, pointer: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ScenarioError(pointer, "must be an object");
  return value as Record<string, unknown>;
}

export function optionalObject(value: unknown, pointer: string): Record<string, unknown> | null {
  return value === undefined || value === null ? null : object(value, pointer);
}

/** Ranges are inclusive at both ends (docs/reference/rect/rules.md §5.7); null = open. */
export function rangesOverlap(a: { started_on: string; finished_on: string | null }, b: { started_on: string; finished_on: string | null }): boolean {
  return a.started_on <= (b.finished_on ?? "9999-12-31") && b.started_on <= (a.finished_on ?? "9999-12-31");
}

export function within(inner: { started_on: string; finished_on: string | null }, outer: { started_on: string; finished_on: string | null }): boolean {
  return inner.started_on >= outer.started_on && (inner.finished_on ?? "9999-12-31") <= (outer.finished_on ?? "9999-12-31");
}

/** The default schedule for a start date (docs/reference/rect/rules.md §16): June–October september, November–February january, March–May april. */
export function defaultScheduleIdentifier(startedOn: string, today: string, role: "ect" | "mentor"): string {
  const date = startedOn > today ? startedOn : today;
  const month = Number(date.slice(5, 7));
  const season = month >= 6 && month <= 10 ? "september" : month >= 3 && month <= 5 ? "april" : "january";
  return `ecf-standard-${season}` + (role === "mentor" ? "" : "");
}

export const WITHDRAWAL_REASONS = ["left-teaching-profession", "moved-school", "mentor-no-longer-being-mentor", "switched-to-school-led", "changed-lead-provider", "other"];
export const DEFERRAL_REASONS = ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"];
export const DECLARATION_TYPES = ["started", "retained-1", "retained-2", "retained-3", "retained-4", "completed", "extended-1", "extended-2", "extended-3"];
export const EVIDENCE_TYPES = [
  "training-event-attended",
  "self-study-material-completed",
  "materials-engaged-with-offline",
  "75-percent-engagement-met",
  "75-percent-engagement-met-reduced-induction",
  "one-term-induction",
  "other",
];
export const DECLARATION_STATES = ["submitted", "eligible", "payable", "paid", "voided", "awaiting_clawback", "clawed_back"] as const;
export type DeclarationState = (typeof DECLARATION_STATES)[number];

/** A document state → RECT's two columns (docs/reference/rect/rules.md §10.1). */
export function declarationStatuses(state: DeclarationState): { payment_status: "no_payment" | "eligible" | "payable" | "paid" | "voided"; clawback_status: "no_clawback" | "awaiting_clawback" | "clawed_back" } {
  switch (state) {
    case "submitted":
      return { payment_status: "no_payment", clawback_status: "no_clawback" };
    case "eligible":
    case "payable":
    case "paid":
    case "voided":
      return { payment_status: state, clawback_status: "no_clawback" };
    case "awaiting_clawback":
    case "clawed_back":
      return { payment_status: "paid", clawback_status: state };
  }
}
