import { sql } from "kysely";
import type { DbOrTrx, TrainingRecord, TrainingStatusHistory } from "../../../db/schema";

export interface ParticipantFilter {
  cohorts: number[] | null;
  updatedSince: string | null;
  participantId?: string;
}

// ---------------------------------------------------------------------------
// The participant actions (docs/reference/business-rules.md §6): facts and writes, inside the action's transaction
// ---------------------------------------------------------------------------

/**
 * Every training record of the person, smallest id first (§5.1 resolution): of
 * two records of the course's type, live takes `.first` of an unordered scope,
 * which Rails orders by primary key (app/services/participant_profile_resolver.rb:9-19).
 */
export function trainingRecordsOfPerson(trx: DbOrTrx, participantId: string): Promise<TrainingRecord[]> {
  return trx.selectFrom("training_records").selectAll().where("participant_id", "=", participantId).orderBy("id").execute();
}

/**
 * The record's declarations in submitted, eligible, payable or paid (§6.6
 * checks 3 and 6, and the payments-frozen exception), with their cohorts.
 */
export async function billableDeclarations(trx: DbOrTrx, trainingRecordId: string) {
  return trx
    .selectFrom("declarations")
    .select(["declaration_type", "declaration_date", "state", "cohort"])
    .where("training_record_id", "=", trainingRecordId)
    .where("billable", "=", 1)
    .execute();
}

/** The provider's own view of a record it trained before a transfer: its latest induction record of it. */
export async function formerProviderView(trx: DbOrTrx, trainingRecordId: string, providerId: string) {
  return trx
    .selectFrom("former_provider_views")
    .select(["id", "schedule_id", "training_status", "school_urn"])
    .where("training_record_id", "=", trainingRecordId)
    .where("lead_provider_id", "=", providerId)
    .executeTakeFirst();
}

/** An unchallenged partnership of the provider in the cohort, with the school when one is given (§6.6 check 7). */
export async function hasActivePartnership(trx: DbOrTrx, providerId: string, cohort: number, schoolUrn: string | null): Promise<boolean> {
  const row = await trx
    .selectFrom("partnerships")
    .select("id")
    .where("lead_provider_id", "=", providerId)
    .where("cohort", "=", cohort)
    .where("challenged_at", "is", null)
    .$if(schoolUrn !== null, (q) => q.where("school_urn", "=", schoolUrn!))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The provider's own view of the record as its last induction record left it,
 * with that record's induction status: after a transfer the old provider keeps
 * seeing it (docs/reference/business-rules.md §2.1, status unchanged); after a change of schedule
 * across cohorts, live `Induction::ChangeInductionRecord` closes it with status
 * `changed`, shown only under a filter on the old cohort (see `notSuperseded`).
 */
export async function keepFormerProviderView(trx: DbOrTrx, record: TrainingRecord, inductionStatus: TrainingRecord["induction_status"], id: string, stamp: string) {
  const view = {
    school_urn: record.school_urn,
    cohort: record.cohort,
    schedule_id: record.schedule_id,
    induction_status: inductionStatus,
    training_status: record.training_status,
    mentor_id: record.mentor_id,
    updated_at: stamp,
  };
  await trx
    .insertInto("former_provider_views")
    .values({ ...view, id, training_record_id: record.id, lead_provider_id: record.lead_provider_id, created_at: stamp })
    // one view per record and provider: the latest closed induction record (an earlier one is superseded
    // in every filter but its own cohort's, which the sandbox then no longer shows)
    .onConflict((oc) => oc.columns(["training_record_id", "lead_provider_id"]).doUpdateSet(view))
    .execute();
}

/** The schedule and, with it, the cohort (live moves the school cohort too); the profile's schedule is the same again. */
export async function setTrainingRecordSchedule(trx: DbOrTrx, trainingRecordId: string, schedule: { id: string; cohort: number }) {
  await trx
    .updateTable("training_records")
    .set({ schedule_id: schedule.id, cohort: schedule.cohort, profile_schedule_id: null })
    .where("id", "=", trainingRecordId)
    .execute();
}

/** The profile's own schedule, apart from the current provider's induction record's (null when they are the same). */
export async function setProfileSchedule(trx: DbOrTrx, record: { id: string; schedule_id: string }, scheduleId: string) {
  await trx
    .updateTable("training_records")
    .set({ profile_schedule_id: scheduleId === record.schedule_id ? null : scheduleId })
    .where("id", "=", record.id)
    .execute();
}

/** A former provider's change of schedule: its view takes the new schedule and cohort. */
export async function setFormerViewSchedule(trx: DbOrTrx, viewId: string, schedule: { id: string; cohort: number }, stamp: string) {
  await trx.updateTable("former_provider_views").set({ schedule_id: schedule.id, cohort: schedule.cohort, updated_at: stamp }).where("id", "=", viewId).execute();
}

/** `participant_profile.toggle(:cohort_changed_after_payments_frozen).save!` (change_schedule.rb:125). */
export async function togglePaymentsFrozenFlag(trx: DbOrTrx, trainingRecordId: string) {
  await trx
    .updateTable("training_records")
    .set({ cohort_changed_after_payments_frozen: sql<0 | 1>`1 - cohort_changed_after_payments_frozen` })
    .where("id", "=", trainingRecordId)
    .execute();
}

/**
 * A new training status and its line in the history. With `formerViewId`, a
 * former provider's action: its own view (its induction record) takes the
 * status, and the current provider's record keeps its own.
 */
export async function setTrainingStatus(trx: DbOrTrx, history: TrainingStatusHistory, formerViewId: string | null = null) {
  if (formerViewId === null) {
    await trx.updateTable("training_records").set({ training_status: history.state }).where("id", "=", history.training_record_id).execute();
  } else {
    await trx
      .updateTable("former_provider_views")
      .set({ training_status: history.state, updated_at: history.created_at })
      .where("id", "=", formerViewId)
      .execute();
  }
  await trx.insertInto("training_status_history").values(history).execute();
}

/** A change to a record bumps its own and its person's `updated_at` (the live touch chain, §4.2). */
export async function touchTrainingRecord(trx: DbOrTrx, record: { id: string; participant_id: string }, stamp: string) {
  await trx.updateTable("training_records").set({ updated_at: stamp }).where("id", "=", record.id).execute();
  await trx.updateTable("participants").set({ updated_at: stamp }).where("id", "=", record.participant_id).execute();
}
