/**
 * The v3 participant declaration, defined once (docs/reference/rect/rules.md §10.4;
 * app/serializers/api/declaration_serializer.rb:18-58, attributes in that order).
 * Its SQL reads the aliases of queries.ts `declarationRows`: `d` (rect_declarations),
 * `tp` (its training period), `tt` (the trainee's rect_teachers row), `mt` (the
 * mentor's rect_teachers row through the declaration's mentorship, or null),
 * `dp` (delivery_partner_when_created), `ps`/`cs` (payment/clawback statements),
 * `lp` (the lead provider of the training period's partnership).
 */
import { t } from "elysia";
import { sql } from "kysely";
import { defineResource, value } from "../http/resource";

const nullableString = (options: Record<string, unknown>) => t.Union([t.String(options), t.Null()], { description: options.description as string | undefined });

export const DECLARATION_STATES = ["submitted", "eligible", "payable", "paid", "voided", "awaiting-clawback", "clawed-back"] as const;

export const declarationResource = defineResource({
  type: "participant-declaration",
  id: sql`d.api_id`,
  exampleId: "8e9c3c4a-5b53-4bd4-9c39-0a8a4b1f7a11",
  description: "A declaration of the caller's, or a billable one of a previous provider of the same participant (docs/reference/rect/rules.md §10.2)",
  attributes: {
    participant_id: {
      schema: t.String({ format: "uuid", description: "The participant (teacher) the declaration is for" }),
      sql: value.text("tt.api_id"),
      example: "0f2f8f1c-3a65-4f24-8a37-6b4b3d5a2c10",
    },
    declaration_type: {
      schema: t.String({ description: "started, retained-1..4, completed, extended-1..3", example: "started" }),
      sql: value.text("d.declaration_type"),
      example: "started",
    },
    course_identifier: {
      schema: t.Union([t.Literal("ecf-induction"), t.Literal("ecf-mentor")], { description: "ecf-induction for an ECT training period, ecf-mentor for a mentor one" }),
      sql: sql`CASE WHEN tp.ect_at_school_period_id IS NOT NULL THEN 'ecf-induction' ELSE 'ecf-mentor' END`,
      example: "ecf-induction",
    },
    declaration_date: {
      schema: t.String({ format: "date-time", example: "2025-10-01T09:00:00Z" }),
      sql: value.text("d.declaration_date"),
      example: "2025-10-01T09:00:00Z",
    },
    mentor_id: {
      schema: nullableString({ format: "uuid", description: "ECTs: the mentor of the mentorship chosen at creation; else null" }),
      sql: value.text("mt.api_id"),
      example: null,
    },
    state: {
      schema: t.Union(DECLARATION_STATES.map((s) => t.Literal(s)), { description: "There is no `ineligible` state in RECT" }),
      sql: sql`CASE WHEN d.clawback_status <> 'no_clawback' THEN replace(d.clawback_status, '_', '-') WHEN d.payment_status = 'no_payment' THEN 'submitted' ELSE d.payment_status END`,
      example: "eligible",
    },
    updated_at: {
      schema: t.String({ format: "date-time", example: "2025-10-01T09:00:00Z" }),
      sql: value.text("d.api_updated_at"),
      example: "2025-10-01T09:00:00Z",
    },
    created_at: {
      schema: t.String({ format: "date-time", example: "2025-10-01T09:00:00Z" }),
      sql: value.text("d.created_at"),
      example: "2025-10-01T09:00:00Z",
    },
    delivery_partner_id: {
      schema: t.String({ format: "uuid", description: "The delivery partner when the declaration was created (not the partnership's current one)" }),
      sql: value.text("dp.api_id"),
      example: "d3a12347-7308-4879-942a-c4a70ced400b",
    },
    statement_id: {
      schema: nullableString({ format: "uuid", description: "The payment statement; null once voided" }),
      sql: sql`CASE WHEN d.payment_status = 'voided' THEN NULL ELSE ps.api_id END`,
      example: "d3a12347-7308-4879-942a-c4a70ced400a",
    },
    clawback_statement_id: {
      schema: nullableString({ format: "uuid", description: "The clawback statement, or null" }),
      sql: value.text("cs.api_id"),
      example: null,
    },
    ineligible_for_funding_reason: { schema: t.Null({ description: "Always null" }), sql: sql`NULL`, example: null },
    uplift_paid: {
      schema: t.Boolean({ description: "Paid (or in clawback after payment) with a sparsity or pupil premium uplift" }),
      sql: value.boolean(sql`d.payment_status = 'paid' AND (d.sparsity_uplift = 1 OR d.pupil_premium_uplift = 1)`),
      example: false,
    },
    evidence_held: {
      schema: nullableString({ description: "The evidence type as stored (null for a pre-2025 started declaration)" }),
      sql: value.text("d.evidence_type"),
      example: "training-event-attended",
    },
    lead_provider_name: {
      schema: t.String({ description: "The lead provider of the declaration's training period" }),
      sql: value.text("lp.name"),
      example: "Ambition Institute",
    },
  },
});
