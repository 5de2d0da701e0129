/**
 * `PUT /api/v3/participants/{id}/{defer|withdraw|resume|change-schedule}`
 * (app/controllers/api/v3/participants_controller.rb:23-73, docs/reference/rect/rules.md §7):
 * find the teacher among the caller's (else 404), run the action's checks (422), act in one
 * transaction with RECT's touches (§15), and answer the participant document.
 */
import type { Transaction } from "kysely";
import type { Database, DbOrTrx } from "../../../../db/schema";
import { inTransaction } from "../../../../db/transaction";
import { castUuid } from "../../../http/ruby-compat";
import { londonDate } from "../../../lib/london";
import { toTimestamp } from "../../../lib/time";
import { V3_NOT_FOUND, v3Unprocessable } from "../http/envelope";
import type { PermittedValue } from "../http/write-body";
import { showParticipant } from "../participants/service";
import { schoolMetadata } from "../schools/service";
import * as q from "./queries";
import {
  type ChangeScheduleFacts,
  type ParticipantAction,
  type TeacherFacts,
  type Training,
  SCHEDULE_IDENTIFIERS,
  changeScheduleErrors,
  cohortYear,
  courseRole,
  deferErrors,
  frozenYearChange,
  inPlaceProblem,
  newTrainingProblem,
  paymentsFrozen,
  resumeErrors,
  resumedTraining,
  scheduleChange,
  schoolMetadataTouches,
  stopEffect,
  withdrawErrors,
} from "./rules";

export interface ActionRequest {
  leadProviderId: number;
  /** the path's `{id}` */
  id: string;
  attributes: Record<string, PermittedValue>;
  /** the request's clock (X-With-Server-Date) */
  now: Date;
  /** the sandbox clock, for database defaults (docs/reference/rect/rules.md §2.4) */
  realNow: Date;
}

/** A 422 of one item: what RECT's model validation would raise as a 500 (README, v3 differences). */
const modelInvalid = (detail: string) => v3Unprocessable([{ title: "participant_id", detail }]);

export async function performParticipantAction(db: DbOrTrx, action: ParticipantAction, request: ActionRequest): Promise<string> {
  const apiId = castUuid(request.id);
  if (apiId === null) throw V3_NOT_FOUND;
  const today = londonDate(request.now);
  const at = toTimestamp(request.now);
  const teacherApiId = await inTransaction(db, async (trx) => {
    const teacher = await q.visibleTeacher(trx, request.leadProviderId, apiId);
    if (!teacher) throw V3_NOT_FOUND;
    const role = courseRole(request.attributes.course_identifier);
    const tp = role === null ? null : ((await q.latestTraining(trx, teacher.id, role, request.leadProviderId)) ?? null);
    const a = request.attributes;
    switch (action) {
      case "defer":
      case "withdraw": {
        const errors = (action === "defer" ? deferErrors : withdrawErrors)({ role, reason: a.reason }, tp, today);
        if (errors.length) throw v3Unprocessable(errors);
        const { changed } = await q.updateTraining(trx, tp!.id, stopEffect(action, tp!, a.reason as string, at, today), at);
        if (changed) await q.touchTeacher(trx, teacher.id, at);
        break;
      }
      case "resume": {
        const sameSchoolPeriod = tp ? (await q.roleSiblings(trx, teacher.id, tp.role)).filter((s) => s.atSchoolPeriodId === tp.atSchoolPeriodId) : [];
        const errors = resumeErrors({ role }, tp, sameSchoolPeriod, today);
        if (errors.length) throw v3Unprocessable(errors);
        await resume(trx, teacher.id, tp!, today, at, toTimestamp(request.realNow));
        break;
      }
      case "change-schedule": {
        const facts = await changeScheduleFacts(trx, request.leadProviderId, teacher.id, tp, a, today);
        const errors = changeScheduleErrors({ role, scheduleIdentifier: a.schedule_identifier }, tp, teacher, facts, today, at);
        if (errors.length) throw v3Unprocessable(errors);
        await changeSchedule(trx, teacher, tp!, facts, today, at, toTimestamp(request.realNow));
        break;
      }
    }
    return teacher.apiId;
  });
  // api_controller.rb:27-31 respond_with_service: to_json(response), the participant as GET /participants/{id} renders it (participants_controller.rb:135-136)
  return showParticipant(db, request.leadProviderId, teacherApiId, today);
}

/** app/services/teachers/resume.rb:12-30: a new period from today; the old one untouched. */
async function resume(trx: Transaction<Database>, teacherId: number, tp: Training, today: string, at: string, realAt: string) {
  const created = resumedTraining(tp, today);
  const problem = newTrainingProblem(created, { startedOn: tp.atSchoolStartedOn, finishedOn: tp.atSchoolFinishedOn }, await q.roleSiblings(trx, teacherId, tp.role));
  if (problem) throw modelInvalid(problem);
  await q.insertTraining(trx, created, crypto.randomUUID(), at, realAt);
  await q.touchTeacher(trx, teacherId, at);
}

/** What change_schedule.rb:60-104 and the C8/C14 checks look up. */
async function changeScheduleFacts(
  trx: DbOrTrx,
  leadProviderId: number,
  teacherId: number,
  tp: Training | null,
  a: Record<string, PermittedValue>,
  today: string,
): Promise<ChangeScheduleFacts> {
  // :60-62 ContractPeriod.find_by(year: cohort) || training_period&.contract_period
  const asked = cohortYear(a.cohort);
  const found = asked === null ? undefined : await q.contractPeriod(trx, asked);
  const targetCohort = found ? found.year : (tp?.cohort ?? null);
  const target = targetCohort === null ? undefined : found ?? (await q.contractPeriod(trx, targetCohort));
  const identifier = a.schedule_identifier;
  const schedule = targetCohort !== null && typeof identifier === "string" && SCHEDULE_IDENTIFIERS.includes(identifier) ? await q.schedule(trx, targetCohort, identifier) : null;
  let schoolPartnership: ChangeScheduleFacts["schoolPartnership"] = null;
  if (tp && targetCohort !== null) {
    // :78-104 find_school_partnership
    const alp = await q.activeLeadProviderId(trx, leadProviderId, targetCohort);
    if (alp !== undefined) {
      if (targetCohort === tp.cohort) schoolPartnership = { id: tp.schoolPartnershipId, activeLeadProviderId: alp };
      else {
        const available = await q.partnershipsAtSchool(trx, alp, tp.schoolId);
        const chosen = available.find((p) => p.delivery_partner_id === tp.deliveryPartnerId) ?? available[0];
        if (chosen) schoolPartnership = { id: chosen.id, activeLeadProviderId: alp };
      }
    }
  }
  return {
    targetCohort,
    targetFrozenAt: target?.payments_frozen_at ?? null,
    schedule,
    schoolPartnership,
    declarations: tp && schedule && !(tp.startedOn < today) ? await q.declarationWindows(trx, tp.id, schedule.id) : [],
    siblings: tp ? (await q.roleSiblings(trx, teacherId, tp.role)).filter((s) => s.id !== tp.id) : [],
  };
}

/** app/services/teachers/change_schedule.rb:15-150. */
async function changeSchedule(
  trx: Transaction<Database>,
  teacher: TeacherFacts,
  tp: Training,
  facts: ChangeScheduleFacts,
  today: string,
  at: string,
  realAt: string,
) {
  const schedule = facts.schedule!;
  const partnership = facts.schoolPartnership!;
  const change = scheduleChange(tp, teacher, schedule, partnership, today);
  // refresh_metadata -> { at_school_period.school } on school_partnership_id / started_on (training_period.rb:67)
  const schoolBefore = await schoolMetadata(trx, tp.schoolId);
  // the model validations RECT would raise on (a 500 there), checked before anything is written
  if (change.kind === "in-place") {
    const problem = inPlaceProblem(schedule.cohort, await q.declarationStatementCohorts(trx, tp.id));
    if (problem) throw modelInvalid(problem);
  } else {
    const siblings = facts.siblings.concat([{ id: tp.id, atSchoolPeriodId: tp.atSchoolPeriodId, startedOn: tp.startedOn, finishedOn: change.oldFinishedOn }]);
    const problem = newTrainingProblem(change.created, { startedOn: tp.atSchoolStartedOn, finishedOn: tp.atSchoolFinishedOn }, siblings);
    if (problem) throw modelInvalid(problem);
  }
  // :124-150 track_payments_frozen_year! (the cohorts of the schedules)
  const fromCohort = tp.scheduleCohort;
  const fromFrozen = fromCohort === null ? false : paymentsFrozen((await q.contractPeriod(trx, fromCohort))?.payments_frozen_at ?? null, at);
  const toFrozen = paymentsFrozen((await q.contractPeriod(trx, schedule.cohort))?.payments_frozen_at ?? null, at);
  const frozen = frozenYearChange(fromCohort, fromFrozen, schedule.cohort, toFrozen);
  const currentFrozen = tp.role === "ect" ? teacher.ectPaymentsFrozenYear : teacher.mentorPaymentsFrozenYear;
  if (frozen !== undefined && frozen !== currentFrozen) await q.setPaymentsFrozenYear(trx, teacher.id, tp.role, frozen, at);
  if (change.kind === "in-place") {
    const { changed } = await q.updateTraining(
      trx,
      tp.id,
      { schedule_id: change.scheduleId, school_partnership_id: change.schoolPartnershipId, expression_of_interest_id: change.expressionOfInterestId },
      at,
    );
    if (changed) await q.touchTeacher(trx, teacher.id, at);
  } else {
    await q.updateTraining(trx, tp.id, { finished_on: change.oldFinishedOn }, at);
    await q.insertTraining(trx, change.created, crypto.randomUUID(), at, realAt);
    await q.touchTeacher(trx, teacher.id, at);
  }
  await q.touchSchoolMetadata(trx, tp.schoolId, schoolMetadataTouches(schoolBefore, await schoolMetadata(trx, tp.schoolId)), at);
}
