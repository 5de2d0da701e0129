/**
 * The checks of `POST /api/v3/participant-declarations` and of the void, as pure
 * functions over facts the service reads (docs/reference/rect/rules.md §10.5-10.7):
 * app/services/api/declarations/create.rb:13-40 in its order, accumulating errors as
 * ActiveModel does (grouped by attribute in the order each first failed, messages in
 * the order added), with the titles and details after RECT's term mapper
 * (app/services/api/errors/mapper.rb; docs/reference/rect/rules.md §3.2).
 *
 * Where RECT compares the raw `declaration_date` with a time, Ruby may raise; those
 * raises are `RubyRaise`s here: an `ArgumentError` is RECT's own 400 with the Ruby
 * message (error_rescuable.rb:10,19-21); a `NoMethodError`/`TypeError` is a RECT 500,
 * which we answer as a 400 in the same shape (README, v3 differences).
 */
import { isBlank } from "../../../http/ruby-compat";
import { addDays, fromLondonLocal } from "../../../lib/london";
import { castDeclarationDateMicros, parseDeclarationDateMicros } from "../../declarations/declaration-date";

export const DECLARATION_TYPES = ["started", "retained-1", "retained-2", "retained-3", "retained-4", "completed", "extended-1", "extended-2", "extended-3"];

/** A value of the permitted attributes: a JSON scalar, or a form string; undefined when absent (or dropped). */
export type Scalar = string | number | boolean | null | undefined;

export interface ErrorItem {
  title: string;
  detail: string;
}

/** A Ruby exception RECT would raise during validation. */
export class RubyRaise extends Error {}

/** ActiveModel::Errors, keyed by the mapped title. */
class Errors {
  private readonly byTitle = new Map<string, string[]>();
  add(title: string, detail: string): void {
    const list = this.byTitle.get(title) ?? [];
    if (!list.includes(detail)) list.push(detail);
    this.byTitle.set(title, list);
  }
  any(title: string): boolean {
    return (this.byTitle.get(title)?.length ?? 0) > 0;
  }
  get empty(): boolean {
    return this.byTitle.size === 0;
  }
  items(): ErrorItem[] {
    return [...this.byTitle].flatMap(([title, details]) => details.map((detail) => ({ title, detail })));
  }
}

// mapped attribute names (config/api_error_mappings.yml)
const PARTICIPANT = "participant_id"; // teacher_api_id
const COURSE = "course_identifier"; // teacher_type
const DATE = "declaration_date";
const TYPE = "declaration_type";
const EVIDENCE = "evidence_held"; // evidence_type
const COHORT = "cohort"; // contract_period_year

export const MESSAGES = {
  participantBlank: "Enter a '#/participant_id'.",
  participantUnknown: "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.",
  courseBlank: "Enter a '#/course_identifier'.",
  courseNotForParticipant: "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  dateBlank: "Enter a '#/declaration_date'.",
  typeBlank: "Enter a '#/declaration_type'.",
  typeInvalid: "Enter a valid declaration type.",
  duplicate: "A declaration has already been submitted that will be, or has been, paid for this event.",
  future: "The '#/declaration_date' value cannot be a future date. Check the date and try again.",
  beforeMilestone: "Declaration date must be on or after the milestone start date for the same declaration type.",
  afterMilestone: "Declaration date must be on or before the milestone date for the same declaration type.",
  format: "Enter a valid RCF3339 '#/declaration_date'.",
  mentorStartedOrCompleted:
    "You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.",
  evidenceBlank: "Enter a '#/evidence_held' value for this participant.",
  evidenceInvalid: "Enter an available '#/evidence_held' type for this participant.",
  withdrawn: (at: string) => `This participant withdrew from this course on ${at}. Enter a '#/declaration_date' that's on or before the withdrawal date.`,
  frozen: (year: number) => `You cannot submit declarations for the ${year} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`,
  noStatement: (year: number) =>
    `You cannot submit or void declarations for the ${year} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`,
  noMilestone: "The property '#/declaration_type' does not exist for this schedule.",
  sequence: "This '#/declaration_date' is invalid. Check that it is in sequence with existing declaration dates for this participant.",
} as const;

export interface Milestone {
  start_date: string;
  milestone_date: string | null;
}

/** The caller's latest training period of the role (create.rb:59-71). */
export interface TrainingFacts {
  isEct: boolean;
  withdrawnAt: string | null;
  deferredAt: string | null;
  /** the schedule's cohort (create.rb:87-93) and its `mentor_funding_enabled` */
  scheduleYear: number | null;
  scheduleMentorFunding: boolean;
  /** the partnership's cohort's `detailed_evidence_types_enabled` (evidence_type_validator.rb:33-35) */
  detailedEvidence: boolean;
  /** the schedule's milestones by declaration type */
  milestones: Record<string, Milestone>;
  /** `*_first_became_eligible_for_training_at` set for the role (training_period.rb:182-188) */
  fundable: boolean;
}

export interface CreateFacts {
  nowMs: number;
  attributes: { participant_id: Scalar; declaration_type: Scalar; declaration_date: Scalar; course_identifier: Scalar; evidence_held: Scalar };
  teacherExists: boolean;
  /** the teacher has a training period (either role) with the caller (create.rb:166-172) */
  registeredWithCaller: boolean;
  training: TrainingFacts | null;
  /** the partnership cohort of the first training period of the role (any provider) containing today, and whether its payments are frozen */
  ongoingToday: { year: number; frozen: boolean } | null;
  /** an open output statement of the caller for the schedule's cohort, deadline ≥ today (create.rb:117-126) */
  hasPaymentStatement: boolean;
  /** the teacher's billable-or-changeable declarations of the training period's role, any provider */
  existing: { type: string; dateMs: number }[];
}

/** `teacher_type` (app/controllers/concerns/api/teacher_type.rb:7-16). */
export function teacherType(course: Scalar): "ect" | "mentor" | null {
  return course === "ecf-induction" ? "ect" : course === "ecf-mentor" ? "mentor" : null;
}

/**
 * The role whose training periods create.rb reads: `teacher_type == :ect ? ect : mentor`
 * (create.rb:59-61), so a missing course reads the mentor periods.
 */
export function trainingRole(course: Scalar): "ect" | "mentor" {
  return teacherType(course) === "ect" ? "ect" : "mentor";
}

const present = (value: Scalar) => !isBlank(value);

/** Ruby's class name of a value in a comparison error, as `rb_cmperr` prints it (special constants inspected). */
function rubyOperand(value: Scalar): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Float";
  return "String";
}
function rubyInspect(value: Scalar): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : "Float";
  return typeof value === "boolean" ? String(value) : "String";
}

/**
 * `declaration_date <op> time` with the String on the left: the string is read by
 * `DateTime.parse` (ActiveSupport's `DateTime#<=>` → `String#to_datetime`), so an offset-less
 * value is UTC; a value it cannot read raises ArgumentError (docs/reference/rect/rules.md §10.5.1).
 */
function leftComparable(value: Scalar): number {
  if (typeof value === "string") {
    const micros = isBlank(value) ? null : castDeclarationDateMicros(value);
    if (micros === null) throw new RubyRaise("comparison of String with ActiveSupport::TimeWithZone failed");
    return micros / 1000;
  }
  if (typeof value === "number") throw new RubyRaise(`comparison of ${rubyOperand(value)} with ActiveSupport::TimeWithZone failed`);
  throw new RubyRaise(`undefined method for ${rubyOperand(value)}`);
}

/** `time <op> declaration_date` (create.rb:191): an Integer compares as a Julian day (never later); others as above. */
function rightComparable(value: Scalar): number {
  if (typeof value === "number") return Number.NEGATIVE_INFINITY;
  if (typeof value === "string" && !isBlank(value)) {
    const micros = castDeclarationDateMicros(value);
    if (micros !== null) return micros / 1000;
  }
  throw new RubyRaise(`comparison of ActiveSupport::TimeWithZone with ${rubyInspect(value)} failed`);
}

const STRICT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The instant Rails stores (and `Time.zone.parse` gives) for a date in the accepted format:
 * London time when it has no offset; the instant otherwise (docs/reference/rect/rules.md §10.5.1). Milliseconds.
 */
export function storedInstantMs(raw: string): number | null {
  const m = STRICT.exec(raw);
  if (!m || parseDeclarationDateMicros(raw) === null) return null;
  if (m[8] !== undefined) return Math.floor(parseDeclarationDateMicros(raw)! / 1000);
  const fraction = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  return fromLondonLocal(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fraction).getTime();
}

const londonStartMs = (date: string) => fromLondonLocal(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))).getTime();

const SIMPLE_EVIDENCE = ["training-event-attended", "self-study-material-completed", "other"];
const DETAILED_SIMPLE = ["training-event-attended", "self-study-material-completed", "materials-engaged-with-offline", "other"];

/** evidence_type_validator.rb:73-115. */
function detailedEvidences(isEct: boolean, type: Scalar): string[] {
  if (isEct) {
    if (["started", "retained-1", "retained-3", "retained-4", "extended-1", "extended-2", "extended-3"].includes(type as string)) return DETAILED_SIMPLE;
    if (type === "retained-2") return ["75-percent-engagement-met", "75-percent-engagement-met-reduced-induction"];
    if (type === "completed") return ["75-percent-engagement-met", "75-percent-engagement-met-reduced-induction", "one-term-induction"];
    return [];
  }
  if (type === "started") return DETAILED_SIMPLE;
  if (type === "completed") return ["75-percent-engagement-met", "75-percent-engagement-met-reduced-induction"];
  return [];
}

/** `evidence_type_required?` (evidence_type_validator.rb:22-27). */
function evidenceRequired(training: TrainingFacts, type: Scalar): boolean {
  return present(type) && (type !== "started" || training.detailedEvidence);
}

/** The evidence stored: `evidence_type_allowed?` or null (create.rb:77-79). */
export function storedEvidence(training: TrainingFacts, type: Scalar, evidence: Scalar): Scalar {
  return training.detailedEvidence || evidenceRequired(training, type) ? evidence : null;
}

/** `TrainingStatus#withdrawn?` (training_status.rb:9-19): the later of the two stamps wins; a tie is withdrawn. */
function isWithdrawn(training: TrainingFacts): boolean {
  if (training.withdrawnAt === null) return false;
  return training.deferredAt === null || training.withdrawnAt >= training.deferredAt;
}

/** The checks of create.rb:13-40, in order. Returns the 422 items (empty: valid). Throws RubyRaise. */
export function createErrors(f: CreateFacts): ErrorItem[] {
  const e = new Errors();
  const { participant_id: pid, declaration_type: type, declaration_date: date, evidence_held: evidenceRaw } = f.attributes;
  const course = teacherType(f.attributes.course_identifier);
  const tp = f.training;
  const milestone = tp && typeof type === "string" && Object.hasOwn(tp.milestones, type) ? tp.milestones[type]! : null;

  // 1, 2 (:13-14, 139-145)
  if (!present(pid)) e.add(PARTICIPANT, MESSAGES.participantBlank);
  if (!e.any(PARTICIPANT) && !e.any(COURSE) && !f.teacherExists) e.add(PARTICIPANT, MESSAGES.participantUnknown);
  // 3 (:15); 4 (:16-19, unreachable)
  if (e.empty && course === null) e.add(COURSE, MESSAGES.courseBlank);
  // 5 (:20)
  if (e.empty && !present(date)) e.add(DATE, MESSAGES.dateBlank);
  // 6 (:21, 147-157)
  if (!e.any(COURSE) && !e.any(PARTICIPANT) && !e.any(TYPE) && !e.any(DATE) && !tp && f.registeredWithCaller) e.add(COURSE, MESSAGES.courseNotForParticipant);
  // 7, 8 (:22-26)
  if (e.empty && !present(type)) e.add(TYPE, MESSAGES.typeBlank);
  if (e.empty && present(type) && !DECLARATION_TYPES.includes(type as string)) e.add(TYPE, MESSAGES.typeInvalid);
  // 9 (:27, 206-213)
  if (!e.any(TYPE) && !e.any(DATE) && tp && f.existing.some((d) => d.type === type)) e.add(TYPE, MESSAGES.duplicate);
  // 10 (:28, 128-137): `declaration_date && declaration_date > Time.zone.now`
  if (!e.any(DATE) && !e.any(TYPE) && !e.any(PARTICIPANT) && !e.any(COURSE) && date !== null && date !== undefined && date !== false) {
    if (leftComparable(date) > f.nowMs) e.add(DATE, MESSAGES.future);
  }
  // 11 (declaration_date_within_milestone_validator.rb:8-22)
  if (!e.any(DATE) && !e.any(TYPE) && !e.any(COHORT) && milestone && present(date)) {
    const at = leftComparable(date);
    if (at < londonStartMs(milestone.start_date)) e.add(DATE, MESSAGES.beforeMilestone);
    // `milestone_date.end_of_day <= declaration_date`: 23:59:59.999999 London
    if (milestone.milestone_date !== null && londonStartMs(addDays(milestone.milestone_date, 1)) - 0.001 <= at) e.add(DATE, MESSAGES.afterMilestone);
  }
  // 12 (api_date_time_format_validator.rb:4-22)
  if (!e.any(DATE) && present(date)) {
    if (typeof date !== "string") throw new RubyRaise(`undefined method 'match?' for ${typeof date === "number" ? "an instance of " + rubyOperand(date) : String(date)}`);
    if (parseDeclarationDateMicros(date) === null) e.add(DATE, MESSAGES.format);
  }
  // 13 (:33, 196-204)
  if (!e.any(TYPE) && !e.any(COHORT) && type !== "started" && type !== "completed" && tp && !tp.isEct && tp.scheduleMentorFunding) e.add(TYPE, MESSAGES.mentorStartedOrCompleted);
  // 14 (:34; evidence_type_validator.rb:8-20)
  if (e.empty && tp) {
    const evidence = storedEvidence(tp, type, evidenceRaw);
    if (evidenceRequired(tp, type) && !present(evidence)) e.add(EVIDENCE, MESSAGES.evidenceBlank);
    if (tp.detailedEvidence) {
      if (!e.any(EVIDENCE) && !e.any(TYPE) && present(evidence) && !detailedEvidences(tp.isEct, type).includes(evidence as string)) e.add(EVIDENCE, MESSAGES.evidenceInvalid);
    } else if (present(type)) {
      if (!e.any(EVIDENCE) && present(evidence) && !SIMPLE_EVIDENCE.includes(evidence as string)) e.add(EVIDENCE, MESSAGES.evidenceInvalid);
    }
  }
  // 15 (:35, 188-194): `training_period.withdrawn_at <= declaration_date`
  if (!e.any(PARTICIPANT) && tp && isWithdrawn(tp)) {
    if (Date.parse(tp.withdrawnAt!) <= rightComparable(date)) e.add(PARTICIPANT, MESSAGES.withdrawn(tp.withdrawnAt!));
  }
  // 16 (:36, 224-235)
  if (!e.any(COHORT) && f.teacherExists && f.ongoingToday?.frozen) e.add(COHORT, MESSAGES.frozen(f.ongoingToday.year));
  // 17 (:37, 215-222)
  if (!e.any(TYPE) && !e.any(COHORT) && tp?.fundable && !f.hasPaymentStatement) e.add(COHORT, MESSAGES.noStatement(tp.scheduleYear!));
  // 18 (:38, 174-186)
  if (!e.any(DATE) && !e.any(TYPE) && !e.any(PARTICIPANT) && !e.any(COURSE) && !e.any(COHORT) && tp && !milestone) e.add(TYPE, MESSAGES.noMilestone);
  // 19 (:39, 237-262)
  if (!e.any(DATE) && !e.any(TYPE) && present(date) && present(type) && tp && tp.scheduleYear !== null && tp.scheduleYear >= 2025) {
    const index = DECLARATION_TYPES.indexOf(type as string);
    // `ordered_types.index(x) + 1` on an unknown type: NoMethodError (a RECT 500)
    if (index < 0) throw new RubyRaise("undefined method '+' for nil");
    if (typeof date !== "string") throw new RubyRaise("no implicit conversion into String");
    const at = storedInstantMs(date)!;
    const before = f.existing.filter((d) => DECLARATION_TYPES.indexOf(d.type) < index).map((d) => d.dateMs);
    const after = f.existing.filter((d) => DECLARATION_TYPES.indexOf(d.type) > index).map((d) => d.dateMs);
    if (before.length && at < Math.max(...before)) e.add(DATE, MESSAGES.sequence);
    else if (after.length && at > Math.min(...after)) e.add(DATE, MESSAGES.sequence);
  }
  // 20 (:40, 159-172)
  if (!e.any(PARTICIPANT) && !f.registeredWithCaller) e.add(PARTICIPANT, MESSAGES.participantUnknown);
  return e.items();
}

/**
 * `closest_to(date)` (app/models/concerns/interval.rb:18-37) over the at-school period's
 * mentorships: ordered by the distance in days from the declaration's date (as written,
 * `String#to_date`) to the start, or to the nearer of start and end when finished.
 * Containing the date is not preferred. Ties: the earliest row.
 */
export function closestMentorship<M extends { id: number; started_on: string; finished_on: string | null }>(mentorships: M[], dateText: string): M | null {
  const day = Date.parse(`${dateText.slice(0, 10)}T00:00:00Z`);
  const distance = (d: string) => Math.abs(Date.parse(`${d}T00:00:00Z`) - day);
  let best: M | null = null;
  let bestDistance = Infinity;
  for (const m of [...mentorships].sort((a, b) => a.id - b.id)) {
    const dist = m.finished_on === null ? distance(m.started_on) : Math.min(distance(m.started_on), distance(m.finished_on));
    if (dist < bestDistance) {
      best = m;
      bestDistance = dist;
    }
  }
  return best;
}

/** `String#to_date` of a date whose day does not exist (`2025-02-30…`): Date::Error (a RECT 500). */
export function dateOfDeclaration(dateText: string): string {
  const day = dateText.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) throw new RubyRaise("invalid date");
  return day;
}

/** Void (app/services/api/declarations/void.rb:16-31) and clawback (clawback.rb:24-49): the 422 detail, or null. */
export function voidError(d: { payment_status: string; clawback_status: string }): string | null {
  if (d.payment_status === "voided") return "The declaration has already been voided.";
  if (!["no_payment", "eligible", "payable"].includes(d.payment_status)) return "This declaration has been clawed-back, so you can only view it.";
  return null;
}

export function clawbackError(d: { payment_status: string; clawback_status: string }, hasStatement: boolean, year: number): string | null {
  if (d.payment_status !== "paid") return "The declaration must be paid before it can be clawed back";
  if (d.clawback_status !== "no_clawback") return "The declaration will or has been refunded";
  if (!hasStatement) return `You cannot submit or void declarations for the ${year} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us`;
  return null;
}
