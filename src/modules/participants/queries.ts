import { type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "../../../db/connection";
import type { DbOrTrx, TrainingRecord, TrainingStatusHistory } from "../../../db/schema";
import { preparedQuery } from "../../../db/prepared";

/**
 * One visible training record as the caller sees it: its current provider's
 * state when the caller is that provider, or the caller's own last view of it
 * after a transfer (docs/reference/business-rules.md §2.1).
 */
export interface ParticipantRow {
  participant_id: string;
  email: string;
  full_name: string;
  mentor_id: string | null;
  school_urn: string;
  participant_type: "ect" | "mentor";
  cohort: number;
  induction_status: string;
  teacher_reference_number: string | null;
  teacher_reference_number_validated: number;
  eligible_for_funding: number | null;
  pupil_premium_uplift: number;
  sparsity_uplift: number;
  training_status: "active" | "deferred" | "withdrawn";
  training_record_id: string;
  schedule_identifier: string;
  participant_updated_at: string;
  record_updated_at: string;
  view_updated_at: string;
  participant_created_at: string;
  participant_seq: number;
  record_seq: number;
  /** rowid of the former provider's view; null on the current provider's rows */
  view_seq: number | null;
}

export interface ParticipantFilter {
  cohorts: number[] | null;
  updatedSince: string | null;
  participantId?: string;
}

/** The person's and the record's own columns: the same whichever provider's view of the record is read. */
const PERSON_AND_RECORD_COLUMNS = [
  "p.id as participant_id",
  "p.email",
  "p.full_name",
  "tr.participant_type",
  "s.cohort",
  "p.teacher_reference_number",
  "p.teacher_reference_number_validated",
  "tr.eligible_for_funding",
  "tr.pupil_premium_uplift",
  "tr.sparsity_uplift",
  "tr.id as training_record_id",
  "s.identifier as schedule_identifier",
  "p.updated_at as participant_updated_at",
  "tr.updated_at as record_updated_at",
  "p.created_at as participant_created_at",
] as const;

function filtered<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: ParticipantFilter): Q {
  if (filter.cohorts) q = q.where("s.cohort", "in", filter.cohorts.length ? filter.cohorts : [-1]);
  if (filter.updatedSince) q = q.where("p.updated_at", ">=", filter.updatedSince);
  return q;
}

/** The records the provider trains now: their current state. */
function currentRecords(db: Db, filter: ParticipantFilter) {
  const q = db
    .selectFrom("training_records as tr")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "tr.schedule_id")
    .select([
      ...PERSON_AND_RECORD_COLUMNS,
      "tr.mentor_id",
      "tr.school_urn",
      "tr.induction_status",
      "tr.training_status",
      "tr.updated_at as view_updated_at",
      sql<number>`p.rowid`.as("participant_seq"),
      sql<number>`tr.rowid`.as("record_seq"),
      sql<number | null>`null`.as("view_seq"),
    ]);
  return filtered(q, filter);
}

/** The records the provider trained before a transfer: as its last view of them left them. */
function formerRecords(db: Db, filter: ParticipantFilter) {
  const q = db
    .selectFrom("former_provider_views as fv")
    .innerJoin("training_records as tr", "tr.id", "fv.training_record_id")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "fv.schedule_id")
    .select([
      ...PERSON_AND_RECORD_COLUMNS,
      "fv.mentor_id",
      "fv.school_urn",
      "fv.induction_status",
      "fv.training_status",
      "fv.updated_at as view_updated_at",
      sql<number>`p.rowid`.as("participant_seq"),
      sql<number>`tr.rowid`.as("record_seq"),
      sql<number | null>`fv.rowid`.as("view_seq"),
    ]);
  return filtered(q, filter);
}

/**
 * Live shows, per training record and provider, that provider's latest
 * induction record **among those whose schedule is in the filtered cohorts**
 * (the latest-record window runs inside the cohort condition,
 * app/services/api/v1/ecf/participants_query.rb:50-56). A provider's view of a
 * record (fv, at most one per record and provider: its latest closed induction
 * record) is therefore shown only when the record itself, if the provider
 * trains it now, is not in those cohorts: after a change of schedule across
 * cohorts, the old cohort's filter shows the closed induction record
 * (docs/live-parity.md §5).
 */
function notSuperseded(db: Db, cohorts: number[] | null) {
  const current = db
    .selectFrom("training_records as tr2")
    .select(sql`1`.as("one"))
    .whereRef("tr2.id", "=", "fv.training_record_id" as any)
    .whereRef("tr2.lead_provider_id", "=", "fv.lead_provider_id" as any)
    .$if(cohorts !== null, (q) =>
      q.where("tr2.schedule_id", "in", db.selectFrom("schedules").select("id").where("cohort", "in", cohorts!.length ? cohorts! : [-1])),
    );
  return sql<boolean>`not exists ${current}`;
}

// ---------------------------------------------------------------------------
// Keys first, rows second
// ---------------------------------------------------------------------------

/**
 * Where one visible row comes from: the training record itself (the caller
 * is its current provider) or the caller's former view of it, by rowid.
 */
export interface ParticipantRowKey {
  former: 0 | 1;
  rowid: number;
}

/** The visible rows' keys only, in the live order (§4.4); the rows are then read by key. */
function visibleKeysQuery(db: Db, providerId: string, filter: ParticipantFilter) {
  // Both branches walk an index on (provider, person's sort key, person's
  // rowid, schedule): filter, order and cohort are answered by the index alone
  // (migration 0002), and SQLite merges the two ordered branches.
  const cohortSchedules = (cohorts: number[]) =>
    db.selectFrom("schedules").select("id").where("cohort", "in", cohorts.length ? cohorts : [-1]);
  const byUpdate = filter.updatedSince !== null;
  let current = db
    .selectFrom("training_records as tr")
    .select([
      sql<0 | 1>`0`.as("former"),
      sql<number>`tr.rowid`.as("rowid"),
      (byUpdate ? "tr.participant_updated_at" : "tr.participant_created_at") as "tr.participant_created_at",
      "tr.participant_seq",
      "tr.schedule_id",
    ])
    .where("tr.lead_provider_id", "=", providerId);
  let former = db
    .selectFrom("former_provider_views as fv")
    .select([
      sql<0 | 1>`1`.as("former"),
      sql<number>`fv.rowid`.as("rowid"),
      (byUpdate ? "fv.participant_updated_at" : "fv.participant_created_at") as "fv.participant_created_at",
      "fv.participant_seq",
      "fv.schedule_id",
    ])
    .where("fv.lead_provider_id", "=", providerId)
    .where(notSuperseded(db, filter.cohorts));
  if (filter.participantId) {
    current = current.where("tr.participant_id", "=", filter.participantId);
    former = former.where(
      "fv.training_record_id",
      "in",
      db.selectFrom("training_records").select("id").where("participant_id", "=", filter.participantId),
    );
  }
  if (filter.cohorts) {
    current = current.where("tr.schedule_id", "in", cohortSchedules(filter.cohorts));
    former = former.where("fv.schedule_id", "in", cohortSchedules(filter.cohorts));
  }
  if (filter.updatedSince) {
    current = current.where("tr.participant_updated_at", ">=", filter.updatedSince);
    former = former.where("fv.participant_updated_at", ">=", filter.updatedSince);
  }
  const sortKey = byUpdate ? "participant_updated_at" : "participant_created_at";
  return current
    .unionAll(former as any)
    .orderBy(sql.ref(sortKey))
    .orderBy(sql.ref("participant_seq"))
    // the index's own order (schedule, then rowid) breaks ties, so no sort is needed
    .orderBy(sql.ref("schedule_id"))
    .orderBy(sql.ref("rowid")) as unknown as SelectQueryBuilder<any, any, ParticipantRowKey>;
}

/** Every visible row's key, in the live order (§4.4): the reference the read model is checked against. */
export async function visibleParticipantKeys(db: Db, providerId: string, filter: ParticipantFilter): Promise<ParticipantRowKey[]> {
  return visibleKeysQuery(db, providerId, filter).execute();
}

// The rowids go in as one JSON array, so the SQL text (and Kysely's compiled
// query) is the same for every page.
const currentRowsByRowids = preparedQuery((db, providerId: string, rowidsJson: string) =>
  currentRecords(db as Db, { cohorts: null, updatedSince: null })
    .where(sql<number>`tr.rowid`, "in", sql<number>`(select value from json_each(${rowidsJson}))`)
    .where(sql`+tr.lead_provider_id`, "=", providerId),
);

/**
 * The rows for `keys`, in the order of `keys`. A key whose row is no longer
 * the caller's (moved away since the keys were read) is skipped.
 */
export async function participantRowsByKeys(db: Db, providerId: string, keys: readonly ParticipantRowKey[]): Promise<ParticipantRow[]> {
  const all: ParticipantFilter = { cohorts: null, updatedSince: null };
  const currentIds = keys.filter((k) => k.former === 0).map((k) => k.rowid);
  const formerIds = keys.filter((k) => k.former === 1).map((k) => k.rowid);
  // `+column` keeps SQLite on the rowid lookups instead of the provider index
  const current = currentIds.length ? await currentRowsByRowids(db, providerId, JSON.stringify(currentIds)) : [];
  const former = formerIds.length
    ? await formerRecords(db, all).where(sql<number>`fv.rowid`, "in", formerIds).where(sql`+fv.lead_provider_id`, "=", providerId).execute()
    : [];
  const byCurrent = new Map(current.map((r) => [r.record_seq, r as ParticipantRow]));
  const byFormer = new Map(former.map((r) => [r.view_seq!, r as ParticipantRow]));
  const rows: ParticipantRow[] = [];
  for (const key of keys) {
    const row = key.former ? byFormer.get(key.rowid) : byCurrent.get(key.rowid);
    if (row) rows.push(row);
  }
  return rows;
}

/** One page of the JSON list (§4.4), the page's keys then their rows: the reference the read model is checked against. */
export async function listParticipantRows(db: Db, providerId: string, filter: ParticipantFilter, page: number, perPage: number) {
  const keys = await visibleKeysQuery(db, providerId, filter)
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return participantRowsByKeys(db, providerId, keys);
}

/** The person's visible records; the caller picks the ECT one (docs/reference/business-rules.md §4.1). */
export async function participantRowsFor(db: Db, providerId: string, participantId: string, filter: ParticipantFilter) {
  // Looked up through the person's records (an index on participant_id), the
  // provider checked per row: `+` keeps SQLite off the provider's list index.
  const current = await currentRecords(db, filter)
    .where("tr.participant_id", "=", participantId)
    .where(sql`+tr.lead_provider_id`, "=", providerId)
    .execute();
  const former = await formerRecords(db, filter)
    .where("tr.participant_id", "=", participantId)
    .where(sql`+fv.lead_provider_id`, "=", providerId)
    .where(notSuperseded(db, filter.cohorts))
    .execute();
  return [...current, ...former].sort(
    (a, b) => a.participant_seq - b.participant_seq || a.record_seq - b.record_seq || (a.view_seq ?? 0) - (b.view_seq ?? 0),
  ) as ParticipantRow[];
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
