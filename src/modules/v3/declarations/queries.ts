/**
 * Every SQL statement of the v3 declarations feature (docs/reference/rect/rules.md §10):
 * the caller's visible set (app/services/api/declarations/query.rb:50-113),
 * the facts POST checks read (app/services/api/declarations/create.rb), and the writes
 * of a create, a void and a clawback.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page } from "../http/params";
import { declarationResource } from "./resource";

export interface DeclarationFilters {
  /** null: not applied; []: nothing */
  cohorts: number[] | null;
  participantIds: string[] | null;
  deliveryPartnerIds: string[] | null;
  updatedSince: Date | null;
}

/**
 * The `finished_on` (or `9999-12-31` when open) of the caller's latest training period
 * of the declaration's role for its teacher (`metadata_teachers_lead_providers.latest_*_training_period`,
 * app/services/metadata/handlers/teacher.rb:65-91: greatest `started_on`); null when the
 * caller has none. Reads `tp` and `tt`.
 */
function callerLatestEnd(leadProviderId: number): RawBuilder<string | null> {
  return sql<string | null>`(SELECT COALESCE(x.finished_on, '9999-12-31') FROM rect_training_periods x
    JOIN rect_school_partnerships xsp ON xsp.id = x.school_partnership_id
    JOIN rect_lead_provider_delivery_partnerships xl ON xl.id = xsp.lead_provider_delivery_partnership_id
    JOIN rect_active_lead_providers xa ON xa.id = xl.active_lead_provider_id
    WHERE xa.lead_provider_id = ${leadProviderId}
      AND CASE WHEN tp.ect_at_school_period_id IS NOT NULL
        THEN x.ect_at_school_period_id IN (SELECT xe.id FROM rect_ect_at_school_periods xe WHERE xe.teacher_id = tt.id)
        ELSE x.mentor_at_school_period_id IN (SELECT xm.id FROM rect_mentor_at_school_periods xm WHERE xm.teacher_id = tt.id) END
    ORDER BY x.started_on DESC, x.id DESC LIMIT 1)`;
}

/** Declarations with every alias resource.ts reads. */
function declarationRows(db: DbOrTrx) {
  return db
    .selectFrom("rect_declarations as d")
    .innerJoin("rect_training_periods as tp", "tp.id", "d.training_period_id")
    .leftJoin("rect_ect_at_school_periods as ea", "ea.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as ma", "ma.id", "tp.mentor_at_school_period_id")
    .innerJoin("rect_teachers as tt", (j) => j.on(sql<boolean>`tt.id = COALESCE(ea.teacher_id, ma.teacher_id)`))
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .innerJoin("rect_lead_providers as lp", "lp.id", "alp.lead_provider_id")
    .innerJoin("rect_delivery_partners as dp", "dp.id", "d.delivery_partner_when_created_id")
    .leftJoin("rect_statements as ps", "ps.id", "d.payment_statement_id")
    .leftJoin("rect_statements as cs", "cs.id", "d.clawback_statement_id")
    .leftJoin("rect_mentorship_periods as msp", "msp.id", "d.mentorship_period_id")
    .leftJoin("rect_mentor_at_school_periods as mma", "mma.id", "msp.mentor_at_school_period_id")
    .leftJoin("rect_teachers as mt", "mt.id", "mma.teacher_id");
}

/**
 * The set a provider sees (query.rb:99-112): its own declarations, and a previous
 * provider's billable-or-changeable ones of the same teacher and role dated on or before
 * the end of the caller's latest training period of that role (timestamp ≤ 00:00 UTC of
 * that day: a PostgreSQL timestamp against a date). Both need that latest period.
 */
function visibleDeclarations(db: DbOrTrx, leadProviderId: number) {
  return declarationRows(db)
    .select(declarationResource.documentSql().as("document"))
    .where(
      sql<boolean>`(alp.lead_provider_id = ${leadProviderId} OR (d.payment_status IN ('no_payment', 'eligible', 'payable', 'paid') AND d.clawback_status = 'no_clawback'
        AND d.declaration_date <= ${callerLatestEnd(leadProviderId)} || 'T00:00:00Z'))`,
    );
}

/** One page, `created_at` ascending (query.rb:14; RECT has no tie-breaker, ours is the row's age). */
export async function declarationDocuments(db: DbOrTrx, leadProviderId: number, filters: DeclarationFilters, page: Page): Promise<string[]> {
  let query = visibleDeclarations(db, leadProviderId);
  const none = sql<boolean>`0`;
  // query.rb:122-146: an empty list (every item dropped) matches nothing
  if (filters.cohorts !== null) query = filters.cohorts.length ? query.where("alp.contract_period_year", "in", filters.cohorts) : query.where(none);
  if (filters.participantIds !== null) query = filters.participantIds.length ? query.where("tt.api_id", "in", filters.participantIds) : query.where(none);
  if (filters.deliveryPartnerIds !== null) query = filters.deliveryPartnerIds.length ? query.where("dp.api_id", "in", filters.deliveryPartnerIds) : query.where(none);
  if (filters.updatedSince !== null) query = query.where("d.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  const rows = await query.orderBy("d.created_at").orderBy("d.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function declarationDocument(db: DbOrTrx, leadProviderId: number, apiId: string): Promise<string | undefined> {
  return (await visibleDeclarations(db, leadProviderId).where("d.api_id", "=", apiId).executeTakeFirst())?.document;
}

// ---- POST: the facts create.rb reads (docs/reference/rect/rules.md §10.5) ----

export interface TeacherRow {
  id: number;
  api_id: string;
  ect_first_became_eligible_for_training_at: string | null;
  mentor_first_became_eligible_for_training_at: string | null;
  mentor_became_ineligible_for_funding_on: string | null;
  mentor_became_ineligible_for_funding_reason: string | null;
}

export async function teacherByApiId(db: DbOrTrx, apiId: string): Promise<TeacherRow | undefined> {
  return db
    .selectFrom("rect_teachers")
    .select(["id", "api_id", "ect_first_became_eligible_for_training_at", "mentor_first_became_eligible_for_training_at", "mentor_became_ineligible_for_funding_on", "mentor_became_ineligible_for_funding_reason"])
    .where("api_id", "=", apiId)
    .executeTakeFirst();
}

/** The teacher's training periods of a role (teacher.ect_training_periods / mentor_training_periods). */
function roleTrainingPeriods(db: DbOrTrx, teacherId: number, role: "ect" | "mentor") {
  const base = db.selectFrom("rect_training_periods as tp");
  return role === "ect"
    ? base.innerJoin("rect_ect_at_school_periods as asp", "asp.id", "tp.ect_at_school_period_id").where("asp.teacher_id", "=", teacherId)
    : base.innerJoin("rect_mentor_at_school_periods as asp", "asp.id", "tp.mentor_at_school_period_id").where("asp.teacher_id", "=", teacherId);
}

export interface LatestTraining {
  id: number;
  is_ect: number;
  at_school_period_id: number;
  at_school_finished_on: string | null;
  school_id: number;
  school_partnership_id: number;
  started_on: string;
  finished_on: string | null;
  withdrawn_at: string | null;
  deferred_at: string | null;
  schedule_id: number | null;
  schedule_year: number | null;
  schedule_mentor_funding: number | null;
  partnership_year: number;
  detailed_evidence: number;
  uplift_fees: number;
  delivery_partner_id: number;
  lead_provider_id: number;
}

/** The caller's latest (greatest `started_on`) training period of the role (create.rb:63-71). */
export async function latestCallerTraining(db: DbOrTrx, teacherId: number, role: "ect" | "mentor", leadProviderId: number): Promise<LatestTraining | undefined> {
  return roleTrainingPeriods(db, teacherId, role)
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .innerJoin("rect_contract_periods as pcp", "pcp.year", "alp.contract_period_year")
    .leftJoin("rect_schedules as sch", "sch.id", "tp.schedule_id")
    .leftJoin("rect_contract_periods as scp", "scp.year", "sch.contract_period_year")
    .select([
      "tp.id",
      sql<number>`CASE WHEN tp.ect_at_school_period_id IS NOT NULL THEN 1 ELSE 0 END`.as("is_ect"),
      "asp.id as at_school_period_id",
      "asp.finished_on as at_school_finished_on",
      "asp.school_id",
      "sp.id as school_partnership_id",
      "tp.started_on",
      "tp.finished_on",
      "tp.withdrawn_at",
      "tp.deferred_at",
      "tp.schedule_id",
      "sch.contract_period_year as schedule_year",
      "scp.mentor_funding_enabled as schedule_mentor_funding",
      "alp.contract_period_year as partnership_year",
      "pcp.detailed_evidence_types_enabled as detailed_evidence",
      "pcp.uplift_fees_enabled as uplift_fees",
      "lpdp.delivery_partner_id",
      "alp.lead_provider_id",
    ])
    .where("alp.lead_provider_id", "=", leadProviderId)
    .orderBy("tp.started_on", "desc")
    .orderBy("tp.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function milestones(db: DbOrTrx, scheduleId: number) {
  return db.selectFrom("rect_milestones").select(["declaration_type", "start_date", "milestone_date"]).where("schedule_id", "=", scheduleId).execute();
}

/** Any training period (either role) of the teacher with the caller (create.rb:166-172). */
export async function trainsWithCaller(db: DbOrTrx, teacherId: number, leadProviderId: number): Promise<boolean> {
  const row = await db
    .selectFrom("rect_training_periods as tp")
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .leftJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as m", "m.id", "tp.mentor_at_school_period_id")
    .select("tp.id")
    .where("alp.lead_provider_id", "=", leadProviderId)
    .where((w) => w.or([w("e.teacher_id", "=", teacherId), w("m.teacher_id", "=", teacherId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The first training period of the role (any provider, any programme) containing today
 * (create.rb:228; `contains_today`, ranges inclusive), with its partnership's cohort and
 * `payments_frozen_at` (null cohort: no partnership). RECT takes `.first` without order: ours is the row's age.
 */
export async function trainingContainingToday(db: DbOrTrx, teacherId: number, role: "ect" | "mentor", today: string) {
  return roleTrainingPeriods(db, teacherId, role)
    .leftJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .leftJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .leftJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .leftJoin("rect_contract_periods as cp", "cp.year", "alp.contract_period_year")
    .select(["cp.year", "cp.payments_frozen_at"])
    .where("tp.started_on", "<=", today)
    .where((w) => w.or([w("tp.finished_on", "is", null), w("tp.finished_on", ">=", today)]))
    .orderBy("tp.id")
    .limit(1)
    .executeTakeFirst();
}

/**
 * The caller's earliest-deadline output statement for a cohort with `deadline_date` ≥ today,
 * open only (create.rb:117-126) or any status (clawback.rb:33-44).
 */
export async function nextOutputStatement(db: DbOrTrx, leadProviderId: number, year: number, today: string, openOnly: boolean): Promise<number | undefined> {
  let query = db
    .selectFrom("rect_statements as s")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "s.active_lead_provider_id")
    .select("s.id")
    .where("alp.lead_provider_id", "=", leadProviderId)
    .where("alp.contract_period_year", "=", year)
    .where("s.fee_type", "=", "output")
    .where("s.deadline_date", ">=", today);
  if (openOnly) query = query.where("s.status", "=", "open");
  return (await query.orderBy("s.deadline_date").orderBy("s.id").limit(1).executeTakeFirst())?.id;
}

/** The teacher's billable-or-changeable declarations of a role, any provider (teacher.ect_declarations / mentor_declarations). */
export async function billableDeclarations(db: DbOrTrx, teacherId: number, role: "ect" | "mentor") {
  return roleTrainingPeriods(db, teacherId, role)
    .innerJoin("rect_declarations as d", "d.training_period_id", "tp.id")
    .select(["d.id", "d.declaration_type", "d.declaration_date"])
    .where("d.payment_status", "in", ["no_payment", "eligible", "payable", "paid"])
    .where("d.clawback_status", "=", "no_clawback")
    .orderBy("d.id")
    .execute();
}

export async function mentorshipsOf(db: DbOrTrx, ectAtSchoolPeriodId: number) {
  return db.selectFrom("rect_mentorship_periods").select(["id", "started_on", "finished_on"]).where("ect_at_school_period_id", "=", ectAtSchoolPeriodId).execute();
}

export async function schoolFunding(db: DbOrTrx, schoolId: number, year: number) {
  return db.selectFrom("rect_school_funding").select(["pupil_premium_uplift", "sparsity_uplift"]).where("school_id", "=", schoolId).where("contract_period_year", "=", year).executeTakeFirst();
}

// ---- writes ----

export interface NewDeclaration {
  api_id: string;
  training_period_id: number;
  declaration_type: string;
  declaration_date: string;
  evidence_type: string | null;
  payment_status: "no_payment" | "eligible";
  payment_statement_id: number | null;
  mentorship_period_id: number | null;
  delivery_partner_when_created_id: number;
  pupil_premium_uplift: 0 | 1;
  sparsity_uplift: 0 | 1;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
}

export async function insertDeclaration(db: DbOrTrx, row: NewDeclaration): Promise<void> {
  await db.insertInto("rect_declarations").values({ ...row, clawback_status: "no_clawback", clawback_statement_id: null, voided_at: null }).execute();
}

/** The live billable-or-changeable declaration of a training period and type (declarations/create.rb:61-68). */
export async function liveDeclarationApiId(db: DbOrTrx, trainingPeriodId: number, type: string): Promise<string | undefined> {
  return (
    await db
      .selectFrom("rect_declarations")
      .select("api_id")
      .where("training_period_id", "=", trainingPeriodId)
      .where("declaration_type", "=", type)
      .where("payment_status", "in", ["no_payment", "eligible", "payable", "paid"])
      .where("clawback_status", "=", "no_clawback")
      .executeTakeFirst()
  )?.api_id;
}

/** The mentor's funding-end fields (teacher.rb:57-77 touches `api_updated_at` when they change). */
export async function setMentorCompletion(db: DbOrTrx, teacherId: number, on: string | null, reason: string | null, now: string): Promise<void> {
  await db
    .updateTable("rect_teachers")
    .set({ mentor_became_ineligible_for_funding_on: on, mentor_became_ineligible_for_funding_reason: reason, updated_at: now, api_updated_at: now })
    .where("id", "=", teacherId)
    .execute();
}

/** Finishes a training period (training_periods/finish.rb:41-45): touches the teacher (training_period.rb:51-65) and the transfer timestamp (:50). */
export async function finishTrainingPeriod(db: DbOrTrx, trainingPeriodId: number, teacherId: number, on: string, now: string): Promise<void> {
  await db.updateTable("rect_training_periods").set({ finished_on: on, updated_at: now, api_transfer_updated_at: now }).where("id", "=", trainingPeriodId).execute();
  await db.updateTable("rect_teachers").set({ api_updated_at: now }).where("id", "=", teacherId).execute();
}

/** A provider-led mentor training period (training_periods/create.rb `provider_led`), as mentor_completion.rb:35-47 makes it. */
export async function insertMentorTrainingPeriod(
  db: DbOrTrx,
  row: { api_id: string; mentor_at_school_period_id: number; school_partnership_id: number; schedule_id: number | null; started_on: string; finished_on: string | null },
  teacherId: number,
  now: string,
): Promise<void> {
  await db
    .insertInto("rect_training_periods")
    .values({ ...row, ect_at_school_period_id: null, training_programme: "provider_led", expression_of_interest_id: null, created_at: now, updated_at: now, api_transfer_updated_at: now })
    .execute();
  await db.updateTable("rect_teachers").set({ api_updated_at: now }).where("id", "=", teacherId).execute();
}

/** The caller's latest mentor training period for a teacher (metadata's `latest_mentor_training_period`). */
export async function latestCallerMentorTraining(db: DbOrTrx, teacherId: number, leadProviderId: number) {
  return roleTrainingPeriods(db, teacherId, "mentor")
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .select(["tp.id", "tp.started_on", "tp.finished_on", "tp.school_partnership_id", "tp.schedule_id", "asp.id as at_school_period_id", "asp.finished_on as at_school_finished_on"])
    .where("alp.lead_provider_id", "=", leadProviderId)
    .orderBy("tp.started_on", "desc")
    .orderBy("tp.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The latest billable-or-changeable mentor `completed` declaration's date (mentor_completion.rb:92-99). */
export async function latestBillableMentorCompletedDate(db: DbOrTrx, teacherId: number): Promise<string | undefined> {
  return (
    await roleTrainingPeriods(db, teacherId, "mentor")
      .innerJoin("rect_declarations as d", "d.training_period_id", "tp.id")
      .select("d.declaration_date")
      .where("d.declaration_type", "=", "completed")
      .where("d.payment_status", "in", ["no_payment", "eligible", "payable", "paid"])
      .where("d.clawback_status", "=", "no_clawback")
      .orderBy("d.declaration_date", "desc")
      .limit(1)
      .executeTakeFirst()
  )?.declaration_date;
}

export async function teacherById(db: DbOrTrx, id: number): Promise<TeacherRow | undefined> {
  return db
    .selectFrom("rect_teachers")
    .select(["id", "api_id", "ect_first_became_eligible_for_training_at", "mentor_first_became_eligible_for_training_at", "mentor_became_ineligible_for_funding_on", "mentor_became_ineligible_for_funding_reason"])
    .where("id", "=", id)
    .executeTakeFirst();
}

// ---- void (docs/reference/rect/rules.md §10.7) ----

/** `current_lead_provider.declarations.find_by!(api_id:)` (declarations_controller.rb:68-73): the caller's own only. */
export async function ownDeclaration(db: DbOrTrx, leadProviderId: number, apiId: string) {
  return db
    .selectFrom("rect_declarations as d")
    .innerJoin("rect_training_periods as tp", "tp.id", "d.training_period_id")
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .leftJoin("rect_ect_at_school_periods as ea", "ea.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as ma", "ma.id", "tp.mentor_at_school_period_id")
    .select([
      "d.id",
      "d.api_id",
      "d.declaration_type",
      "d.payment_status",
      "d.clawback_status",
      "alp.contract_period_year as year",
      sql<number>`CASE WHEN tp.ect_at_school_period_id IS NOT NULL THEN 1 ELSE 0 END`.as("is_ect"),
      sql<number>`COALESCE(ea.teacher_id, ma.teacher_id)`.as("teacher_id"),
    ])
    .where("alp.lead_provider_id", "=", leadProviderId)
    .where("d.api_id", "=", apiId)
    .executeTakeFirst();
}

/** `mark_as_voided!` (declaration.rb:133-135); `api_updated_at` moves with the payment status (:101-116). */
export async function markVoided(db: DbOrTrx, id: number, now: string): Promise<void> {
  await db.updateTable("rect_declarations").set({ payment_status: "voided", voided_at: now, updated_at: now, api_updated_at: now }).where("id", "=", id).execute();
}

/** `attach_clawback_statement` + `mark_as_awaiting_clawback!` (declarations/clawback.rb:24-25). */
export async function markAwaitingClawback(db: DbOrTrx, id: number, statementId: number, now: string): Promise<void> {
  await db
    .updateTable("rect_declarations")
    .set({ clawback_status: "awaiting_clawback", clawback_statement_id: statementId, updated_at: now, api_updated_at: now })
    .where("id", "=", id)
    .execute();
}
