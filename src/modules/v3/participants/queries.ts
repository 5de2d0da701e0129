/**
 * The participants' SQL (docs/reference/rect/rules.md §6): the caller's latest
 * ECT and mentor training periods per teacher (§5.9, metadata/handlers/teacher.rb:65-90),
 * and the documents of participantResource over them.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page, SortPart } from "../http/params";
import { type ParticipantSqlParams, participantResource } from "./resource";

/** `sort` on Teacher's columns that the replica stores (orderable.rb:27; `updated_at` is `api_updated_at`). */
export const TEACHER_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = {
  id: sql`te.id`,
  api_id: sql`te.api_id`,
  trn: sql`te.trn`,
  trs_first_name: sql`te.trs_first_name`,
  trs_last_name: sql`te.trs_last_name`,
  corrected_name: sql`te.corrected_name`,
  api_ect_training_record_id: sql`te.api_ect_training_record_id`,
  api_mentor_training_record_id: sql`te.api_mentor_training_record_id`,
  ect_first_became_eligible_for_training_at: sql`te.ect_first_became_eligible_for_training_at`,
  ect_became_ineligible_for_funding_on: sql`te.ect_became_ineligible_for_funding_on`,
  mentor_first_became_eligible_for_training_at: sql`te.mentor_first_became_eligible_for_training_at`,
  mentor_became_ineligible_for_funding_on: sql`te.mentor_became_ineligible_for_funding_on`,
  mentor_became_ineligible_for_funding_reason: sql`te.mentor_became_ineligible_for_funding_reason`,
  ect_payments_frozen_year: sql`te.ect_payments_frozen_year`,
  mentor_payments_frozen_year: sql`te.mentor_payments_frozen_year`,
  trs_induction_start_date: sql`te.trs_induction_start_date`,
  trs_induction_completed_date: sql`te.trs_induction_completed_date`,
  created_at: sql`te.created_at`,
  updated_at: sql`te.updated_at`,
  api_updated_at: sql`te.api_updated_at`,
  api_unfunded_mentor_updated_at: sql`te.api_unfunded_mentor_updated_at`,
};

export interface ParticipantFilters {
  /** null: not applied; []: nothing */
  cohorts: number[] | null;
  /** null: not applied; any other text than the three matches nothing */
  trainingStatus: string | null;
  /** null: not applied; "" (not a UUID): nothing */
  fromParticipantId: string | null;
  updatedSince: Date | null;
}

/**
 * Per teacher the caller trains: the latest (greatest `started_on`) training
 * period of each role whose school partnership is the caller's, any cohort or
 * state (`DISTINCT ON (lead_provider_id) … ORDER BY started_on DESC`, no
 * tie-breaker in RECT; here the later id).
 */
function latest(db: DbOrTrx, leadProviderId: number) {
  return db
    .with("caller_tp", (w) =>
      w
        .selectFrom("rect_training_periods as tp")
        .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
        .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
        .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
        .leftJoin("rect_ect_at_school_periods as ea", "ea.id", "tp.ect_at_school_period_id")
        .leftJoin("rect_mentor_at_school_periods as ma", "ma.id", "tp.mentor_at_school_period_id")
        .where("alp.lead_provider_id", "=", leadProviderId)
        .select([
          "tp.id as id",
          sql<number>`COALESCE(ea.teacher_id, ma.teacher_id)`.as("teacher_id"),
          sql<string>`CASE WHEN tp.ect_at_school_period_id IS NOT NULL THEN 'ect' ELSE 'mentor' END`.as("role"),
          sql<number>`ROW_NUMBER() OVER (PARTITION BY COALESCE(ea.teacher_id, ma.teacher_id), tp.ect_at_school_period_id IS NULL ORDER BY tp.started_on DESC, tp.id DESC)`.as("rn"),
        ]),
    )
    .with("latest", (w) =>
      w
        .selectFrom("caller_tp")
        .where("rn", "=", 1)
        .groupBy("teacher_id")
        .select(["teacher_id", sql<number | null>`MAX(CASE WHEN role = 'ect' THEN id END)`.as("ect_tp_id"), sql<number | null>`MAX(CASE WHEN role = 'mentor' THEN id END)`.as("mentor_tp_id")]),
    );
}

/** The caller's participants with the aliases participantResource reads (resource.ts). */
function participants(db: DbOrTrx, params: ParticipantSqlParams) {
  let q: any = latest(db, params.leadProviderId).selectFrom("latest as l").innerJoin("rect_teachers as te", "te.id", "l.teacher_id");
  for (const [p, role, tpId] of [
    ["e", "ect", "l.ect_tp_id"],
    ["m", "mentor", "l.mentor_tp_id"],
  ] as const) {
    q = q
      .leftJoin(`rect_training_periods as ${p}tp`, `${p}tp.id`, tpId)
      .leftJoin(`rect_${role}_at_school_periods as ${p}as`, `${p}as.id`, `${p}tp.${role}_at_school_period_id`)
      .leftJoin(`rect_school_partnerships as ${p}sp`, `${p}sp.id`, `${p}tp.school_partnership_id`)
      .leftJoin(`rect_lead_provider_delivery_partnerships as ${p}lpdp`, `${p}lpdp.id`, `${p}sp.lead_provider_delivery_partnership_id`)
      .leftJoin(`rect_active_lead_providers as ${p}alp`, `${p}alp.id`, `${p}lpdp.active_lead_provider_id`)
      .leftJoin(`rect_contract_periods as ${p}cp`, `${p}cp.year`, `${p}alp.contract_period_year`)
      .leftJoin(`rect_schools as ${p}sc`, `${p}sc.id`, `${p}sp.school_id`)
      .leftJoin(`rect_delivery_partners as ${p}dp`, `${p}dp.id`, `${p}lpdp.delivery_partner_id`)
      .leftJoin(`rect_schedules as ${p}sch`, `${p}sch.id`, `${p}tp.schedule_id`);
  }
  return q.select(participantResource.documentSql(params).as("document"));
}

/** query.rb:69-125 as SQL conditions. */
function filtered(q: any, filters: ParticipantFilters) {
  if (filters.cohorts !== null) {
    const years = filters.cohorts;
    q = years.length === 0 ? q.where(sql<boolean>`0`) : q.where(sql<boolean>`(ealp.contract_period_year IN (${sql.join(years)}) OR malp.contract_period_year IN (${sql.join(years)}))`);
  }
  if (filters.trainingStatus !== null) {
    const condition =
      filters.trainingStatus === "withdrawn"
        ? sql`(etp.withdrawn_at IS NOT NULL OR mtp.withdrawn_at IS NOT NULL)`
        : filters.trainingStatus === "deferred"
          ? sql`(etp.deferred_at IS NOT NULL OR mtp.deferred_at IS NOT NULL)`
          : filters.trainingStatus === "active"
            ? sql`((etp.id IS NOT NULL AND etp.withdrawn_at IS NULL AND etp.deferred_at IS NULL) OR (mtp.id IS NOT NULL AND mtp.withdrawn_at IS NULL AND mtp.deferred_at IS NULL))`
            : sql`0`;
    q = q.where(sql<boolean>`${condition}`);
  }
  if (filters.fromParticipantId !== null) {
    const id = filters.fromParticipantId;
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM rect_teacher_id_changes AS c WHERE c.teacher_id = te.id AND c.api_from_teacher_id = ${id})`);
  }
  if (filters.updatedSince !== null) q = q.where("te.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  return q;
}

export async function participantDocuments(db: DbOrTrx, params: ParticipantSqlParams, filters: ParticipantFilters, sort: SortPart[] | null, page: Page): Promise<string[]> {
  let q = filtered(participants(db, params), filters);
  for (const part of sort ?? [{ attribute: "created_at", direction: "asc" as const }]) q = q.orderBy(TEACHER_SORT_COLUMNS[part.attribute]!, part.direction);
  const rows: { document: string }[] = await q.orderBy("te.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function participantDocument(db: DbOrTrx, params: ParticipantSqlParams, apiId: string): Promise<string | undefined> {
  const row: { document: string } | undefined = await participants(db, params).where("te.api_id", "=", apiId).executeTakeFirst();
  return row?.document;
}
