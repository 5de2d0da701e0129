/**
 * The live service's participant rules (business-rules §4.2, §4.5, §6) as
 * plain synchronous functions over plain data. The caller gathers the facts
 * from the database; nothing here touches HTTP or SQL.
 *
 * Error shapes follow §3.4: one item per attribute, in the order each
 * attribute first received an error, several messages de-duplicated and
 * joined with ", ".
 */

import { ErrorCollector, type ErrorItem } from "../../errors";
import { isBlank, rubyToI } from "../../http/ruby-compat";

export type ValidationError = ErrorItem;

// ---------------------------------------------------------------------------
// Courses and participant types (one mapping for every feature)
// ---------------------------------------------------------------------------

export type ParticipantType = 'ect' | 'mentor';
export const COURSE_IDENTIFIERS = ['ecf-induction', 'ecf-mentor'] as const;
export type CourseIdentifier = (typeof COURSE_IDENTIFIERS)[number];

/** The participant type a course implies; any other course resolves no training record (§5.1, §6.1). */
export function courseParticipantType(course: unknown): ParticipantType | null {
  if (course === 'ecf-induction') return 'ect';
  if (course === 'ecf-mentor') return 'mentor';
  return null;
}

/** The course of a training record of the given type (the inverse of courseParticipantType). */
export function participantTypeCourse(type: ParticipantType): CourseIdentifier {
  return type === 'ect' ? 'ecf-induction' : 'ecf-mentor';
}

// ---------------------------------------------------------------------------
// §4.2 status
// ---------------------------------------------------------------------------

export type InductionStatus = 'active' | 'completed' | 'leaving' | 'withdrawn' | 'changed';
export type ParticipantStatus = 'active' | 'withdrawn';
export type TrainingStatus = 'active' | 'deferred' | 'withdrawn';

/**
 * The participant's `status` from the induction record's induction status:
 * active/completed/leaving → "active"; withdrawn/changed → "withdrawn".
 * Any other value gives `null` (live's `case` falls through to nil).
 */
export function inductionStatusToStatus(s: InductionStatus): ParticipantStatus;
export function inductionStatusToStatus(s: string): ParticipantStatus | null;
export function inductionStatusToStatus(s: string): ParticipantStatus | null {
  switch (s) {
    case 'active':
    case 'completed':
    case 'leaving':
      return 'active';
    case 'withdrawn':
    case 'changed':
      return 'withdrawn';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------
// §6 reasons and messages (exact strings)
// ---------------------------------------------------------------------------

export const DEFER_REASONS = [
  'bereavement',
  'long-term-sickness',
  'parental-leave',
  'career-break',
  'other',
] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];

/** The same list for ECTs and mentors (§6.3). */
export const WITHDRAW_REASONS = [
  'left-teaching-profession',
  'moved-school',
  'mentor-no-longer-being-mentor',
  'school-left-fip',
  'other',
] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

export const MESSAGES = {
  participantNotRecognised:
    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.",
  courseNotRecognised:
    "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  courseBlank: "Enter a '#/course_identifier' value for this participant.",
  reasonMissing: "The property '#/reason' must be present",
  reasonInvalid: "The property '#/reason' must be a valid reason",
  alreadyDeferred: 'The participant is already deferred',
  alreadyWithdrawn: 'The participant is already withdrawn',
  alreadyActive: 'The participant is already active',
  scheduleBlank:
    "The property '#/schedule_identifier' must be present and correspond to a valid schedule",
  withdrawnParticipant: 'Cannot perform actions on a withdrawn participant',
  invalidatesDeclarations:
    'Changing schedule would invalidate existing declarations. Please void them first.',
  scheduleAlreadyOnProfile: 'Selected schedule is already on the profile',
  scheduleInvalidForCourse: 'Selected schedule is not valid for the course',
  cannotChangeCohort: "You cannot change the '#/cohort' field",
  noPartnership:
    'You cannot change a participant to this cohort as you do not have a partnership with the school for the cohort. Contact the DfE for assistance.',
  scheduleMustExist: 'Validation failed: Schedule must exist',
} as const;

/** The 422 title of a refused save (§3.3). */
export const INVALID_ACTION_TITLE = 'Invalid action';
/** The 404 body (§3.3), capital F. */
export const NOT_FOUND_BODY = { error: 'Resource not Found' } as const;

// ---------------------------------------------------------------------------
// Attributes (§3.1)
// ---------------------------------------------------------------------------

/** A scalar attribute as the live strong parameters keep it; objects/arrays are dropped. */
export type AttributeValue = string | number | boolean | null | undefined;

export interface ActionAttributes {
  courseIdentifier: AttributeValue;
  reason: AttributeValue;
  scheduleIdentifier: AttributeValue;
  cohort: AttributeValue;
}

function scalar(value: unknown): AttributeValue {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return undefined; // objects, arrays (and anything exotic) count as missing
}

/**
 * Reads only `course_identifier`, `reason`, `schedule_identifier` and
 * `cohort` from the raw `data.attributes`. Object and array values are
 * dropped (they count as missing); anything else is ignored. A non-object
 * `attributes` gives all-missing.
 */
export function readActionAttributes(attributes: unknown): ActionAttributes {
  const source =
    attributes !== null && typeof attributes === 'object' && !Array.isArray(attributes)
      ? (attributes as Record<string, unknown>)
      : {};
  const get = (key: string): unknown => (Object.hasOwn(source, key) ? source[key] : undefined);
  return {
    courseIdentifier: scalar(get('course_identifier')),
    reason: scalar(get('reason')),
    scheduleIdentifier: scalar(get('schedule_identifier')),
    cohort: scalar(get('cohort')),
  };
}

// ---------------------------------------------------------------------------
// Target cohort of change-schedule (§6.6 inputs)
// ---------------------------------------------------------------------------

/**
 * The `cohort` attribute as live casts it (an ActiveModel `:integer`
 * attribute): absent, null or blank → `null` (not given); a number → its
 * integer part; a string → `to_i` (`"2022"` → 2022, `"abc"` → 0); true → 1,
 * false → 0. A year no cohort has (0, 1999, …) simply finds no cohort.
 * Values beyond the safe-integer range become 0, which is just as unknown.
 */
export function castCohortAttribute(value: AttributeValue): number | null {
  let n: number;
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'number') n = Math.trunc(value);
  else if (value.trim() === '') return null;
  else n = rubyToI(value);
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * The cohort a change-schedule moves to (§6.6): the `cohort` attribute when
 * given (a string or a number year; it may name a cohort that does not
 * exist), otherwise the cohort of the caller's induction record's school
 * cohort (`schoolCohort`, falling back to `cohort`, the schedule's cohort).
 * `null` when neither is known: the caller then uses the current cohort
 * (live's last fallback, `Cohort.current`).
 *
 * The new schedule is the one with the requested identifier in this cohort.
 */
export function resolveTargetCohort(
  attributes: unknown,
  trainingRecord: { cohort: number; schoolCohort?: number | null } | null,
): number | null {
  const given = castCohortAttribute(readActionAttributes(attributes).cohort);
  if (given !== null) return given;
  if (trainingRecord) return trainingRecord.schoolCohort ?? trainingRecord.cohort;
  return null;
}

// ---------------------------------------------------------------------------
// Cohorts' dates (the 2021 payments-frozen exception)
// ---------------------------------------------------------------------------

export interface CohortDates {
  startYear: number;
  /** YYYY-MM-DD */
  registrationStartDate: string;
  /** YYYY-MM-DD or null (db/data/cohorts.csv `payments-frozen-at`: only 2021 has one) */
  paymentsFrozenAt: string | null;
}

/**
 * `Cohort.active_registration_cohort`: the latest cohort whose registration
 * has started by `today` (YYYY-MM-DD) (app/models/cohort.rb:21-23).
 */
export function activeRegistrationCohort(cohorts: readonly CohortDates[], today: string): number | null {
  let best: number | null = null;
  for (const c of cohorts) if (c.registrationStartDate <= today && (best === null || c.startYear > best)) best = c.startYear;
  return best;
}

/** `Cohort#payments_frozen?`: a `payments_frozen_at` that `today` has reached (app/models/cohort.rb:93-95). */
export function cohortPaymentsFrozen(cohort: CohortDates | undefined, today: string): boolean {
  return !!cohort?.paymentsFrozenAt && today >= cohort.paymentsFrozenAt;
}

// ---------------------------------------------------------------------------
// Facts and results
// ---------------------------------------------------------------------------

export type ParticipantAction = 'defer' | 'resume' | 'withdraw' | 'change-schedule';

/** A date-only value: a `Date` (its UTC calendar day is used) or `YYYY-M-D` text. */
export type DateOnly = Date | string;

export interface TrainingRecordFacts {
  /** `training_status` of the **caller's** latest induction record (§6.5). */
  trainingStatus: TrainingStatus;
  /** The caller (lead provider) has an induction record for this training record. */
  callerHasInductionRecord: boolean;
  /** Identifier of the schedule on the caller's induction record (the profile's when it has none). */
  scheduleIdentifier: string;
  /** Start year of that schedule's cohort (compared by check 6). */
  cohort: number;
  /**
   * Start year of the caller's induction record's school cohort, when it
   * differs from the schedule's cohort. Only used by `resolveTargetCohort`.
   */
  schoolCohort?: number | null;
  /**
   * The profile's own schedule, when it differs from the one on the caller's
   * induction record. Defaults to `{scheduleIdentifier, cohort}`. Used by the
   * "same schedule" check.
   */
  profileSchedule?: { identifier: string; cohort: number } | null;
}

export interface StatusActionFacts {
  /** Raw `data.attributes`. */
  attributes: unknown;
  /** The path id resolved to a participant identity (§5.1 resolution). */
  identityResolved: boolean;
  /** Course identifiers of the person's active training records ('ecf-induction', 'ecf-mentor'). */
  activeCourses: readonly string[];
  /** The training record the course picks, or null. */
  trainingRecord: TrainingRecordFacts | null;
}

export interface MilestoneFacts {
  declarationType: string;
  startDate: DateOnly;
  milestoneDate: DateOnly | null;
}

export interface ScheduleFacts {
  identifier: string;
  cohort: number;
  milestones: readonly MilestoneFacts[];
}

export interface DeclarationFacts {
  declarationType: string;
  declarationDate: Date;
  /** submitted, eligible, payable or paid */
  state: string;
  /** the declaration's own cohort (the profile's schedule's cohort when it was made) */
  cohort: number;
  /** that cohort has a `payments_frozen_at` (set, whether or not the day has come) */
  cohortPaymentsFrozenAtSet: boolean;
}

/**
 * The facts of the 2021 payments-frozen exception (§6.6 check 6; live
 * `allow_change_to_from_frozen_cohort: true` on every v2 change-schedule,
 * app/controllers/concerns/api/v1/participant_actions.rb:25).
 */
export interface PaymentsFrozenFacts {
  /** `Cohort.active_registration_cohort`: the latest cohort whose registration has started by today (app/models/cohort.rb:21-23) */
  activeRegistrationCohort: number | null;
  /** the profile's schedule's cohort has a `payments_frozen_at` (no date check, app/models/participant_profile/ecf.rb:65-66) */
  profileCohortPaymentsFrozenAtSet: boolean;
  /** the target cohort's payments are frozen by now (`Cohort#payments_frozen?`, app/models/cohort.rb:93-95) */
  targetCohortPaymentsFrozen: boolean;
  /** the profile's `cohort_changed_after_payments_frozen` flag */
  cohortChangedAfterPaymentsFrozen: boolean;
  /**
   * Whose training may be completed: an ECT's induction completion date is
   * never set in the sandbox (no API or admin call records one); a mentor's
   * completion date is that of a submitted/eligible/payable/paid `completed`
   * declaration (ect.rb:63-65, mentor.rb:86-88; declarations' `mentorCompletionDate`)
   */
  participantType: ParticipantType;
}

export interface ChangeScheduleFacts extends StatusActionFacts {
  /**
   * The schedule with the requested identifier in the target cohort, or null
   * when there is none (unknown identifier, unknown cohort, or an identifier
   * that exists only in other cohorts). Ignored when `schedule_identifier` is
   * blank.
   */
  targetSchedule: ScheduleFacts | null;
  /** From `resolveTargetCohort`; `null` = a cohort that does not exist. */
  targetCohort: number | null;
  /** The training record's declarations in submitted, eligible, payable or paid. */
  billableDeclarations: readonly DeclarationFacts[];
  /**
   * Check 7: the caller has an active (unchallenged, not pending)
   * non-relationship partnership with the school of its induction record in
   * the target cohort; or, when only the schedule changes within the
   * record's cohort (target cohort = the schedule's cohort and the new
   * schedule, possibly none, differs from the profile's), any active
   * partnership there. False when the caller has no induction record.
   */
  hasPartnershipInTargetCohort: boolean;
  /** Absent: the exception does not apply (live `allow_change_to_from_frozen_cohort: false`). */
  paymentsFrozen?: PaymentsFrozenFacts;
}

export type ActionOutcome =
  | { action: 'defer'; courseIdentifier: string; trainingStatus: 'deferred'; reason: DeferReason }
  | { action: 'withdraw'; courseIdentifier: string; trainingStatus: 'withdrawn'; reason: WithdrawReason }
  | { action: 'resume'; courseIdentifier: string; trainingStatus: 'active' }
  | {
      action: 'change-schedule';
      courseIdentifier: string;
      scheduleIdentifier: string;
      cohort: number;
      /** The new schedule's cohort differs from the record's schedule cohort. */
      cohortChanged: boolean;
      /** The change of cohort was allowed by the payments-frozen exception: the profile's flag toggles (change_schedule.rb:121-127). */
      togglesPaymentsFrozenFlag: boolean;
    };

export type ActionFailure =
  | { ok: false; status: 422; errors: ValidationError[] }
  /** Body `{"error":"Resource not Found"}` (a declaration's type has no milestone in the new schedule). */
  | { ok: false; status: 404; error: 'Resource not Found' };

export type ActionResult<O extends ActionOutcome = ActionOutcome> = { ok: true; next: O } | ActionFailure;

// ---------------------------------------------------------------------------
// Error collection (§3.4)
// ---------------------------------------------------------------------------

function unprocessable(errors: ValidationError[]): ActionFailure {
  return { ok: false, status: 422, errors };
}

// ---------------------------------------------------------------------------
// §6.5 transitions
// ---------------------------------------------------------------------------

export type TransitionResult =
  | { ok: true; to: TrainingStatus }
  | { ok: false; error: ValidationError };

/**
 * The §6.5 table, judged on the training status of the caller's latest
 * induction record. change-schedule keeps the status.
 */
export function statusTransition(action: ParticipantAction, from: TrainingStatus): TransitionResult {
  switch (action) {
    case 'defer':
      if (from === 'deferred') return { ok: false, error: { title: 'participant_profile', detail: MESSAGES.alreadyDeferred } };
      if (from === 'withdrawn') return { ok: false, error: { title: 'participant_profile', detail: MESSAGES.alreadyWithdrawn } };
      return { ok: true, to: 'deferred' };
    case 'withdraw':
      if (from === 'withdrawn') return { ok: false, error: { title: 'participant_profile', detail: MESSAGES.alreadyWithdrawn } };
      return { ok: true, to: 'withdrawn' };
    case 'resume':
      if (from === 'active') return { ok: false, error: { title: 'participant_profile', detail: MESSAGES.alreadyActive } };
      return { ok: true, to: 'active' };
    case 'change-schedule':
      if (from === 'withdrawn') return { ok: false, error: { title: 'participant_id', detail: MESSAGES.withdrawnParticipant } };
      return { ok: true, to: from };
  }
}

// ---------------------------------------------------------------------------
// §6.1 common checks
// ---------------------------------------------------------------------------

/**
 * §6.1, in order, into `bag`:
 * 1. identity not resolved → participant_id;
 * 2. (skipped if errors) course not among the active courses → course_identifier;
 * 3. course blank → course_identifier (always runs; a blank course after a
 *    resolved identity gets both messages joined);
 * 4. (skipped if errors) no training record, or no induction record of the
 *    caller → participant_id.
 */
export function commonChecks(facts: StatusActionFacts, attrs: ActionAttributes, bag: ErrorCollector): void {
  const course = attrs.courseIdentifier;
  if (!facts.identityResolved) bag.add('participant_id', MESSAGES.participantNotRecognised);
  if (!!bag.empty && !(typeof course === 'string' && facts.activeCourses.includes(course))) {
    bag.add('course_identifier', MESSAGES.courseNotRecognised);
  }
  if (isBlank(course)) bag.add('course_identifier', MESSAGES.courseBlank);
  if (!!bag.empty && !(facts.trainingRecord && facts.trainingRecord.callerHasInductionRecord)) {
    bag.add('participant_id', MESSAGES.participantNotRecognised);
  }
}

/** Presence then inclusion; a missing or blank value fails both. */
function checkReason(reason: AttributeValue, allowed: readonly string[], bag: ErrorCollector): void {
  if (isBlank(reason)) bag.add('reason', MESSAGES.reasonMissing);
  if (!(typeof reason === 'string' && allowed.includes(reason))) bag.add('reason', MESSAGES.reasonInvalid);
}

/** The caller's record, when the status checks can judge it. */
function callerRecord(facts: StatusActionFacts): TrainingRecordFacts | null {
  const record = facts.trainingRecord;
  return record && record.callerHasInductionRecord ? record : null;
}

// ---------------------------------------------------------------------------
// §6.2 defer, §6.3 withdraw, §6.4 resume
// ---------------------------------------------------------------------------

/** §6.1 then: reason (runs even when the participant was not found); already deferred / withdrawn. */
export function checkDefer(facts: StatusActionFacts): ActionResult<Extract<ActionOutcome, { action: 'defer' }>> {
  const attrs = readActionAttributes(facts.attributes);
  const bag = new ErrorCollector();
  commonChecks(facts, attrs, bag);
  checkReason(attrs.reason, DEFER_REASONS, bag);
  const record = callerRecord(facts);
  if (record) {
    const t = statusTransition('defer', record.trainingStatus);
    if (!t.ok) bag.add(t.error.title, t.error.detail);
  }
  if (!bag.empty) return unprocessable(bag.toItems());
  return {
    ok: true,
    next: {
      action: 'defer',
      courseIdentifier: attrs.courseIdentifier as string,
      trainingStatus: 'deferred',
      reason: attrs.reason as DeferReason,
    },
  };
}

/**
 * §6.1 then: reason (only when a training record was resolved); already
 * withdrawn. A deferred participant can be withdrawn; no `started`
 * declaration is required.
 */
export function checkWithdraw(
  facts: StatusActionFacts,
): ActionResult<Extract<ActionOutcome, { action: 'withdraw' }>> {
  const attrs = readActionAttributes(facts.attributes);
  const bag = new ErrorCollector();
  commonChecks(facts, attrs, bag);
  if (facts.trainingRecord) checkReason(attrs.reason, WITHDRAW_REASONS, bag);
  const record = callerRecord(facts);
  if (record) {
    const t = statusTransition('withdraw', record.trainingStatus);
    if (!t.ok) bag.add(t.error.title, t.error.detail);
  }
  if (!bag.empty) return unprocessable(bag.toItems());
  return {
    ok: true,
    next: {
      action: 'withdraw',
      courseIdentifier: attrs.courseIdentifier as string,
      trainingStatus: 'withdrawn',
      reason: attrs.reason as WithdrawReason,
    },
  };
}

/** §6.1 then: already active. A withdrawn participant can be resumed. */
export function checkResume(facts: StatusActionFacts): ActionResult<Extract<ActionOutcome, { action: 'resume' }>> {
  const attrs = readActionAttributes(facts.attributes);
  const bag = new ErrorCollector();
  commonChecks(facts, attrs, bag);
  const record = callerRecord(facts);
  if (record) {
    const t = statusTransition('resume', record.trainingStatus);
    if (!t.ok) bag.add(t.error.title, t.error.detail);
  }
  if (!bag.empty) return unprocessable(bag.toItems());
  return {
    ok: true,
    next: { action: 'resume', courseIdentifier: attrs.courseIdentifier as string, trainingStatus: 'active' },
  };
}

// ---------------------------------------------------------------------------
// §6.6 change-schedule
// ---------------------------------------------------------------------------

/** Milliseconds of 00:00 UTC on a date-only value. */
export function dayStartMillis(value: DateOnly): number {
  if (value instanceof Date) {
    return Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate());
  }
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
  if (!m) throw new Error(`not a date: ${value}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getTime();
}

const DAY_MS = 86_400_000;

/**
 * Check 3 for one declaration: it fails when its date is at or before
 * 00:00 UTC on the milestone start, or after the end (23:59:59.999999 UTC)
 * of the milestone-date day. A blank milestone date means no end.
 */
export function declarationFitsMilestone(declarationDate: Date, milestone: MilestoneFacts): boolean {
  const t = declarationDate.getTime();
  if (t <= dayStartMillis(milestone.startDate)) return false;
  if (milestone.milestoneDate !== null && t >= dayStartMillis(milestone.milestoneDate) + DAY_MS) return false;
  return true;
}

/** Courses a schedule allows: `ecf-replacement-*` mentors only, every other both ECF courses. */
export function permittedCourses(scheduleIdentifier: string): readonly string[] {
  return scheduleIdentifier.startsWith('ecf-replacement')
    ? ['ecf-mentor']
    : ['ecf-induction', 'ecf-mentor'];
}

/** eligible, payable or paid: live's `billable` scope (app/models/participant_declaration.rb:106) */
const isBillable = (d: DeclarationFacts): boolean => d.state === 'eligible' || d.state === 'payable' || d.state === 'paid';

/**
 * An ECT's induction completion date is not modelled (nothing records one);
 * a mentor has a completion date once it has a submitted, eligible, payable or
 * paid `completed` declaration (`Mentors::CheckTrainingCompletion`,
 * app/services/mentors/check_training_completion.rb:25-35; the declarations
 * feature's `mentorCompletionDate`). `declarations` are already those states.
 */
function completedTraining(type: ParticipantType, declarations: readonly DeclarationFacts[]): boolean {
  return type === 'mentor' && declarations.some((d) => d.declarationType === 'completed');
}

/**
 * Live `changing_cohort_due_to_payments_frozen?` (app/services/change_schedule.rb:80-86)
 * for a move from the caller's induction record's cohort `currentCohort` to
 * `targetCohort`. Either
 * - `unfinished_with_billable_declaration?` (app/models/participant_profile/ecf.rb:57-74,178-180):
 *   the target is the active registration cohort, the profile's schedule is in
 *   a cohort with `payments_frozen_at`, it has an eligible/payable/paid
 *   declaration other than `completed` and no such `completed` one, and the
 *   training is not completed (ect.rb:63-65, mentor.rb:86-88); or
 * - `eligible_to_change_cohort_back_to_their_payments_frozen_original?` (ecf.rb:76-82):
 *   the flag is set, the target cohort's payments are frozen, no
 *   submitted/eligible/payable/paid declaration is in the current cohort, and
 *   an eligible/payable/paid one is in the target cohort.
 */
export function changingCohortDueToPaymentsFrozen(
  frozen: PaymentsFrozenFacts | undefined,
  declarations: readonly DeclarationFacts[],
  targetCohort: number | null,
  currentCohort: number,
): boolean {
  if (!frozen || targetCohort === null) return false;
  if (
    targetCohort === frozen.activeRegistrationCohort &&
    frozen.profileCohortPaymentsFrozenAtSet &&
    !completedTraining(frozen.participantType, declarations) &&
    declarations.some((d) => isBillable(d) && d.declarationType !== 'completed') &&
    !declarations.some((d) => isBillable(d) && d.declarationType === 'completed')
  ) {
    return true;
  }
  return (
    frozen.cohortChangedAfterPaymentsFrozen &&
    frozen.targetCohortPaymentsFrozen &&
    !declarations.some((d) => d.cohort === currentCohort) &&
    declarations.some((d) => isBillable(d) && d.cohort === targetCohort)
  );
}

function sameSchedule(a: { identifier: string; cohort: number }, b: { identifier: string; cohort: number }): boolean {
  return a.identifier === b.identifier && a.cohort === b.cohort;
}

/**
 * §6.1, then §6.6 checks 1–7 in order:
 * 1. schedule_identifier blank (always runs);
 * 2. withdrawn with the caller → participant_id;
 * 3. (training record and schedule found) every billable declaration must
 *    fit the new schedule's milestone for its type, the message once; a type
 *    without a milestone in the new schedule → **404**, whatever else failed;
 * 4. (training record and schedule found) same schedule as the profile's and
 *    the caller's induction record's;
 * 5. (schedule found) the schedule does not allow the course;
 * 6. (caller's record and billable declarations) target cohort differs from
 *    the cohort of the caller's induction record's schedule → cohort.
 * Checks 3 and 6 are skipped when the 2021 payments-frozen exception allows
 * the move (`changingCohortDueToPaymentsFrozen`, change_schedule.rb:168,207);
 * once the profile's flag is set, check 3 leaves out the declarations of
 * cohorts with `payments_frozen_at` (change_schedule.rb:189-195);
 * 7. (training record) no partnership for the target cohort → cohort.
 * No error and no schedule found (an identifier that exists in no cohort,
 * or not in the target one) → 422 `Invalid action` / `Validation failed: Schedule must exist`.
 */
export function checkChangeSchedule(
  facts: ChangeScheduleFacts,
): ActionResult<Extract<ActionOutcome, { action: 'change-schedule' }>> {
  const attrs = readActionAttributes(facts.attributes);
  const bag = new ErrorCollector();
  commonChecks(facts, attrs, bag);

  const record = facts.trainingRecord;
  const withCaller = callerRecord(facts);

  // 1.
  const scheduleBlank = isBlank(attrs.scheduleIdentifier);
  if (scheduleBlank) bag.add('schedule_identifier', MESSAGES.scheduleBlank);
  const target = scheduleBlank ? null : facts.targetSchedule;

  // 2.
  if (withCaller) {
    const t = statusTransition('change-schedule', withCaller.trainingStatus);
    if (!t.ok) bag.add(t.error.title, t.error.detail);
  }

  // 3. Checks 3, 4 and 7 judge the record itself, so they run only for a
  // provider with an induction record of it (its current provider, or a former
  // one after a transfer): another provider gets the participant_id error
  // alone and learns nothing of the record (business-rules §2.3, T).
  const frozenMove =
    withCaller !== null && changingCohortDueToPaymentsFrozen(facts.paymentsFrozen, facts.billableDeclarations, facts.targetCohort, withCaller.cohort);
  if (withCaller && target && !frozenMove) {
    let invalidates = false;
    const applicable = facts.paymentsFrozen?.cohortChangedAfterPaymentsFrozen
      ? facts.billableDeclarations.filter((d) => !d.cohortPaymentsFrozenAtSet)
      : facts.billableDeclarations;
    for (const declaration of applicable) {
      const milestone = target.milestones.find((m) => m.declarationType === declaration.declarationType);
      if (!milestone) return { ok: false, status: 404, error: NOT_FOUND_BODY.error };
      if (!declarationFitsMilestone(declaration.declarationDate, milestone)) invalidates = true;
    }
    if (invalidates) bag.add('schedule_identifier', MESSAGES.invalidatesDeclarations);
  }

  // 4.
  if (withCaller && record && target) {
    const recordSchedule = { identifier: record.scheduleIdentifier, cohort: record.cohort };
    const profileSchedule = record.profileSchedule ?? recordSchedule;
    const differsFromCallerRecord = record.callerHasInductionRecord && !sameSchedule(target, recordSchedule);
    if (sameSchedule(target, profileSchedule) && !differsFromCallerRecord) {
      bag.add('schedule_identifier', MESSAGES.scheduleAlreadyOnProfile);
    }
  }

  // 5.
  if (target) {
    const course = attrs.courseIdentifier;
    if (!(typeof course === 'string' && permittedCourses(target.identifier).includes(course))) {
      bag.add('schedule_identifier', MESSAGES.scheduleInvalidForCourse);
    }
  }

  // 6.
  if (withCaller && !frozenMove && facts.billableDeclarations.length > 0 && withCaller.cohort !== facts.targetCohort) {
    bag.add('cohort', MESSAGES.cannotChangeCohort);
  }

  // 7.
  if (withCaller && !facts.hasPartnershipInTargetCohort) bag.add('cohort', MESSAGES.noPartnership);

  if (!bag.empty) return unprocessable(bag.toItems());
  if (!target || !record) {
    return unprocessable([{ title: INVALID_ACTION_TITLE, detail: MESSAGES.scheduleMustExist }]);
  }
  return {
    ok: true,
    next: {
      action: 'change-schedule',
      courseIdentifier: attrs.courseIdentifier as string,
      scheduleIdentifier: target.identifier,
      cohort: target.cohort,
      cohortChanged: target.cohort !== record.cohort,
      togglesPaymentsFrozenFlag: frozenMove && target.cohort !== record.cohort,
    },
  };
}

// ---------------------------------------------------------------------------
// One entry point
// ---------------------------------------------------------------------------

export function checkParticipantAction(
  action: 'change-schedule',
  facts: ChangeScheduleFacts,
): ActionResult<Extract<ActionOutcome, { action: 'change-schedule' }>>;
export function checkParticipantAction(
  action: 'defer',
  facts: StatusActionFacts,
): ActionResult<Extract<ActionOutcome, { action: 'defer' }>>;
export function checkParticipantAction(
  action: 'withdraw',
  facts: StatusActionFacts,
): ActionResult<Extract<ActionOutcome, { action: 'withdraw' }>>;
export function checkParticipantAction(
  action: 'resume',
  facts: StatusActionFacts,
): ActionResult<Extract<ActionOutcome, { action: 'resume' }>>;
export function checkParticipantAction(
  action: ParticipantAction,
  facts: StatusActionFacts | ChangeScheduleFacts,
): ActionResult;
export function checkParticipantAction(
  action: ParticipantAction,
  facts: StatusActionFacts | ChangeScheduleFacts,
): ActionResult {
  switch (action) {
    case 'defer':
      return checkDefer(facts);
    case 'withdraw':
      return checkWithdraw(facts);
    case 'resume':
      return checkResume(facts);
    case 'change-schedule':
      if (!('targetSchedule' in facts)) {
        throw new TypeError('change-schedule needs ChangeScheduleFacts');
      }
      return checkChangeSchedule(facts);
  }
}
