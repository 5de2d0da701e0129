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
 * ParticipantFilters as the SQL takes them: the cohorts as a JSON array (one
 * parameter, whatever their number), the training status as one of the
 * conditions query.rb knows (any other text: `none`, which matches nothing),
 * the instant as stored text (`…Z`).
 */
export interface SqlFilters {
  cohortsJson: string | null;
  trainingStatus: "withdrawn" | "deferred" | "active" | "none" | null;
  fromParticipantId: string | null;
  updatedSince: string | null;
}

export function sqlFilters(filters: ParticipantFilters): SqlFilters {
  const status = filters.trainingStatus;
  return {
    cohortsJson: filters.cohorts === null ? null : JSON.stringify(filters.cohorts),
    trainingStatus: status === null ? null : status === "withdrawn" || status === "deferred" || status === "active" ? status : "none",
    fromParticipantId: filters.fromParticipantId,
    updatedSince: filters.updatedSince === null ? null : toTimestamp(filters.updatedSince),
  };
}

/** What the filters read, per role (`e`, `m`) and of the teacher: the live joins' columns, or the read model's stored ones. */
export interface FilterColumns {
  /** a training period of the role with the caller (a condition) */
  present: (p: "e" | "m") => RawBuilder<unknown>;
  cohort: (p: "e" | "m") => RawBuilder<unknown>;
  withdrawn: (p: "e" | "m") => RawBuilder<unknown>;
  deferred: (p: "e" | "m") => RawBuilder<unknown>;
  teacherId: RawBuilder<unknown>;
  updatedAt: RawBuilder<unknown>;
}

/** query.rb:69-125 as SQL conditions over `c`. */
export function filterConditions(filters: SqlFilters, c: FilterColumns): RawBuilder<boolean>[] {
  const either = (condition: (p: "e" | "m") => RawBuilder<unknown>) => sql<boolean>`(${condition("e")} OR ${condition("m")})`;
  const conditions: RawBuilder<boolean>[] = [];
  if (filters.cohortsJson !== null) {
    const years = sql`(SELECT value FROM json_each(${filters.cohortsJson}))`;
    conditions.push(either((p) => sql`${c.cohort(p)} IN ${years}`));
  }
  const status = filters.trainingStatus;
  if (status === "withdrawn") conditions.push(either(c.withdrawn));
  if (status === "deferred") conditions.push(either(c.deferred));
  if (status === "active") conditions.push(either((p) => sql`(${c.present(p)} AND NOT ${c.withdrawn(p)} AND NOT ${c.deferred(p)})`));
  if (status === "none") conditions.push(sql<boolean>`0`);
  if (filters.fromParticipantId !== null) {
    conditions.push(sql<boolean>`EXISTS (SELECT 1 FROM rect_teacher_id_changes AS ch WHERE ch.teacher_id = ${c.teacherId} AND ch.api_from_teacher_id = ${filters.fromParticipantId})`);
  }
  if (filters.updatedSince !== null) conditions.push(sql<boolean>`${c.updatedAt} >= ${filters.updatedSince}`);
  return conditions;
}

/** The live joins' columns (candidates below). */
const LIVE_COLUMNS: FilterColumns = {
  present: (p) => sql`${sql.ref(`${p}tp.id`)} IS NOT NULL`,
  cohort: (p) => sql.ref(`${p}alp.contract_period_year`),
  withdrawn: (p) => sql`${sql.ref(`${p}tp.withdrawn_at`)} IS NOT NULL`,
  deferred: (p) => sql`${sql.ref(`${p}tp.deferred_at`)} IS NOT NULL`,
  teacherId: sql.ref("te.id"),
  updatedAt: sql.ref("te.api_updated_at"),
};

/**
 * The latest (greatest `started_on`) training period of one role of a
 * teacher with a lead provider: the period's school partnership is the
 * provider's, any cohort or state (metadata/handlers/teacher.rb:65-90,
 * `DISTINCT ON (lead_provider_id) … ORDER BY started_on DESC`, no tie-breaker
 * in RECT; here the later id). Correlated, so a page reads only the teachers
 * it walks past (indexes rect_{role}_at_school_periods_by_teacher,
 * rect_training_periods_by_{role}).
 */
export const latestOf = (role: "ect" | "mentor", teacherId: RawBuilder<unknown>, leadProviderId: RawBuilder<unknown> | number) => sql<number | null>`(SELECT tp.id
  FROM ${sql.table(`rect_${role}_at_school_periods`)} AS x
  JOIN rect_training_periods AS tp ON tp.${sql.ref(`${role}_at_school_period_id`)} = x.id
  JOIN rect_school_partnerships AS sp ON sp.id = tp.school_partnership_id
  JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
  JOIN rect_active_lead_providers AS alp ON alp.id = lpdp.active_lead_provider_id
  WHERE x.teacher_id = ${teacherId} AND alp.lead_provider_id = ${leadProviderId}
  ORDER BY tp.started_on DESC, tp.id DESC LIMIT 1)`;

/**
 * The tables participantResource reads besides `te`, per role `p` (`e`, `m`),
 * from the role's training period `tpId` (resource.ts names the aliases):
 * `[table, alias, column, equals]`, each a LEFT JOIN.
 */
export function documentJoins(ectTpId: string, mentorTpId: string): [string, string, string, string][] {
  return (
    [
      ["e", "ect", ectTpId],
      ["m", "mentor", mentorTpId],
    ] as const
  ).flatMap(([p, role, tpId]): [string, string, string, string][] => [
    ["rect_training_periods", `${p}tp`, `${p}tp.id`, tpId],
    [`rect_${role}_at_school_periods`, `${p}as`, `${p}as.id`, `${p}tp.${role}_at_school_period_id`],
    ["rect_school_partnerships", `${p}sp`, `${p}sp.id`, `${p}tp.school_partnership_id`],
    ["rect_lead_provider_delivery_partnerships", `${p}lpdp`, `${p}lpdp.id`, `${p}sp.lead_provider_delivery_partnership_id`],
    ["rect_active_lead_providers", `${p}alp`, `${p}alp.id`, `${p}lpdp.active_lead_provider_id`],
    ["rect_contract_periods", `${p}cp`, `${p}cp.year`, `${p}alp.contract_period_year`],
    ["rect_schools", `${p}sc`, `${p}sc.id`, `${p}sp.school_id`],
    ["rect_delivery_partners", `${p}dp`, `${p}dp.id`, `${p}lpdp.delivery_partner_id`],
    ["rect_schedules", `${p}sch`, `${p}sch.id`, `${p}tp.schedule_id`],
  ]);
}

/**
 * The caller's participants, one row per teacher (alias `te`: the teacher's
 * columns plus `ect_tp_id` and `mentor_tp_id`, its latest training periods of
 * each role with the caller) and, per role, the period's partnership and
 * cohort (`etp`…`ealp`, `mtp`…`malp`), which the filters read.
 */
function candidates(db: DbOrTrx, leadProviderId: number) {
  const teachers = db
    .selectFrom("rect_teachers as t0")
    .selectAll("t0")
    .select([latestOf("ect", sql`t0.id`, leadProviderId).as("ect_tp_id"), latestOf("mentor", sql`t0.id`, leadProviderId).as("mentor_tp_id")]);
  let q: any = db.selectFrom(teachers.as("te"));
  for (const [p, tpId] of [
    ["e", "te.ect_tp_id"],
    ["m", "te.mentor_tp_id"],
  ] as const) {
    q = q
      .leftJoin(`rect_training_periods as ${p}tp`, `${p}tp.id`, tpId)
      .leftJoin(`rect_school_partnerships as ${p}sp`, `${p}sp.id`, `${p}tp.school_partnership_id`)
      .leftJoin(`rect_lead_provider_delivery_partnerships as ${p}lpdp`, `${p}lpdp.id`, `${p}sp.lead_provider_delivery_partnership_id`)
      .leftJoin(`rect_active_lead_providers as ${p}alp`, `${p}alp.id`, `${p}lpdp.active_lead_provider_id`);
  }
  return q.where(sql<boolean>`(te.ect_tp_id IS NOT NULL OR te.mentor_tp_id IS NOT NULL)`).select(["te.id as teacher_id", "te.ect_tp_id as ect_tp_id", "te.mentor_tp_id as mentor_tp_id"]);
}

/**
 * The documents of participantResource for the rows `page` selected (a CTE of
 * teacher_id, ect_tp_id, mentor_tp_id), with the aliases resource.ts reads:
 * rendering happens for those rows only, never for the rows a page skips.
 */
function rendered(db: DbOrTrx, page: any, params: ParticipantSqlParams) {
  // CROSS JOIN keeps the page as the outer loop (SQLite does not reorder it): else the planner may walk
  // every teacher in the sort's index and look each up in the page
  let q: any = (db as any)
    .with("page", () => page)
    .selectFrom("page as l")
    .crossJoin("rect_teachers as te")
    .whereRef("te.id", "=", "l.teacher_id");
  for (const [table, alias, column, equals] of documentJoins("l.ect_tp_id", "l.mentor_tp_id")) q = q.leftJoin(`${table} as ${alias}`, column, equals);
  return q.select(participantResource.documentSql(params).as("document"));
}

const order = (q: any, sort: SortPart[] | null) => {
  for (const part of sort ?? [{ attribute: "created_at", direction: "asc" as const }]) q = q.orderBy(TEACHER_SORT_COLUMNS[part.attribute]!, part.direction);
  return q.orderBy("te.id");
};

/**
 * The live rendering: the joined query over the RECT tables, built per call. The
 * API answers from the read model (read-model.ts), which
 * test/reliability/v3-read-model.test.ts holds to this, byte for byte.
 */
export async function liveParticipantDocuments(db: DbOrTrx, params: ParticipantSqlParams, filters: ParticipantFilters, sort: SortPart[] | null, page: Page): Promise<string[]> {
  let q = candidates(db, params.leadProviderId);
  for (const condition of filterConditions(sqlFilters(filters), LIVE_COLUMNS)) q = q.where(condition);
  const selected = order(q, sort).limit(page.limit).offset(page.offset);
  const rows: { document: string }[] = await order(rendered(db, selected, params), sort).execute();
  return rows.map((r) => r.document);
}

export async function liveParticipantDocument(db: DbOrTrx, params: ParticipantSqlParams, apiId: string): Promise<string | undefined> {
  const row: { document: string } | undefined = await rendered(db, candidates(db, params.leadProviderId).where("te.api_id", "=", apiId), params).executeTakeFirst();
  return row?.document;
}
