/**
 * The v3 participant transfer, defined once (docs/reference/rect/rules.md §8.3;
 * app/serializers/api/teachers/school_transfer_serializer.rb:25-96 at 0fe31d1aa).
 *
 * The document reads `te` (rect_teachers) and `ta` (the teacher's transfers
 * for the caller, aggregated by transfers/queries.ts: `ta.updated_at`,
 * `ta.transfers`). One transfer's fields read the aliases of the `transfers`
 * CTE: `b` (the leaving school period with its next one), `l` (its latest
 * training period), `j` (the next school period's earliest one, or no row),
 * `ls`/`js` (the leaving and joining schools), `llp`/`jlp` (the two training
 * periods' lead providers, or no row).
 */
import { t } from "elysia";
import { sql } from "kysely";
import { type Attribute, defineResource, value } from "../http/resource";

export interface TransferSqlParams {
  /** London `YYYY-MM-DD` */
  today: string;
}

/** `Transfer#type` (transfer.rb:22-29): no joining period → unknown; another lead provider (or none on one side) → new_provider; else new_school. */
const typeSql = sql`CASE WHEN j.id IS NULL THEN 'unknown' WHEN llp.id IS NULL AND jlp.id IS NULL THEN 'new_school'
  WHEN llp.id IS NULL OR jlp.id IS NULL OR llp.id <> jlp.id THEN 'new_provider' ELSE 'new_school' END`;

const side = (school: string, provider: string, date: string) =>
  sql`json_object('school_urn', CAST(${sql.ref(`${school}.urn`)} AS TEXT), 'provider', ${sql.ref(`${provider}.name`)}, 'date', ${sql.ref(date)})`;

const nullable = (schema: ReturnType<typeof t.Object>) => t.Union([schema, t.Null()]);
const sideSchema = t.Object({ school_urn: t.String(), provider: t.Union([t.String(), t.Null()]), date: t.String({ format: "date" }) });

/** One transfer's fields in output order (school_transfer_serializer.rb:37-64). */
export const TRANSFER_FIELDS: Record<string, Attribute<TransferSqlParams>> = {
  training_record_id: {
    schema: t.String({ format: "uuid", description: "The ECT or mentor training record id, by the leaving period's role" }),
    sql: sql`CASE WHEN b.role = 'ect' THEN te.api_ect_training_record_id ELSE te.api_mentor_training_record_id END`,
    example: "b1a4f4d2-3c1e-4d0e-9a55-0c9e5a3b1f20",
  },
  transfer_type: { schema: t.String({ enum: ["new_school", "new_provider", "unknown"] }), sql: typeSql, example: "new_school" },
  status: {
    schema: t.String({ enum: ["incomplete", "complete"], description: "Depends on today" }),
    sql: (p: TransferSqlParams) => sql`CASE WHEN l.finished_on > ${p.today} OR j.started_on > ${p.today} THEN 'incomplete' ELSE 'complete' END`,
    example: "complete",
  },
  created_at: { schema: t.String({ format: "date-time", description: "The leaving training period's created_at (a date-time, whatever the swagger says)" }), sql: value.text("l.created_at"), example: "2025-06-01T09:00:00Z" },
  leaving: { schema: sideSchema, sql: side("ls", "llp", "l.finished_on"), example: { school_urn: "123456", provider: "Provider A", date: "2025-12-31" } },
  joining: {
    schema: nullable(sideSchema),
    sql: sql`json(CASE WHEN j.id IS NULL THEN 'null' ELSE ${side("js", "jlp", "j.started_on")} END)`,
    example: { school_urn: "654321", provider: "Provider A", date: "2026-01-05" },
  },
};

export const transferObjectSql = (p: TransferSqlParams) =>
  sql<string>`json_object(${sql.join(
    Object.entries(TRANSFER_FIELDS).map(([name, f]) => sql`${sql.lit(name)}, ${typeof f.sql === "function" ? f.sql(p) : f.sql}`),
    sql`, `,
  )})`;

const transferExample = Object.fromEntries(Object.entries(TRANSFER_FIELDS).map(([name, f]) => [name, f.example]));

export const transferResource = defineResource<any>({
  type: "participant-transfer",
  id: sql`te.api_id`,
  exampleId: "db3a7848-7308-4879-942a-c4a70ced400a",
  description: "A participant's school transfers seen by the caller (it is the leaving or the joining provider)",
  attributes: {
    updated_at: { schema: t.String({ format: "date-time", description: "The latest of the transfers' training periods' transfer timestamps" }), sql: value.text("ta.updated_at"), example: "2025-06-01T09:00:00Z" },
    transfers: {
      schema: t.Array(t.Object(Object.fromEntries(Object.entries(TRANSFER_FIELDS).map(([name, f]) => [name, f.schema]))), { example: [transferExample] }),
      sql: sql`json(ta.transfers)`,
      example: [transferExample],
    },
  },
});
