import { describe, expect, test } from 'bun:test';
import {
  BILLABLE_STATES,
  type DeclarationFacts,
  type DeclarationState,
  type Milestone,
  type ResolvedTrainingRecord,
  DECLARATION_STATES,
  DECLARATION_DATE_NOT_A_STRING_DETAIL,
  WITHDRAWN_WITHOUT_DATE_DETAIL,
  adminStateMove,
  checkDeclaration,
  dasherizeState,
  eligibleForPayment,
  initialDeclarationState,
  outputFeeStatementRequired,
  DECLARATION_ATTRIBUTE_KEYS,
  voidDeclaration,
} from '../../src/modules/declarations/rules';
import { courseParticipantType } from '../../src/modules/participants/rules';
import { formatTimestamp } from '../../src/modules/declarations/declaration-date';
import { permitAttributes } from '../../src/http/ruby-compat';

// --- exact strings from docs/reference/business-rules.md §5 ----------------------------------
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const DATE_MISSING = "Enter a '#/declaration_date'.";
const TYPE_MISSING = "Enter a '#/declaration_type'.";
const FUTURE = "The '#/declaration_date' value cannot be a future date. Check the date and try again.";
const BAD_FORMAT = "Enter a valid RCF3339 '#/declaration_date'.";
const BEFORE_START = "Enter a '#/declaration_date' that's on or after the milestone start.";
const AFTER_END = "Enter a '#/declaration_date' that's before the milestone end date.";
const EVIDENCE_MISSING = "Enter a '#/evidence_held' value for this participant.";
const EVIDENCE_INVALID = "Enter an available '#/evidence_held' type for this participant's event and course.";
const cohortEnded = (y: number) =>
  `You cannot submit or void declarations for the ${y} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us`;
const NOT_IN_SCHEDULE = "The property '#/declaration_type' does not exist for this schedule.";
const DUPLICATE = 'A declaration has already been submitted that will be, or has been, paid for this event';
const MENTOR_FUNDING =
  'You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.';
const COURSE_NOT_RECOGNISED =
  "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.";

// --- schedules from docs/reference/business-rules.md §7 ---------------------------------------
const STANDARD_SEPTEMBER_2022: Milestone[] = [
  { declarationType: 'started', startDate: '2022-06-01', milestoneDate: '2022-12-31' },
  { declarationType: 'retained-1', startDate: '2023-01-01', milestoneDate: '2023-03-31' },
  { declarationType: 'retained-2', startDate: '2023-04-01', milestoneDate: '2023-07-31' },
  { declarationType: 'retained-3', startDate: '2023-08-01', milestoneDate: '2023-12-31' },
  { declarationType: 'retained-4', startDate: '2024-01-01', milestoneDate: '2024-03-31' },
  { declarationType: 'completed', startDate: '2024-04-01', milestoneDate: '2024-07-31' },
];

const EXTENDED_SEPTEMBER_2022: Milestone[] = [
  'started',
  'retained-1',
  'retained-2',
  'retained-3',
  'retained-4',
  'extended-1',
  'extended-2',
  'extended-3',
  'completed',
].map((declarationType) => ({ declarationType, startDate: '2022-09-01', milestoneDate: null }));

const STANDARD_JANUARY_2021: Milestone[] = [
  { declarationType: 'started', startDate: '2021-12-01', milestoneDate: '2022-01-31' },
  { declarationType: 'retained-1', startDate: '2022-02-01', milestoneDate: '2022-04-30' },
  { declarationType: 'retained-2', startDate: '2022-05-01', milestoneDate: '2022-09-30' },
  { declarationType: 'retained-3', startDate: '2022-10-01', milestoneDate: '2023-01-31' },
  { declarationType: 'retained-4', startDate: '2023-02-01', milestoneDate: '2023-04-30' },
  // no `completed` in the seed (§7.3)
];

const STANDARD_SEPTEMBER_2025: Milestone[] = [
  { declarationType: 'started', startDate: '2025-06-01', milestoneDate: '2025-12-31' },
  { declarationType: 'retained-1', startDate: '2026-01-01', milestoneDate: '2026-03-31' },
  { declarationType: 'retained-2', startDate: '2026-04-01', milestoneDate: '2026-07-31' },
  { declarationType: 'retained-3', startDate: '2026-08-01', milestoneDate: '2026-12-31' },
  { declarationType: 'retained-4', startDate: '2027-01-01', milestoneDate: '2027-03-31' },
  { declarationType: 'completed', startDate: '2027-04-01', milestoneDate: '2027-07-31' },
];

// --- fixtures: a valid `started` declaration for a 2022 ECT ------------------
function record(overrides: Partial<ResolvedTrainingRecord> = {}): ResolvedTrainingRecord {
  return {
    id: 'tr-1',
    participantType: 'ect',
    cohort: 2022,
    scheduleIdentifier: 'ecf-standard-september',
    milestones: STANDARD_SEPTEMBER_2022,
    eligibleForFunding: true,
    mentorFundingCohort: false,
    latestCallerState: { state: 'active', at: new Date('2022-05-01T00:00:00Z') },
    callerHasInductionRecord: true,
    ...overrides,
  };
}

function facts(overrides: Partial<DeclarationFacts> = {}, input: DeclarationFacts['input'] = {}): DeclarationFacts {
  return {
    input: {
      participant_id: '2d0d0c3e-5a4e-4b8e-9d3e-0a6c1f0b9a11',
      declaration_type: 'started',
      declaration_date: '2022-11-01T10:00:00Z',
      course_identifier: 'ecf-induction',
      ...input,
    },
    identityResolved: true,
    trainingRecord: record(),
    activeCourses: ['ecf-induction'],
    billableDuplicateExists: false,
    identicalExistingState: null,
    callerHasOpenOutputFeeStatement: true,
    now: new Date('2025-01-10T10:42:00Z'),
    ...overrides,
  };
}

/** The errors of a refused check, or fails the test. */
function errorsOf(f: DeclarationFacts) {
  const result = checkDeclaration(f);
  if (result.ok) throw new Error('expected the declaration to be refused');
  expect(result.status).toBe(422);
  return result.errors;
}

function acceptedDate(f: DeclarationFacts): string {
  const result = checkDeclaration(f);
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.errors)}`);
  return formatTimestamp(result.declarationDate);
}

describe('checkDeclaration: the valid baseline', () => {
  test('when everything is valid, then it is accepted with the parsed date', () => {
    expect(acceptedDate(facts())).toBe('2022-11-01T10:00:00Z');
  });

  test('when the date has an offset, then the accepted date is normalised to UTC', () => {
    expect(acceptedDate(facts({}, { declaration_date: '2022-11-13T11:21:55+01:00' }))).toBe('2022-11-13T10:21:55Z');
  });
});

describe('checkDeclaration: each check alone', () => {
  test('when the course is npq-, then only the NPQ error is returned (check 0)', () => {
    const f = facts({ identityResolved: false, trainingRecord: null, activeCourses: [] }, {
      course_identifier: 'npq-leading-teaching',
      declaration_date: undefined,
      declaration_type: undefined,
    });
    expect(errorsOf(f)).toEqual([{ title: 'course_identifier', detail: 'NPQ Courses are no longer supported' }]);
  });

  test('when no identity is resolved, then participant_id is not recognised (check 1)', () => {
    const f = facts({ identityResolved: false, trainingRecord: null, activeCourses: [] });
    expect(errorsOf(f)).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
  });

  test('when the participant withdrew before the declaration date, then participant_id names the withdrawal time (check 2)', () => {
    const f = facts({
      trainingRecord: record({ latestCallerState: { state: 'withdrawn', at: new Date('2022-10-15T08:30:12.345Z') } }),
    });
    expect(errorsOf(f)).toEqual([
      {
        title: 'participant_id',
        detail:
          "This participant withdrew from this course on 2022-10-15T08:30:12Z. Enter a '#/declaration_date' that's on or before the withdrawal date.",
      },
    ]);
  });

  test('when the date is missing, then declaration_date gets only the presence message (check 3)', () => {
    expect(errorsOf(facts({}, { declaration_date: undefined }))).toEqual([
      { title: 'declaration_date', detail: DATE_MISSING },
    ]);
    expect(errorsOf(facts({}, { declaration_date: '  ' }))).toEqual([{ title: 'declaration_date', detail: DATE_MISSING }]);
  });

  test('when the type is missing, then declaration_type gets the presence message, and the schedule message as no milestone matches (checks 4, 9)', () => {
    expect(errorsOf(facts({}, { declaration_type: undefined }))).toEqual([
      { title: 'declaration_type', detail: `${TYPE_MISSING}, ${NOT_IN_SCHEDULE}` },
    ]);
  });

  test('when the date is later than now, then declaration_date is a future date (check 5)', () => {
    const f = facts({ now: new Date('2022-11-01T09:59:59Z') });
    expect(errorsOf(f)).toEqual([{ title: 'declaration_date', detail: FUTURE }]);
  });

  test('when the date equals now, then it is not in the future', () => {
    expect(acceptedDate(facts({ now: new Date('2022-11-01T10:00:00Z') }))).toBe('2022-11-01T10:00:00Z');
  });

  test('when the date is turnable but not in the accepted format, then only the format message is given (check 6a)', () => {
    expect(errorsOf(facts({}, { declaration_date: '2022-11-01 10:00:00' }))).toEqual([
      { title: 'declaration_date', detail: BAD_FORMAT },
    ]);
    expect(errorsOf(facts({}, { declaration_date: '2022-11-01' }))).toEqual([
      { title: 'declaration_date', detail: BAD_FORMAT },
    ]);
    expect(errorsOf(facts({}, { declaration_date: ' 2022-11-01T10:00:00Z' }))).toEqual([
      { title: 'declaration_date', detail: BAD_FORMAT },
    ]);
  });

  test('when the date is foo, then both the presence and the format messages are joined (checks 3, 6a)', () => {
    expect(errorsOf(facts({}, { declaration_date: 'foo' }))).toEqual([
      { title: 'declaration_date', detail: "Enter a '#/declaration_date'., Enter a valid RCF3339 '#/declaration_date'." },
    ]);
  });

  test('when the month is 19, then both the presence and the format messages are given', () => {
    expect(errorsOf(facts({}, { declaration_date: '2022-19-01T10:00:00Z' }))).toEqual([
      { title: 'declaration_date', detail: `${DATE_MISSING}, ${BAD_FORMAT}` },
    ]);
  });

  test('when the date is before the milestone start, then declaration_date says so (check 6b)', () => {
    expect(errorsOf(facts({}, { declaration_date: '2022-05-31T23:59:59Z' }))).toEqual([
      { title: 'declaration_date', detail: BEFORE_START },
    ]);
  });

  test('when the date is after the milestone end, then declaration_date says so (check 6c)', () => {
    expect(errorsOf(facts({}, { declaration_date: '2023-01-01T00:00:00Z' }))).toEqual([
      { title: 'declaration_date', detail: AFTER_END },
    ]);
  });

  test('when evidence_held is blank on retained-1, then both evidence messages are joined (check 7)', () => {
    for (const evidence of [undefined, '', ' ']) {
      const f = facts({}, { declaration_type: 'retained-1', declaration_date: '2023-02-01T10:00:00Z', evidence_held: evidence });
      expect(errorsOf(f)).toEqual([{ title: 'evidence_held', detail: `${EVIDENCE_MISSING}, ${EVIDENCE_INVALID}` }]);
    }
  });

  test('when evidence_held is not in the list on retained-1, then only the type message is given (check 7)', () => {
    const f = facts({}, { declaration_type: 'retained-1', declaration_date: '2023-02-01T10:00:00Z', evidence_held: 'test' });
    expect(errorsOf(f)).toEqual([{ title: 'evidence_held', detail: EVIDENCE_INVALID }]);
  });

  test('when evidence_held is one of the list on retained-1, then it is accepted', () => {
    for (const evidence of ['training-event-attended', 'self-study-material-completed', 'other']) {
      const f = facts({}, { declaration_type: 'retained-1', declaration_date: '2023-02-01T10:00:00Z', evidence_held: evidence });
      expect(checkDeclaration(f).ok).toBe(true);
    }
  });

  test('when evidence_held is anything on started, then it is not validated', () => {
    expect(checkDeclaration(facts({}, { evidence_held: 'test' })).ok).toBe(true);
  });

  test('when a fundable participant has no open output-fee statement, then cohort names the schedule cohort (check 8)', () => {
    const f = facts({ callerHasOpenOutputFeeStatement: false });
    expect(errorsOf(f)).toEqual([{ title: 'cohort', detail: cohortEnded(2022) }]);
  });

  test('when the type does not exist on the schedule, then declaration_type says so (check 9)', () => {
    expect(errorsOf(facts({}, { declaration_type: 'foo', evidence_held: 'other' }))).toEqual([
      { title: 'declaration_type', detail: NOT_IN_SCHEDULE },
    ]);
    // evidence is required for any type but `started`, including unknown ones
    expect(errorsOf(facts({}, { declaration_type: 'foo' }))).toEqual([
      { title: 'evidence_held', detail: `${EVIDENCE_MISSING}, ${EVIDENCE_INVALID}` },
      { title: 'declaration_type', detail: NOT_IN_SCHEDULE },
    ]);
  });

  test('when a billable declaration already holds the slot, then base says so (check 10)', () => {
    expect(errorsOf(facts({ billableDuplicateExists: true }))).toEqual([{ title: 'base', detail: DUPLICATE }]);
  });

  test('when a mentor in the 2025 mentor-funding cohort sends retained-1, then declaration_type refuses it (check 11)', () => {
    const f = facts(
      {
        trainingRecord: record({
          participantType: 'mentor',
          cohort: 2025,
          milestones: STANDARD_SEPTEMBER_2025,
          mentorFundingCohort: true,
        }),
        activeCourses: ['ecf-mentor'],
        now: new Date('2026-02-15T12:00:00Z'),
      },
      { course_identifier: 'ecf-mentor', declaration_type: 'retained-1', declaration_date: '2026-02-01T10:00:00Z', evidence_held: 'other' },
    );
    expect(errorsOf(f)).toEqual([{ title: 'declaration_type', detail: MENTOR_FUNDING }]);
  });

  test('when a mentor in the 2025 mentor-funding cohort sends started, then it is accepted', () => {
    const f = facts(
      {
        trainingRecord: record({ participantType: 'mentor', cohort: 2025, milestones: STANDARD_SEPTEMBER_2025, mentorFundingCohort: true }),
        activeCourses: ['ecf-mentor'],
        now: new Date('2026-02-15T12:00:00Z'),
      },
      { course_identifier: 'ecf-mentor', declaration_date: '2025-10-01T10:00:00Z' },
    );
    expect(checkDeclaration(f).ok).toBe(true);
  });

  test('when an ECT in a mentor-funding cohort sends retained-1, then check 11 does not apply', () => {
    const f = facts(
      {
        trainingRecord: record({ cohort: 2025, milestones: STANDARD_SEPTEMBER_2025, mentorFundingCohort: true }),
        now: new Date('2026-02-15T12:00:00Z'),
      },
      { declaration_type: 'retained-1', declaration_date: '2026-02-01T10:00:00Z', evidence_held: 'other' },
    );
    expect(checkDeclaration(f).ok).toBe(true);
  });

  test('when the course is wrong for the participant, then only the step-12 course error is given', () => {
    const f = facts({ trainingRecord: null, activeCourses: ['ecf-induction'] }, { course_identifier: 'ecf-mentor' });
    expect(errorsOf(f)).toEqual([{ title: 'course_identifier', detail: COURSE_NOT_RECOGNISED }]);
    const typo = facts({ trainingRecord: null }, { course_identifier: 'ecf-inducton' });
    expect(errorsOf(typo)).toEqual([{ title: 'course_identifier', detail: COURSE_NOT_RECOGNISED }]);
    const missing = facts({ trainingRecord: null }, { course_identifier: undefined });
    expect(errorsOf(missing)).toEqual([{ title: 'course_identifier', detail: COURSE_NOT_RECOGNISED }]);
  });

  test('when the caller has no induction record on the training record, then participant_id is not recognised (check 13)', () => {
    const f = facts({ trainingRecord: record({ callerHasInductionRecord: false }) });
    expect(errorsOf(f)).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
  });
});

describe('checkDeclaration: ordering, joining and skip rules', () => {
  test('when attributes are empty, then exactly participant_id, declaration_date, declaration_type are returned in that order', () => {
    const f: DeclarationFacts = {
      input: {},
      identityResolved: false,
      trainingRecord: null,
      activeCourses: [],
      billableDuplicateExists: false,
      identicalExistingState: null,
      callerHasOpenOutputFeeStatement: false,
      now: new Date('2025-01-10T10:42:00Z'),
    };
    expect(errorsOf(f)).toEqual([
      { title: 'participant_id', detail: NOT_RECOGNISED },
      { title: 'declaration_date', detail: DATE_MISSING },
      { title: 'declaration_type', detail: TYPE_MISSING },
    ]);
  });

  test('when another field fails, then the course (12) and induction-record (13) checks are skipped', () => {
    const f = facts(
      { trainingRecord: record({ callerHasInductionRecord: false }), activeCourses: [] },
      { declaration_date: '2023-06-01T00:00:00Z' },
    );
    expect(errorsOf(f)).toEqual([{ title: 'declaration_date', detail: AFTER_END }]);
  });

  test('when several attributes fail, then items appear in the order each attribute first failed', () => {
    const f = facts(
      { billableDuplicateExists: true, callerHasOpenOutputFeeStatement: false, now: new Date('2023-02-01T00:00:00Z') },
      { declaration_type: 'retained-1', declaration_date: '2023-05-01T10:00:00', evidence_held: 'nope' },
    );
    expect(errorsOf(f)).toEqual([
      { title: 'declaration_date', detail: `${FUTURE}, ${AFTER_END}` },
      { title: 'evidence_held', detail: EVIDENCE_INVALID },
      { title: 'cohort', detail: cohortEnded(2022) },
      { title: 'base', detail: DUPLICATE },
    ]);
  });

  test('when no training record is resolved, then the record-dependent checks (2, 6b/c, 7–11) do not run', () => {
    const f = facts(
      { trainingRecord: null, billableDuplicateExists: true, callerHasOpenOutputFeeStatement: false, activeCourses: [] },
      { declaration_type: 'foo', declaration_date: '2000-01-01T00:00:00Z', evidence_held: undefined },
    );
    expect(errorsOf(f)).toEqual([{ title: 'course_identifier', detail: COURSE_NOT_RECOGNISED }]);
  });

  test('when the date is foo on a resolved record, then the milestone checks are skipped', () => {
    expect(errorsOf(facts({}, { declaration_date: 'foo' }))).toEqual([
      { title: 'declaration_date', detail: `${DATE_MISSING}, ${BAD_FORMAT}` },
    ]);
  });
});

describe('checkDeclaration: withdrawn participants (check 2)', () => {
  const withdrawnAt = new Date('2022-10-15T08:30:12Z');
  const withdrawn = () => facts({ trainingRecord: record({ latestCallerState: { state: 'withdrawn', at: withdrawnAt } }) });

  test('when the date is strictly earlier than the withdrawal, then it is accepted', () => {
    const f = withdrawn();
    f.input.declaration_date = '2022-10-15T08:30:11Z';
    expect(acceptedDate(f)).toBe('2022-10-15T08:30:11Z');
  });

  test('when the date equals the withdrawal instant, then it is rejected despite the "on or before" wording', () => {
    const f = withdrawn();
    f.input.declaration_date = '2022-10-15T08:30:12Z';
    expect(errorsOf(f)[0]?.title).toBe('participant_id');
  });

  test('when the latest state is deferred, then declarations are accepted', () => {
    const f = facts({ trainingRecord: record({ latestCallerState: { state: 'deferred', at: new Date('2022-06-01T00:00:00Z') } }) });
    expect(checkDeclaration(f).ok).toBe(true);
  });

  test('when a withdrawn participant has a missing or unparseable date, then the answer is the live 400', () => {
    for (const date of [undefined, '', 'foo']) {
      const f = withdrawn();
      f.input.declaration_date = date;
      expect(checkDeclaration(f)).toEqual({
        ok: false,
        status: 400,
        errors: [{ title: 'Bad request', detail: WITHDRAWN_WITHOUT_DATE_DETAIL }],
      });
    }
  });

  test('when a withdrawn participant has a turnable but badly formatted date, then it is a normal 422', () => {
    const f = withdrawn();
    f.input.declaration_date = '2022-10-01 10:00:00';
    expect(errorsOf(f)).toEqual([{ title: 'declaration_date', detail: BAD_FORMAT }]);
  });
});

describe('checkDeclaration: milestone windows', () => {
  test('when a standard schedule (2022 september started, 2022-06-01 → 2022-12-31) is used, then the first and last instants are in and one second outside is out', () => {
    expect(checkDeclaration(facts({}, { declaration_date: '2022-06-01T00:00:00Z' })).ok).toBe(true);
    expect(checkDeclaration(facts({}, { declaration_date: '2022-12-31T23:59:59Z' })).ok).toBe(true);
    expect(checkDeclaration(facts({}, { declaration_date: '2022-12-31T23:59:59.999Z' })).ok).toBe(true);
    expect(errorsOf(facts({}, { declaration_date: '2022-05-31T23:59:59Z' }))).toEqual([
      { title: 'declaration_date', detail: BEFORE_START },
    ]);
    expect(errorsOf(facts({}, { declaration_date: '2023-01-01T00:00:00Z' }))).toEqual([
      { title: 'declaration_date', detail: AFTER_END },
    ]);
  });

  test('when the date is 23:59:59.999999 on the milestone date, then it is after the end (end_of_day <= date)', () => {
    expect(errorsOf(facts({}, { declaration_date: '2022-12-31T23:59:59.999999Z' }))).toEqual([
      { title: 'declaration_date', detail: AFTER_END },
    ]);
  });

  test('when the offset moves the instant across the start, then the UTC instant decides', () => {
    // 2022-06-01T00:30:00+01:00 is 2022-05-31T23:30:00Z: before the start.
    expect(errorsOf(facts({}, { declaration_date: '2022-06-01T00:30:00+01:00' }))).toEqual([
      { title: 'declaration_date', detail: BEFORE_START },
    ]);
  });

  test('when a non-standard schedule (open-ended from 2022-09-01) is used, then the start is inclusive and there is no end', () => {
    const extended = (date: string, type = 'started') =>
      facts(
        { trainingRecord: record({ scheduleIdentifier: 'ecf-extended-september', milestones: EXTENDED_SEPTEMBER_2022 }) },
        { declaration_type: type, declaration_date: date, evidence_held: 'other' },
      );
    expect(checkDeclaration(extended('2022-09-01T00:00:00Z')).ok).toBe(true);
    expect(checkDeclaration(extended('2024-12-31T23:59:59Z', 'extended-3')).ok).toBe(true);
    expect(errorsOf(extended('2022-08-31T23:59:59Z'))).toEqual([{ title: 'declaration_date', detail: BEFORE_START }]);
  });

  test('when completed is declared on 2021 ecf-standard-january, then the schedule has no such milestone (check 9)', () => {
    const f = facts(
      { trainingRecord: record({ cohort: 2021, scheduleIdentifier: 'ecf-standard-january', milestones: STANDARD_JANUARY_2021 }) },
      { declaration_type: 'completed', declaration_date: '2023-06-01T10:00:00Z', evidence_held: 'other' },
    );
    expect(errorsOf(f)).toEqual([{ title: 'declaration_type', detail: NOT_IN_SCHEDULE }]);
  });

  test('when extended-1 is declared on a standard schedule, then the schedule has no such milestone (check 9)', () => {
    const f = facts({}, { declaration_type: 'extended-1', declaration_date: '2024-05-01T10:00:00Z', evidence_held: 'other' });
    expect(errorsOf(f)).toEqual([{ title: 'declaration_type', detail: NOT_IN_SCHEDULE }]);
  });
});

describe('checkDeclaration: output-fee statement rule (check 8)', () => {
  test('when the participant is fundable and no identical declaration exists, then a missing statement blocks', () => {
    expect(errorsOf(facts({ callerHasOpenOutputFeeStatement: false }))).toEqual([
      { title: 'cohort', detail: cohortEnded(2022) },
    ]);
  });

  test('when the participant is not fundable, then a missing statement never blocks', () => {
    for (const eligibleForFunding of [false, null]) {
      const f = facts({ callerHasOpenOutputFeeStatement: false, trainingRecord: record({ eligibleForFunding }) });
      expect(checkDeclaration(f).ok).toBe(true);
    }
  });

  test('when an identical submitted declaration exists, then the rule does not apply', () => {
    const f = facts({ callerHasOpenOutputFeeStatement: false, identicalExistingState: 'submitted', billableDuplicateExists: true });
    expect(errorsOf(f)).toEqual([{ title: 'base', detail: DUPLICATE }]);
  });

  test('when an identical eligible declaration exists for a non-fundable participant, then a missing statement blocks', () => {
    const f = facts({
      callerHasOpenOutputFeeStatement: false,
      identicalExistingState: 'eligible',
      billableDuplicateExists: true,
      trainingRecord: record({ eligibleForFunding: false }),
    });
    expect(errorsOf(f)).toEqual([
      { title: 'cohort', detail: cohortEnded(2022) },
      { title: 'base', detail: DUPLICATE },
    ]);
  });

  test('when outputFeeStatementRequired is asked directly, then it follows the two conditions', () => {
    expect(outputFeeStatementRequired(null, true)).toBe(true);
    expect(outputFeeStatementRequired(null, false)).toBe(false);
    expect(outputFeeStatementRequired(null, null)).toBe(false);
    expect(outputFeeStatementRequired('submitted', true)).toBe(false);
    expect(outputFeeStatementRequired('paid', false)).toBe(true);
    expect(outputFeeStatementRequired('voided', false)).toBe(false); // not billable: as if none
  });
});

describe('the POST attributes as strong parameters permit them (permitAttributes, §3.1)', () => {
  const read = (attributes: unknown) => permitAttributes(attributes, DECLARATION_ATTRIBUTE_KEYS, ['declaration_date']);

  test('when extra keys are sent, then only the six read attributes are kept', () => {
    expect(
      read({
        participant_id: 'p',
        declaration_type: 'started',
        declaration_date: '2022-11-01T10:00:00Z',
        course_identifier: 'ecf-induction',
        evidence_held: 'other',
        has_passed: true,
        extra: 'dropped',
      }),
    ).toEqual({
      participant_id: 'p',
      declaration_type: 'started',
      declaration_date: '2022-11-01T10:00:00Z',
      course_identifier: 'ecf-induction',
      evidence_held: 'other',
      has_passed: 'true',
    });
  });

  test('when values are objects, arrays or null, then they count as missing', () => {
    expect(read({ participant_id: {}, declaration_type: ['started'], declaration_date: null })).toEqual({});
  });

  test('when attributes is not an object, then it reads as empty', () => {
    expect(read(undefined)).toEqual({});
    expect(read('x')).toEqual({});
    expect(read([1])).toEqual({});
  });

  test('when declaration_date is a number or a boolean, then it is kept as sent, for its schema to refuse with the 400 naming it', () => {
    for (const value of [20221101, true]) expect(read({ declaration_date: value })).toEqual({ declaration_date: value });
    expect(DECLARATION_DATE_NOT_A_STRING_DETAIL).toContain('declaration_date');
  });

  test('when another attribute is a number, then it is read as its string', () => {
    expect(read({ declaration_type: 1 })).toEqual({ declaration_type: '1' });
  });
});

describe('courseParticipantType', () => {
  test('when the course is ecf-induction or ecf-mentor, then it maps to ect or mentor, else null', () => {
    expect(courseParticipantType('ecf-induction')).toBe('ect');
    expect(courseParticipantType('ecf-mentor')).toBe('mentor');
    expect(courseParticipantType('npq-leading-teaching')).toBeNull();
    expect(courseParticipantType(undefined)).toBeNull();
  });
});

describe('states', () => {
  test('when a state has an underscore, then v2 shows it dasherized', () => {
    expect(dasherizeState('awaiting_clawback')).toBe('awaiting-clawback');
    expect(dasherizeState('clawed_back')).toBe('clawed-back');
    expect(dasherizeState('submitted')).toBe('submitted');
  });

  test('when listing billable states, then they are submitted, eligible, payable, paid', () => {
    expect([...BILLABLE_STATES]).toEqual(['submitted', 'eligible', 'payable', 'paid']);
  });

  test('when computing eligible_for_payment, then it is true for eligible and payable only', () => {
    expect(DECLARATION_STATES.filter(eligibleForPayment)).toEqual(['eligible', 'payable']);
  });
});

describe('initialDeclarationState (§5.3)', () => {
  test('when another person with the same TRN holds the slot, then the new declaration is ineligible', () => {
    expect(initialDeclarationState({ trnDuplicateHoldsSlot: true, eligibleForFunding: true })).toBe('ineligible');
  });

  test('when the participant is fundable, then it is eligible', () => {
    expect(initialDeclarationState({ trnDuplicateHoldsSlot: false, eligibleForFunding: true })).toBe('eligible');
  });

  test('when the participant is not fundable (false or unknown), then it stays submitted', () => {
    expect(initialDeclarationState({ trnDuplicateHoldsSlot: false, eligibleForFunding: false })).toBe('submitted');
    expect(initialDeclarationState({ trnDuplicateHoldsSlot: false, eligibleForFunding: null })).toBe('submitted');
  });
});

describe('voidDeclaration (§5.6)', () => {
  const open = { callerHasOpenOutputFeeStatement: true, cohort: 2022 };
  const closed = { callerHasOpenOutputFeeStatement: false, cohort: 2021 };

  test('when the state is submitted, eligible, payable or ineligible, then it becomes voided with no statement check', () => {
    for (const state of ['submitted', 'eligible', 'payable', 'ineligible'] as DeclarationState[]) {
      expect(voidDeclaration(state, closed)).toEqual({ ok: true, next: 'voided' });
    }
  });

  test('when the state is paid and a statement is open, then it becomes awaiting_clawback', () => {
    expect(voidDeclaration('paid', open)).toEqual({ ok: true, next: 'awaiting_clawback' });
  });

  test('when the state is paid and no statement is open, then Invalid action names the cohort', () => {
    expect(voidDeclaration('paid', closed)).toEqual({
      ok: false,
      errors: [
        {
          title: 'Invalid action',
          detail:
            'Participant declaration You cannot submit or void declarations for the 2021 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us',
        },
      ],
    });
  });

  test('when the paid declaration is already due a refund, then the refund message comes first and messages are joined', () => {
    expect(voidDeclaration('paid', { ...open, alreadyDueRefund: true })).toEqual({
      ok: false,
      errors: [{ title: 'Invalid action', detail: 'Participant declaration will or has been be refunded' }],
    });
    const both = voidDeclaration('paid', { ...closed, alreadyDueRefund: true });
    expect(both.ok ? '' : both.errors[0].detail).toBe(
      'Participant declaration will or has been be refunded, Participant declaration You cannot submit or void declarations for the 2021 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us',
    );
  });

  test('when the state is voided, then it has already been voided', () => {
    expect(voidDeclaration('voided', open)).toEqual({
      ok: false,
      errors: [{ title: 'Invalid action', detail: 'This declaration has already been voided.' }],
    });
  });

  test('when the state is awaiting_clawback or clawed_back, then it cannot be voided', () => {
    for (const state of ['awaiting_clawback', 'clawed_back'] as DeclarationState[]) {
      expect(voidDeclaration(state, open)).toEqual({
        ok: false,
        errors: [
          {
            title: 'Invalid action',
            detail:
              'This declaration cannot be voided. Contact the DfE if you have any questions about why you cannot void it.',
          },
        ],
      });
    }
  });
});

describe('adminStateMove', () => {
  test('when moving one step along submitted → eligible → payable → paid or awaiting_clawback → clawed_back, then it is allowed', () => {
    expect(adminStateMove('submitted', 'eligible')).toEqual({ ok: true, next: 'eligible' });
    expect(adminStateMove('eligible', 'payable')).toEqual({ ok: true, next: 'payable' });
    expect(adminStateMove('payable', 'paid')).toEqual({ ok: true, next: 'paid' });
    expect(adminStateMove('awaiting_clawback', 'clawed_back')).toEqual({ ok: true, next: 'clawed_back' });
  });

  test('when skipping a step, going back or leaving a terminal state, then it is refused with a clear message', () => {
    expect(adminStateMove('submitted', 'paid')).toEqual({
      ok: false,
      errors: [{ title: 'state', detail: 'cannot move a declaration from submitted to paid' }],
    });
    expect(adminStateMove('paid', 'eligible').ok).toBe(false);
    expect(adminStateMove('paid', 'clawed_back').ok).toBe(false);
    expect(adminStateMove('voided', 'eligible').ok).toBe(false);
    expect(adminStateMove('clawed_back', 'paid').ok).toBe(false);
    expect(adminStateMove('eligible', 'eligible').ok).toBe(false);
    expect(adminStateMove('submitted', 'bogus').ok).toBe(false);
  });
});
