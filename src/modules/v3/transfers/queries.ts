/**
 * The transfers' SQL (docs/reference/rect/rules.md §8): every school period with the next
 * one of the same role (history.rb:7,12-15), its boundary training periods
 * (at_school_period.rb:12-13), the transfers of History#transfer_for
 * (history.rb:27-58) for the caller, aggregated per teacher.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page, SortPart } from "../http/params";
import { type TransferSqlParams, transferObjectSql, transferResource } from "./resource";

const ofPeriod = (period: RawBuilder<unknown>, role: RawBuilder<unknown>) =>
  sql`((${role} = 'ect' AND tp.ect_at_school_period_id = ${period}) OR (${role} = 'mentor' AND tp.mentor_at_school_period_id = ${period}))`;
/** `earliest_training_period` / `latest_training_period` of a school period (`started_on` order; ties by id). */
const boundary = (period: RawBuilder<unknown>, role: RawBuilder<unknown>, direction: "ASC" | "DESC") =>
  sql`(SELECT tp.id FROM rect_training_periods AS tp WHERE ${ofPeriod(period, role)} ORDER BY tp.started_on ${sql.raw(direction)}, tp.id ${sql.raw(direction)} LIMIT 1)`;
/** The lead provider of a training period: its school partnership's (EOI-only and school-led: none). */
const leadProviderOf = (tp: string) => sql`(SELECT alp.lead_provider_id FROM rect_school_partnerships AS sp
  JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
  JOIN rect_active_lead_providers AS alp ON alp.id = lpdp.active_lead_provider_id
  WHERE sp.id = ${sql.ref(`${tp}.school_partnership_id`)})`;
/** `InductionStatus#completed_induction?` (induction_status.rb:9-11,17-19). */
const inductionCompleted = sql`(EXISTS (SELECT 1 FROM rect_induction_periods AS ip WHERE ip.teacher_id = b.teacher_id AND ip.finished_on IS NOT NULL AND ip.outcome IS NOT NULL)
  OR (SELECT x.trs_induction_completed_date FROM rect_teachers AS x WHERE x.id = b.teacher_id) IS NOT NULL)`;

function withTransfers(db: DbOrTrx, leadProviderId: number, params: TransferSqlParams) {
  return db
    .with("school_periods", (w) =>
      w
        .selectFrom("rect_ect_at_school_periods as p")
        .select([sql<string>`'ect'`.as("role"), "p.id", "p.teacher_id", "p.school_id", "p.started_on", "p.finished_on"])
        .unionAll(w.selectFrom("rect_mentor_at_school_periods as p").select([sql<string>`'mentor'`.as("role"), "p.id", "p.teacher_id", "p.school_id", "p.started_on", "p.finished_on"])),
    )
    .with("ordered", (w) =>
      w
        .selectFrom("school_periods as s")
        .selectAll("s")
        .select([
          sql<number | null>`LEAD(s.id) OVER (PARTITION BY s.teacher_id, s.role ORDER BY s.started_on, s.id)`.as("next_id"),
          sql<number | null>`LEAD(s.school_id) OVER (PARTITION BY s.teacher_id, s.role ORDER BY s.started_on, s.id)`.as("next_school_id"),
        ]),
    )
    .with("boundaries", (w) =>
      w
        .selectFrom("ordered as o")
        .selectAll("o")
        .select([
          boundary(sql`o.id`, sql`o.role`, "DESC").as("l_id"),
          boundary(sql`o.id`, sql`o.role`, "ASC").as("first_id"),
          sql<number | null>`CASE WHEN o.next_id IS NULL THEN NULL ELSE ${boundary(sql`o.next_id`, sql`o.role`, "ASC")} END`.as("j_id"),
        ]),
    )
    .with("transfers", (w) =>
      (w as any)
        .selectFrom("boundaries as b")
        .innerJoin("rect_teachers as te", "te.id", "b.teacher_id")
        .innerJoin("rect_training_periods as l", "l.id", "b.l_id")
        .leftJoin("rect_training_periods as j", "j.id", "b.j_id")
        .innerJoin("rect_schools as ls", "ls.id", "b.school_id")
        .leftJoin("rect_schools as js", "js.id", "b.next_school_id")
        .leftJoin("rect_lead_providers as llp", (jn: any) => jn.on(sql`llp.id = ${leadProviderOf("l")}`))
        .leftJoin("rect_lead_providers as jlp", (jn: any) => jn.on(sql`jlp.id = ${leadProviderOf("j")}`))
        .where(sql<boolean>`b.finished_on IS NOT NULL AND l.finished_on IS NOT NULL
          AND (b.next_id IS NULL OR b.next_school_id <> b.school_id)
          AND NOT (b.next_id IS NULL AND ${inductionCompleted})
          AND (llp.id = ${leadProviderId} OR jlp.id = ${leadProviderId})`)
        .select([
          "b.teacher_id as teacher_id",
          "b.role as role",
          "l.started_on as l_started_on",
          "b.started_on as p_started_on",
          sql<string>`max(l.api_transfer_updated_at, COALESCE(j.api_transfer_updated_at, l.api_transfer_updated_at))`.as("updated_at"),
          transferObjectSql(params).as("object"),
        ]),
    )
    .with("ta", (w) =>
      (w as any)
        .selectFrom("transfers as x")
        .groupBy("x.teacher_id")
        .select([
          "x.teacher_id as teacher_id",
          sql<string>`MAX(x.updated_at)`.as("updated_at"),
          // ECT transfers then mentor ones, sorted by the leaving period's start (school_transfer_serializer.rb:93)
          sql<string>`json_group_array(json(x.object) ORDER BY x.l_started_on, x.role, x.p_started_on)`.as("transfers"),
        ]),
    );
}

function teachersWithTransfers(db: DbOrTrx, leadProviderId: number, params: TransferSqlParams) {
  return (withTransfers(db, leadProviderId, params) as any)
    .selectFrom("ta")
    .innerJoin("rect_teachers as te", "te.id", "ta.teacher_id")
    .select(transferResource.documentSql(undefined).as("document"));
}

/**
 * query.rb:88-120: teachers with a boundary training period (the first or the
 * last of any of their school periods) of the caller's, transfer-updated at or after.
 */
const updatedSinceSql = (leadProviderId: number, since: string) => sql<boolean>`EXISTS (SELECT 1 FROM boundaries AS bb
  JOIN rect_training_periods AS btp ON btp.id IN (bb.l_id, bb.first_id)
  WHERE bb.teacher_id = te.id AND btp.api_transfer_updated_at >= ${since} AND ${leadProviderOf("btp")} = ${leadProviderId})`;

export async function transferDocuments(
  db: DbOrTrx,
  leadProviderId: number,
  params: TransferSqlParams,
  updatedSince: Date | null,
  sort: { columns: Record<string, RawBuilder<unknown>>; parts: SortPart[] | null },
  page: Page,
): Promise<string[]> {
  let q = teachersWithTransfers(db, leadProviderId, params);
  if (updatedSince !== null) q = q.where(updatedSinceSql(leadProviderId, toTimestamp(updatedSince)));
  for (const part of sort.parts ?? [{ attribute: "created_at", direction: "asc" as const }]) q = q.orderBy(sort.columns[part.attribute]!, part.direction);
  const rows: { document: string }[] = await q.orderBy("te.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function transferDocument(db: DbOrTrx, leadProviderId: number, params: TransferSqlParams, apiId: string): Promise<string | undefined> {
  const row: { document: string } | undefined = await teachersWithTransfers(db, leadProviderId, params).where("te.api_id", "=", apiId).executeTakeFirst();
  return row?.document;
}
