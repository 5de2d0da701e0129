/**
 * The live service's declaration rules (docs/reference/business-rules.md §5), as plain
 * synchronous functions over plain data. The caller (routes/service) gathers
 * the facts from the database; nothing here touches HTTP or SQL.
 */
import {
  type EpochMicros,
  castDeclarationDateMicros,
  dateToMicros,
  formatTimestamp,
  isAfterMilestoneEnd,
  isBeforeMilestoneStart,
  microsToDate,
  parseDeclarationDateMicros,
} from './declaration-date';
import { isBlank } from '../../http/ruby-compat';
import { ErrorCollector, type ErrorItem } from '../../errors';
import type { ParticipantType } from '../participants/rules';

// ---------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------

export type DeclarationState =
  | 'submitted'
  | 'eligible'
  | 'payable'
  | 'paid'
  | 'voided'
  | 'ineligible'
  | 'awaiting_clawback'
  | 'clawed_back';

export const DECLARATION_STATES: readonly DeclarationState[] = [
  'submitted',
  'eligible',
  'payable',
  'paid',
  'voided',
  'ineligible',
  'awaiting_clawback',
  'clawed_back',
];

/**
 * States that hold the person/course/type slot (§5.1 check 10, §5.2). The live
 * code calls only eligible/payable/paid "billable" but always queries
 * "submitted or billable"; this list is that union.
 */
export const BILLABLE_STATES: readonly DeclarationState[] = ['submitted', 'eligible', 'payable', 'paid'];

export function isBillableState(state: DeclarationState): boolean {
  return BILLABLE_STATES.includes(state);
}

// ---------------------------------------------------------------------------
// Mentor completion (live app/services/participant_declarations/handle_mentor_completion.rb)
// ---------------------------------------------------------------------------

/**
 * A mentor's `completed` declaration, recorded or voided, makes live recompute
 * the mentor profile's completion date (`Mentors::CheckTrainingCompletion`,
 * app/services/mentors/check_training_completion.rb:25-35). Not on a clawback.
 */
export function isMentorCompletionEvent(courseIdentifier: string, declarationType: string): boolean {
  return courseIdentifier === "ecf-mentor" && declarationType === "completed";
}

/**
 * The completion date live stores on the mentor profile (a `date` column): the
 * day of the latest-dated `completed` declaration that is submitted, eligible,
 * payable or paid (`billable_or_changeable`, app/models/participant_declaration.rb:68,106,108),
 * or none. When it changes the profile is saved, which touches the person.
 */
export function mentorCompletionDate(completed: ReadonlyArray<{ state: DeclarationState; declaration_date: string }>): string | null {
  let latest: string | null = null;
  for (const d of completed) {
    if (!isBillableState(d.state)) continue;
    if (latest === null || d.declaration_date > latest) latest = d.declaration_date;
  }
  return latest === null ? null : latest.slice(0, 10);
}

/** How v2 shows a state: `_` becomes `-` (`awaiting-clawback`, `clawed-back`) (§5.5). */
export function dasherizeState(state: DeclarationState): string {
  return state.replace(/_/g, '-');
}

// ---------------------------------------------------------------------------
// Messages (byte for byte the live strings; "RCF3339" is the live typo)
// ---------------------------------------------------------------------------

export const MESSAGES = {
  npqNotSupported: 'NPQ Courses are no longer supported',
  participantNotRecognised:
    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.",
  withdrawn: (withdrawnAt: Date) =>
    `This participant withdrew from this course on ${formatTimestamp(withdrawnAt)}. Enter a '#/declaration_date' that's on or before the withdrawal date.`,
  declarationDateMissing: "Enter a '#/declaration_date'.",
  declarationTypeMissing: "Enter a '#/declaration_type'.",
  futureDate: "The '#/declaration_date' value cannot be a future date. Check the date and try again.",
  invalidDateFormat: "Enter a valid RCF3339 '#/declaration_date'.",
  beforeMilestoneStart: "Enter a '#/declaration_date' that's on or after the milestone start.",
  afterMilestoneEnd: "Enter a '#/declaration_date' that's before the milestone end date.",
  evidenceHeldMissing: "Enter a '#/evidence_held' value for this participant.",
  evidenceHeldInvalid: "Enter an available '#/evidence_held' type for this participant's event and course.",
  cohortContractEnded: (cohort: number) =>
    `You cannot submit or void declarations for the ${cohort} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us`,
  typeNotInSchedule: "The property '#/declaration_type' does not exist for this schedule.",
  alreadySubmitted: 'A declaration has already been submitted that will be, or has been, paid for this event',
  mentorFundingTypes:
    'You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.',
  courseNotRecognised:
    "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  alreadyVoided: 'This declaration has already been voided.',
  cannotBeVoided:
    'This declaration cannot be voided. Contact the DfE if you have any questions about why you cannot void it.',
  alreadyRefunded: 'Participant declaration will or has been be refunded',
  clawbackContractEnded: (cohort: number) =>
    `Participant declaration You cannot submit or void declarations for the ${cohort} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us`,
} as const;

/** Evidence types accepted for non-`started` ECF declarations (§5.1 check 7). */
export const VALID_EVIDENCE_HELD = ['training-event-attended', 'self-study-material-completed', 'other'] as const;

/** Types a mentor in a mentor-funding cohort may declare (§5.1 check 11). */
const MENTOR_FUNDING_TYPES = ['started', 'completed'];

// ---------------------------------------------------------------------------
// Reading the request attributes (§3.1)
// ---------------------------------------------------------------------------

/** The six attributes POST reads; every other key is dropped silently. */
/**
 * The POST's attributes as the route hands them over: only the permitted
 * keys, each a string (strong parameters, src/http/json-api.ts
 * `readJsonApiBody`; a non-string `declaration_date` was refused by its
 * schema, model.ts); absent when not given as a scalar.
 */
export interface DeclarationInput {
  participant_id?: string;
  declaration_type?: string;
  declaration_date?: string;
  course_identifier?: string;
  evidence_held?: string;
  has_passed?: string;
}

/** The attributes POST reads (§3.1). */
export const DECLARATION_ATTRIBUTE_KEYS = [
  'participant_id',
  'declaration_type',
  'declaration_date',
  'course_identifier',
  'evidence_held',
  'has_passed',
] as const;

/**
 * Our detail for a non-string `declaration_date`. The live service answers
 * 400 "Bad request" (or 500) with a framework error text here (§5.1); we keep
 * the 400 and give a readable detail naming the attribute instead.
 */
export const DECLARATION_DATE_NOT_A_STRING_DETAIL =
  "The '#/declaration_date' must be a string in RFC 3339 format, for example 2021-05-31T02:22:32Z";


// ---------------------------------------------------------------------------
// Facts and the POST checks (§5.1)
// ---------------------------------------------------------------------------

export interface Milestone {
  declarationType: string;
  /** `YYYY-MM-DD` */
  startDate: string;
  /** `YYYY-MM-DD`, or null for no end (non-standard schedules) */
  milestoneDate: string | null;
}

export interface ResolvedTrainingRecord {
  id: string;
  participantType: ParticipantType;
  /** Start year of the training record's schedule's cohort. */
  cohort: number;
  scheduleIdentifier: string;
  /** The milestones of the training record's schedule. */
  milestones: Milestone[];
  eligibleForFunding: boolean | null;
  /** The schedule's cohort has mentor funding (2025 in the seed). */
  mentorFundingCohort: boolean;
  /** The most recent state recorded by the calling provider, if any (check 2). */
  latestCallerState: { state: 'active' | 'deferred' | 'withdrawn'; at: Date } | null;
  /** The caller has an induction record for this training record on its schedule (check 13). */
  callerHasInductionRecord: boolean;
}

export interface DeclarationFacts {
  input: DeclarationInput;
  /** `participant_id` matched a participant identity (check 1). */
  identityResolved: boolean;
  /** The identity's active training record of the course's type, or null. */
  trainingRecord: ResolvedTrainingRecord | null;
  /** Course identifiers of the person's active training records (check 12). */
  activeCourses: string[];
  /** A declaration for the same person, course and type, by any provider, is in a BILLABLE_STATES state (check 10). */
  billableDuplicateExists: boolean;
  /**
   * State of an existing identical declaration (same person, course, type;
   * the live code also matches date, evidence and provider), billable one
   * preferred, or null (check 8). Non-billable states are treated as none,
   * as the live query only looks at submitted/eligible/payable/paid.
   */
  identicalExistingState: DeclarationState | null;
  /** The caller has an output-fee statement for the schedule's cohort with deadline >= today (check 8). */
  callerHasOpenOutputFeeStatement: boolean;
  /** The service's clock (admin clock or X-With-Server-Date) (check 5). */
  now: Date;
}

export type CheckDeclarationResult =
  | { ok: true; declarationDate: Date }
  | { ok: false; status: 422; errors: ErrorItem[] }
  | { ok: false; status: 400; errors: ErrorItem[] };

/**
 * The 400 detail for a withdrawn participant with a missing or unparseable
 * date: the live service compares the withdrawal time with nil and Ruby's
 * comparison error reaches the client as the detail (§5.1).
 */
export const WITHDRAWN_WITHOUT_DATE_DETAIL = 'comparison of ActiveSupport::TimeWithZone with nil failed';

export function findMilestone(milestones: Milestone[], declarationType: string | undefined): Milestone | undefined {
  if (declarationType === undefined) return undefined;
  return milestones.find((m) => m.declarationType === declarationType);
}

/**
 * Whether check 8 applies (§5.1, "Output-fee statement rule"): an identical
 * declaration exists that is not `submitted`, or none exists and the
 * participant is fundable. Non-fundable participants are never blocked.
 */
export function outputFeeStatementRequired(
  identicalExistingState: DeclarationState | null,
  eligibleForFunding: boolean | null,
): boolean {
  const existing = identicalExistingState !== null && isBillableState(identicalExistingState) ? identicalExistingState : null;
  if (existing === 'submitted') return false;
  if (existing === null) return eligibleForFunding === true;
  return true;
}

/**
 * Runs §5.1 checks 0–13 in the live order and returns the accepted
 * declaration date, a 422 with the collected errors, or a 400 (withdrawn
 * participant without a usable date).
 *
 * Choices where the live behaviour is not pinned down:
 * - checks 5, 6b and 6c compare the leniently cast value (what Rails
 *   compares) and are skipped when there is none;
 * - check 9 runs whenever a training record was resolved, so a missing
 *   `declaration_type` there gets both the presence and the schedule message
 *   (the live code looks up a milestone for nil and finds none);
 * - check 11 is skipped when `declaration_type` already has an error.
 */
export function checkDeclaration(facts: DeclarationFacts): CheckDeclarationResult {
  const { input, trainingRecord: record } = facts;
  const course = input.course_identifier;
  const type = input.declaration_type;
  const rawDate = input.declaration_date;

  // 0. NPQ courses stop everything.
  if (course !== undefined && course.startsWith('npq-')) {
    return { ok: false, status: 422, errors: [{ title: 'course_identifier', detail: MESSAGES.npqNotSupported }] };
  }

  const errors = new ErrorCollector();
  const date: EpochMicros | null = rawDate === undefined || isBlank(rawDate) ? null : castDeclarationDateMicros(rawDate);

  // 1. Identity.
  if (!facts.identityResolved) errors.add('participant_id', MESSAGES.participantNotRecognised);

  // 2. Withdrawn by this provider at or before the declaration date (strictly earlier is fine).
  const latest = record?.latestCallerState ?? null;
  if (latest && latest.state === 'withdrawn') {
    if (date === null) {
      return { ok: false, status: 400, errors: [{ title: 'Bad request', detail: WITHDRAWN_WITHOUT_DATE_DETAIL }] };
    }
    if (dateToMicros(latest.at) <= date) errors.add('participant_id', MESSAGES.withdrawn(latest.at));
  }

  // 3. Date missing or not turnable into a time.
  if (date === null) errors.add('declaration_date', MESSAGES.declarationDateMissing);

  // 4. Type missing.
  if (isBlank(type)) errors.add('declaration_type', MESSAGES.declarationTypeMissing);

  // 5. Future date.
  if (date !== null && date > dateToMicros(facts.now)) errors.add('declaration_date', MESSAGES.futureDate);

  // 6a. Strict format (runs on any non-blank value, so `foo` fails 3 and 6a).
  if (rawDate !== undefined && !isBlank(rawDate) && parseDeclarationDateMicros(rawDate) === null) {
    errors.add('declaration_date', MESSAGES.invalidDateFormat);
  }

  // 6b/6c. Milestone window of the training record's schedule.
  const milestone = record ? findMilestone(record.milestones, type) : undefined;
  if (milestone && date !== null) {
    if (isBeforeMilestoneStart(date, milestone.startDate)) errors.add('declaration_date', MESSAGES.beforeMilestoneStart);
    if (isAfterMilestoneEnd(date, milestone.milestoneDate)) errors.add('declaration_date', MESSAGES.afterMilestoneEnd);
  }

  if (record) {
    // 7. Evidence on anything but `started`: a missing value fails both checks.
    if (!isBlank(type) && type !== 'started') {
      const evidence = input.evidence_held;
      if (isBlank(evidence)) errors.add('evidence_held', MESSAGES.evidenceHeldMissing);
      if (!(VALID_EVIDENCE_HELD as readonly string[]).includes(evidence ?? '')) {
        errors.add('evidence_held', MESSAGES.evidenceHeldInvalid);
      }
    }

    // 8. Output-fee statement for the schedule's cohort.
    if (
      outputFeeStatementRequired(facts.identicalExistingState, record.eligibleForFunding) &&
      !facts.callerHasOpenOutputFeeStatement
    ) {
      errors.add('cohort', MESSAGES.cohortContractEnded(record.cohort));
    }

    // 9. The schedule has a milestone for this type.
    if (!milestone) errors.add('declaration_type', MESSAGES.typeNotInSchedule);

    // 10. Slot already held by a billable declaration (any provider).
    if (facts.billableDuplicateExists) errors.add('base', MESSAGES.alreadySubmitted);

    // 11. Mentors in a mentor-funding cohort: started/completed only.
    if (
      record.participantType === 'mentor' &&
      record.mentorFundingCohort &&
      !errors.has('declaration_type') &&
      !MENTOR_FUNDING_TYPES.includes(type ?? '')
    ) {
      errors.add('declaration_type', MESSAGES.mentorFundingTypes);
    }
  }

  // 12. Skipped if errors: the person has an active record for this course.
  if (errors.empty && (course === undefined || !facts.activeCourses.includes(course))) {
    errors.add('course_identifier', MESSAGES.courseNotRecognised);
  }

  // 13. Skipped if errors: a training record and the caller's induction record on it.
  if (errors.empty && (!record || !record.callerHasInductionRecord)) {
    errors.add('participant_id', MESSAGES.participantNotRecognised);
  }

  if (!errors.empty || date === null) {
    return { ok: false, status: 422, errors: errors.toItems() };
  }
  return { ok: true, declarationDate: microsToDate(date) };
}

// ---------------------------------------------------------------------------
// State on creation (§5.3)
// ---------------------------------------------------------------------------

/**
 * The state a new declaration gets: `ineligible` when another person with the
 * same TRN holds the slot, `eligible` when fundable, else `submitted`
 * (including `eligible_for_funding: false`, unlike what the docs suggest).
 */
export function initialDeclarationState(facts: {
  trnDuplicateHoldsSlot: boolean;
  eligibleForFunding: boolean | null;
}): DeclarationState {
  if (facts.trnDuplicateHoldsSlot) return 'ineligible';
  if (facts.eligibleForFunding === true) return 'eligible';
  return 'submitted';
}

/** `eligible_for_payment` in the v1-shaped POST body (§5.4). */
export function eligibleForPayment(state: DeclarationState): boolean {
  return state === 'eligible' || state === 'payable';
}

// ---------------------------------------------------------------------------
// Void (§5.6)
// ---------------------------------------------------------------------------

export type VoidResult =
  | { ok: true; next: DeclarationState }
  | { ok: false; errors: [{ title: 'Invalid action'; detail: string }] };

function invalidAction(detail: string): VoidResult {
  return { ok: false, errors: [{ title: 'Invalid action', detail }] };
}

/**
 * Provider void. Non-paid billable and ineligible declarations are voided with
 * no statement check; a paid one becomes `awaiting_clawback` only if the
 * caller has an open output-fee statement for the declaration's cohort, and
 * not if it is already due a refund (messages in the live validation order).
 */
export function voidDeclaration(
  state: DeclarationState,
  context: { callerHasOpenOutputFeeStatement: boolean; cohort: number; alreadyDueRefund?: boolean },
): VoidResult {
  switch (state) {
    case 'submitted':
    case 'eligible':
    case 'payable':
    case 'ineligible':
      return { ok: true, next: 'voided' };
    case 'paid': {
      const messages: string[] = [];
      if (context.alreadyDueRefund) messages.push(MESSAGES.alreadyRefunded);
      if (!context.callerHasOpenOutputFeeStatement) messages.push(MESSAGES.clawbackContractEnded(context.cohort));
      return messages.length === 0 ? { ok: true, next: 'awaiting_clawback' } : invalidAction(messages.join(', '));
    }
    case 'voided':
      return invalidAction(MESSAGES.alreadyVoided);
    case 'awaiting_clawback':
    case 'clawed_back':
      return invalidAction(MESSAGES.cannotBeVoided);
  }
}

// ---------------------------------------------------------------------------
// Admin state moves (the sandbox's own control plane; what DfE does, §5.7)
// ---------------------------------------------------------------------------

const ADMIN_MOVES: ReadonlyArray<readonly [DeclarationState, DeclarationState]> = [
  ['submitted', 'eligible'],
  ['eligible', 'payable'],
  ['payable', 'paid'],
  ['awaiting_clawback', 'clawed_back'],
];

export type AdminMoveResult =
  | { ok: true; next: DeclarationState }
  | { ok: false; errors: [{ title: 'state'; detail: string }] };

/**
 * Only DfE's own moves, one step at a time: submitted → eligible → payable →
 * paid, and awaiting_clawback → clawed_back. `to` is taken as a raw string so
 * an unknown value from the request body is refused the same way.
 */
export function adminStateMove(from: DeclarationState, to: string): AdminMoveResult {
  if (ADMIN_MOVES.some(([a, b]) => a === from && b === to)) return { ok: true, next: to as DeclarationState };
  return { ok: false, errors: [{ title: 'state', detail: `cannot move a declaration from ${from} to ${to}` }] };
}
