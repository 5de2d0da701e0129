/**
 * The test oracle of the participant: the straightforward reading (the joined
 * rows, who sees which: docs/reference/business-rules.md §2.1, §4.1, §4.4) and rendering (in
 * TypeScript: JSON:API resource and CSV line, §4.2, §4.5) that production
 * once also used. Production has one renderer and one visibility rule, the
 * read model (src/modules/participants/read-model.ts, from the definition in
 * resource.ts); test/reliability/read-model.test.ts holds it to this file
 * byte for byte.
 */
import { type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "../../db/connection";
import { preparedQuery } from "../../db/prepared";
import type { ParticipantFilter } from "../../src/modules/participants/queries";
import { inductionStatusToStatus } from "../../src/modules/participants/rules";

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

/**
 * The columns that depend on whose view of the record is read: `tr` the
 * record itself (its provider now), `fv` a former provider's last view; then
 * the sort keys (`view_seq` null on the record itself).
 */
function viewColumns(v: "tr" | "fv") {
  const column = <T, A extends string>(name: string, as: A) => sql<T>`${sql.ref(`${v}.${name}`)}`.as(as);
  return [
    column<string | null, "mentor_id">("mentor_id", "mentor_id"),
    column<string, "school_urn">("school_urn", "school_urn"),
    column<string, "induction_status">("induction_status", "induction_status"),
    column<ParticipantRow["training_status"], "training_status">("training_status", "training_status"),
    column<string, "view_updated_at">("updated_at", "view_updated_at"),
    sql<number>`p.rowid`.as("participant_seq"),
    sql<number>`tr.rowid`.as("record_seq"),
    (v === "fv" ? sql<number | null>`fv.rowid` : sql<number | null>`null`).as("view_seq"),
  ];
}

/** The records the provider trains now: their current state. */
function currentRecords(db: Db, filter: ParticipantFilter) {
  const q = db
    .selectFrom("training_records as tr")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "tr.schedule_id")
    .select([...PERSON_AND_RECORD_COLUMNS, ...viewColumns("tr")]);
  return filtered(q, filter);
}

/** The records the provider trained before a transfer: as its last view of them left them. */
function formerRecords(db: Db, filter: ParticipantFilter) {
  const q = db
    .selectFrom("former_provider_views as fv")
    .innerJoin("training_records as tr", "tr.id", "fv.training_record_id")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "fv.schedule_id")
    .select([...PERSON_AND_RECORD_COLUMNS, ...viewColumns("fv")]);
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
  const sortKey = byUpdate ? "participant_updated_at" : "participant_created_at";
  /** A branch's key columns: `tr` the records themselves, `fv` the former views (their copies of the person's sort keys). */
  const keyColumns = (v: "tr" | "fv") => [
    sql<0 | 1>`${sql.lit(v === "fv" ? 1 : 0)}`.as("former"),
    sql<number>`${sql.ref(`${v}.rowid`)}`.as("rowid"),
    sql<string>`${sql.ref(`${v}.${sortKey}`)}`.as(sortKey),
    sql<number>`${sql.ref(`${v}.participant_seq`)}`.as("participant_seq"),
    sql<string>`${sql.ref(`${v}.schedule_id`)}`.as("schedule_id"),
  ];
  let current = db.selectFrom("training_records as tr").select(keyColumns("tr")).where("tr.lead_provider_id", "=", providerId);
  let former = db
    .selectFrom("former_provider_views as fv")
    .select(keyColumns("fv"))
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
// The rendering
// ---------------------------------------------------------------------------


const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

function latest(...stamps: string[]): string {
  return stamps.reduce((a, b) => (b > a ? b : a));
}

/** The participant attributes in the live order (docs/reference/business-rules.md §4.2). */
export function participantAttributes(row: ParticipantRow) {
  return {
    email: row.email,
    full_name: row.full_name,
    mentor_id: row.participant_type === "ect" ? row.mentor_id : null,
    school_urn: row.school_urn,
    participant_type: row.participant_type,
    cohort: String(row.cohort),
    status: inductionStatusToStatus(row.induction_status as any),
    teacher_reference_number: row.teacher_reference_number,
    teacher_reference_number_validated: row.teacher_reference_number === null ? null : row.teacher_reference_number_validated === 1,
    eligible_for_funding: bool(row.eligible_for_funding),
    pupil_premium_uplift: row.pupil_premium_uplift === 1,
    sparsity_uplift: row.sparsity_uplift === 1,
    training_status: row.training_status,
    training_record_id: row.training_record_id,
    schedule_identifier: row.schedule_identifier,
    updated_at: latest(row.participant_updated_at, row.record_updated_at, row.view_updated_at),
  };
}

export function participantResource(row: ParticipantRow) {
  return { id: row.participant_id, type: "participant", attributes: participantAttributes(row) };
}

export const PARTICIPANT_CSV_HEADER = [
  "id",
  "email",
  "full_name",
  "mentor_id",
  "school_urn",
  "participant_type",
  "cohort",
  "status",
  "teacher_reference_number",
  "teacher_reference_number_validated",
  "eligible_for_funding",
  "pupil_premium_uplift",
  "sparsity_uplift",
  "training_status",
  "training_record_id",
  "schedule_identifier",
  "updated_at",
] as const;

export function participantCsvValues(row: ParticipantRow): unknown[] {
  const a = participantAttributes(row);
  return [row.participant_id, ...Object.values(a)];
}

/** A free-text cell: quoted only when it holds a comma, a quote or a line break; null → `""` (§4.5). */
function text(value: string | null): string {
  if (value === null || value === "") return '""';
  if (value.includes(",") || value.includes('"') || value.includes("\n") || value.includes("\r")) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

const flag = (v: number | null): string => (v === null ? '""' : v === 1 ? "true" : "false");

/**
 * One CSV line, written straight from the row: ids, enums, years and
 * timestamps never need quoting, so only the free-text cells are checked.
 * Equal to `csvRow(participantCsvValues(row))` (a test holds them together).
 */
export function participantCsvLine(row: ParticipantRow): string {
  const ect = row.participant_type === "ect";
  const updated = latest(row.participant_updated_at, row.record_updated_at, row.view_updated_at);
  return `${row.participant_id},${text(row.email)},${text(row.full_name)},${ect && row.mentor_id ? row.mentor_id : '""'},${text(row.school_urn)},${row.participant_type},${row.cohort},${inductionStatusToStatus(row.induction_status as any)},${text(row.teacher_reference_number)},${row.teacher_reference_number === null ? '""' : flag(row.teacher_reference_number_validated)},${flag(row.eligible_for_funding)},${flag(row.pupil_premium_uplift)},${flag(row.sparsity_uplift)},${row.training_status},${row.training_record_id},${text(row.schedule_identifier)},${updated}\n`;
}
