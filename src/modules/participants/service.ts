/**
 * The participants feature's use cases (business-rules §4, §6): gather the
 * facts with queries, run the rules (rules.ts), write in one transaction.
 * The only caller of queries.ts and rules.ts. Every function takes `db`
 * first; inside a transaction only `trx` is used.
 */
import type { Db } from "../../../db/connection";
import { cohorts, findSchedule, findScheduleById } from "../../../db/reference-data";
import type { DbOrTrx, TrainingRecord } from "../../../db/schema";
import { ApiError } from "../../errors";
import type { CsvStreamOptions } from "../../http/csv";
import { JsonText } from "../../http/json-api";
import type { ListParams } from "../../http/list-params";
import { newId } from "../../lib/ids";
import { castUuid } from "../../http/ruby-compat";
import { ceilToSecond, toDateOnly, toTimestamp } from "../../lib/time";
import {
  type ParticipantFilter,
  billableDeclarations,
  formerProviderView,
  hasActivePartnership,
  participantRowsFor,
  setFormerViewSchedule,
  setProfileSchedule,
  setTrainingRecordSchedule,
  setTrainingStatus,
  togglePaymentsFrozenFlag,
  trainingRecordsOfPerson,
} from "./queries";
import * as queries from "./queries";
import {
  type ChangeScheduleFacts,
  type ParticipantAction,
  type StatusActionFacts,
  activeRegistrationCohort,
  checkParticipantAction,
  cohortPaymentsFrozen,
  courseParticipantType,
  participantTypeCourse,
  readActionAttributes,
  resolveTargetCohort,
} from "./rules";
import { type PageEnds, participantCsvStream, participantJson, participantListJson } from "./read-model";
import { participantResource } from "./serialize";

// ---------------------------------------------------------------------------
// Reading (§4)
// ---------------------------------------------------------------------------

/** `updated_since` is inclusive against whole-second timestamps: a fraction rounds up. */
function filterFrom(params: Pick<ListParams, "cohorts" | "updatedSince">): ParticipantFilter {
  const since = params.updatedSince;
  return {
    cohorts: params.cohorts,
    updatedSince: since ? toTimestamp(ceilToSecond(since)) : null,
  };
}

/**
 * One page of `GET /participants/ecf` (§4.4), from the read model
 * (read-model.ts): the stored resources of the page, concatenated by SQLite.
 * With the database version the request saw (response cache on), a page
 * starts where the previous one ended.
 */
export async function listParticipants(db: Db, providerId: string, params: ListParams, seek: { version: string | null; pageEnds: PageEnds }) {
  return new JsonText(await participantListJson(db, providerId, filterFrom(params), params.page, params.perPage, seek));
}

/** `GET /participants/ecf.csv` (§4.5): the stored lines of every visible row, in batches as the client pulls. */
export async function participantsCsvStream(db: Db, providerId: string, params: ListParams, options: CsvStreamOptions = {}): Promise<ReadableStream<Uint8Array>> {
  return participantCsvStream(db, providerId, filterFrom(params), options);
}

/** `GET /participants/ecf/{id}` (§4.1): the ECT row wins; outside the filters, or unknown, is 404. */
export async function showParticipant(db: Db, providerId: string, participantId: string, params: ListParams) {
  // the id is cast as Rails casts it for a uuid column; a value it refuses matches nothing
  const id = castUuid(participantId);
  const document = id === null ? null : await participantJson(db, providerId, id, filterFrom(params));
  if (document === null) throw ApiError.notFound();
  return new JsonText(document);
}

// ---------------------------------------------------------------------------
// Actions (§6)
// ---------------------------------------------------------------------------

/**
 * The caller's latest induction record of the training record
 * (`Induction::FindBy` with the caller as lead provider,
 * app/services/induction/find_by.rb:19-29,47-62): the record itself when the
 * caller trains it now, else the caller's former view of it (its `leaving`
 * induction record after a transfer), else none.
 */
type CallerInductionRecord =
  | { kind: "current"; scheduleId: string; trainingStatus: TrainingRecord["training_status"]; schoolUrn: string }
  | { kind: "former"; viewId: string; scheduleId: string; trainingStatus: TrainingRecord["training_status"]; schoolUrn: string };

interface Resolution {
  facts: StatusActionFacts;
  record: TrainingRecord | null;
  caller: CallerInductionRecord | null;
}

/**
 * The participant as §5.1 resolves it, for the path id and course: the person
 * (any provider's), the training record the course picks, and the caller's
 * induction record of it. A former provider (after a transfer) still has one,
 * its view, and acts on that (live app/validators/induction_record_validator.rb:18-30).
 */
async function resolve(trx: DbOrTrx, providerId: string, participantId: string, attributes: unknown): Promise<Resolution> {
  const attrs = readActionAttributes(attributes);
  // the path id is cast as Rails casts it for a uuid column; a value it refuses matches nothing
  const id = castUuid(participantId);
  const records = id !== null ? await trainingRecordsOfPerson(trx, id) : [];
  const type = courseParticipantType(attrs.courseIdentifier);
  const record = type ? (records.find((r) => r.participant_type === type) ?? null) : null;
  let caller: CallerInductionRecord | null = null;
  if (record && record.lead_provider_id === providerId) {
    caller = { kind: "current", scheduleId: record.schedule_id, trainingStatus: record.training_status, schoolUrn: record.school_urn };
  } else if (record) {
    const view = await formerProviderView(trx, record.id, providerId);
    if (view) caller = { kind: "former", viewId: view.id, scheduleId: view.schedule_id, trainingStatus: view.training_status, schoolUrn: view.school_urn };
  }
  const callerSchedule = findScheduleById(caller?.scheduleId ?? record?.schedule_id ?? "");
  const profileSchedule = record ? findScheduleById(record.profile_schedule_id ?? record.schedule_id) : undefined;
  return {
    record,
    caller,
    facts: {
      attributes,
      identityResolved: records.length > 0,
      activeCourses: [...new Set(records.map((r) => participantTypeCourse(r.participant_type)))],
      trainingRecord: record
        ? {
            trainingStatus: caller?.trainingStatus ?? record.training_status,
            callerHasInductionRecord: caller !== null,
            scheduleIdentifier: callerSchedule!.identifier,
            cohort: callerSchedule!.cohort,
            profileSchedule: profileSchedule ? { identifier: profileSchedule.identifier, cohort: profileSchedule.cohort } : null,
          }
        : null,
    },
  };
}

const cohortDates = (year: number) => cohorts.find((c) => c.startYear === year);

async function changeScheduleFacts(trx: DbOrTrx, base: Resolution, providerId: string, now: Date): Promise<ChangeScheduleFacts> {
  const { record, caller } = base;
  const callerCohort = base.facts.trainingRecord?.cohort ?? null;
  const attrs = readActionAttributes(base.facts.attributes);
  const targetCohort = resolveTargetCohort(base.facts.attributes, callerCohort !== null ? { cohort: callerCohort } : null);
  const identifier = typeof attrs.scheduleIdentifier === "string" ? attrs.scheduleIdentifier : null;
  const schedule = identifier !== null && targetCohort !== null ? findSchedule(identifier, targetCohort) : undefined;
  let hasPartnership = false;
  if (record && caller && targetCohort !== null) {
    hasPartnership = await hasActivePartnership(trx, providerId, targetCohort, caller.schoolUrn);
    // Only the schedule changes within the cohort: any active partnership there will do (§6.6 check 7).
    if (!hasPartnership && targetCohort === callerCohort) hasPartnership = await hasActivePartnership(trx, providerId, targetCohort, null);
  }
  const declarations = record
    ? (await billableDeclarations(trx, record.id)).map((d) => ({
        declarationType: d.declaration_type,
        declarationDate: new Date(d.declaration_date),
        state: d.state,
        cohort: d.cohort,
        cohortPaymentsFrozenAtSet: !!cohortDates(d.cohort)?.paymentsFrozenAt,
      }))
    : [];
  const today = toDateOnly(now);
  const profileCohort = base.facts.trainingRecord?.profileSchedule?.cohort ?? null;
  return {
    ...base.facts,
    targetCohort,
    targetSchedule: schedule ? { identifier: schedule.identifier, cohort: schedule.cohort, milestones: schedule.milestones } : null,
    billableDeclarations: declarations,
    hasPartnershipInTargetCohort: hasPartnership,
    // v2 always allows the exception (app/controllers/concerns/api/v1/participant_actions.rb:25)
    paymentsFrozen: record
      ? {
          activeRegistrationCohort: activeRegistrationCohort(cohorts, today),
          profileCohortPaymentsFrozenAtSet: profileCohort !== null && !!cohortDates(profileCohort)?.paymentsFrozenAt,
          targetCohortPaymentsFrozen: targetCohort !== null && cohortPaymentsFrozen(cohortDates(targetCohort), today),
          cohortChangedAfterPaymentsFrozen: record.cohort_changed_after_payments_frozen === 1,
          participantType: record.participant_type,
        }
      : undefined,
  };
}

/**
 * defer / resume / withdraw / change-schedule (business-rules §6): the facts
 * and the write happen in one transaction, so concurrent actions on one
 * participant are judged one after another and each accepted change is
 * recorded in the training-status history.
 */
export async function performParticipantAction(
  db: Db,
  providerId: string,
  participantId: string,
  action: ParticipantAction,
  attributes: Record<string, unknown>,
  now: Date,
) {
  const recordId = await db.transaction().execute(async (trx) => {
    const base = await resolve(trx, providerId, participantId, attributes);
    const result =
      action === "change-schedule"
        ? checkParticipantAction("change-schedule", await changeScheduleFacts(trx, base, providerId, now))
        : checkParticipantAction(action, base.facts);
    if (!result.ok) {
      if (result.status === 404) throw ApiError.notFound();
      throw ApiError.errors(422, result.errors);
    }
    const record = base.record!;
    const caller = base.caller!;
    const stamp = toTimestamp(now);
    const next = result.next;
    if (next.action === "change-schedule") {
      const schedule = findSchedule(next.scheduleIdentifier, next.cohort)!;
      if (next.togglesPaymentsFrozenFlag) await togglePaymentsFrozenFlag(trx, record.id);
      if (caller.kind === "current") {
        // across cohorts, the closed induction record stays visible under the old cohort's filter
        if (next.cohortChanged) await keepFormerProviderView(trx, record, "changed", stamp);
        await setTrainingRecordSchedule(trx, record.id, schedule);
      } else {
        // a former provider moves the profile's schedule and its own induction record
        // (change_schedule.rb:117-119,133-143); the current provider's record keeps its schedule
        await setProfileSchedule(trx, record, schedule.id);
        await setFormerViewSchedule(trx, caller.viewId, schedule, stamp);
      }
    } else {
      await setTrainingStatus(
        trx,
        {
          id: newId(),
          training_record_id: record.id,
          lead_provider_id: providerId,
          state: next.trainingStatus,
          reason: "reason" in next ? next.reason : null,
          created_at: stamp,
        },
        // a former provider's action changes its own induction record (its view), not the current provider's
        caller.kind === "former" ? caller.viewId : null,
      );
    }
    await touchTrainingRecord(trx, record, stamp);
    return record.id;
  });
  const rows = await participantRowsFor(db, providerId, castUuid(participantId)!, { cohorts: null, updatedSince: null });
  const row = rows.find((r) => r.training_record_id === recordId)!;
  return { data: participantResource(row) };
}

// ---- for other features (they never import this feature's queries.ts) -------

/** A change to a record by another feature (a declaration, an admin move) bumps its own and its person's `updated_at` (the live touch chain, §4.2). */
export function touchTrainingRecord(trx: DbOrTrx, record: { id: string; participant_id: string }, stamp: string): Promise<void> {
  return queries.touchTrainingRecord(trx, record, stamp);
}

/** The provider a record leaves (admin transfer) keeps seeing it as its last induction record left it, with `inductionStatus` (business-rules §2.1). */
export function keepFormerProviderView(trx: DbOrTrx, record: TrainingRecord, inductionStatus: TrainingRecord["induction_status"], stamp: string): Promise<void> {
  return queries.keepFormerProviderView(trx, record, inductionStatus, newId(), stamp);
}
