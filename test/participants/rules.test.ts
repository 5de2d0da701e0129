import { describe, expect, test } from 'bun:test';
import {
  type ActionResult,
  type ChangeScheduleFacts,
  DEFER_REASONS,
  type MilestoneFacts,
  type ParticipantAction,
  type ScheduleFacts,
  type StatusActionFacts,
  type TrainingRecordFacts,
  type TrainingStatus,
  WITHDRAW_REASONS,
  activeRegistrationCohort,
  castCohortAttribute,
  changingCohortDueToPaymentsFrozen,
  cohortPaymentsFrozen,
  checkChangeSchedule,
  checkDefer,
  checkParticipantAction,
  checkResume,
  checkWithdraw,
  declarationFitsMilestone,
  inductionStatusToStatus,
  permittedCourses,
  readActionAttributes,
  resolveTargetCohort,
  statusTransition,
} from '../../src/modules/participants/rules';
import { csvCell, csvDocument, csvRow } from '../../src/http/csv';
import { isBlank } from '../../src/http/ruby-compat';

// ---------------------------------------------------------------------------
// Exact strings, written out again here on purpose (docs/reference/business-rules.md §6)
// ---------------------------------------------------------------------------

const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const COURSE_NOT_RECOGNISED =
  "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.";
const COURSE_BLANK = "Enter a '#/course_identifier' value for this participant.";
const REASON_MISSING = "The property '#/reason' must be present";
const REASON_INVALID = "The property '#/reason' must be a valid reason";
const ALREADY_DEFERRED = 'The participant is already deferred';
const ALREADY_WITHDRAWN = 'The participant is already withdrawn';
const ALREADY_ACTIVE = 'The participant is already active';
const SCHEDULE_BLANK =
  "The property '#/schedule_identifier' must be present and correspond to a valid schedule";
const WITHDRAWN_PARTICIPANT = 'Cannot perform actions on a withdrawn participant';
const INVALIDATES = 'Changing schedule would invalidate existing declarations. Please void them first.';
const ALREADY_ON_PROFILE = 'Selected schedule is already on the profile';
const INVALID_FOR_COURSE = 'Selected schedule is not valid for the course';
const CANNOT_CHANGE_COHORT = "You cannot change the '#/cohort' field";
const NO_PARTNERSHIP =
  'You cannot change a participant to this cohort as you do not have a partnership with the school for the cohort. Contact the DfE for assistance.';

// ---------------------------------------------------------------------------
// Fact builders
// ---------------------------------------------------------------------------

function record(overrides: Partial<TrainingRecordFacts> = {}): TrainingRecordFacts {
  return {
    trainingStatus: 'active',
    callerHasInductionRecord: true,
    scheduleIdentifier: 'ecf-standard-september',
    cohort: 2022,
    ...overrides,
  };
}

function statusFacts(overrides: Partial<StatusActionFacts> = {}): StatusActionFacts {
  return {
    attributes: { course_identifier: 'ecf-induction', reason: 'other' },
    identityResolved: true,
    activeCourses: ['ecf-induction'],
    trainingRecord: record(),
    ...overrides,
  };
}

/** Six standard milestones for a 2023 schedule (dates as in the seed style, unpadded). */
const MILESTONES_2023: MilestoneFacts[] = [
  { declarationType: 'started', startDate: '2023-6-1', milestoneDate: '2023-10-31' },
  { declarationType: 'retained-1', startDate: '2023-11-1', milestoneDate: '2024-1-31' },
  { declarationType: 'retained-2', startDate: '2024-2-1', milestoneDate: '2024-4-30' },
  { declarationType: 'retained-3', startDate: '2024-5-1', milestoneDate: '2024-10-31' },
  { declarationType: 'retained-4', startDate: '2024-11-1', milestoneDate: '2025-1-31' },
  { declarationType: 'completed', startDate: '2025-2-1', milestoneDate: null },
];

function schedule(identifier: string, cohort = 2023, milestones = MILESTONES_2023): ScheduleFacts {
  return { identifier, cohort, milestones };
}

function changeFacts(overrides: Partial<ChangeScheduleFacts> = {}): ChangeScheduleFacts {
  return {
    attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-extended-september' },
    identityResolved: true,
    activeCourses: ['ecf-induction'],
    trainingRecord: record({ scheduleIdentifier: 'ecf-standard-september', cohort: 2023 }),
    targetSchedule: schedule('ecf-extended-september'),
    targetCohort: 2023,
    billableDeclarations: [],
    hasPartnershipInTargetCohort: true,
    ...overrides,
  };
}

function errorsOf(result: ActionResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.next)}`);
  if (result.status !== 422) throw new Error(`expected 422, got ${result.status}`);
  return result.errors;
}

const decl = (declarationType: string, iso: string) => ({ declarationType, declarationDate: new Date(iso), state: 'eligible', cohort: 2023, cohortPaymentsFrozenAtSet: false });

// ---------------------------------------------------------------------------

describe('inductionStatusToStatus (§4.2)', () => {
  test('when the induction status is active, completed or leaving, then status is "active"', () => {
    expect(inductionStatusToStatus('active')).toBe('active');
    expect(inductionStatusToStatus('completed')).toBe('active');
    expect(inductionStatusToStatus('leaving')).toBe('active');
  });

  test('when the induction status is withdrawn or changed, then status is "withdrawn"', () => {
    expect(inductionStatusToStatus('withdrawn')).toBe('withdrawn');
    expect(inductionStatusToStatus('changed')).toBe('withdrawn');
  });

  test('when the induction status is unknown, then null (live falls through to nil)', () => {
    expect(inductionStatusToStatus('deferred')).toBeNull();
  });
});

describe('reason lists', () => {
  test('when the defer reasons are read, then they are the five of §6.2 in order', () => {
    expect([...DEFER_REASONS]).toEqual(['bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other']);
  });

  test('when the withdraw reasons are read, then they are the five of §6.3 in order', () => {
    expect([...WITHDRAW_REASONS]).toEqual([
      'left-teaching-profession',
      'moved-school',
      'mentor-no-longer-being-mentor',
      'school-left-fip',
      'other',
    ]);
  });
});

describe('attributes (§3.1)', () => {
  test('when only the four known keys are read, then others are ignored', () => {
    expect(
      readActionAttributes({ course_identifier: 'ecf-mentor', reason: 'other', schedule_identifier: 's', cohort: 2022, x: 1 }),
    ).toEqual({ courseIdentifier: 'ecf-mentor', reason: 'other', scheduleIdentifier: 's', cohort: 2022 });
  });

  test('when a value is an object or an array, then it counts as missing', () => {
    expect(readActionAttributes({ course_identifier: ['ecf-mentor'], reason: { a: 1 } })).toEqual({
      courseIdentifier: undefined,
      reason: undefined,
      scheduleIdentifier: undefined,
      cohort: undefined,
    });
  });

  test('when attributes is not an object, then everything is missing', () => {
    for (const a of [null, undefined, 'x', 3, ['course_identifier']]) {
      expect(readActionAttributes(a)).toEqual({
        courseIdentifier: undefined,
        reason: undefined,
        scheduleIdentifier: undefined,
        cohort: undefined,
      });
    }
  });

  test('when blankness is judged, then it follows Ruby blank?', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank(null)).toBe(true);
    expect(isBlank('')).toBe(true);
    expect(isBlank('  ')).toBe(true);
    expect(isBlank(false)).toBe(true);
    expect(isBlank(true)).toBe(false);
    expect(isBlank(0)).toBe(false);
    expect(isBlank('x')).toBe(false);
  });
});

describe('§6.1 common checks', () => {
  for (const action of ['defer', 'withdraw', 'resume'] as const) {
    describe(action, () => {
      test('when the identity is not resolved, then participant_id / not recognised and the course check is skipped', () => {
        const errors = errorsOf(
          checkParticipantAction(
            action,
            statusFacts({
              identityResolved: false,
              activeCourses: [],
              trainingRecord: null,
              attributes: { course_identifier: 'ecf-induction', reason: 'other' },
            }),
          ),
        );
        expect(errors).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
      });

      test('when the person has no active profile for the course, then course_identifier / not recognised only', () => {
        const errors = errorsOf(
          checkParticipantAction(
            action,
            statusFacts({
              attributes: { course_identifier: 'ecf-mentor', reason: 'other' },
              trainingRecord: null,
            }),
          ),
        );
        expect(errors).toEqual([{ title: 'course_identifier', detail: COURSE_NOT_RECOGNISED }]);
      });

      test('when the course is blank, then both course messages are joined', () => {
        const errors = errorsOf(
          checkParticipantAction(
            action,
            statusFacts({ attributes: { course_identifier: '', reason: 'other' }, trainingRecord: null }),
          ),
        );
        expect(errors).toEqual([
          { title: 'course_identifier', detail: `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}` },
        ]);
      });

      test('when the course is missing or an object, then it is blank too', () => {
        for (const attributes of [{ reason: 'other' }, { course_identifier: { a: 1 }, reason: 'other' }]) {
          expect(
            errorsOf(checkParticipantAction(action, statusFacts({ attributes, trainingRecord: null }))),
          ).toEqual([{ title: 'course_identifier', detail: `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}` }]);
        }
      });

      test('when the identity is not resolved and the course is blank, then participant_id then the blank message alone', () => {
        const errors = errorsOf(
          checkParticipantAction(
            action,
            statusFacts({
              identityResolved: false,
              activeCourses: [],
              trainingRecord: null,
              attributes: { course_identifier: '  ', reason: 'other' },
            }),
          ),
        );
        expect(errors).toEqual([
          { title: 'participant_id', detail: NOT_RECOGNISED },
          { title: 'course_identifier', detail: COURSE_BLANK },
        ]);
      });

      test('when no training record was resolved though the course is active, then participant_id / not recognised', () => {
        expect(errorsOf(checkParticipantAction(action, statusFacts({ trainingRecord: null })))).toEqual([
          { title: 'participant_id', detail: NOT_RECOGNISED },
        ]);
      });

      test('when the caller has no induction record for it, then participant_id / not recognised', () => {
        const errors = errorsOf(
          checkParticipantAction(
            action,
            statusFacts({ trainingRecord: record({ callerHasInductionRecord: false, trainingStatus: 'deferred' }) }),
          ),
        );
        expect(errors).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
      });
    });
  }
});

describe('§6.2 defer', () => {
  test('when an active participant is deferred with a valid reason, then next is deferred with that reason', () => {
    expect(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: 'bereavement' } }))).toEqual({
      ok: true,
      next: { action: 'defer', courseIdentifier: 'ecf-induction', trainingStatus: 'deferred', reason: 'bereavement' },
    });
  });

  test('when each listed reason is sent, then it is accepted', () => {
    for (const reason of DEFER_REASONS) {
      expect(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason } })).ok).toBe(true);
    }
  });

  test('when the reason is missing, then reason / both messages joined', () => {
    expect(errorsOf(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction' } })))).toEqual([
      { title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` },
    ]);
  });

  test('when the reason is blank, then both messages are joined', () => {
    expect(errorsOf(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: '' } })))).toEqual([
      { title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` },
    ]);
  });

  test('when the reason is not in the list, then reason / must be a valid reason', () => {
    expect(
      errorsOf(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: 'moved-school' } }))),
    ).toEqual([{ title: 'reason', detail: REASON_INVALID }]);
  });

  test('when the reason is an object, then it counts as missing', () => {
    expect(
      errorsOf(checkDefer(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: ['other'] } }))),
    ).toEqual([{ title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` }]);
  });

  test('when the participant was not found, then the reason check still runs, after participant_id', () => {
    expect(
      errorsOf(
        checkDefer(
          statusFacts({
            identityResolved: false,
            activeCourses: [],
            trainingRecord: null,
            attributes: { course_identifier: 'ecf-induction', reason: 'nope' },
          }),
        ),
      ),
    ).toEqual([
      { title: 'participant_id', detail: NOT_RECOGNISED },
      { title: 'reason', detail: REASON_INVALID },
    ]);
  });

  test('when already deferred, then participant_profile / already deferred', () => {
    expect(errorsOf(checkDefer(statusFacts({ trainingRecord: record({ trainingStatus: 'deferred' }) })))).toEqual([
      { title: 'participant_profile', detail: ALREADY_DEFERRED },
    ]);
  });

  test('when withdrawn, then participant_profile / already withdrawn', () => {
    expect(errorsOf(checkDefer(statusFacts({ trainingRecord: record({ trainingStatus: 'withdrawn' }) })))).toEqual([
      { title: 'participant_profile', detail: ALREADY_WITHDRAWN },
    ]);
  });

  test('when both the reason and the status fail, then reason comes before participant_profile', () => {
    expect(
      errorsOf(
        checkDefer(
          statusFacts({
            attributes: { course_identifier: 'ecf-induction', reason: 'x' },
            trainingRecord: record({ trainingStatus: 'deferred' }),
          }),
        ),
      ),
    ).toEqual([
      { title: 'reason', detail: REASON_INVALID },
      { title: 'participant_profile', detail: ALREADY_DEFERRED },
    ]);
  });

  test('when the caller has no induction record, then the status is not judged', () => {
    expect(
      errorsOf(
        checkDefer(
          statusFacts({
            attributes: { course_identifier: 'ecf-induction' },
            trainingRecord: record({ callerHasInductionRecord: false, trainingStatus: 'deferred' }),
          }),
        ),
      ),
    ).toEqual([
      { title: 'participant_id', detail: NOT_RECOGNISED },
      { title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` },
    ]);
  });
});

describe('§6.3 withdraw', () => {
  test('when an active participant is withdrawn with a valid reason, then next is withdrawn with that reason', () => {
    expect(
      checkWithdraw(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: 'moved-school' } })),
    ).toEqual({
      ok: true,
      next: { action: 'withdraw', courseIdentifier: 'ecf-induction', trainingStatus: 'withdrawn', reason: 'moved-school' },
    });
  });

  test('when each listed reason is sent, for an ECT or a mentor, then it is accepted', () => {
    for (const reason of WITHDRAW_REASONS) {
      for (const course of ['ecf-induction', 'ecf-mentor']) {
        const facts = statusFacts({ attributes: { course_identifier: course, reason }, activeCourses: [course] });
        expect(checkWithdraw(facts).ok).toBe(true);
      }
    }
  });

  test('when a deferred participant is withdrawn, then it is allowed', () => {
    expect(checkWithdraw(statusFacts({ trainingRecord: record({ trainingStatus: 'deferred' }) })).ok).toBe(true);
  });

  test('when already withdrawn, then participant_profile / already withdrawn', () => {
    expect(errorsOf(checkWithdraw(statusFacts({ trainingRecord: record({ trainingStatus: 'withdrawn' }) })))).toEqual([
      { title: 'participant_profile', detail: ALREADY_WITHDRAWN },
    ]);
  });

  test('when the reason is missing, then reason / both messages joined', () => {
    expect(errorsOf(checkWithdraw(statusFacts({ attributes: { course_identifier: 'ecf-induction' } })))).toEqual([
      { title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` },
    ]);
  });

  test('when a defer-only reason is sent, then reason / must be a valid reason', () => {
    expect(
      errorsOf(checkWithdraw(statusFacts({ attributes: { course_identifier: 'ecf-induction', reason: 'bereavement' } }))),
    ).toEqual([{ title: 'reason', detail: REASON_INVALID }]);
  });

  test('when no training record was resolved, then the reason is not checked', () => {
    expect(
      errorsOf(
        checkWithdraw(
          statusFacts({
            identityResolved: false,
            activeCourses: [],
            trainingRecord: null,
            attributes: { course_identifier: 'ecf-induction' },
          }),
        ),
      ),
    ).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
  });

  test('when a training record was resolved but the caller has none, then the reason is still checked', () => {
    expect(
      errorsOf(
        checkWithdraw(
          statusFacts({
            attributes: { course_identifier: 'ecf-induction', reason: 'x' },
            trainingRecord: record({ callerHasInductionRecord: false }),
          }),
        ),
      ),
    ).toEqual([
      { title: 'participant_id', detail: NOT_RECOGNISED },
      { title: 'reason', detail: REASON_INVALID },
    ]);
  });

  test('when the reason and the status both fail, then reason comes before participant_profile', () => {
    expect(
      errorsOf(
        checkWithdraw(
          statusFacts({
            attributes: { course_identifier: 'ecf-induction', reason: '' },
            trainingRecord: record({ trainingStatus: 'withdrawn' }),
          }),
        ),
      ),
    ).toEqual([
      { title: 'reason', detail: `${REASON_MISSING}, ${REASON_INVALID}` },
      { title: 'participant_profile', detail: ALREADY_WITHDRAWN },
    ]);
  });
});

describe('§6.4 resume', () => {
  test('when already active, then participant_profile / already active', () => {
    expect(errorsOf(checkResume(statusFacts()))).toEqual([{ title: 'participant_profile', detail: ALREADY_ACTIVE }]);
  });

  test('when deferred, then resume gives active', () => {
    expect(checkResume(statusFacts({ trainingRecord: record({ trainingStatus: 'deferred' }) }))).toEqual({
      ok: true,
      next: { action: 'resume', courseIdentifier: 'ecf-induction', trainingStatus: 'active' },
    });
  });

  test('when withdrawn, then resume is allowed and gives active', () => {
    expect(checkResume(statusFacts({ trainingRecord: record({ trainingStatus: 'withdrawn' }) }))).toEqual({
      ok: true,
      next: { action: 'resume', courseIdentifier: 'ecf-induction', trainingStatus: 'active' },
    });
  });

  test('when no reason is sent, then nothing complains (resume takes none)', () => {
    expect(
      checkResume(
        statusFacts({
          attributes: { course_identifier: 'ecf-induction' },
          trainingRecord: record({ trainingStatus: 'deferred' }),
        }),
      ).ok,
    ).toBe(true);
  });
});

describe('§6.5 transition table', () => {
  const table: Record<TrainingStatus, Record<ParticipantAction, string>> = {
    active: { defer: 'deferred', withdraw: 'withdrawn', resume: `participant_profile/${ALREADY_ACTIVE}`, 'change-schedule': 'active' },
    deferred: { defer: `participant_profile/${ALREADY_DEFERRED}`, withdraw: 'withdrawn', resume: 'active', 'change-schedule': 'deferred' },
    withdrawn: {
      defer: `participant_profile/${ALREADY_WITHDRAWN}`,
      withdraw: `participant_profile/${ALREADY_WITHDRAWN}`,
      resume: 'active',
      'change-schedule': `participant_id/${WITHDRAWN_PARTICIPANT}`,
    },
  };

  for (const from of ['active', 'deferred', 'withdrawn'] as const) {
    for (const action of ['defer', 'withdraw', 'resume', 'change-schedule'] as const) {
      const expected = table[from][action];
      test(`when a ${from} participant gets ${action}, then ${expected}`, () => {
        const t = statusTransition(action, from);
        expect(t.ok ? t.to : `${t.error.title}/${t.error.detail}`).toBe(expected);

        // …and the full checker agrees.
        const result =
          action === 'change-schedule'
            ? checkChangeSchedule(changeFacts({ trainingRecord: record({ trainingStatus: from, cohort: 2023 }) }))
            : checkParticipantAction(action, statusFacts({ trainingRecord: record({ trainingStatus: from }) }));
        if (expected.includes('/')) {
          const [title, detail] = expected.split('/') as [string, string];
          expect(errorsOf(result)).toEqual([{ title, detail }]);
        } else {
          expect(result.ok).toBe(true);
        }
      });
    }
  }
});

describe('§6.6 change-schedule', () => {
  test('when everything is in order, then next carries the new schedule and cohort', () => {
    expect(checkChangeSchedule(changeFacts())).toEqual({
      ok: true,
      next: {
        action: 'change-schedule',
        courseIdentifier: 'ecf-induction',
        scheduleIdentifier: 'ecf-extended-september',
        cohort: 2023,
        cohortChanged: false,
        togglesPaymentsFrozenFlag: false,
      },
    });
  });

  test('when moving to another cohort without declarations, then it is allowed and flagged as a cohort change', () => {
    const result = checkChangeSchedule(
      changeFacts({
        attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-september', cohort: '2024' },
        targetSchedule: schedule('ecf-standard-september', 2024),
        targetCohort: 2024,
      }),
    );
    expect(result).toEqual({
      ok: true,
      next: {
        action: 'change-schedule',
        courseIdentifier: 'ecf-induction',
        scheduleIdentifier: 'ecf-standard-september',
        cohort: 2024,
        cohortChanged: true,
        togglesPaymentsFrozenFlag: false,
      },
    });
  });

  test('when a deferred participant changes schedule, then it is allowed', () => {
    expect(checkChangeSchedule(changeFacts({ trainingRecord: record({ trainingStatus: 'deferred', cohort: 2023 }) })).ok).toBe(
      true,
    );
  });

  describe('check 1: schedule_identifier', () => {
    test('when it is blank, then schedule_identifier / must be present (and the schedule is not looked at)', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({ attributes: { course_identifier: 'ecf-induction', schedule_identifier: '' } }),
          ),
        ),
      ).toEqual([{ title: 'schedule_identifier', detail: SCHEDULE_BLANK }]);
    });

    test('when it is missing or an array, then the same error', () => {
      for (const attributes of [
        { course_identifier: 'ecf-induction' },
        { course_identifier: 'ecf-induction', schedule_identifier: ['ecf-standard-september'] },
      ]) {
        expect(errorsOf(checkChangeSchedule(changeFacts({ attributes, targetSchedule: null })))).toEqual([
          { title: 'schedule_identifier', detail: SCHEDULE_BLANK },
        ]);
      }
    });

    test('when it is blank and the participant is unknown, then it still runs after participant_id', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              identityResolved: false,
              activeCourses: [],
              trainingRecord: null,
              targetSchedule: null,
              attributes: { course_identifier: 'ecf-induction' },
            }),
          ),
        ),
      ).toEqual([
        { title: 'participant_id', detail: NOT_RECOGNISED },
        { title: 'schedule_identifier', detail: SCHEDULE_BLANK },
      ]);
    });
  });

  describe('check 2: withdrawn', () => {
    test('when withdrawn with the caller, then participant_id / Cannot perform actions on a withdrawn participant', () => {
      expect(
        errorsOf(checkChangeSchedule(changeFacts({ trainingRecord: record({ trainingStatus: 'withdrawn', cohort: 2023 }) }))),
      ).toEqual([{ title: 'participant_id', detail: WITHDRAWN_PARTICIPANT }]);
    });

    test('when the schedule is also blank, then schedule_identifier comes first', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: ' ' },
              trainingRecord: record({ trainingStatus: 'withdrawn', cohort: 2023 }),
            }),
          ),
        ),
      ).toEqual([
        { title: 'schedule_identifier', detail: SCHEDULE_BLANK },
        { title: 'participant_id', detail: WITHDRAWN_PARTICIPANT },
      ]);
    });
  });

  describe('check 3: existing declarations must fit the new schedule', () => {
    const withDeclarations = (...ds: ReturnType<typeof decl>[]) => changeFacts({ billableDeclarations: ds });

    test('when a declaration sits inside its milestone, then it passes', () => {
      expect(checkChangeSchedule(withDeclarations(decl('started', '2023-09-01T10:00:00Z'))).ok).toBe(true);
    });

    test('when a declaration is exactly at 00:00 UTC on the milestone start, then it fails (at or before)', () => {
      expect(errorsOf(checkChangeSchedule(withDeclarations(decl('started', '2023-06-01T00:00:00Z'))))).toEqual([
        { title: 'schedule_identifier', detail: INVALIDATES },
      ]);
    });

    test('when a declaration is one second after the start midnight, then it passes', () => {
      expect(checkChangeSchedule(withDeclarations(decl('started', '2023-06-01T00:00:01Z'))).ok).toBe(true);
    });

    test('when a declaration is before the milestone start, then it fails', () => {
      expect(errorsOf(checkChangeSchedule(withDeclarations(decl('started', '2023-05-31T23:59:59Z'))))).toEqual([
        { title: 'schedule_identifier', detail: INVALIDATES },
      ]);
    });

    test('when a declaration is at 23:59:59 on the milestone date, then it passes', () => {
      expect(checkChangeSchedule(withDeclarations(decl('started', '2023-10-31T23:59:59Z'))).ok).toBe(true);
    });

    test('when a declaration is after the end of the milestone-date day, then it fails', () => {
      expect(errorsOf(checkChangeSchedule(withDeclarations(decl('started', '2023-11-01T00:00:00Z'))))).toEqual([
        { title: 'schedule_identifier', detail: INVALIDATES },
      ]);
    });

    test('when the milestone has no end date, then a late declaration passes', () => {
      expect(checkChangeSchedule(withDeclarations(decl('completed', '2030-01-01T00:00:00Z'))).ok).toBe(true);
    });

    test('when several declarations fail, then the message appears once', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            withDeclarations(decl('started', '2023-01-01T00:00:00Z'), decl('retained-1', '2025-01-01T00:00:00Z')),
          ),
        ),
      ).toEqual([{ title: 'schedule_identifier', detail: INVALIDATES }]);
    });

    test('when the new schedule has no milestone for a declaration type, then 404 Resource not Found', () => {
      const result = checkChangeSchedule(withDeclarations(decl('extended-1', '2025-06-01T00:00:00Z')));
      expect(result).toEqual({ ok: false, status: 404, error: 'Resource not Found' });
    });

    test('when a missing milestone meets other failures, then the 404 still wins', () => {
      const result = checkChangeSchedule(
        changeFacts({
          trainingRecord: record({ trainingStatus: 'withdrawn', cohort: 2023 }),
          billableDeclarations: [decl('started', '2020-01-01T00:00:00Z'), decl('extended-1', '2025-06-01T00:00:00Z')],
        }),
      );
      expect(result).toEqual({ ok: false, status: 404, error: 'Resource not Found' });
    });

    test('when the milestone dates are Date objects, then their UTC day is used', () => {
      const m: MilestoneFacts = {
        declarationType: 'started',
        startDate: new Date('2023-06-01T00:00:00Z'),
        milestoneDate: new Date('2023-10-31T00:00:00Z'),
      };
      expect(declarationFitsMilestone(new Date('2023-06-01T00:00:00Z'), m)).toBe(false);
      expect(declarationFitsMilestone(new Date('2023-06-01T00:00:00.001Z'), m)).toBe(true);
      expect(declarationFitsMilestone(new Date('2023-10-31T23:59:59.999Z'), m)).toBe(true);
      expect(declarationFitsMilestone(new Date('2023-11-01T00:00:00Z'), m)).toBe(false);
    });
  });

  describe('check 4: same schedule', () => {
    test('when the new schedule is the current one, then schedule_identifier / already on the profile', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-september' },
              targetSchedule: schedule('ecf-standard-september', 2023),
            }),
          ),
        ),
      ).toEqual([{ title: 'schedule_identifier', detail: ALREADY_ON_PROFILE }]);
    });

    test('when the identifier is the same but the cohort differs, then it is a different schedule', () => {
      expect(
        checkChangeSchedule(
          changeFacts({
            attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-september', cohort: 2024 },
            targetSchedule: schedule('ecf-standard-september', 2024),
            targetCohort: 2024,
          }),
        ).ok,
      ).toBe(true);
    });

    test("when the profile has it but the caller's induction record has another, then the change is allowed", () => {
      expect(
        checkChangeSchedule(
          changeFacts({
            attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-january' },
            targetSchedule: schedule('ecf-standard-january', 2023),
            trainingRecord: record({
              scheduleIdentifier: 'ecf-standard-september',
              cohort: 2023,
              profileSchedule: { identifier: 'ecf-standard-january', cohort: 2023 },
            }),
          }),
        ).ok,
      ).toBe(true);
    });
  });

  describe('check 5: course', () => {
    test('when an ecf-replacement schedule is asked for an ECT, then schedule_identifier / not valid for the course', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-replacement-september' },
              targetSchedule: schedule('ecf-replacement-september'),
            }),
          ),
        ),
      ).toEqual([{ title: 'schedule_identifier', detail: INVALID_FOR_COURSE }]);
    });

    test('when an ecf-replacement schedule is asked for a mentor, then it is allowed', () => {
      expect(
        checkChangeSchedule(
          changeFacts({
            attributes: { course_identifier: 'ecf-mentor', schedule_identifier: 'ecf-replacement-september' },
            activeCourses: ['ecf-mentor'],
            targetSchedule: schedule('ecf-replacement-september'),
          }),
        ).ok,
      ).toBe(true);
    });

    test('when standard, reduced and extended schedules are asked, then both courses are allowed', () => {
      for (const id of ['ecf-standard-april', 'ecf-reduced-january', 'ecf-extended-september']) {
        expect(permittedCourses(id)).toEqual(['ecf-induction', 'ecf-mentor']);
      }
      expect(permittedCourses('ecf-replacement-april')).toEqual(['ecf-mentor']);
    });

    test('when the schedule is found but the participant is not, then the course check still runs', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              identityResolved: false,
              activeCourses: [],
              trainingRecord: null,
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-replacement-september' },
              targetSchedule: schedule('ecf-replacement-september'),
            }),
          ),
        ),
      ).toEqual([
        { title: 'participant_id', detail: NOT_RECOGNISED },
        { title: 'schedule_identifier', detail: INVALID_FOR_COURSE },
      ]);
    });

    test('when the same schedule is also wrong for the course, then the two messages share one item', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-replacement-september' },
              targetSchedule: schedule('ecf-replacement-september', 2023),
              trainingRecord: record({ scheduleIdentifier: 'ecf-replacement-september', cohort: 2023 }),
            }),
          ),
        ),
      ).toEqual([{ title: 'schedule_identifier', detail: `${ALREADY_ON_PROFILE}, ${INVALID_FOR_COURSE}` }]);
    });
  });

  describe('check 6: cohort change with billable declarations', () => {
    test('when the cohort changes and a billable declaration exists, then cohort / cannot change', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-september', cohort: 2024 },
              targetSchedule: schedule('ecf-standard-september', 2024, [
                { declarationType: 'started', startDate: '2024-6-1', milestoneDate: null },
              ]),
              targetCohort: 2024,
              billableDeclarations: [decl('started', '2024-07-01T00:00:00Z')],
            }),
          ),
        ),
      ).toEqual([{ title: 'cohort', detail: CANNOT_CHANGE_COHORT }]);
    });

    test('when the cohort stays and a billable declaration exists, then it is allowed', () => {
      expect(
        checkChangeSchedule(changeFacts({ billableDeclarations: [decl('started', '2023-09-01T00:00:00Z')] })).ok,
      ).toBe(true);
    });

    test('when the target cohort does not exist, then the partnership fails too and both messages share the cohort item', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-standard-september', cohort: 1999 },
              targetSchedule: null,
              targetCohort: 1999,
              billableDeclarations: [decl('started', '2023-09-01T00:00:00Z')],
              hasPartnershipInTargetCohort: false,
            }),
          ),
        ),
      ).toEqual([{ title: 'cohort', detail: `${CANNOT_CHANGE_COHORT}, ${NO_PARTNERSHIP}` }]);
    });
  });

  describe('check 7: partnership', () => {
    test('when the caller has no partnership for the target cohort, then cohort / the long message', () => {
      expect(errorsOf(checkChangeSchedule(changeFacts({ hasPartnershipInTargetCohort: false })))).toEqual([
        { title: 'cohort', detail: NO_PARTNERSHIP },
      ]);
    });

    test('when no training record was resolved, then the partnership is not judged', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({ trainingRecord: null, targetSchedule: null, hasPartnershipInTargetCohort: false }),
          ),
        ),
      ).toEqual([{ title: 'participant_id', detail: NOT_RECOGNISED }]);
    });
  });

  describe('unknown schedule identifier', () => {
    test('when the identifier exists in no cohort, then every check passes and the save fails: Invalid action', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'foo' },
              targetSchedule: null,
              billableDeclarations: [decl('extended-1', '2020-01-01T00:00:00Z')],
            }),
          ),
        ),
      ).toEqual([{ title: 'Invalid action', detail: 'Validation failed: Schedule must exist' }]);
    });

    test('when the identifier is unknown and another check fails, then that 422 is given instead', () => {
      expect(
        errorsOf(
          checkChangeSchedule(
            changeFacts({
              attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'foo' },
              targetSchedule: null,
              trainingRecord: record({ trainingStatus: 'withdrawn', cohort: 2023 }),
            }),
          ),
        ),
      ).toEqual([{ title: 'participant_id', detail: WITHDRAWN_PARTICIPANT }]);
    });
  });

  test('when checks 1–7 fail together (where they can), then titles come in first-error order', () => {
    // blank course → course_identifier; replacement schedule for no course → schedule_identifier;
    // declarations in another cohort, no partnership → cohort.
    const result = checkChangeSchedule(
      changeFacts({
        attributes: { course_identifier: 'ecf-induction', schedule_identifier: 'ecf-replacement-september', cohort: '2024' },
        targetSchedule: schedule('ecf-replacement-september', 2024, [
          { declarationType: 'started', startDate: '2024-6-1', milestoneDate: '2024-10-31' },
        ]),
        targetCohort: 2024,
        billableDeclarations: [decl('started', '2023-09-01T00:00:00Z')],
        hasPartnershipInTargetCohort: false,
      }),
    );
    expect(errorsOf(result)).toEqual([
      { title: 'schedule_identifier', detail: `${INVALIDATES}, ${INVALID_FOR_COURSE}` },
      { title: 'cohort', detail: `${CANNOT_CHANGE_COHORT}, ${NO_PARTNERSHIP}` },
    ]);
  });
});

describe('target cohort (§6.6 inputs)', () => {
  const rec = { cohort: 2022 };

  test('when cohort is absent, then the target is the record’s current cohort', () => {
    expect(resolveTargetCohort({ schedule_identifier: 'x' }, rec)).toBe(2022);
  });

  test("when the record's school cohort is known, then it is preferred over the schedule's", () => {
    expect(resolveTargetCohort({}, { cohort: 2022, schoolCohort: 2023 })).toBe(2023);
  });

  test('when cohort is a string year or a number year, then that year', () => {
    expect(resolveTargetCohort({ cohort: '2024' }, rec)).toBe(2024);
    expect(resolveTargetCohort({ cohort: 2024 }, rec)).toBe(2024);
  });

  test('when cohort is blank, null or an object, then it counts as absent', () => {
    expect(resolveTargetCohort({ cohort: '' }, rec)).toBe(2022);
    expect(resolveTargetCohort({ cohort: null }, rec)).toBe(2022);
    expect(resolveTargetCohort({ cohort: { y: 2024 } }, rec)).toBe(2022);
  });

  test('when cohort is not numeric, then it is cast like Rails (a year no cohort has)', () => {
    expect(resolveTargetCohort({ cohort: 'abc' }, rec)).toBe(0);
    expect(castCohortAttribute('2024abc')).toBe(2024);
    expect(castCohortAttribute(2024.7)).toBe(2024);
    expect(castCohortAttribute(true)).toBe(1);
  });

  test('when there is neither a cohort nor a record, then null (the caller uses the current cohort)', () => {
    expect(resolveTargetCohort({}, null)).toBeNull();
  });
});

describe('checkParticipantAction dispatch', () => {
  test('when each action is named, then its checker runs', () => {
    expect(checkParticipantAction('defer', statusFacts()).ok).toBe(true);
    expect(checkParticipantAction('withdraw', statusFacts()).ok).toBe(true);
    expect(errorsOf(checkParticipantAction('resume', statusFacts()))).toEqual([
      { title: 'participant_profile', detail: ALREADY_ACTIVE },
    ]);
    expect(checkParticipantAction('change-schedule', changeFacts()).ok).toBe(true);
  });
});

describe('§4.5 CSV cells', () => {
  test('when the value is null or undefined, then a quoted empty string', () => {
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
  });

  test('when the value is an empty string, then also a quoted empty string', () => {
    expect(csvCell('')).toBe('""');
  });

  test('when the value is a boolean, then true / false', () => {
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
  });

  test('when the value is a number, then its text', () => {
    expect(csvCell(2021)).toBe('2021');
  });

  test('when a string has no comma, quote or line break, then it is bare', () => {
    expect(csvCell('Jane Smith')).toBe('Jane Smith');
    expect(csvCell("O'Brien")).toBe("O'Brien");
  });

  test('when a string has a comma, then it is quoted', () => {
    expect(csvCell('Smith, Jane')).toBe('"Smith, Jane"');
  });

  test('when a string has a quote, then it is quoted with the quotes doubled', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  test('when a string has a line break (LF or CR), then it is quoted', () => {
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('a\rb')).toBe('"a\rb"');
  });

  test('when the value is a Date, then RFC 3339 with whole seconds and Z', () => {
    expect(csvCell(new Date('2021-05-31T02:22:32.456Z'))).toBe('2021-05-31T02:22:32Z');
  });

  test('when a row is written, then cells are comma-joined and the line ends with \\n', () => {
    expect(csvRow(['mentor', '2021', 'active', null, null, null, false, false])).toBe(
      'mentor,2021,active,"","","",false,false\n',
    );
  });

  test('when a document has rows, then the header comes first; when it has none, then it is empty', () => {
    expect(csvDocument(['id', 'x'], [['a', 1]])).toBe('id,x\na,1\n');
    expect(csvDocument(['id', 'x'], [])).toBe('');
  });
});

// ---------------------------------------------------------------------------
// The 2021 payments-frozen exception (app/services/change_schedule.rb:80-86)
// ---------------------------------------------------------------------------

describe('the payments-frozen exception (change_schedule.rb:80-86; participant_profile/ecf.rb:57-82; cohort.rb:21-23,93-95)', () => {
  const COHORTS = [
    { startYear: 2021, registrationStartDate: '2021-05-10', paymentsFrozenAt: '2024-04-03' },
    { startYear: 2023, registrationStartDate: '2023-06-05', paymentsFrozenAt: null },
    { startYear: 2024, registrationStartDate: '2024-04-03', paymentsFrozenAt: null },
  ];
  const frozen = (over: Partial<Parameters<typeof changingCohortDueToPaymentsFrozen>[0] & object> = {}) => ({
    activeRegistrationCohort: 2024,
    profileCohortPaymentsFrozenAtSet: true,
    targetCohortPaymentsFrozen: false,
    cohortChangedAfterPaymentsFrozen: false,
    participantType: 'ect' as const,
    ...over,
  });
  const d = (declarationType: string, state: string, cohort = 2021) => ({ declarationType, declarationDate: new Date('2022-01-01T00:00:00Z'), state, cohort, cohortPaymentsFrozenAtSet: cohort === 2021 });

  test('when the date reaches a registration start, then that cohort is the active registration cohort; payments freeze on their day', () => {
    expect(activeRegistrationCohort(COHORTS, '2024-04-02')).toBe(2023);
    expect(activeRegistrationCohort(COHORTS, '2024-04-03')).toBe(2024);
    expect(activeRegistrationCohort(COHORTS, '2020-01-01')).toBeNull();
    expect(cohortPaymentsFrozen(COHORTS[0], '2024-04-02')).toBe(false);
    expect(cohortPaymentsFrozen(COHORTS[0], '2024-04-03')).toBe(true);
    expect(cohortPaymentsFrozen(COHORTS[1], '2030-01-01')).toBe(false);
  });

  test('when an unfinished frozen-cohort participant with a billable declaration moves to the active registration cohort, then the exception applies', () => {
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'paid')], 2024, 2021)).toBe(true);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'eligible'), d('retained-1', 'payable')], 2024, 2021)).toBe(true);
  });

  test('when any condition of the move fails, then the exception does not apply', () => {
    expect(changingCohortDueToPaymentsFrozen(undefined, [d('started', 'paid')], 2024, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'paid')], 2023, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen({ profileCohortPaymentsFrozenAtSet: false }), [d('started', 'paid')], 2024, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'submitted')], 2024, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('completed', 'paid')], 2024, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'paid'), d('completed', 'eligible')], 2024, 2021)).toBe(false);
    // a mentor's submitted completed is a completion date; an ECT's is not
    expect(changingCohortDueToPaymentsFrozen(frozen({ participantType: 'mentor' }), [d('started', 'paid'), d('completed', 'submitted')], 2024, 2021)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'paid'), d('completed', 'submitted')], 2024, 2021)).toBe(true);
    expect(changingCohortDueToPaymentsFrozen(frozen(), [d('started', 'paid')], null, 2021)).toBe(false);
  });

  test('when a moved participant goes back to its frozen cohort, then the exception applies only with the flag, a frozen target, no declaration in the current cohort and a billable one in the target', () => {
    const back = frozen({ profileCohortPaymentsFrozenAtSet: false, targetCohortPaymentsFrozen: true, cohortChangedAfterPaymentsFrozen: true });
    expect(changingCohortDueToPaymentsFrozen(back, [d('started', 'paid')], 2021, 2024)).toBe(true);
    expect(changingCohortDueToPaymentsFrozen({ ...back, cohortChangedAfterPaymentsFrozen: false }, [d('started', 'paid')], 2021, 2024)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen({ ...back, targetCohortPaymentsFrozen: false }, [d('started', 'paid')], 2021, 2024)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(back, [d('started', 'paid'), d('retained-1', 'submitted', 2024)], 2021, 2024)).toBe(false);
    expect(changingCohortDueToPaymentsFrozen(back, [d('started', 'submitted')], 2021, 2024)).toBe(false);
  });
});
