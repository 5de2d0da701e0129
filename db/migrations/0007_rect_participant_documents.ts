import { type Kysely, sql } from "kysely";

/**
 * The v3 participants' read model (src/modules/v3/participants/read-model.ts):
 * - `rect_participant_documents`, per lead provider and teacher it trains, the
 *   participant document as stored (its two attributes that depend on today
 *   null) with the parts those are set from per request, the whole document as of the
 *   day it was written with the span of days it holds for, and the columns a page
 *   filters and walks by; its views, triggers and rows are derived objects
 *   (db/derived.ts), the table is schema so that a snapshot always has it;
 * - an ECT's mentorships by school period: the participant's `mentor_id`
 *   is looked up by `ect_at_school_period_id` for every row of a page; the
 *   only index on that column (migration 0005) is partial (open mentorships).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("rect_mentorship_periods_by_ect").on("rect_mentorship_periods").columns(["ect_at_school_period_id", "started_on"]).execute();
  // the small columns first, then the text a page reads, then the stored form: a column after a long one is
  // reached through the row's overflow pages
  await sql`create table rect_participant_documents (
    lead_provider_id integer not null,
    teacher_id integer not null,
    teacher_created_at text not null,
    api_updated_at text not null,
    e_tp_id integer,
    m_tp_id integer,
    e_cohort integer,
    m_cohort integer,
    e_withdrawn integer not null,
    e_deferred integer not null,
    m_withdrawn integer not null,
    m_deferred integer not null,
    e_as_id integer,
    e_stopped integer not null,
    e_completed integer not null,
    e_started_on text,
    e_finished_on text,
    m_stopped integer not null,
    m_completed integer not null,
    m_started_on text,
    m_finished_on text,
    current_from text not null,
    current_until text,
    current_document text not null,
    document text not null,
    primary key (lead_provider_id, teacher_id))`.execute(db);
  await sql`create index rect_participant_documents_by_created on rect_participant_documents (lead_provider_id, teacher_created_at, teacher_id, api_updated_at)`.execute(db);
  await sql`create index rect_participant_documents_by_teacher on rect_participant_documents (teacher_id)`.execute(db);
  // the rows whose written document stopped holding (rewritten at start and at night), without reading every row
  await sql`create index rect_participant_documents_by_until on rect_participant_documents (current_until) where current_until is not null`.execute(db);
  await sql`create index rect_participant_documents_by_from on rect_participant_documents (current_from)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists rect_participant_documents`.execute(db);
  await db.schema.dropIndex("rect_mentorship_periods_by_ect").ifExists().execute();
}
