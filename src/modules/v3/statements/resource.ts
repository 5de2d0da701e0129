/**
 * The v3 statement, defined once (docs/reference/rect/rules.md §11; app/serializers/api/statement_serializer.rb:11-18).
 * Its SQL reads `s` (rect_statements) and `alp` (its rect_active_lead_providers row).
 */
import { t } from "elysia";
import { sql } from "kysely";
import { defineResource, value } from "../http/resource";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const monthName = sql`CASE s.month ${sql.join(
  MONTHS.map((name, i) => sql`WHEN ${sql.lit(i + 1)} THEN ${sql.lit(name)}`),
  sql` `,
)} END`;

export const statementResource = defineResource({
  type: "statement",
  id: sql`s.api_id`,
  exampleId: "d3a12347-7308-4879-942a-c4a70ced400a",
  description: "A financial statement of the caller's, output fees only (service fee statements are never shown)",
  attributes: {
    month: { schema: t.String({ description: "The month of the statement, in English", example: "November" }), sql: monthName, example: "November" },
    year: { schema: t.String({ description: "The year of the statement", example: "2025" }), sql: value.integerText("s.year"), example: "2025" },
    cohort: {
      schema: t.String({ description: "The cohort (contract period) the statement pays for", example: "2025" }),
      sql: value.integerText("alp.contract_period_year"),
      example: "2025",
    },
    cut_off_date: {
      schema: t.String({ format: "date", description: "The last day declarations count for this statement (its deadline)", example: "2025-10-31" }),
      sql: value.text("s.deadline_date"),
      example: "2025-10-31",
    },
    payment_date: {
      schema: t.String({ format: "date", description: "The day the statement is paid", example: "2025-11-25" }),
      sql: value.text("s.payment_date"),
      example: "2025-11-25",
    },
    paid: { schema: t.Boolean({ description: "Whether the statement has been paid" }), sql: value.boolean(sql`s.status = 'paid'`), example: false },
    created_at: {
      schema: t.String({ format: "date-time", example: "2025-06-01T09:00:00Z" }),
      sql: value.text("s.created_at"),
      example: "2025-06-01T09:00:00Z",
    },
    updated_at: {
      schema: t.String({ format: "date-time", description: "Moved by any change to the statement", example: "2025-06-01T09:00:00Z" }),
      sql: value.text("s.api_updated_at"),
      example: "2025-06-01T09:00:00Z",
    },
  },
});
