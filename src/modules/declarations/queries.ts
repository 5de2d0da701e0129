/**
 * Data access for the declarations feature (Kysely only). Every function takes
 * `db` — a `Kysely<Database>` or, inside a transaction, the `Transaction` —
 * as its first argument.
 */
import { sql } from "kysely";
import type { DbOrTrx, Declaration, DeclarationState, NewDeclaration } from "../../../db/schema";
import type { ParticipantType } from "../participants/rules";
import type { Milestone } from "./rules";
import { preparedQuery } from "../../../db/prepared";
import { findScheduleById } from "../../../db/reference-data";
import { DeclarationResource } from "./resource";


// ---------------------------------------------------------------------------
// Resolving the participant (docs/reference/business-rules.md §5.1, "Resolving the participant")
// ---------------------------------------------------------------------------

/** A person's training record with its schedule and cohort facts folded in. */
export interface TrainingRecordFacts {
  id: string;
  participantId: string;
  participantType: ParticipantType;
  leadProviderId: string;
  /** the profile's schedule (live `participant_profile.schedule`, app/services/record_declaration.rb:88-89) */
  scheduleId: string;
  /** the schedule of the current provider's induction record (differs after a former provider's change of schedule) */
  currentScheduleId: string;
  scheduleIdentifier: string;
  /** start year of the schedule's cohort */
  cohort: number;
  eligibleForFunding: boolean | null;
  mentorFundingCohort: boolean;
}

const personRecordsQuery = preparedQuery((db, participantId: string) =>
  db
    .selectFrom("training_records as tr")
    // the profile's schedule: its own when a former provider changed it (migration 0004)
    .innerJoin("schedules as s", (j) => j.on(sql`s.id`, "=", sql`coalesce(tr.profile_schedule_id, tr.schedule_id)`))
    .innerJoin("cohorts as c", "c.start_year", "s.cohort")
    .select([
      "tr.id",
      "tr.participant_id",
      "tr.participant_type",
      "tr.lead_provider_id",
      "s.id as schedule_id",
      "tr.schedule_id as current_schedule_id",
      "tr.eligible_for_funding",
      "s.identifier as schedule_identifier",
      "s.cohort as cohort",
      "c.mentor_funding",
    ])
    .where("tr.participant_id", "=", participantId)
    // live `ParticipantProfileResolver` takes `.first` of an unordered scope: Rails orders it by primary key
    .orderBy("tr.id"),
);

/**
 * One read for §5.1's resolution: the types of the person's records (their
 * courses) and, for the wanted type, the record with the smallest id
 * (live app/services/participant_profile_resolver.rb:9-19, `.first` by primary key).
 */
export async function resolvePerson(
  db: DbOrTrx,
  participantId: string,
  wanted: ParticipantType | null,
): Promise<{ types: ParticipantType[]; record: TrainingRecordFacts | null }> {
  const rows = await personRecordsQuery(db, participantId);
  const types = [...new Set(rows.map((r) => r.participant_type))];
  const row = wanted === null ? undefined : rows.find((r) => r.participant_type === wanted);
  return {
    types,
    record: row
      ? {
          id: row.id,
          participantId: row.participant_id,
          participantType: row.participant_type,
          leadProviderId: row.lead_provider_id,
          scheduleId: row.schedule_id,
          currentScheduleId: row.current_schedule_id,
          scheduleIdentifier: row.schedule_identifier,
          cohort: row.cohort,
          eligibleForFunding: row.eligible_for_funding === null ? null : row.eligible_for_funding === 1,
          mentorFundingCohort: row.mentor_funding === 1,
        }
      : null,
  };
}

const milestonesQuery = preparedQuery((db, scheduleId: string) =>
  db.selectFrom("milestones").select(["declaration_type", "start_date", "milestone_date"]).where("schedule_id", "=", scheduleId),
);

/**
 * The schedule's milestones. They are reference data that nothing changes
 * after start-up (loaded from db/data/schedules.csv with these same ids), so
 * they are read from memory; the table is asked only for an id not there.
 */
export async function scheduleMilestones(db: DbOrTrx, scheduleId: string): Promise<Milestone[]> {
  const known = findScheduleById(scheduleId);
  if (known) return known.milestones.map((m) => ({ declarationType: m.declarationType, startDate: m.startDate, milestoneDate: m.milestoneDate }));
  const rows = await milestonesQuery(db, scheduleId);
  return rows.map((r) => ({ declarationType: r.declaration_type, startDate: r.start_date, milestoneDate: r.milestone_date }));
}

const formerViewQuery = preparedQuery((db, recordId: string, callerId: string, scheduleId: string) =>
  db
    .selectFrom("former_provider_views")
    .select("id")
    .where("training_record_id", "=", recordId)
    .where("lead_provider_id", "=", callerId)
    .where("schedule_id", "=", scheduleId)
    .limit(1),
);

/**
 * The caller has an induction record of the record on the profile's schedule
 * (§5.1 check 13; `Induction::FindBy` with the lead provider and the profile's
 * schedule, app/validators/induction_record_validator.rb:26-30): it trains the
 * record now on that schedule, or trained it before a transfer and its former
 * view is on it. A former provider's change of schedule moves the profile and
 * its own view, so the current provider's record is then off the profile's schedule.
 */
export async function callerHasInductionRecord(
  db: DbOrTrx,
  record: { id: string; leadProviderId: string; scheduleId: string; currentScheduleId: string },
  callerId: string,
): Promise<boolean> {
  if (record.leadProviderId === callerId) return record.currentScheduleId === record.scheduleId;
  const [view] = await formerViewQuery(db, record.id, callerId, record.scheduleId);
  return view !== undefined;
}

const latestStateQuery = preparedQuery((db, trainingRecordId: string, callerId: string) =>
  db
    .selectFrom("training_status_history")
    .select(["state", "created_at"])
    .where("training_record_id", "=", trainingRecordId)
    .where("lead_provider_id", "=", callerId)
    .orderBy("created_at", "desc")
    .orderBy(sql`rowid`, "desc")
    .limit(1),
);

/** The latest training status the caller recorded for the record (§5.1 check 2), or null. */
export async function latestCallerTrainingState(
  db: DbOrTrx,
  trainingRecordId: string,
  callerId: string,
): Promise<{ state: "active" | "deferred" | "withdrawn"; at: Date } | null> {
  const [row] = await latestStateQuery(db, trainingRecordId, callerId);
  return row ? { state: row.state, at: new Date(row.created_at) } : null;
}

const openStatementQuery = preparedQuery((db, leadProviderId: string, cohort: number, today: string) =>
  db
    .selectFrom("statements")
    .select("id")
    .where("lead_provider_id", "=", leadProviderId)
    .where("cohort", "=", cohort)
    .where("output_fee", "=", 1)
    .where("deadline_date", ">=", today)
    .limit(1),
);

/** The provider has an output-fee statement for the cohort with a deadline of `today` (YYYY-MM-DD) or later. */
export async function hasOpenOutputFeeStatement(
  db: DbOrTrx,
  leadProviderId: string,
  cohort: number,
  today: string,
): Promise<boolean> {
  const [row] = await openStatementQuery(db, leadProviderId, cohort, today);
  return row !== undefined;
}

// ---------------------------------------------------------------------------
// Slots and duplicates (§5.1 checks 8 and 10, §5.3)
// ---------------------------------------------------------------------------

const billableSlotQuery = preparedQuery((db, participantId: string, courseIdentifier: string, declarationType: string) =>
  db
    .selectFrom("declarations")
    .select("id")
    .where("participant_id", "=", participantId)
    .where("course_identifier", "=", courseIdentifier)
    .where("declaration_type", "=", declarationType)
    .where("billable", "=", 1)
    .limit(1),
);

/** A billable (submitted/eligible/payable/paid) declaration holds the person/course/type slot, by any provider. */
export async function billableSlotTaken(
  db: DbOrTrx,
  slot: { participantId: string; courseIdentifier: string; declarationType: string },
): Promise<boolean> {
  const [row] = await billableSlotQuery(db, slot.participantId, slot.courseIdentifier, slot.declarationType);
  return row !== undefined;
}

function identicalQuery(db: DbOrTrx, recordId: string, participantId: string, providerId: string, course: string, type: string, date: string) {
  return db
    .selectFrom("declarations")
    .select("state")
    .where("training_record_id", "=", recordId)
    .where("participant_id", "=", participantId)
    .where("lead_provider_id", "=", providerId)
    .where("course_identifier", "=", course)
    .where("declaration_type", "=", type)
    .where("declaration_date", "=", date)
    .where("billable", "=", 1)
    .limit(1);
}
const identicalWithoutEvidenceQuery = preparedQuery(
  (db, recordId: string, participantId: string, providerId: string, course: string, type: string, date: string) =>
    identicalQuery(db, recordId, participantId, providerId, course, type, date).where("evidence_held", "is", null),
);
const identicalWithEvidenceQuery = preparedQuery(
  (db, recordId: string, participantId: string, providerId: string, course: string, type: string, date: string, evidence: string) =>
    identicalQuery(db, recordId, participantId, providerId, course, type, date).where("evidence_held", "=", evidence),
);

/**
 * The state of a billable declaration identical to the request (same training
 * record, person, provider, course, type, date and evidence), as the live
 * `existing_declaration` finds it; null when none.
 */
export async function identicalBillableState(
  db: DbOrTrx,
  identical: {
    trainingRecordId: string;
    participantId: string;
    leadProviderId: string;
    courseIdentifier: string;
    declarationType: string;
    declarationDate: string;
    evidenceHeld: string | null;
  },
): Promise<DeclarationState | null> {
  const i = identical;
  const [row] =
    i.evidenceHeld === null
      ? await identicalWithoutEvidenceQuery(db, i.trainingRecordId, i.participantId, i.leadProviderId, i.courseIdentifier, i.declarationType, i.declarationDate)
      : await identicalWithEvidenceQuery(db, i.trainingRecordId, i.participantId, i.leadProviderId, i.courseIdentifier, i.declarationType, i.declarationDate, i.evidenceHeld);
  return row?.state ?? null;
}

const trnDuplicateQuery = preparedQuery((db, participantId: string, courseIdentifier: string, declarationType: string) =>
  db
    .selectFrom("declarations as d")
    .innerJoin("participants as other", "other.id", "d.participant_id")
    .innerJoin("participants as me", "me.teacher_reference_number", "other.teacher_reference_number")
    .select("d.id")
    .where("me.id", "=", participantId)
    .where("me.teacher_reference_number", "is not", null)
    .where(sql`other.id`, "!=", sql`me.id`)
    .where("d.course_identifier", "=", courseIdentifier)
    .where("d.declaration_type", "=", declarationType)
    .where("d.billable", "=", 1)
    .limit(1),
);

/**
 * Another person (different id) with the same non-null TRN holds a billable
 * declaration of the same type and course (§5.3 step 2).
 */
export async function trnDuplicateHoldsSlot(
  db: DbOrTrx,
  slot: { participantId: string; courseIdentifier: string; declarationType: string },
): Promise<boolean> {
  const [row] = await trnDuplicateQuery(db, slot.participantId, slot.courseIdentifier, slot.declarationType);
  return row !== undefined;
}

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

const insertDeclarationQuery = preparedQuery(
  (db, id: string, participantId: string, recordId: string, providerId: string, cohort: number, type: string, course: string, date: string, evidence: string | null, state: string, billable: number, createdAt: string, updatedAt: string) =>
    db.insertInto("declarations").values({
      id,
      participant_id: participantId,
      training_record_id: recordId,
      lead_provider_id: providerId,
      cohort,
      declaration_type: type,
      course_identifier: course,
      declaration_date: date,
      evidence_held: evidence,
      state: state as DeclarationState,
      billable: billable as 0 | 1,
      created_at: createdAt,
      updated_at: updatedAt,
    }),
);

export async function insertDeclaration(db: DbOrTrx, row: NewDeclaration): Promise<void> {
  await insertDeclarationQuery(db, row.id, row.participant_id, row.training_record_id, row.lead_provider_id, row.cohort, row.declaration_type, row.course_identifier, row.declaration_date, row.evidence_held ?? null, row.state, row.billable, row.created_at, row.updated_at);
}

const insertHistoryQuery = preparedQuery((db, id: string, declarationId: string, state: string, createdAt: string) =>
  db.insertInto("declaration_state_history").values({ id, declaration_id: declarationId, state: state as DeclarationState, created_at: createdAt }),
);

export async function insertStateHistory(
  db: DbOrTrx,
  row: { id: string; declaration_id: string; state: DeclarationState; created_at: string },
): Promise<void> {
  await insertHistoryQuery(db, row.id, row.declaration_id, row.state, row.created_at);
}

export async function updateDeclarationState(
  db: DbOrTrx,
  id: string,
  change: { state: DeclarationState; billable: 0 | 1; updated_at: string },
): Promise<void> {
  await db.updateTable("declarations").set(change).where("id", "=", id).execute();
}

export async function findDeclaration(db: DbOrTrx, id: string): Promise<Declaration | null> {
  return (await db.selectFrom("declarations").selectAll().where("id", "=", id).executeTakeFirst()) ?? null;
}

// ---------------------------------------------------------------------------
// What a provider sees (§2.2)
// ---------------------------------------------------------------------------

/**
 * Declarations visible to the caller: its own in every state, plus other
 * providers' billable ones on training records the caller trains now with an
 * induction status of active or completed.
 */
/**
 * The caller's records on which another provider may have declared: only a
 * record that moved to the caller (a transfer leaves a former-provider view)
 * can carry another provider's declarations. Most providers have none, and
 * their lists then read their own declarations straight off one index.
 */
async function transferredInRecordIds(db: DbOrTrx, callerId: string): Promise<string[]> {
  // Driven from the (small) former-provider views; `+` keeps SQLite off the
  // provider index, which would probe every one of the caller's records.
  const rows = await db
    .selectFrom("training_records as tr")
    .select("tr.id")
    .where("tr.id", "in", db.selectFrom("former_provider_views").select("training_record_id"))
    .where(sql`+tr.lead_provider_id`, "=", callerId)
    .where("tr.induction_status", "in", ["active", "completed"])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * §2.2: the caller's own declarations in every state, plus other providers'
 * billable declarations on records now training with the caller (active or
 * completed induction).
 */
export async function visibleDeclarations(db: DbOrTrx, callerId: string) {
  const transferredIn = await transferredInRecordIds(db, callerId);
  return db.selectFrom("declarations").where((eb) =>
    transferredIn.length === 0
      ? eb("declarations.lead_provider_id", "=", callerId)
      : eb.or([
          eb("declarations.lead_provider_id", "=", callerId),
          eb.and([eb("declarations.billable", "=", 1), eb("declarations.training_record_id", "in", transferredIn)]),
        ]),
  );
}

/** One visible declaration by id: the reference the read model is checked against. */
export async function findVisibleDeclaration(
  db: DbOrTrx,
  callerId: string,
  id: string,
  filter: DeclarationListFilter = { participantId: null, updatedAfter: null },
): Promise<Declaration | null> {
  return (await (await filtered(db, callerId, filter)).selectAll().where("declarations.id", "=", id).executeTakeFirst()) ?? null;
}

export interface DeclarationListFilter {
  participantId: string | null;
  /** strictly later than this instant (whole seconds; stored times are whole seconds) */
  updatedAfter: string | null;
}

async function filtered(db: DbOrTrx, callerId: string, filter: DeclarationListFilter) {
  let query = await visibleDeclarations(db, callerId);
  if (filter.participantId !== null) query = query.where("declarations.participant_id", "=", filter.participantId);
  if (filter.updatedAfter !== null) query = query.where("declarations.updated_at", ">", filter.updatedAfter);
  return query;
}

/** One page, ordered by creation time then insertion order: the reference the read model is checked against. */
export async function listDeclarationsPage(
  db: DbOrTrx,
  callerId: string,
  filter: DeclarationListFilter,
  page: { limit: number; offset: number },
): Promise<Declaration[]> {
  return (await filtered(db, callerId, filter))
    .selectAll()
    .orderBy("declarations.created_at")
    .orderBy(sql`declarations.rowid`)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export interface DeclarationCursor {
  createdAt: string;
  rowid: number;
}

/** The next batch's CSV lines (the definition's, resource.ts) after `after` (keyset on created_at, rowid), for streaming the CSV. */
export async function listDeclarationsBatch(
  db: DbOrTrx,
  callerId: string,
  filter: DeclarationListFilter,
  after: DeclarationCursor | null,
  limit: number,
): Promise<Array<{ created_at: string; rowid: number; csv: string }>> {
  let query = (await filtered(db, callerId, filter)).select([
    "declarations.created_at",
    sql<number>`declarations.rowid`.as("rowid"),
    sql<string>`${sql.raw(DeclarationResource.csvSql!)}`.as("csv"),
  ]);
  if (after) {
    // a row-value comparison lets SQLite seek straight into the (provider, created_at) index
    query = query.where(sql<boolean>`(declarations.created_at, declarations.rowid) > (${after.createdAt}, ${after.rowid})`);
  }
  return query.orderBy("declarations.created_at").orderBy(sql`declarations.rowid`).limit(limit).execute();
}

/** The training record's `completed` declarations, for the mentor completion date (rules.ts). */
export async function completedDeclarations(db: DbOrTrx, trainingRecordId: string) {
  return db
    .selectFrom("declarations")
    .select(["state", "declaration_date"])
    .where("training_record_id", "=", trainingRecordId)
    .where("declaration_type", "=", "completed")
    .execute();
}
