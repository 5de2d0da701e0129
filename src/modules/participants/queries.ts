import { type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "../../../db/connection";
import type { Database } from "../../../db/schema";

/**
 * One visible training record as the caller sees it: its current provider's
 * state when the caller is that provider, or the caller's own last view of it
 * after a transfer (business-rules §2.1).
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
}

export interface ParticipantFilter {
  cohorts: number[] | null;
  updatedSince: string | null;
  participantId?: string;
}

type Query = SelectQueryBuilder<any, any, ParticipantRow>;

function currentRecords(db: Db, providerId: string, filter: ParticipantFilter) {
  let q = db
    .selectFrom("training_records as tr")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "tr.schedule_id")
    .select([
      "p.id as participant_id",
      "p.email",
      "p.full_name",
      "tr.mentor_id",
      "tr.school_urn",
      "tr.participant_type",
      "s.cohort",
      "tr.induction_status",
      "p.teacher_reference_number",
      "p.teacher_reference_number_validated",
      "tr.eligible_for_funding",
      "tr.pupil_premium_uplift",
      "tr.sparsity_uplift",
      "tr.training_status",
      "tr.id as training_record_id",
      "s.identifier as schedule_identifier",
      "p.updated_at as participant_updated_at",
      "tr.updated_at as record_updated_at",
      "tr.updated_at as view_updated_at",
      "p.created_at as participant_created_at",
      sql<number>`p.rowid`.as("participant_seq"),
      sql<number>`tr.rowid`.as("record_seq"),
    ])
    .where("tr.lead_provider_id", "=", providerId);
  if (filter.participantId) q = q.where("p.id", "=", filter.participantId);
  if (filter.cohorts) q = q.where("s.cohort", "in", filter.cohorts.length ? filter.cohorts : [-1]);
  if (filter.updatedSince) q = q.where("p.updated_at", ">=", filter.updatedSince);
  return q;
}

function formerRecords(db: Db, providerId: string, filter: ParticipantFilter) {
  let q = db
    .selectFrom("former_provider_views as fv")
    .innerJoin("training_records as tr", "tr.id", "fv.training_record_id")
    .innerJoin("participants as p", "p.id", "tr.participant_id")
    .innerJoin("schedules as s", "s.id", "fv.schedule_id")
    .select([
      "p.id as participant_id",
      "p.email",
      "p.full_name",
      "fv.mentor_id",
      "fv.school_urn",
      "tr.participant_type",
      "s.cohort",
      "fv.induction_status",
      "p.teacher_reference_number",
      "p.teacher_reference_number_validated",
      "tr.eligible_for_funding",
      "tr.pupil_premium_uplift",
      "tr.sparsity_uplift",
      "fv.training_status",
      "tr.id as training_record_id",
      "s.identifier as schedule_identifier",
      "p.updated_at as participant_updated_at",
      "tr.updated_at as record_updated_at",
      "fv.updated_at as view_updated_at",
      "p.created_at as participant_created_at",
      sql<number>`p.rowid`.as("participant_seq"),
      sql<number>`tr.rowid`.as("record_seq"),
    ])
    .where("fv.lead_provider_id", "=", providerId);
  if (filter.participantId) q = q.where("p.id", "=", filter.participantId);
  if (filter.cohorts) q = q.where("s.cohort", "in", filter.cohorts.length ? filter.cohorts : [-1]);
  if (filter.updatedSince) q = q.where("p.updated_at", ">=", filter.updatedSince);
  return q;
}

/**
 * Every training record the provider sees, in the live order: by the
 * person's creation time, or by the person's update time when filtering on
 * `updated_since` (business-rules §4.4); rowids break ties.
 */
export function visibleParticipantRows(db: Db, providerId: string, filter: ParticipantFilter): Query {
  const union = currentRecords(db, providerId, filter).unionAll(formerRecords(db, providerId, filter));
  const q = db.selectFrom(union.as("v")).selectAll() as unknown as Query;
  return (filter.updatedSince
    ? q.orderBy("participant_updated_at").orderBy("participant_seq")
    : q.orderBy("participant_created_at").orderBy("participant_seq")
  ).orderBy("record_seq");
}

export async function listParticipantRows(db: Db, providerId: string, filter: ParticipantFilter, page: number, perPage: number) {
  return visibleParticipantRows(db, providerId, filter)
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
}

/** The person's visible records; the caller picks the ECT one (business-rules §4.1). */
export async function participantRowsFor(db: Db, providerId: string, participantId: string, filter: ParticipantFilter) {
  return visibleParticipantRows(db, providerId, { ...filter, participantId }).execute();
}

export type { Database };
