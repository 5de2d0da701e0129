/** All the SQL of the participant actions (docs/reference/rect/rules.md §7, §15). */
import { sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import type { DeclarationWindow, NewTraining, Role, Sibling, TeacherFacts, Training } from "./rules";

/** The teacher's training periods of one role, with their at-school period as `asp`. */
function roleTrainingPeriods(db: DbOrTrx, teacherId: number, role: Role) {
  const base = db.selectFrom("rect_training_periods as tp");
  return role === "ect"
    ? base.innerJoin("rect_ect_at_school_periods as asp", "asp.id", "tp.ect_at_school_period_id").where("asp.teacher_id", "=", teacherId)
    : base.innerJoin("rect_mentor_at_school_periods as asp", "asp.id", "tp.mentor_at_school_period_id").where("asp.teacher_id", "=", teacherId);
}

/** Training periods (any role) whose school partnership belongs to the lead provider. */
const callerTrainingExists = (leadProviderId: number, role: Role) => {
  const period = role === "ect" ? "rect_ect_at_school_periods" : "rect_mentor_at_school_periods";
  const column = role === "ect" ? "ect_at_school_period_id" : "mentor_at_school_period_id";
  return sql<boolean>`EXISTS (SELECT 1 FROM rect_training_periods AS vtp
    JOIN ${sql.table(period)} AS vasp ON vasp.id = vtp.${sql.ref(column)}
    JOIN rect_school_partnerships AS vsp ON vsp.id = vtp.school_partnership_id
    JOIN rect_lead_provider_delivery_partnerships AS vlpdp ON vlpdp.id = vsp.lead_provider_delivery_partnership_id
    JOIN rect_active_lead_providers AS valp ON valp.id = vlpdp.active_lead_provider_id
    WHERE vasp.teacher_id = t.id AND valp.lead_provider_id = ${leadProviderId})`;
};

/**
 * The teacher `{id}` names, if the caller sees it (a training period of either role with one of
 * its partnerships, query.rb:52-67 / docs/reference/rect/rules.md §6.2), with the fields the checks read.
 */
export async function visibleTeacher(db: DbOrTrx, leadProviderId: number, apiId: string): Promise<(TeacherFacts & { apiId: string }) | undefined> {
  const row = await db
    .selectFrom("rect_teachers as t")
    .select([
      "t.id",
      "t.api_id",
      "t.ect_payments_frozen_year",
      "t.mentor_payments_frozen_year",
      "t.mentor_became_ineligible_for_funding_on",
      "t.trs_induction_completed_date",
      (eb) =>
        eb
          .selectFrom("rect_induction_periods as ip")
          .select("ip.finished_on")
          .whereRef("ip.teacher_id", "=", "t.id")
          .where("ip.finished_on", "is not", null)
          .where("ip.outcome", "is not", null)
          .orderBy("ip.started_on", "desc")
          .orderBy("ip.id", "desc")
          .limit(1)
          .as("finished_induction_on"),
    ])
    .where("t.api_id", "=", apiId)
    .where((eb) => eb.or([callerTrainingExists(leadProviderId, "ect"), callerTrainingExists(leadProviderId, "mentor")]))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    apiId: row.api_id,
    ectPaymentsFrozenYear: row.ect_payments_frozen_year,
    mentorPaymentsFrozenYear: row.mentor_payments_frozen_year,
    mentorIneligibleOn: row.mentor_became_ineligible_for_funding_on,
    finishedInductionWithOutcomeOn: row.finished_induction_on ?? null,
    trsInductionCompletedDate: row.trs_induction_completed_date,
  };
}

/**
 * The caller's latest training period of the role: greatest `started_on` among those whose
 * school partnership is the caller's (app/services/metadata/handlers/teacher.rb:65-72; RECT has
 * no tie-breaker, the later row wins here).
 */
export async function latestTraining(db: DbOrTrx, teacherId: number, role: Role, leadProviderId: number): Promise<Training | undefined> {
  const row = await roleTrainingPeriods(db, teacherId, role)
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .leftJoin("rect_schedules as sch", "sch.id", "tp.schedule_id")
    .select([
      "tp.id",
      "tp.started_on",
      "tp.finished_on",
      "tp.withdrawn_at",
      "tp.deferred_at",
      "tp.schedule_id",
      "tp.expression_of_interest_id",
      "asp.id as asp_id",
      "asp.started_on as asp_started_on",
      "asp.finished_on as asp_finished_on",
      "asp.school_id",
      "sp.id as sp_id",
      "alp.contract_period_year as cohort",
      "lpdp.delivery_partner_id",
      "sch.identifier as schedule_identifier",
      "sch.contract_period_year as schedule_cohort",
    ])
    .where("alp.lead_provider_id", "=", leadProviderId)
    .orderBy("tp.started_on", "desc")
    .orderBy("tp.id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    role,
    startedOn: row.started_on,
    finishedOn: row.finished_on,
    withdrawnAt: row.withdrawn_at,
    deferredAt: row.deferred_at,
    atSchoolPeriodId: row.asp_id,
    atSchoolStartedOn: row.asp_started_on,
    atSchoolFinishedOn: row.asp_finished_on,
    schoolId: row.school_id,
    schoolPartnershipId: row.sp_id,
    cohort: row.cohort,
    deliveryPartnerId: row.delivery_partner_id,
    scheduleId: row.schedule_id,
    scheduleIdentifier: row.schedule_identifier ?? null,
    scheduleCohort: row.schedule_cohort ?? null,
    expressionOfInterestId: row.expression_of_interest_id,
  };
}

/** Every training period of the teacher in the role (any provider, any programme, any school). */
export async function roleSiblings(db: DbOrTrx, teacherId: number, role: Role): Promise<Sibling[]> {
  const rows = await roleTrainingPeriods(db, teacherId, role).select(["tp.id", "asp.id as asp_id", "tp.started_on", "tp.finished_on"]).execute();
  return rows.map((r) => ({ id: r.id, atSchoolPeriodId: r.asp_id, startedOn: r.started_on, finishedOn: r.finished_on }));
}

export async function contractPeriod(db: DbOrTrx, year: number) {
  return db.selectFrom("rect_contract_periods").select(["year", "payments_frozen_at"]).where("year", "=", year).executeTakeFirst();
}

export async function schedule(db: DbOrTrx, year: number, identifier: string) {
  const row = await db.selectFrom("rect_schedules").select(["id", "identifier", "contract_period_year"]).where("contract_period_year", "=", year).where("identifier", "=", identifier).executeTakeFirst();
  return row ? { id: row.id, identifier: row.identifier, cohort: row.contract_period_year } : null;
}

export async function activeLeadProviderId(db: DbOrTrx, leadProviderId: number, year: number): Promise<number | undefined> {
  return (await db.selectFrom("rect_active_lead_providers").select("id").where("lead_provider_id", "=", leadProviderId).where("contract_period_year", "=", year).executeTakeFirst())?.id;
}

/** The active lead provider's partnerships with the school, newest first (change_schedule.rb:94-100). */
export async function partnershipsAtSchool(db: DbOrTrx, activeLeadProviderId: number, schoolId: number) {
  return db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .select(["sp.id", "lpdp.delivery_partner_id"])
    .where("lpdp.active_lead_provider_id", "=", activeLeadProviderId)
    .where("sp.school_id", "=", schoolId)
    .orderBy("sp.created_at", "desc")
    .orderBy("sp.id", "desc")
    .execute();
}

/** TP's declarations (any state) with the milestone of their type in `scheduleId` (C8). */
export async function declarationWindows(db: DbOrTrx, trainingPeriodId: number, scheduleId: number): Promise<DeclarationWindow[]> {
  const rows = await db
    .selectFrom("rect_declarations as d")
    .leftJoin("rect_milestones as m", (j) => j.on("m.schedule_id", "=", scheduleId).onRef("m.declaration_type", "=", "d.declaration_type"))
    .select(["d.declaration_date", "m.start_date", "m.milestone_date"])
    .where("d.training_period_id", "=", trainingPeriodId)
    .execute();
  return rows.map((r) => ({ declarationDate: r.declaration_date, milestone: r.start_date ? { startDate: r.start_date, milestoneDate: r.milestone_date ?? null } : null }));
}

/** The cohorts of the statements TP's declarations are on (payment or clawback). */
export async function declarationStatementCohorts(db: DbOrTrx, trainingPeriodId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("rect_declarations as d")
    .innerJoin("rect_statements as st", (j) => j.on((eb) => eb.or([eb("st.id", "=", eb.ref("d.payment_statement_id")), eb("st.id", "=", eb.ref("d.clawback_statement_id"))])))
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "st.active_lead_provider_id")
    .select("alp.contract_period_year")
    .distinct()
    .where("d.training_period_id", "=", trainingPeriodId)
    .execute();
  return rows.map((r) => r.contract_period_year);
}

// ---------------------------------------------------------------------------
// writes
// ---------------------------------------------------------------------------

type TrainingUpdate = Partial<{
  deferred_at: string;
  deferral_reason: string;
  withdrawn_at: string;
  withdrawal_reason: string;
  finished_on: string;
  schedule_id: number;
  school_partnership_id: number;
  expression_of_interest_id: number | null;
}>;

/**
 * Updates TP with its Rails `updated_at`; a change of `started_on`/`finished_on` also moves its
 * `api_transfer_updated_at` (training_period.rb:50). Only columns whose value changes count
 * (`saved_change_to_attribute?`); answers whether any did.
 */
export async function updateTraining(db: DbOrTrx, id: number, values: TrainingUpdate, at: string): Promise<{ changed: boolean; datesChanged: boolean }> {
  const current = await db.selectFrom("rect_training_periods").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const changes = Object.fromEntries(Object.entries(values).filter(([k, v]) => (current as Record<string, unknown>)[k] !== v));
  if (Object.keys(changes).length === 0) return { changed: false, datesChanged: false };
  const datesChanged = "finished_on" in changes;
  await db
    .updateTable("rect_training_periods")
    .set({ ...changes, updated_at: at, ...(datesChanged ? { api_transfer_updated_at: at } : {}) })
    .where("id", "=", id)
    .execute();
  return { changed: true, datesChanged };
}

/**
 * A new provider-led training period: `created_at`/`updated_at` at the request's (travelled) now;
 * `api_transfer_updated_at` is a database default, so the real clock (docs/reference/rect/rules.md §2.4).
 */
export async function insertTraining(db: DbOrTrx, row: NewTraining, apiId: string, at: string, realAt: string): Promise<void> {
  await db
    .insertInto("rect_training_periods")
    .values({
      api_id: apiId,
      ect_at_school_period_id: row.role === "ect" ? row.atSchoolPeriodId : null,
      mentor_at_school_period_id: row.role === "mentor" ? row.atSchoolPeriodId : null,
      training_programme: "provider_led",
      school_partnership_id: row.schoolPartnershipId,
      expression_of_interest_id: null,
      schedule_id: row.scheduleId,
      started_on: row.startedOn,
      finished_on: row.finishedOn,
      withdrawn_at: null,
      withdrawal_reason: null,
      deferred_at: null,
      deferral_reason: null,
      created_at: at,
      updated_at: at,
      api_transfer_updated_at: realAt,
    })
    .execute();
}

/** The participant's `updated_at` (teachers.api_updated_at): a training period touch (training_period.rb:51-65). */
export async function touchTeacher(db: DbOrTrx, teacherId: number, at: string): Promise<void> {
  await db.updateTable("rect_teachers").set({ api_updated_at: at }).where("id", "=", teacherId).execute();
}

/** `teacher.update!(*_payments_frozen_year:)`: its Rails `updated_at` and the API touch (teacher.rb:57-77). */
export async function setPaymentsFrozenYear(db: DbOrTrx, teacherId: number, role: Role, year: number | null, at: string): Promise<void> {
  const column = role === "ect" ? "ect_payments_frozen_year" : "mentor_payments_frozen_year";
  await db.updateTable("rect_teachers").set({ [column]: year, updated_at: at, api_updated_at: at }).where("id", "=", teacherId).execute();
}

/** The school's cohort metadata `api_updated_at` (the school's `updated_at` in /api/v3/schools), for some cohorts or all. */
export async function touchSchoolMetadata(db: DbOrTrx, schoolId: number, years: "all" | number[], at: string): Promise<void> {
  if (years !== "all" && years.length === 0) return;
  let query = db.updateTable("rect_school_contract_periods").set({ api_updated_at: at }).where("school_id", "=", schoolId);
  if (years !== "all") query = query.where("contract_period_year", "in", years);
  await query.execute();
}
