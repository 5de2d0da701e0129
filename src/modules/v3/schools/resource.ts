/**
 * The v3 school, defined once (docs/reference/rect/rules.md §14.2; app/serializers/api/school_serializer.rb:13-42).
 * Its SQL reads `sc` (rect_schools) and `scp` (its rect_school_contract_periods
 * row for the cohort asked for); it needs the caller and the cohort.
 */
import { t } from "elysia";
import { type RawBuilder, sql } from "kysely";
import { defineResource, value } from "../http/resource";

export interface SchoolSqlParams {
  leadProviderId: number;
  year: number;
}

/** Any school partnership (any lead provider) of the school in the cohort (metadata/handlers/school.rb:30,68-73). */
export const inPartnershipSql = (year: number) => sql`EXISTS (SELECT 1 FROM rect_school_partnerships AS sp
  JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
  JOIN rect_active_lead_providers AS alp ON alp.id = lpdp.active_lead_provider_id
  WHERE sp.school_id = sc.id AND alp.contract_period_year = ${year})`;

/**
 * A training period at the school (ECT or mentor, any date or state) with an
 * EOI or a partnership whose lead provider and cohort are the caller's and the
 * cohort asked for; where a period has both, the EOI's count
 * (app/models/school.rb:149-164, COALESCE of the EOI's and the partnership's).
 */
export const expressionOfInterestSql = ({ leadProviderId, year }: SchoolSqlParams) => sql`EXISTS (SELECT 1 FROM rect_training_periods AS tp
  LEFT JOIN rect_ect_at_school_periods AS e ON e.id = tp.ect_at_school_period_id
  LEFT JOIN rect_mentor_at_school_periods AS m ON m.id = tp.mentor_at_school_period_id
  LEFT JOIN rect_active_lead_providers AS ealp ON ealp.id = tp.expression_of_interest_id
  LEFT JOIN rect_school_partnerships AS sp ON sp.id = tp.school_partnership_id
  LEFT JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
  LEFT JOIN rect_active_lead_providers AS palp ON palp.id = lpdp.active_lead_provider_id
  WHERE (e.school_id = sc.id OR m.school_id = sc.id)
    AND (tp.expression_of_interest_id IS NOT NULL OR tp.school_partnership_id IS NOT NULL)
    AND COALESCE(ealp.lead_provider_id, palp.lead_provider_id) = ${leadProviderId}
    AND COALESCE(ealp.contract_period_year, palp.contract_period_year) = ${year})`;

/**
 * `induction_programme_choice` (app/services/schools/training_programme.rb):
 * provider_led when a mentor at the school has a training period with an EOI
 * or a partnership in the cohort; else, over the school's ECT periods with an
 * EOI or partnership training period in the cohort, or a school-led one (no
 * EOI, no partnership) starting inside the cohort's dates, the smallest
 * programme of all their training periods (`provider_led` < `school_led`);
 * none: not_yet_known.
 */
export const programmeChoiceSql = (year: number): RawBuilder<unknown> => {
  const cohortOf = (tp: string) => sql`COALESCE(
    (SELECT a.contract_period_year FROM rect_active_lead_providers AS a WHERE a.id = ${sql.ref(`${tp}.expression_of_interest_id`)}),
    -1)`;
  const partnershipCohortOf = (tp: string) => sql`COALESCE(
    (SELECT a.contract_period_year FROM rect_school_partnerships AS sp
      JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
      JOIN rect_active_lead_providers AS a ON a.id = lpdp.active_lead_provider_id
      WHERE sp.id = ${sql.ref(`${tp}.school_partnership_id`)}), -1)`;
  const mentors = sql`EXISTS (SELECT 1 FROM rect_mentor_at_school_periods AS m JOIN rect_training_periods AS mtp ON mtp.mentor_at_school_period_id = m.id
    WHERE m.school_id = sc.id AND (${cohortOf("mtp")} = ${year} OR ${partnershipCohortOf("mtp")} = ${year}))`;
  const ects = sql`SELECT e.id FROM rect_ect_at_school_periods AS e JOIN rect_training_periods AS etp ON etp.ect_at_school_period_id = e.id
    WHERE e.school_id = sc.id AND (${cohortOf("etp")} = ${year} OR ${partnershipCohortOf("etp")} = ${year}
      OR (etp.training_programme = 'school_led' AND etp.expression_of_interest_id IS NULL AND etp.school_partnership_id IS NULL
        AND EXISTS (SELECT 1 FROM rect_contract_periods AS cp WHERE cp.year = ${year} AND etp.started_on BETWEEN cp.started_on AND cp.finished_on)))`;
  return sql`CASE WHEN ${mentors} THEN 'provider_led'
    ELSE COALESCE((SELECT MIN(atp.training_programme) FROM rect_training_periods AS atp WHERE atp.ect_at_school_period_id IN (${ects})), 'not_yet_known') END`;
};

const tutorEmail = sql`COALESCE(NULLIF(TRIM(sc.induction_tutor_email), ''), NULLIF(TRIM(sc.gias_primary_contact_email), ''), sc.gias_secondary_contact_email)`;

export const schoolResource = defineResource<any, SchoolSqlParams>({
  type: "school",
  id: sql`sc.api_id`,
  exampleId: "7f2b4c1e-9a3d-4e5f-8b6a-1c2d3e4f5a6b",
  description: "A school, as seen for one cohort: every eligible school, and any school partnered in that cohort",
  attributes: {
    name: { schema: t.String({ description: "The school's name (GIAS)", example: "Test School" }), sql: value.text("sc.name"), example: "Test School" },
    urn: { schema: t.String({ description: "The school's URN", example: "123456" }), sql: value.integerText("sc.urn"), example: "123456" },
    cohort: { schema: t.String({ description: "The cohort asked for", example: "2025" }), sql: (p: SchoolSqlParams) => sql`${String(p.year)}`, example: "2025" },
    in_partnership: {
      schema: t.Boolean({ description: "Whether the school has a partnership (with any provider) in the cohort" }),
      sql: (p: SchoolSqlParams) => value.boolean(inPartnershipSql(p.year)),
      example: true,
    },
    induction_programme_choice: {
      schema: t.String({ enum: ["provider_led", "school_led", "not_yet_known"], description: "The school's training choice for the cohort" }),
      sql: (p: SchoolSqlParams) => programmeChoiceSql(p.year),
      example: "provider_led",
    },
    expression_of_interest: {
      schema: t.Boolean({ description: "Whether the school chose the caller for the cohort (an EOI, or a partnership with participants)" }),
      sql: (p: SchoolSqlParams) => value.boolean(expressionOfInterestSql(p)),
      example: true,
    },
    induction_tutor_name: {
      schema: t.Union([t.String(), t.Null()], { description: "Only when `expression_of_interest`" }),
      sql: (p: SchoolSqlParams) => sql`CASE WHEN ${expressionOfInterestSql(p)} THEN sc.induction_tutor_name END`,
      example: "Tutor Name",
    },
    induction_tutor_email: {
      schema: t.Union([t.String(), t.Null()], { description: "Only when `expression_of_interest`: the tutor's, else the school's GIAS contacts" }),
      sql: (p: SchoolSqlParams) => sql`CASE WHEN ${expressionOfInterestSql(p)} THEN ${tutorEmail} END`,
      example: "tutor@example.com",
    },
    created_at: { schema: t.String({ format: "date-time", example: "2025-06-01T09:00:00Z" }), sql: value.text("sc.created_at"), example: "2025-06-01T09:00:00Z" },
    updated_at: {
      schema: t.String({ format: "date-time", description: "The school's timestamp for this cohort", example: "2025-06-01T09:00:00Z" }),
      sql: value.text("scp.api_updated_at"),
      example: "2025-06-01T09:00:00Z",
    },
  },
});
