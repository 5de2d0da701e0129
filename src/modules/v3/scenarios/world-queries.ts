/** Every row of the RECT world, for `exportWorld`. */
import type { DbOrTrx } from "../../../../db/schema";

export async function worldRows(db: DbOrTrx) {
  const schedules = await db.selectFrom("rect_schedules").selectAll().execute();
  return {
    leadProviders: await db.selectFrom("rect_lead_providers").selectAll().orderBy("id").execute(),
    tokens: await db.selectFrom("rect_api_tokens").selectAll().orderBy("created_at").execute(),
    activeLeadProviders: await db.selectFrom("rect_active_lead_providers").selectAll().orderBy("id").execute(),
    deliveryPartners: await db.selectFrom("rect_delivery_partners").selectAll().orderBy("id").execute(),
    pairings: await db.selectFrom("rect_lead_provider_delivery_partnerships").selectAll().orderBy("id").execute(),
    schools: await db.selectFrom("rect_schools").selectAll().orderBy("id").execute(),
    funding: await db.selectFrom("rect_school_funding").selectAll().execute(),
    partnerships: await db.selectFrom("rect_school_partnerships").selectAll().orderBy("id").execute(),
    statements: await db.selectFrom("rect_statements").selectAll().orderBy("id").execute(),
    teachers: await db.selectFrom("rect_teachers").selectAll().orderBy("id").execute(),
    idChanges: await db.selectFrom("rect_teacher_id_changes").selectAll().orderBy("id").execute(),
    inductionPeriods: await db.selectFrom("rect_induction_periods").selectAll().orderBy("id").execute(),
    ectPeriods: await db.selectFrom("rect_ect_at_school_periods").selectAll().orderBy("id").execute(),
    mentorPeriods: await db.selectFrom("rect_mentor_at_school_periods").selectAll().orderBy("id").execute(),
    mentorships: await db.selectFrom("rect_mentorship_periods").selectAll().orderBy("id").execute(),
    trainingPeriods: await db.selectFrom("rect_training_periods").selectAll().orderBy("id").execute(),
    declarations: await db.selectFrom("rect_declarations").selectAll().orderBy("id").execute(),
    schedules: new Map(schedules.map((s) => [s.id, s])),
  };
}
