import type { Transaction } from "kysely";
import type { Db } from "../../../db/connection";
import { findSchedule, findScheduleById } from "../../../db/reference-data";
import type { Database, TrainingRecord } from "../../../db/schema";
import { ApiError } from "../../errors";
import { castUuid, newId } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";
import { touchTrainingRecord } from "../admin/service";
import { participantRowsFor } from "./queries";
import {
  type ChangeScheduleFacts,
  type ParticipantAction,
  type StatusActionFacts,
  checkParticipantAction,
  readActionAttributes,
  resolveTargetCohort,
} from "./rules";
import { participantResource } from "./serialize";

type Trx = Transaction<Database>;

const COURSE_TYPE: Record<string, "ect" | "mentor"> = { "ecf-induction": "ect", "ecf-mentor": "mentor" };
const TYPE_COURSE = { ect: "ecf-induction", mentor: "ecf-mentor" } as const;

interface Resolution {
  facts: StatusActionFacts;
  record: TrainingRecord | null;
}

/**
 * The participant as §5.1 resolves it, for the path id and course: the person
 * (any provider's), the training record the course picks, and whether the
 * caller trains it. Only the current provider may act on a record: a former
 * provider (after a transfer) reads it but gets the `participant_id` 422.
 */
async function resolve(trx: Trx, providerId: string, participantId: string, attributes: unknown): Promise<Resolution> {
  const attrs = readActionAttributes(attributes);
  // the path id is cast as Rails casts it for a uuid column; a value it refuses matches nothing.
  // Of two records of the course's type, live takes the smallest id (`.first` orders by primary key).
  const id = castUuid(participantId);
  const records = id !== null
    ? await trx.selectFrom("training_records").selectAll().where("participant_id", "=", id).orderBy("id").execute()
    : [];
  const type = typeof attrs.courseIdentifier === "string" ? COURSE_TYPE[attrs.courseIdentifier] : undefined;
  const record = type ? (records.find((r) => r.participant_type === type) ?? null) : null;
  return {
    record,
    facts: {
      attributes,
      identityResolved: records.length > 0,
      activeCourses: [...new Set(records.map((r) => TYPE_COURSE[r.participant_type]))],
      trainingRecord: record
        ? {
            trainingStatus: record.training_status,
            callerHasInductionRecord: record.lead_provider_id === providerId,
            scheduleIdentifier: findScheduleById(record.schedule_id)!.identifier,
            cohort: record.cohort,
          }
        : null,
    },
  };
}

async function changeScheduleFacts(trx: Trx, providerId: string, base: Resolution): Promise<ChangeScheduleFacts> {
  const { record } = base;
  const attrs = readActionAttributes(base.facts.attributes);
  const targetCohort = resolveTargetCohort(base.facts.attributes, record ? { cohort: record.cohort } : null);
  const identifier = typeof attrs.scheduleIdentifier === "string" ? attrs.scheduleIdentifier : null;
  const schedule = identifier !== null && targetCohort !== null ? findSchedule(identifier, targetCohort) : undefined;
  let billable: { declarationType: string; declarationDate: Date }[] = [];
  let hasPartnership = false;
  if (record) {
    const rows = await trx
      .selectFrom("declarations")
      .select(["declaration_type", "declaration_date"])
      .where("training_record_id", "=", record.id)
      .where("billable", "=", 1)
      .execute();
    billable = rows.map((r) => ({ declarationType: r.declaration_type, declarationDate: new Date(r.declaration_date) }));
    if (record.lead_provider_id === providerId && targetCohort !== null) {
      const partnership = await trx
        .selectFrom("partnerships")
        .select("id")
        .where("lead_provider_id", "=", providerId)
        .where("cohort", "=", targetCohort)
        .where("challenged_at", "is", null)
        .where("school_urn", "=", record.school_urn)
        .executeTakeFirst();
      hasPartnership = partnership !== undefined;
      // Only the schedule changes within the cohort: any active partnership there will do (§6.6 check 7).
      if (!hasPartnership && targetCohort === record.cohort) {
        const any = await trx
          .selectFrom("partnerships")
          .select("id")
          .where("lead_provider_id", "=", providerId)
          .where("cohort", "=", targetCohort)
          .where("challenged_at", "is", null)
          .executeTakeFirst();
        hasPartnership = any !== undefined;
      }
    }
  }
  return {
    ...base.facts,
    targetCohort,
    targetSchedule: schedule
      ? { identifier: schedule.identifier, cohort: schedule.cohort, milestones: schedule.milestones }
      : null,
    billableDeclarations: billable,
    hasPartnershipInTargetCohort: hasPartnership,
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
        ? checkParticipantAction("change-schedule", await changeScheduleFacts(trx, providerId, base))
        : checkParticipantAction(action, base.facts);
    if (!result.ok) {
      if (result.status === 404) throw ApiError.notFound();
      throw ApiError.errors(422, result.errors);
    }
    const record = base.record!;
    const stamp = toTimestamp(now);
    const next = result.next;
    if (next.action === "change-schedule") {
      // the schedule and, when it changes, the cohort move together (live moves the school cohort too)
      const schedule = findSchedule(next.scheduleIdentifier, next.cohort)!;
      await trx.updateTable("training_records").set({ schedule_id: schedule.id, cohort: schedule.cohort }).where("id", "=", record.id).execute();
    } else {
      await trx.updateTable("training_records").set({ training_status: next.trainingStatus }).where("id", "=", record.id).execute();
      await trx
        .insertInto("training_status_history")
        .values({
          id: newId(),
          training_record_id: record.id,
          lead_provider_id: providerId,
          state: next.trainingStatus,
          reason: "reason" in next ? next.reason : null,
          created_at: stamp,
        })
        .execute();
    }
    await touchTrainingRecord(trx, record, stamp);
    return record.id;
  });
  const rows = await participantRowsFor(db, providerId, castUuid(participantId)!, { cohorts: null, updatedSince: null });
  const row = rows.find((r) => r.training_record_id === recordId)!;
  return { data: participantResource(row) };
}
