/** All the SQL of the unfunded mentors routes (docs/reference/rect/rules.md §9, §5.9). */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page, SortPart } from "../http/params";
import { unfundedMentorResource } from "./resource";

/** What `sort` may name: Teacher's columns that are kept here (orderable.rb:27); `updated_at` arrives as `api_unfunded_mentor_updated_at` (unfunded_mentors_controller.rb:48-50). */
export const TEACHER_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = Object.fromEntries(
  [
    "id",
    "api_id",
    "api_ect_training_record_id",
    "api_mentor_training_record_id",
    "trn",
    "trs_first_name",
    "trs_last_name",
    "corrected_name",
    "ect_first_became_eligible_for_training_at",
    "ect_became_ineligible_for_funding_on",
    "mentor_first_became_eligible_for_training_at",
    "mentor_became_ineligible_for_funding_on",
    "mentor_became_ineligible_for_funding_reason",
    "ect_payments_frozen_year",
    "mentor_payments_frozen_year",
    "trs_induction_start_date",
    "trs_induction_completed_date",
    "created_at",
    "updated_at",
    "api_updated_at",
    "api_unfunded_mentor_updated_at",
  ].map((column) => [column, sql.ref(`t.${column}`)]),
);

/**
 * The caller's unfunded mentors (app/services/api/teachers/unfunded_mentors/query.rb:45-62), each with
 * the email of its latest assignment (unfunded_mentor_serializer.rb:16-24), as `um`:
 *
 * 1. each ECT's latest training period with the caller (a partnership of its; greatest `started_on`,
 *    any state: metadata/handlers/teacher.rb:65-72);
 * 2. in that period's at-school period, the mentorship that is current or future (not finished before
 *    today), earliest first: its mentor at-school period (`ect_assigned_mentor_latest_school_period`, :74-82);
 * 3. per mentor teacher, the assignment whose mentor period started last gives the email;
 * 4. minus the teachers with any ECT or mentor training period with the caller.
 */
function unfundedMentors(db: DbOrTrx, leadProviderId: number, today: string) {
  return db
    .with("um_latest", (qb) =>
      qb
        .selectFrom("rect_training_periods as tp")
        .innerJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
        .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
        .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
        .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
        .where("alp.lead_provider_id", "=", leadProviderId)
        .select(["tp.ect_at_school_period_id as ect_period_id", sql<number>`ROW_NUMBER() OVER (PARTITION BY e.teacher_id ORDER BY tp.started_on DESC, tp.id DESC)`.as("rn")]),
    )
    .with("um_assigned", (qb) =>
      qb
        .selectFrom("um_latest as l")
        .where("l.rn", "=", 1)
        .select(
          sql<number | null>`(SELECT mp.mentor_at_school_period_id FROM rect_mentorship_periods AS mp
            WHERE mp.ect_at_school_period_id = l.ect_period_id AND (mp.finished_on IS NULL OR mp.finished_on >= ${today})
            ORDER BY mp.started_on, mp.id LIMIT 1)`.as("mentor_period_id"),
        ),
    )
    .with("um", (qb) =>
      qb
        .selectFrom("um_assigned as a")
        .innerJoin("rect_mentor_at_school_periods as m", "m.id", "a.mentor_period_id")
        .select(["m.teacher_id", "m.email", sql<number>`ROW_NUMBER() OVER (PARTITION BY m.teacher_id ORDER BY m.started_on DESC, m.id DESC)`.as("rn")]),
    )
    .selectFrom("rect_teachers as t")
    .innerJoin("um", (j) => j.onRef("um.teacher_id", "=", "t.id").on("um.rn", "=", 1))
    .select(unfundedMentorResource.documentSql().as("document"))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("rect_training_periods as ttp")
            .leftJoin("rect_ect_at_school_periods as te", "te.id", "ttp.ect_at_school_period_id")
            .leftJoin("rect_mentor_at_school_periods as tm", "tm.id", "ttp.mentor_at_school_period_id")
            .innerJoin("rect_school_partnerships as tsp", "tsp.id", "ttp.school_partnership_id")
            .innerJoin("rect_lead_provider_delivery_partnerships as tlpdp", "tlpdp.id", "tsp.lead_provider_delivery_partnership_id")
            .innerJoin("rect_active_lead_providers as talp", "talp.id", "tlpdp.active_lead_provider_id")
            .select(sql`1`.as("one"))
            .where("talp.lead_provider_id", "=", leadProviderId)
            .where((w) => w.or([w("te.teacher_id", "=", w.ref("t.id")), w("tm.teacher_id", "=", w.ref("t.id"))])),
        ),
      ),
    );
}

export async function unfundedMentorDocuments(db: DbOrTrx, leadProviderId: number, today: string, updatedSince: Date | null, sort: SortPart[] | null, page: Page): Promise<string[]> {
  let query = unfundedMentors(db, leadProviderId, today);
  if (updatedSince !== null) query = query.where("t.api_unfunded_mentor_updated_at", ">=", toTimestamp(updatedSince));
  for (const part of sort ?? [{ attribute: "created_at", direction: "asc" as const }]) {
    const column = TEACHER_SORT_COLUMNS[part.attribute]!;
    // PostgreSQL puts NULLs last ascending and first descending; SQLite the other way round
    query = query.orderBy(sql`${column} IS NULL`, part.direction).orderBy(column, part.direction);
  }
  const rows = await query.orderBy("t.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function unfundedMentorDocument(db: DbOrTrx, leadProviderId: number, today: string, apiId: string): Promise<string | undefined> {
  return (await unfundedMentors(db, leadProviderId, today).where("t.api_id", "=", apiId).executeTakeFirst())?.document;
}
