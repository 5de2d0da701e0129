/**
 * The participant actions' checks and effects (docs/reference/rect/rules.md §7), as plain
 * synchronous functions over the facts the service loads. Each check cites
 * RECT at 0fe31d1aa (app/services/api/teachers/*.rb and what they call).
 *
 * Errors are collected as ActiveModel collects them (`errors.add(attribute, message)`):
 * grouped by attribute in the order each first got one, messages in the order
 * added, duplicates dropped, one item per message (app/services/api/errors/response.rb:15-21).
 * Attribute names and messages are written here already mapped
 * (app/services/api/errors/mapper.rb: teacher_api_id → participant_id, teacher_type →
 * course_identifier, contract_period_year / "contract period" → cohort), as appendix B lists them.
 */
import type { ErrorItem } from "../../../errors";
import { rubyToI } from "../../../http/ruby-compat";
import { addDays, fromLondonLocal } from "../../../lib/london";
import type { PermittedValue } from "../http/write-body";

export type Role = "ect" | "mentor";
export type ParticipantAction = "defer" | "withdraw" | "resume" | "change-schedule";

/** The caller's latest training period of the role (metadata `latest_*_training_period`, docs/reference/rect/rules.md §5.9), with what the checks read. */
export interface Training {
  id: number;
  role: Role;
  startedOn: string;
  finishedOn: string | null;
  withdrawnAt: string | null;
  deferredAt: string | null;
  atSchoolPeriodId: number;
  atSchoolStartedOn: string;
  atSchoolFinishedOn: string | null;
  schoolId: number;
  schoolPartnershipId: number;
  /** the partnership's cohort (`training_period.contract_period`, training_period.rb:41) */
  cohort: number;
  deliveryPartnerId: number;
  scheduleId: number | null;
  scheduleIdentifier: string | null;
  /** the schedule's cohort (`training_period.schedule.contract_period`, teachers/change_schedule.rb:117) */
  scheduleCohort: number | null;
  expressionOfInterestId: number | null;
}

/** The teacher's fields the checks read. */
export interface TeacherFacts {
  id: number;
  ectPaymentsFrozenYear: number | null;
  mentorPaymentsFrozenYear: number | null;
  mentorIneligibleOn: string | null;
  /** `finished_on` of the latest finished induction period with an outcome (`finished_induction_period`, teacher.rb:48), or null */
  finishedInductionWithOutcomeOn: string | null;
  trsInductionCompletedDate: string | null;
}

/** Another training period of the teacher in the same role (any provider, any programme). */
export interface Sibling {
  id: number;
  atSchoolPeriodId: number;
  startedOn: string;
  finishedOn: string | null;
}

const OPEN_END = "9999-12-31";

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/** ActiveModel::Errors as the 422 shows it: titles in first-error order, one item per message. */
export class ActionErrors {
  private readonly byAttribute = new Map<string, string[]>();

  add(attribute: string, message: string): void {
    const messages = this.byAttribute.get(attribute);
    if (!messages) this.byAttribute.set(attribute, [message]);
    else if (!messages.includes(message)) messages.push(message);
  }

  has(attribute: string): boolean {
    return this.byAttribute.has(attribute);
  }

  get any(): boolean {
    return this.byAttribute.size > 0;
  }

  items(): ErrorItem[] {
    return [...this.byAttribute].flatMap(([title, messages]) => messages.map((detail) => ({ title, detail })));
  }
}

const PARTICIPANT = "participant_id";
const COURSE = "course_identifier";
const REASON = "reason";
const SCHEDULE = "schedule_identifier";
const COHORT = "cohort";

export const MESSAGES = {
  courseMissing: "Enter a '#/course_identifier'.",
  courseNotRecognised: "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  reasonMissing: "Enter a '#/reason'.",
  reasonNotRecognised: "The entered '#/reason' is not recognised for the given participant. Check details and try again.",
  alreadyDeferred: "The '#/participant_id' is already deferred.",
  alreadyWithdrawn: "The '#/participant_id' is already withdrawn.",
  alreadyActive: "The '#/participant_id' is already active.",
  deferNotStarted: "You cannot defer #/participant_id. This is because they have not been training with you for at least one day.",
  withdrawNotStarted: "You cannot withdraw #/participant_id. This is because they have not been training with you for at least one day.",
  startedToday: "You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.",
  ectMentorReason: "You cannot withdraw an ECT for this reason. The ECT is not a mentor.",
  activeElsewhere: "This participant cannot be resumed because they are already active with another provider.",
  finishedToday: "You cannot resume a participant on the same day they were withdrawn or deferred. Resume them tomorrow or later.",
  leftSchool: "The participant is no longer at the school. Please contact the induction tutor to resolve.",
  scheduleInvalid: "The property '#/schedule_identifier' must be present and correspond to a valid schedule.",
  scheduleUnknown: "Enter a valid schedule identifier.",
  scheduleSame: "Selected schedule is already on the profile",
  scheduleNotForEct: "Selected schedule is not valid for the course_identifier",
  scheduleReducedMentor: "Mentors cannot be placed on a reduced schedule. Assign them to a different schedule.",
  scheduleInvalidatesDeclarations:
    "The change of schedule cannot be applied because a previous change of schedule and a declaration were made on the same day. Applying another change of schedule would invalidate existing declarations. Please contact DfE for assistance.",
  noPartnership:
    "You cannot change a participant to this contract_period as you do not have a partnership with the school for the contract_period. Contact the DfE for assistance.",
  frozenCohort: "You cannot move a participant to a payments frozen cohort unless they previously belonged to that cohort.",
  completed: "You cannot change this participant's schedule as they have completed their training or induction.",
  left: "You cannot change this participant's schedule. This is because the participant has a 'left' participant_status, so they are not training with you currently.",
  withdrawn: "Cannot perform actions on a withdrawn participant",
  futureElsewhere: "You cannot change this participant's schedule as they are due to start with another lead provider in the future.",
} as const;

// ---------------------------------------------------------------------------
// readings
// ---------------------------------------------------------------------------

/** Ruby's `blank?` for a permitted scalar. */
export function blank(value: PermittedValue): boolean {
  return value === undefined || value === null || value === false || (typeof value === "string" && /^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(value));
}

/** `teacher_type` (app/controllers/concerns/api/teacher_type.rb:7-16): anything but the two courses → nil. */
export function courseRole(value: unknown): Role | null {
  if (value === "ecf-induction") return "ect";
  if (value === "ecf-mentor") return "mentor";
  return null;
}

/**
 * `ContractPeriod.find_by(year: cohort)` (app/services/api/teachers/change_schedule.rb:61): the integer
 * column's cast — a number or numeric text read like `to_i`, `true` as 1; other text,
 * `false`, nil → no year (RECT then falls back to TP's cohort).
 */
export function cohortYear(value: PermittedValue): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : null;
  if (value === true) return 1;
  if (typeof value !== "string" || !/^[ \t\r\n\f\v]*[+-]?\d/.test(value)) return null;
  const year = rubyToI(value);
  return Number.isSafeInteger(year) ? year : null;
}

/** `API::TrainingPeriods::TrainingStatus#status` (training_status.rb:9-19): the later stamp wins; a tie is withdrawn (`max_by` keeps the first). */
export function trainingStatus(tp: Pick<Training, "withdrawnAt" | "deferredAt">): "active" | "withdrawn" | "deferred" {
  if (!tp.withdrawnAt && !tp.deferredAt) return "active";
  if (!tp.deferredAt) return "withdrawn";
  if (!tp.withdrawnAt) return "deferred";
  return tp.deferredAt > tp.withdrawnAt ? "deferred" : "withdrawn";
}

/** `induction_end_date` (app/services/api/teachers/induction_status.rb:9-11). */
const inductionEndDate = (t: TeacherFacts) => t.finishedInductionWithOutcomeOn ?? t.trsInductionCompletedDate;

/** `API::TrainingPeriods::TeacherStatus#status` (teacher_status.rb:13-25), against London today. */
export function participantStatus(tp: Training, teacher: TeacherFacts, today: string): "joining" | "active" | "leaving" | "left" {
  const ending = () => (tp.finishedOn! > today ? "leaving" : "left");
  if (tp.withdrawnAt || tp.deferredAt) return ending();
  const end = inductionEndDate(teacher);
  if (tp.role === "ect" && end !== null && (tp.finishedOn === null || end <= tp.finishedOn)) return "active";
  if (tp.role === "mentor" && teacher.mentorIneligibleOn !== null && (tp.finishedOn === null || teacher.mentorIneligibleOn <= tp.finishedOn)) return "active";
  if (tp.finishedOn !== null) return ending();
  if (tp.startedOn > today) return "joining";
  return "active";
}

/** `TrainingPeriod#teacher_completed_training?` (training_period.rb:174-180). */
export function completedTraining(tp: Training, teacher: TeacherFacts): boolean {
  return tp.role === "ect" ? teacher.finishedInductionWithOutcomeOn !== null : teacher.mentorIneligibleOn !== null;
}

const isReplacement = (identifier: string) => identifier.includes("replacement");
const isReduced = (identifier: string) => identifier.includes("reduced");

/** `Schedule.identifiers` (app/models/schedule.rb:2-17). */
export const SCHEDULE_IDENTIFIERS = ["standard", "extended", "reduced", "replacement"].flatMap((kind) =>
  ["january", "april", "september"].map((month) => `ecf-${kind}-${month}`),
);

/** `TrainingPeriod.deferral_reasons`, dasherized (app/services/api/teachers/defer.rb:5; training_period.rb:23-29). */
export const DEFERRAL_REASONS = ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"];
/** `TrainingPeriod.withdrawal_reasons`, dasherized (app/services/api/teachers/withdraw.rb:5; training_period.rb:14-21). */
export const WITHDRAWAL_REASONS = ["left-teaching-profession", "moved-school", "mentor-no-longer-being-mentor", "switched-to-school-led", "changed-lead-provider", "other"];
const MENTOR_ONLY_WITHDRAWAL_REASONS = ["mentor-no-longer-being-mentor"];

// ---------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------

/**
 * SharedAction (app/services/api/concerns/teachers/shared_action.rb:15-26): S1-S4 cannot fail through
 * the API (the controller found the teacher, the token gave the provider); S5 a missing or
 * unknown course; S7 no training period of that role with the caller.
 */
function sharedChecks(errors: ActionErrors, role: Role | null, tp: Training | null): void {
  if (role === null) return errors.add(COURSE, MESSAGES.courseMissing);
  if (!tp) errors.add(COURSE, MESSAGES.courseNotRecognised);
}

/** A reason's presence and inclusion (defer.rb:9-14, withdraw.rb:10-14). */
function reasonChecks(errors: ActionErrors, reason: PermittedValue, allowed: readonly string[]): void {
  if (blank(reason)) errors.add(REASON, MESSAGES.reasonMissing);
  else if (typeof reason !== "string" || !allowed.includes(reason)) errors.add(REASON, MESSAGES.reasonNotRecognised);
}

/** `started_on.future?` / `started_on.today?` (defer.rb:48-60, withdraw.rb:41-53). */
function startChecks(errors: ActionErrors, tp: Training, today: string, notStarted: string): void {
  if (!errors.has(PARTICIPANT) && tp.startedOn > today) errors.add(PARTICIPANT, notStarted);
  if (!errors.has(PARTICIPANT) && tp.startedOn === today) errors.add(PARTICIPANT, MESSAGES.startedToday);
}

/** API::Teachers::Defer validations (app/services/api/teachers/defer.rb:9-18,34-60): D1-D6. */
export function deferErrors(input: { role: Role | null; reason: PermittedValue }, tp: Training | null, today: string): ErrorItem[] {
  const errors = new ActionErrors();
  sharedChecks(errors, input.role, tp);
  reasonChecks(errors, input.reason, DEFERRAL_REASONS);
  if (tp) {
    const status = trainingStatus(tp);
    if (!errors.has(PARTICIPANT) && status === "deferred") errors.add(PARTICIPANT, MESSAGES.alreadyDeferred);
    if (!errors.has(PARTICIPANT) && status === "withdrawn") errors.add(PARTICIPANT, MESSAGES.alreadyWithdrawn);
    startChecks(errors, tp, today, MESSAGES.deferNotStarted);
  }
  return errors.items();
}

/** API::Teachers::Withdraw validations (app/services/api/teachers/withdraw.rb:10-18,34-61): W1-W6. */
export function withdrawErrors(input: { role: Role | null; reason: PermittedValue }, tp: Training | null, today: string): ErrorItem[] {
  const errors = new ActionErrors();
  sharedChecks(errors, input.role, tp);
  reasonChecks(errors, input.reason, WITHDRAWAL_REASONS);
  if (tp) {
    if (!errors.has(PARTICIPANT) && trainingStatus(tp) === "withdrawn") errors.add(PARTICIPANT, MESSAGES.alreadyWithdrawn);
    startChecks(errors, tp, today, MESSAGES.withdrawNotStarted);
    // withdraw.rb:55-61: only when nothing else failed
    if (!errors.any && tp.role === "ect" && typeof input.reason === "string" && MENTOR_ONLY_WITHDRAWAL_REASONS.includes(input.reason)) {
      errors.add(REASON, MESSAGES.ectMentorReason);
    }
  }
  return errors.items();
}

/** `range @> today` (`contains_today`, interval.rb:40; inclusive at both ends). */
const containsDay = (p: { startedOn: string; finishedOn: string | null }, day: string) => p.startedOn <= day && (p.finishedOn === null || p.finishedOn >= day);

/**
 * API::Teachers::Resume validations (app/services/api/teachers/resume.rb:5-8,23-60): R1-R4.
 * `sameSchoolPeriod`: the other training periods of TP's at-school period (any provider).
 */
export function resumeErrors(input: { role: Role | null }, tp: Training | null, sameSchoolPeriod: Sibling[], today: string): ErrorItem[] {
  const errors = new ActionErrors();
  sharedChecks(errors, input.role, tp);
  if (tp) {
    if (!errors.has(PARTICIPANT) && trainingStatus(tp) === "active") errors.add(PARTICIPANT, MESSAGES.alreadyActive);
    if (!errors.has(PARTICIPANT) && sameSchoolPeriod.some((p) => p.id !== tp.id && containsDay(p, today))) errors.add(PARTICIPANT, MESSAGES.activeElsewhere);
    if (!errors.has(PARTICIPANT) && tp.finishedOn === today) errors.add(PARTICIPANT, MESSAGES.finishedToday);
    // `contains_today?` is `finished_on.nil? || finished_on.future?` (interval.rb:97)
    if (!errors.has(PARTICIPANT) && !(tp.atSchoolFinishedOn === null || tp.atSchoolFinishedOn > today)) errors.add(PARTICIPANT, MESSAGES.leftSchool);
  }
  return errors.items();
}

/** A declaration of TP and its new schedule's milestone for its type (for C8). */
export interface DeclarationWindow {
  /** RFC 3339 UTC */
  declarationDate: string;
  milestone: { startDate: string; milestoneDate: string | null } | null;
}

/** London midnight of a date, as an RFC 3339 UTC instant (`Date#beginning_of_day` in Time.zone). */
function londonMidnight(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return fromLondonLocal(y, m, d).toISOString().slice(0, 19) + "Z";
}

/**
 * DeclarationDateWithinMilestoneValidator (app/validators/declaration_date_within_milestone_validator.rb:8-24)
 * with the new schedule: before the milestone's start (London midnight), or at or after the end of
 * its `milestone_date` (London `end_of_day`; with whole-second dates, the next London midnight).
 */
export function declarationOutsideMilestone(d: DeclarationWindow): boolean {
  if (!d.milestone) return false;
  const at = Date.parse(d.declarationDate);
  if (at < Date.parse(londonMidnight(d.milestone.startDate))) return true;
  return d.milestone.milestoneDate !== null && at >= Date.parse(londonMidnight(addDays(d.milestone.milestoneDate, 1)));
}

/** What change-schedule looks up once it knows the target (change_schedule.rb:60-104). */
export interface ChangeScheduleFacts {
  /** the target cohort: `ContractPeriod.find_by(year:) || training_period&.contract_period` (:61) */
  targetCohort: number | null;
  /** its `payments_frozen_at` */
  targetFrozenAt: string | null;
  /** the target cohort's schedule with that identifier (:64-68) */
  schedule: { id: number; identifier: string; cohort: number } | null;
  /** the school partnership the change would use (:74-100), or null */
  schoolPartnership: { id: number; activeLeadProviderId: number } | null;
  /** TP's declarations against the new schedule's milestones (C8) */
  declarations: DeclarationWindow[];
  /** the teacher's training periods of the role, any provider (C14) */
  siblings: Sibling[];
}

/** `payments_frozen?` (contract_period.rb:74-76): set and not after now. */
export const paymentsFrozen = (frozenAt: string | null, nowStamp: string) => frozenAt !== null && frozenAt <= nowStamp;

/**
 * API::Teachers::ChangeSchedule validations (app/services/api/teachers/change_schedule.rb:8-10,27-58):
 * group 1 C1-C8 always, group 2 C9-C10 and group 3 C11-C14 only with a TP.
 */
export function changeScheduleErrors(
  input: { role: Role | null; scheduleIdentifier: PermittedValue },
  tp: Training | null,
  teacher: TeacherFacts,
  facts: ChangeScheduleFacts,
  today: string,
  nowStamp: string,
): ErrorItem[] {
  const errors = new ActionErrors();
  sharedChecks(errors, input.role, tp);
  const identifier = input.scheduleIdentifier;
  const schedule = facts.schedule;
  // group 1: schedule_acceptable_for_change (:27-39), the first hit stops it
  (() => {
    if (blank(identifier)) return errors.add(SCHEDULE, MESSAGES.scheduleInvalid);
    if (typeof identifier !== "string" || !SCHEDULE_IDENTIFIERS.includes(identifier)) return errors.add(SCHEDULE, MESSAGES.scheduleUnknown);
    if (!schedule) return errors.add(SCHEDULE, MESSAGES.scheduleInvalid);
    if (!tp) return;
    if (schedule.id === tp.scheduleId) return errors.add(SCHEDULE, MESSAGES.scheduleSame);
    if (tp.role === "ect" && isReplacement(schedule.identifier)) return errors.add(SCHEDULE, MESSAGES.scheduleNotForEct);
    if (tp.role === "mentor" && isReduced(schedule.identifier)) return errors.add(SCHEDULE, MESSAGES.scheduleReducedMentor);
    if (tp.startedOn < today) return;
    if (facts.declarations.some(declarationOutsideMilestone)) errors.add(SCHEDULE, MESSAGES.scheduleInvalidatesDeclarations);
  })();
  if (!tp) return errors.items();
  // group 2: contract_period_acceptable_for_change (:41-49)
  if (!errors.has(COHORT)) {
    (() => {
      if (facts.targetCohort !== tp.cohort && facts.schoolPartnership === null) return errors.add(COHORT, MESSAGES.noPartnership);
      if (facts.targetCohort === null || !paymentsFrozen(facts.targetFrozenAt, nowStamp)) return;
      const frozenYear = tp.role === "ect" ? teacher.ectPaymentsFrozenYear : teacher.mentorPaymentsFrozenYear;
      if (frozenYear !== facts.targetCohort) errors.add(COHORT, MESSAGES.frozenCohort);
    })();
  }
  // group 3: teacher_can_change_schedule (:51-58)
  if (!errors.has(PARTICIPANT)) {
    (() => {
      const ectToReduced = tp.role === "ect" && schedule !== null && isReduced(schedule.identifier);
      if (completedTraining(tp, teacher) && !ectToReduced) return errors.add(PARTICIPANT, MESSAGES.completed);
      if (participantStatus(tp, teacher, today) === "left") return errors.add(PARTICIPANT, MESSAGES.left);
      if (trainingStatus(tp) === "withdrawn") return errors.add(PARTICIPANT, MESSAGES.withdrawn);
      if (facts.siblings.some((p) => p.startedOn > tp.startedOn)) errors.add(PARTICIPANT, MESSAGES.futureElsewhere);
    })();
  }
  return errors.items();
}

// ---------------------------------------------------------------------------
// effects
// ---------------------------------------------------------------------------

/** The values a defer or withdraw writes on TP (app/services/teachers/defer.rb:15-17, withdraw.rb:15-17). */
export function stopEffect(action: "defer" | "withdraw", tp: Training, reason: string, nowStamp: string, today: string) {
  const finishedOn = tp.finishedOn !== null && tp.finishedOn < today ? tp.finishedOn : today;
  const stamp = reason.replace(/-/g, "_");
  return action === "defer"
    ? { deferred_at: nowStamp, deferral_reason: stamp, finished_on: finishedOn }
    : { withdrawn_at: nowStamp, withdrawal_reason: stamp, finished_on: finishedOn };
}

/** A new provider-led period (TrainingPeriods::Create.provider_led, app/services/training_periods/create.rb:43-53). */
export interface NewTraining {
  atSchoolPeriodId: number;
  role: Role;
  schoolPartnershipId: number;
  scheduleId: number | null;
  startedOn: string;
  finishedOn: string | null;
}

/** Resume (app/services/teachers/resume.rb:14-22): from today to the at-school period's end, same partnership and schedule, no EOI. */
export function resumedTraining(tp: Training, today: string): NewTraining {
  return { atSchoolPeriodId: tp.atSchoolPeriodId, role: tp.role, schoolPartnershipId: tp.schoolPartnershipId, scheduleId: tp.scheduleId, startedOn: today, finishedOn: tp.atSchoolFinishedOn };
}

/** What a change of schedule writes (app/services/teachers/change_schedule.rb:15-150). */
export type ScheduleChange =
  | { kind: "in-place"; scheduleId: number; schoolPartnershipId: number; expressionOfInterestId: number | null }
  | { kind: "new-period"; oldFinishedOn: string; created: NewTraining };

export function scheduleChange(
  tp: Training,
  teacher: TeacherFacts,
  schedule: { id: number; identifier: string },
  partnership: { id: number; activeLeadProviderId: number },
  today: string,
): ScheduleChange {
  // :31-39 new_training_period_required? / completed_ect_moving_to_reduced_schedule?
  const completedEctToReduced = tp.role === "ect" && isReduced(schedule.identifier) && completedTraining(tp, teacher);
  if (completedEctToReduced || !(tp.startedOn < today)) {
    return { kind: "in-place", scheduleId: schedule.id, schoolPartnershipId: partnership.id, expressionOfInterestId: tp.expressionOfInterestId !== null ? partnership.activeLeadProviderId : null };
  }
  const yesterday = addDays(today, -1);
  // :66-71 determine_finished_on: the earliest of TP's and the at-school period's ends that is not past
  const ends = [tp.finishedOn, tp.atSchoolFinishedOn].filter((d): d is string => d !== null && d >= today).sort();
  return {
    kind: "new-period",
    // :74 [finished_on, Date.yesterday].compact.min
    oldFinishedOn: tp.finishedOn !== null && tp.finishedOn < yesterday ? tp.finishedOn : yesterday,
    created: { atSchoolPeriodId: tp.atSchoolPeriodId, role: tp.role, schoolPartnershipId: partnership.id, scheduleId: schedule.id, startedOn: today, finishedOn: ends[0] ?? null },
  };
}

/**
 * `track_payments_frozen_year!` (change_schedule.rb:124-150): out of a frozen cohort records the
 * old year; into one clears it; `undefined`: no change. The cohorts are the schedules'.
 */
export function frozenYearChange(fromCohort: number | null, fromFrozen: boolean, toCohort: number, toFrozen: boolean): number | null | undefined {
  if (fromCohort === toCohort) return undefined;
  if (fromFrozen) return fromCohort;
  if (toFrozen) return null;
  return undefined;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** `to_fs(:govuk)`: `7 December 2026` (config/initializers/date_formats.rb). */
const govukDate = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;

/**
 * An in-place change to another cohort while TP's declarations sit on statements of its cohort:
 * `contract_period_consistent_across_associations` (training_period.rb:251-258) fails the
 * `update!` (RECT: a 500; we answer a 422 with its message, README v3 differences).
 */
export function inPlaceProblem(targetCohort: number, statementCohorts: number[]): string | null {
  return statementCohorts.some((c) => c !== targetCohort) ? "Contract period mismatch: schedule, EOI, school partnership, and declarations must have the same contract period." : null;
}

/**
 * TrainingPeriod validations RECT runs on `save!`/`create!` that the API checks do not cover
 * (training_period.rb:79-80, interval.rb:50-60): RECT raises `RecordInvalid` (a 500); we answer
 * a 422 with the model's message (README, v3 differences). Overlap with the teacher's other
 * periods of the role (inclusive ranges), and the at-school period enveloping the new one.
 */
export function newTrainingProblem(created: NewTraining, atSchool: { startedOn: string; finishedOn: string | null }, siblings: Sibling[]): string | null {
  const end = created.finishedOn ?? OPEN_END;
  if (created.finishedOn !== null && created.finishedOn < created.startedOn) return `The end date must be later than the start date (${govukDate(created.startedOn)})`;
  const overlapping = siblings.filter((s) => s.startedOn <= end && created.startedOn <= (s.finishedOn ?? OPEN_END));
  if (overlapping.length) {
    if (overlapping.some((s) => containsDay(s, created.startedOn))) return "Start date cannot overlap another Trainee period";
    if (created.finishedOn === null || overlapping.some((s) => containsDay(s, created.finishedOn!))) return "End date cannot overlap another Trainee period";
    return "Period cannot overlap another Trainee period";
  }
  if (!(atSchool.startedOn <= created.startedOn && (atSchool.finishedOn === null || (created.finishedOn !== null && created.finishedOn <= atSchool.finishedOn)))) {
    return "Date range is not contained by the period the trainee is at the school";
  }
  return null;
}

/**
 * The school's cohort metadata touches after a training period change (docs/reference/rect/rules.md §15):
 * a changed `induction_programme_choice` touches that cohort's row
 * (app/models/metadata/school_contract_period.rb:22); a changed EOI-or-partnership pairing of any lead
 * provider and cohort touches every cohort's row (app/models/metadata/school_lead_provider_contract_period.rb:18).
 */
export function schoolMetadataTouches(before: { choices: Record<number, string>; pairings: string[] }, after: { choices: Record<number, string>; pairings: string[] }): "all" | number[] {
  if (before.pairings.join(",") !== after.pairings.join(",")) return "all";
  return Object.keys(after.choices)
    .map(Number)
    .filter((year) => before.choices[year] !== after.choices[year]);
}
