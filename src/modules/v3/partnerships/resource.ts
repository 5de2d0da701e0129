/**
 * The v3 partnership (a RECT school partnership), defined once
 * (docs/reference/rect/rules.md §13.1; app/serializers/api/school_partnership_serializer.rb:16-55).
 * Its SQL reads `sp` (rect_school_partnerships), `sc` (its school), `lpdp`
 * (its LP–DP partnership), `alp` (that pairing's active lead provider) and
 * `dp` (its delivery partner); `participants_currently_training` needs
 * "today" (the London date of the request's clock).
 */
import { t } from "elysia";
import { sql } from "kysely";
import { defineResource, value } from "../http/resource";

export interface PartnershipSqlParams {
  /** `Time.zone.today`, `YYYY-MM-DD` */
  today: string;
}

/** Ruby's `presence` on text: blank (empty or whitespace only) → nil; the value itself, untrimmed, otherwise. */
const presence = (ref: string) => sql`CASE WHEN TRIM(${sql.ref(ref)}, char(32, 9, 10, 11, 12, 13)) <> '' THEN ${sql.ref(ref)} END`;

/** `Schools::InductionTutorEmail#email_or_gias_contact` (app/services/schools/induction_tutor_email.rb:13-15). */
const tutorEmail = sql`COALESCE(${presence("sc.induction_tutor_email")}, ${presence("sc.gias_primary_contact_email")}, sc.gias_secondary_contact_email)`;

/**
 * `ongoing_training_periods.size` (app/models/school_partnership.rb:8, `contains_today`): the
 * partnership's ECT and mentor training periods whose `[started_on, finished_on]` (inclusive) holds today.
 */
const currentlyTraining = (p: PartnershipSqlParams) => sql`(SELECT COUNT(*) FROM rect_training_periods AS ctp
  WHERE ctp.school_partnership_id = sp.id AND ctp.started_on <= ${p.today} AND (ctp.finished_on IS NULL OR ctp.finished_on >= ${p.today}))`;

const TIMESTAMP = "2025-06-01T09:00:00Z";

export const partnershipResource = defineResource<any, PartnershipSqlParams>({
  type: "partnership",
  id: sql`sp.api_id`,
  exampleId: "b6f3c9a2-4d1e-4c8b-9f2a-5e6d7c8b9a01",
  description: "A partnership of the caller's with a school and a delivery partner, for one cohort",
  attributes: {
    cohort: { schema: t.String({ description: "The cohort of the partnership", example: "2025" }), sql: value.integerText("alp.contract_period_year"), example: "2025" },
    urn: { schema: t.String({ description: "The school's URN", example: "123456" }), sql: value.integerText("sc.urn"), example: "123456" },
    school_id: {
      schema: t.String({ format: "uuid", description: "The school's id", example: "7f2b4c1e-9a3d-4e5f-8b6a-1c2d3e4f5a6b" }),
      sql: value.text("sc.api_id"),
      example: "7f2b4c1e-9a3d-4e5f-8b6a-1c2d3e4f5a6b",
    },
    delivery_partner_id: {
      schema: t.String({ format: "uuid", description: "The delivery partner's id (the current one: a PUT may change it)", example: "3a1b2c3d-7308-4879-942a-c4a70ced400a" }),
      sql: value.text("dp.api_id"),
      example: "3a1b2c3d-7308-4879-942a-c4a70ced400a",
    },
    delivery_partner_name: { schema: t.String({ description: "The delivery partner's name", example: "Delivery Partner One" }), sql: value.text("dp.name"), example: "Delivery Partner One" },
    induction_tutor_name: {
      schema: t.Union([t.String(), t.Null()], { description: "The school's induction tutor", example: "Tutor Name" }),
      sql: value.text("sc.induction_tutor_name"),
      example: "Tutor Name",
    },
    induction_tutor_email: {
      schema: t.Union([t.String(), t.Null()], { description: "The induction tutor's email, else the school's GIAS primary, else its secondary contact", example: "tutor@example.com" }),
      sql: value.raw(tutorEmail),
      example: "tutor@example.com",
    },
    participants_currently_training: {
      schema: t.Integer({ description: "The partnership's ECT and mentor training periods that include today (any status)", example: 3 }),
      sql: (p: PartnershipSqlParams) => currentlyTraining(p),
      example: 3,
    },
    created_at: { schema: t.String({ format: "date-time", example: TIMESTAMP }), sql: value.text("sp.created_at"), example: TIMESTAMP },
    updated_at: {
      schema: t.String({ format: "date-time", description: "Moved by a change of delivery partner, the school's URN or induction tutor, and the delivery partner's name", example: TIMESTAMP }),
      sql: value.text("sp.api_updated_at"),
      example: TIMESTAMP,
    },
  },
});
