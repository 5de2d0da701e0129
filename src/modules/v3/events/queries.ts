/** The event calls' SQL (control-plane.md §4), with the touches of docs/reference/rect/rules.md §15. */
import { type Insertable, type Updateable, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import type { RectDatabase } from "../../../../db/schema-rect";

export const byApiId = <T extends "rect_statements" | "rect_lead_providers" | "rect_school_partnerships" | "rect_schools" | "rect_teachers" | "rect_delivery_partners" | "rect_induction_periods">(db: DbOrTrx, table: T, apiId: string) =>
  db.selectFrom(table as "rect_schools").selectAll().where("api_id", "=", apiId).executeTakeFirst() as Promise<any>;

export async function update<T extends keyof RectDatabase>(db: DbOrTrx, table: T, id: number, values: Updateable<RectDatabase[T]>): Promise<void> {
  await db.updateTable(table as "rect_schools").set(values as Updateable<RectDatabase["rect_schools"]>).where("id" as any, "=", id).execute();
}

export async function contractPeriod(db: DbOrTrx, year: number) {
  return db.selectFrom("rect_contract_periods").selectAll().where("year", "=", year).executeTakeFirst();
}

export async function updateContractPeriod(db: DbOrTrx, year: number, values: Updateable<RectDatabase["rect_contract_periods"]>) {
  await db.updateTable("rect_contract_periods").set(values).where("year", "=", year).execute();
}

export async function scheduleId(db: DbOrTrx, year: number, identifier: string): Promise<number | undefined> {
  return (await db.selectFrom("rect_schedules").select("id").where("contract_period_year", "=", year).where("identifier", "=", identifier).executeTakeFirst())?.id;
}

export async function upsertMilestone(db: DbOrTrx, scheduleId: number, type: string, start: string, end: string | null) {
  await db
    .insertInto("rect_milestones")
    .values({ schedule_id: scheduleId, declaration_type: type, start_date: start, milestone_date: end })
    .onConflict((oc) => oc.columns(["schedule_id", "declaration_type"]).doUpdateSet({ start_date: start, milestone_date: end }))
    .execute();
}

export async function deleteMilestone(db: DbOrTrx, scheduleId: number, type: string): Promise<boolean> {
  return Number((await db.deleteFrom("rect_milestones").where("schedule_id", "=", scheduleId).where("declaration_type", "=", type).executeTakeFirst()).numDeletedRows) > 0;
}

export async function milestone(db: DbOrTrx, scheduleId: number, type: string) {
  return db.selectFrom("rect_milestones").select(["declaration_type", "start_date", "milestone_date"]).where("schedule_id", "=", scheduleId).where("declaration_type", "=", type).executeTakeFirst();
}

/** Statement#has_outstanding_declarations? (app/models/statement.rb:141-143): a payable declaration on it, or one awaiting clawback. */
export async function hasOutstandingDeclarations(db: DbOrTrx, statementId: number): Promise<boolean> {
  const row = await db
    .selectFrom("rect_declarations")
    .select("id")
    .where((eb) => eb.or([eb.and([eb("payment_statement_id", "=", statementId), eb("payment_status", "=", "payable")]), eb.and([eb("clawback_statement_id", "=", statementId), eb("clawback_status", "=", "awaiting_clawback")])]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Declarations paid or clawed back through a statement move (MarkAsPayable, AuthorisePayment). */
export async function moveStatementDeclarations(db: DbOrTrx, statementId: number, to: "payable" | "paid", at: string) {
  if (to === "payable") {
    await db.updateTable("rect_declarations").set({ payment_status: "payable", updated_at: at, api_updated_at: at }).where("payment_statement_id", "=", statementId).where("payment_status", "=", "eligible").execute();
    return;
  }
  await db.updateTable("rect_declarations").set({ payment_status: "paid", updated_at: at, api_updated_at: at }).where("payment_statement_id", "=", statementId).where("payment_status", "=", "payable").execute();
  await db.updateTable("rect_declarations").set({ clawback_status: "clawed_back", updated_at: at, api_updated_at: at }).where("clawback_statement_id", "=", statementId).where("clawback_status", "=", "awaiting_clawback").execute();
}

/** Training periods under a lead provider's partnerships (lead_provider.rb:22 touches their transfer timestamp on a rename). */
export async function touchLeadProviderTrainingPeriods(db: DbOrTrx, leadProviderId: number, at: string) {
  await db
    .updateTable("rect_training_periods")
    .set({ api_transfer_updated_at: at })
    .where(
      "school_partnership_id",
      "in",
      db
        .selectFrom("rect_school_partnerships as sp")
        .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
        .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
        .select("sp.id")
        .where("alp.lead_provider_id", "=", leadProviderId),
    )
    .execute();
}

export async function partnershipPairing(db: DbOrTrx, partnershipId: number) {
  return db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .select(["lpdp.active_lead_provider_id", "lpdp.delivery_partner_id"])
    .where("sp.id", "=", partnershipId)
    .executeTakeFirstOrThrow();
}

export async function pairingFor(db: DbOrTrx, activeLeadProviderId: number, deliveryPartnerId: number, at: string): Promise<number> {
  const found = await db.selectFrom("rect_lead_provider_delivery_partnerships").select("id").where("active_lead_provider_id", "=", activeLeadProviderId).where("delivery_partner_id", "=", deliveryPartnerId).executeTakeFirst();
  if (found) return found.id;
  const made = await db.insertInto("rect_lead_provider_delivery_partnerships").values({ active_lead_provider_id: activeLeadProviderId, delivery_partner_id: deliveryPartnerId, created_at: at }).returning("id").executeTakeFirstOrThrow();
  // a pairing made touches its delivery partner (lead_provider_delivery_partnership.rb:13)
  await db.updateTable("rect_delivery_partners").set({ api_updated_at: at }).where("id", "=", deliveryPartnerId).execute();
  return made.id;
}

const trainingUnder = (db: DbOrTrx, partnershipId: number) => db.selectFrom("rect_training_periods").select("id").where("school_partnership_id", "=", partnershipId);

/** school_partnership.rb:16-18: a DP change touches the partnership, its declarations and its teachers. */
export async function touchPartnershipDependants(db: DbOrTrx, partnershipId: number, at: string) {
  await db.updateTable("rect_school_partnerships").set({ updated_at: at, api_updated_at: at }).where("id", "=", partnershipId).execute();
  await db.updateTable("rect_declarations").set({ api_updated_at: at }).where("training_period_id", "in", trainingUnder(db, partnershipId)).execute();
  await db.updateTable("rect_teachers").set({ api_updated_at: at }).where("id", "in", teachersOfTraining(db, sql`tp.school_partnership_id = ${partnershipId}`)).execute();
}

/** The teachers of training periods matching `condition` (over `tp`), ECT or mentor. */
function teachersOfTraining(db: DbOrTrx, condition: ReturnType<typeof sql>) {
  return db
    .selectFrom("rect_training_periods as tp")
    .leftJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as m", "m.id", "tp.mentor_at_school_period_id")
    .select(sql<number>`COALESCE(e.teacher_id, m.teacher_id)`.as("teacher_id"))
    .where(condition as any);
}

/** school.rb:31-35, gias/school.rb:7-8: the school's cohort records, partnerships, teachers and training periods. */
export async function touchSchool(db: DbOrTrx, schoolId: number, what: { metadata: boolean; partnerships: boolean; teachers: boolean }, at: string) {
  if (what.metadata) await db.updateTable("rect_school_contract_periods").set({ api_updated_at: at }).where("school_id", "=", schoolId).execute();
  if (what.partnerships) await db.updateTable("rect_school_partnerships").set({ api_updated_at: at }).where("school_id", "=", schoolId).execute();
  if (what.teachers) {
    for (const table of ["rect_ect_at_school_periods", "rect_mentor_at_school_periods"] as const) {
      const periods = db.selectFrom(table as "rect_ect_at_school_periods").select("id").where("school_id", "=", schoolId);
      await db.updateTable("rect_teachers").set({ api_updated_at: at }).where("id", "in", db.selectFrom(table as "rect_ect_at_school_periods").select("teacher_id").where("school_id", "=", schoolId)).execute();
      const column = table === "rect_ect_at_school_periods" ? "ect_at_school_period_id" : "mentor_at_school_period_id";
      await db.updateTable("rect_training_periods").set({ api_transfer_updated_at: at }).where(column, "in", periods).execute();
    }
  }
}

export async function upsertFunding(db: DbOrTrx, schoolId: number, year: number, pupilPremium: boolean, sparsity: boolean) {
  const values = { pupil_premium_uplift: (pupilPremium ? 1 : 0) as 0 | 1, sparsity_uplift: (sparsity ? 1 : 0) as 0 | 1 };
  await db.insertInto("rect_school_funding").values({ school_id: schoolId, contract_period_year: year, ...values }).onConflict((oc) => oc.columns(["school_id", "contract_period_year"]).doUpdateSet(values)).execute();
}

export async function insertIdChange(db: DbOrTrx, teacherId: number, from: string, to: string, at: string) {
  await db.insertInto("rect_teacher_id_changes").values({ teacher_id: teacherId, api_from_teacher_id: from, api_to_teacher_id: to, created_at: at }).execute();
}

export async function periodByApiId(db: DbOrTrx, apiId: string) {
  const ect = await db.selectFrom("rect_ect_at_school_periods").selectAll().where("api_id", "=", apiId).executeTakeFirst();
  if (ect) return { role: "ect" as const, row: ect };
  const mentor = await db.selectFrom("rect_mentor_at_school_periods").selectAll().where("api_id", "=", apiId).executeTakeFirst();
  return mentor ? { role: "mentor" as const, row: { ...mentor, working_pattern: null } } : undefined;
}

/**
 * A role's `submitted` (no_payment) declarations become `eligible` on the
 * lead provider's next output statement (deadline on or after today, earliest
 * deadline): app/services/declarations/actions/mark_declarations_eligible.rb:13-35.
 * Returns the declarations left without a statement (RECT raises then).
 */
export async function markDeclarationsEligible(db: DbOrTrx, teacherId: number, role: "ect" | "mentor", today: string, at: string): Promise<number> {
  const periods = role === "ect" ? "rect_ect_at_school_periods" : "rect_mentor_at_school_periods";
  const column = role === "ect" ? "tp.ect_at_school_period_id" : "tp.mentor_at_school_period_id";
  const rows = await db
    .selectFrom("rect_declarations as d")
    .innerJoin("rect_training_periods as tp", "tp.id", "d.training_period_id")
    .innerJoin(`${periods} as p` as "rect_ect_at_school_periods as p", "p.id", column as "tp.ect_at_school_period_id")
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .select(["d.id", "lpdp.active_lead_provider_id"])
    .where("p.teacher_id", "=", teacherId)
    .where("d.payment_status", "=", "no_payment")
    .where("d.clawback_status", "=", "no_clawback")
    .execute();
  let missing = 0;
  for (const row of rows) {
    const statement = await db
      .selectFrom("rect_statements")
      .select("id")
      .where("active_lead_provider_id", "=", row.active_lead_provider_id)
      .where("fee_type", "=", "output")
      .where("deadline_date", ">=", today)
      .orderBy("deadline_date")
      .limit(1)
      .executeTakeFirst();
    if (!statement) {
      missing++;
      continue;
    }
    await db.updateTable("rect_declarations").set({ payment_status: "eligible", payment_statement_id: statement.id, updated_at: at, api_updated_at: at }).where("id", "=", row.id).execute();
  }
  return missing;
}

export async function leadProviderNameTaken(db: DbOrTrx, name: string): Promise<boolean> {
  return (await db.selectFrom("rect_lead_providers").select("id").where("name", "=", name).executeTakeFirst()) !== undefined;
}

export async function insertInductionPeriod(db: DbOrTrx, row: Insertable<RectDatabase["rect_induction_periods"]>): Promise<void> {
  await db.insertInto("rect_induction_periods").values(row).execute();
}

/** Whether the teacher has an ECT at school period (any). */
export async function hasEctPeriod(db: DbOrTrx, teacherId: number): Promise<boolean> {
  return (await db.selectFrom("rect_ect_at_school_periods").select("id").where("teacher_id", "=", teacherId).executeTakeFirst()) !== undefined;
}

/** `teacher.induction_periods.contains_today.any?` (set_ect_funding_eligibility.rb:38; the range is `[]`, db/schema.rb:417): any of the teacher's induction periods, not only a new one. */
export async function hasInductionPeriodContaining(db: DbOrTrx, teacherId: number, day: string): Promise<boolean> {
  const row = await db
    .selectFrom("rect_induction_periods")
    .select("id")
    .where("teacher_id", "=", teacherId)
    .where("started_on", "<=", day)
    .where((eb) => eb.or([eb("finished_on", "is", null), eb("finished_on", ">=", day)]))
    .executeTakeFirst();
  return row !== undefined;
}

// ---- the nightly job (control-plane.md §4.5) ----------------------------------------------------

/**
 * TouchSchoolPartnershipForParticipantsCurrentlyTrainingJob
 * (app/jobs/touch_school_partnership_for_participants_currently_training_job.rb:6-12): the
 * partnerships of training periods starting today or finished yesterday get `api_updated_at`.
 */
export async function touchPartnershipsAtTrainingBoundaries(db: DbOrTrx, today: string, yesterday: string, at: string): Promise<number> {
  const periods = db
    .selectFrom("rect_training_periods")
    .select("school_partnership_id")
    .where("school_partnership_id", "is not", null)
    .where((eb) => eb.or([eb("started_on", "=", today), eb("finished_on", "=", yesterday)]));
  const result = await db.updateTable("rect_school_partnerships").set({ api_updated_at: at }).where("id", "in", periods as any).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The teachers whose assigned mentor (the ECT at-school period's earliest current-or-future
 * mentorship, app/services/metadata/handlers/teacher.rb:74-82; `current_or_future` is
 * `finished_on IS NULL OR finished_on > day` over `[started_on, finished_on)` ranges,
 * app/models/concerns/interval.rb:46-48, range_queries.rb:6-8) differs between yesterday and today.
 * Only a mentorship that finished today can change it, so only those ECT periods are looked at.
 */
export async function teachersWhoseMentorChanged(db: DbOrTrx, today: string, yesterday: string): Promise<number[]> {
  const mentorOn = (day: string) =>
    sql<number | null>`(SELECT m.mentor_at_school_period_id FROM rect_mentorship_periods m
      WHERE m.ect_at_school_period_id = e.id AND (m.finished_on IS NULL OR m.finished_on > ${day})
      ORDER BY m.started_on, m.id LIMIT 1)`;
  const rows = await db
    .selectFrom("rect_ect_at_school_periods as e")
    .select("e.teacher_id")
    .where((eb) => eb.exists(eb.selectFrom("rect_mentorship_periods as f").select("f.id").whereRef("f.ect_at_school_period_id", "=", "e.id").where("f.finished_on", "=", today)))
    .where(sql<boolean>`${mentorOn(yesterday)} IS NOT ${mentorOn(today)}`)
    .distinct()
    .execute();
  return rows.map((r) => r.teacher_id);
}

export async function touchTeachers(db: DbOrTrx, ids: number[], at: string): Promise<void> {
  if (ids.length) await db.updateTable("rect_teachers").set({ api_updated_at: at }).where("id", "in", ids).execute();
}

/**
 * Statements::MarkAsPayable.mark_all_eligible! (app/services/statements/mark_as_payable.rb:7-17): open, deadline
 * before today, by deadline; output fee statements only, Statements::Search's default (app/services/statements/search.rb:12).
 */
export async function openStatementsPastDeadline(db: DbOrTrx, today: string) {
  return db
    .selectFrom("rect_statements")
    .select(["id", "api_id"])
    .where("status", "=", "open")
    .where("fee_type", "=", "output")
    .where("deadline_date", "<", today)
    .orderBy("deadline_date")
    .orderBy("id")
    .execute();
}
