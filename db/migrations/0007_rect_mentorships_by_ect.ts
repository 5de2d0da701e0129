import type { Kysely } from "kysely";

/**
 * An ECT's mentorships by school period: the participant's `mentor_id`
 * (participants/resource.ts) and the ECT's mentorship checks look them up by
 * `ect_at_school_period_id` for every row of a page; the only index on that
 * column (migration 0005) is partial (open mentorships), so finished ones were a scan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("rect_mentorship_periods_by_ect").on("rect_mentorship_periods").columns(["ect_at_school_period_id", "started_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("rect_mentorship_periods_by_ect").ifExists().execute();
}
