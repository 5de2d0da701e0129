/**
 * The v3 participant, defined once (docs/reference/rect/rules.md §6.3;
 * app/serializers/api/teacher_serializer.rb:36-181 at 0fe31d1aa): one row per
 * teacher, its `ecf_enrolments` built from the caller's latest ECT and mentor
 * training periods (§5.9).
 *
 * Its SQL reads `te` (rect_teachers) and, for each role `p` of `e` (ECT) and
 * `m` (mentor), the aliases participants/queries.ts joins: `ptp` (the
 * caller's latest training period of the role, or no row), `pas` (its
 * at-school period), `psp` (its school partnership), `plpdp`, `palp` (the
 * partnership's active lead provider: the cohort), `pcp` (that contract
 * period), `psc` (the partnership's school), `pdp` (its current delivery
 * partner), `psch` (the schedule). It needs the caller and today (London).
 */
import { type TSchema, t } from "elysia";
import { type RawBuilder, sql } from "kysely";
import { type Attribute, defineResource, value } from "../http/resource";

export interface ParticipantSqlParams {
  leadProviderId: number;
  /** London `YYYY-MM-DD` (RECT's `Date.current`), or an SQL expression of one (read-model.ts renders in triggers) */
  today: Today;
  /**
   * The stored form (read-model.ts): the two attributes that depend on today,
   * `participant_status` and the ECT's `mentor_id`, are null, set per request
   * from the stored parts (StatusParts, the ECT's school period).
   */
  stored?: boolean;
}

export type Role = "ect" | "mentor";
/** a London date: a value, or an SQL expression of one */
export type Today = string | RawBuilder<unknown>;
const P = { ect: "e", mentor: "m" } as const;
const ref = (role: Role, alias: string, column: string) => sql.ref(`${P[role]}${alias}.${column}`);

/** Ruby's `blank?` for text: null or only whitespace. */
const present = (x: RawBuilder<unknown>) => sql`(${x} IS NOT NULL AND TRIM(${x}, char(32, 9, 10, 11, 12, 13)) <> '')`;

/**
 * The London calendar date of a stored UTC timestamp (`…Z`): British Summer
 * Time from the last Sunday of March 01:00 UTC to the last Sunday of October
 * 01:00 UTC (`Time#to_date` in `config.time_zone` Europe/London).
 */
export const londonDateSql = (ts: RawBuilder<unknown>) => sql`CASE WHEN ${ts} IS NULL THEN NULL
  WHEN ${ts} >= date(substr(${ts}, 1, 4) || '-03-31', '-6 days', 'weekday 0') || 'T01:00:00Z'
   AND ${ts} < date(substr(${ts}, 1, 4) || '-10-31', '-6 days', 'weekday 0') || 'T01:00:00Z'
  THEN date(${ts}, '+1 hour') ELSE date(${ts}) END`;

/** `API::TrainingPeriods::TrainingStatus#status` (training_status.rb:9-19): the later stamp wins; a tie is `withdrawn` (`max_by` keeps the first). */
export const trainingStatusSql = (role: Role) => {
  const w = ref(role, "tp", "withdrawn_at");
  const d = ref(role, "tp", "deferred_at");
  return sql`CASE WHEN ${w} IS NULL AND ${d} IS NULL THEN 'active' WHEN ${d} IS NULL THEN 'withdrawn' WHEN ${w} IS NULL THEN 'deferred'
    WHEN ${w} >= ${d} THEN 'withdrawn' ELSE 'deferred' END`;
};

/** `finished_on` of the latest finished induction period with an outcome, else TRS's completed date (induction_status.rb:9-11; teacher.rb:48). */
export const inductionEndDateSql = sql`COALESCE((SELECT ip.finished_on FROM rect_induction_periods AS ip
    WHERE ip.teacher_id = te.id AND ip.finished_on IS NOT NULL AND ip.outcome IS NOT NULL ORDER BY ip.started_on DESC, ip.id DESC LIMIT 1),
  te.trs_induction_completed_date)`;

/** What `participant_status` is decided from, per role: the parts that do not depend on today (read-model.ts stores them). */
export interface StatusParts {
  /** withdrawn or deferred (a condition) */
  stopped: RawBuilder<unknown>;
  /** the induction (ECT) or the mentor's funding is over, before the period ends (a condition) */
  completed: RawBuilder<unknown>;
  started: RawBuilder<unknown>;
  finished: RawBuilder<unknown>;
}

export const statusParts = (role: Role): StatusParts => {
  const tp = (c: string) => ref(role, "tp", c);
  return {
    stopped: sql`(${tp("withdrawn_at")} IS NOT NULL OR ${tp("deferred_at")} IS NOT NULL)`,
    completed:
      role === "ect"
        ? sql`(${inductionEndDateSql} IS NOT NULL AND (${tp("finished_on")} IS NULL OR ${inductionEndDateSql} <= ${tp("finished_on")}))`
        : sql`(te.mentor_became_ineligible_for_funding_on IS NOT NULL AND (${tp("finished_on")} IS NULL OR te.mentor_became_ineligible_for_funding_on <= ${tp("finished_on")}))`,
    started: tp("started_on"),
    finished: tp("finished_on"),
  };
};

/**
 * `API::TrainingPeriods::TeacherStatus#status` (teacher_status.rb:13-25),
 * first match wins; `future?` is after today.
 */
export const participantStatusFrom = (x: StatusParts, today: Today) => {
  const finishedOrLeft = sql`CASE WHEN ${x.finished} > ${today} THEN 'leaving' ELSE 'left' END`;
  return sql`CASE WHEN ${x.stopped} THEN ${finishedOrLeft}
    WHEN ${x.completed} THEN 'active'
    WHEN ${x.finished} IS NOT NULL THEN ${finishedOrLeft}
    WHEN ${x.started} > ${today} THEN 'joining'
    ELSE 'active' END`;
};
export const participantStatusSql = (role: Role, today: Today) => participantStatusFrom(statusParts(role), today);

/** The ECT's `mentor_id`: the mentor of the school period's current or next mentorship (metadata/handlers/teacher.rb:74-82). */
export const mentorIdSql = (ectAtSchoolPeriodId: RawBuilder<unknown>, today: Today, column: "mt.api_id" | "mp.finished_on" = "mt.api_id") => sql`(SELECT ${sql.ref(column)} FROM rect_mentorship_periods AS mp
  JOIN rect_mentor_at_school_periods AS mmp ON mmp.id = mp.mentor_at_school_period_id
  JOIN rect_teachers AS mt ON mt.id = mmp.teacher_id
  WHERE mp.ect_at_school_period_id = ${ectAtSchoolPeriodId} AND (mp.finished_on IS NULL OR mp.finished_on >= ${today})
  ORDER BY mp.started_on, mp.id LIMIT 1)`;

/** `API::Teachers::EligibilityForFunding#eligible?` (eligibility_for_funding.rb:9-30): null when neither date; a tie is true. */
const eligibleForFundingSql = (role: Role) => {
  const on = londonDateSql(sql.ref(`te.${role}_first_became_eligible_for_training_at`));
  const off = sql.ref(`te.${role}_became_ineligible_for_funding_on`);
  return sql`json(CASE WHEN ${on} IS NULL AND ${off} IS NULL THEN 'null' WHEN ${off} IS NULL THEN 'true' WHEN ${on} IS NULL THEN 'false'
    WHEN ${on} <= ${off} THEN 'true' ELSE 'false' END)`;
};

/** teacher_serializer.rb:148-163: false unless the cohort has uplift fees; then the partnership school's funding for that cohort, false if none. */
const upliftSql = (role: Role, column: "pupil_premium_uplift" | "sparsity_uplift") =>
  value.boolean(sql`(${ref(role, "cp", "uplift_fees_enabled")} = 1 AND COALESCE((SELECT f.${sql.ref(column)} FROM rect_school_funding AS f
    WHERE f.school_id = ${ref(role, "sc", "id")} AND f.contract_period_year = ${ref(role, "cp", "year")}), 0) = 1)`);

/** `{"reason": dasherized, "date"}` when the training status is the one named, else null (teacher_serializer.rb:99-106). */
const stopSql = (role: Role, status: "withdrawn" | "deferred") => {
  const [reason, at] = status === "withdrawn" ? ["withdrawal_reason", "withdrawn_at"] : ["deferral_reason", "deferred_at"];
  return sql`json(CASE WHEN ${trainingStatusSql(role)} = ${status}
    THEN json_object('reason', REPLACE(${ref(role, "tp", reason)}, '_', '-'), 'date', ${ref(role, "tp", at)}) ELSE 'null' END)`;
};

const ectOnly = (role: Role, expression: RawBuilder<unknown>) => (role === "ect" ? expression : sql`NULL`);
const mentorOnly = (role: Role, expression: RawBuilder<unknown>) => (role === "mentor" ? expression : sql`NULL`);

const nullable = (schema: TSchema) => t.Union([schema, t.Null()]);
const date = (description: string) => nullable(t.String({ format: "date", description }));

/** One `ecf_enrolments` item's fields, in output order (teacher_serializer.rb:52-145). */
function enrolmentFields(role: Role): Record<string, Attribute<ParticipantSqlParams>> {
  const tp = (c: string) => ref(role, "tp", c);
  return {
    training_record_id: { schema: t.String({ format: "uuid" }), sql: sql.ref(`te.api_${role}_training_record_id`), example: "b1a4f4d2-3c1e-4d0e-9a55-0c9e5a3b1f20" },
    email: { schema: nullable(t.String({ description: "The school period's email" })), sql: ref(role, "as", "email"), example: "ada@example.com" },
    mentor_id: {
      schema: nullable(t.String({ format: "uuid", description: "ECT only: the mentor of the school period's current or next mentorship (metadata/handlers/teacher.rb:74-82)" })),
      sql: (p: ParticipantSqlParams) => ectOnly(role, p.stored ? sql`NULL` : mentorIdSql(tp("ect_at_school_period_id"), p.today)),
      example: null,
    },
    school_urn: { schema: t.String({ description: "The URN of the partnership's school" }), sql: sql`CAST(${ref(role, "sc", "urn")} AS TEXT)`, example: "123456" },
    participant_type: { schema: t.String({ enum: ["ect", "mentor"] }), sql: sql`${sql.lit(role)}`, example: role },
    cohort: { schema: t.String({ description: "The partnership's cohort" }), sql: sql`CAST(${ref(role, "alp", "contract_period_year")} AS TEXT)`, example: "2025" },
    training_status: { schema: t.String({ enum: ["active", "deferred", "withdrawn"] }), sql: trainingStatusSql(role), example: "active" },
    participant_status: {
      schema: t.String({ enum: ["joining", "active", "leaving", "left"], description: "Depends on today: it can change without `updated_at` moving" }),
      sql: (p: ParticipantSqlParams) => (p.stored ? sql`NULL` : participantStatusSql(role, p.today)),
      example: "active",
    },
    eligible_for_funding: { schema: nullable(t.Boolean()), sql: eligibleForFundingSql(role), example: true },
    pupil_premium_uplift: { schema: t.Boolean(), sql: upliftSql(role, "pupil_premium_uplift"), example: false },
    sparsity_uplift: { schema: t.Boolean(), sql: upliftSql(role, "sparsity_uplift"), example: false },
    schedule_identifier: { schema: t.String(), sql: ref(role, "sch", "identifier"), example: "ecf-standard-september" },
    delivery_partner_id: { schema: t.String({ format: "uuid", description: "The partnership's current delivery partner" }), sql: ref(role, "dp", "api_id"), example: "3a1b2c3d-7308-4879-942a-c4a70ced400a" },
    withdrawal: {
      schema: nullable(t.Object({ reason: t.String(), date: t.String({ format: "date-time" }) })),
      sql: stopSql(role, "withdrawn"),
      example: null,
    },
    deferral: {
      schema: nullable(t.Object({ reason: t.String(), date: t.String({ format: "date-time" }) })),
      sql: stopSql(role, "deferred"),
      example: null,
    },
    created_at: {
      schema: t.String({ format: "date-time", description: "The teacher's earliest school period of the role (any school)" }),
      sql: sql`(SELECT x.created_at FROM ${sql.table(`rect_${role}_at_school_periods`)} AS x WHERE x.teacher_id = te.id ORDER BY x.started_on, x.id LIMIT 1)`,
      example: "2025-06-01T09:00:00Z",
    },
    induction_end_date: { schema: date("ECT only"), sql: ectOnly(role, inductionEndDateSql), example: null },
    most_recent_induction_period_end_date: {
      schema: date("ECT only"),
      sql: ectOnly(role, sql`(SELECT ip.finished_on FROM rect_induction_periods AS ip WHERE ip.teacher_id = te.id ORDER BY ip.started_on DESC, ip.id DESC LIMIT 1)`),
      example: null,
    },
    overall_induction_start_date: {
      schema: date("ECT only"),
      sql: ectOnly(
        role,
        sql`COALESCE((SELECT ip.started_on FROM rect_induction_periods AS ip WHERE ip.teacher_id = te.id ORDER BY ip.started_on, ip.id LIMIT 1), te.trs_induction_start_date)`,
      ),
      example: "2025-09-01",
    },
    mentor_funding_end_date: { schema: date("Mentor only"), sql: mentorOnly(role, sql`te.mentor_became_ineligible_for_funding_on`), example: null },
    cohort_changed_after_payments_frozen: { schema: t.Boolean(), sql: value.boolean(sql`${sql.ref(`te.${role}_payments_frozen_year`)} IS NOT NULL`), example: false },
    mentor_ineligible_for_funding_reason: {
      schema: nullable(t.String({ enum: ["completed_declaration_received", "completed_during_early_roll_out", "started_not_completed"], description: "Mentor only" })),
      sql: mentorOnly(role, sql`te.mentor_became_ineligible_for_funding_reason`),
      example: null,
    },
    working_pattern: {
      schema: nullable(t.String({ enum: ["full_time", "part_time"], description: "ECT only: of the teacher's latest ECT school period (any school)" })),
      sql: ectOnly(role, sql`(SELECT x.working_pattern FROM rect_ect_at_school_periods AS x WHERE x.teacher_id = te.id ORDER BY x.started_on DESC, x.id DESC LIMIT 1)`),
      example: null,
    },
  };
}

const ECT_FIELDS = enrolmentFields("ect");
const MENTOR_FIELDS = enrolmentFields("mentor");

const objectSql = (fields: Record<string, Attribute<ParticipantSqlParams>>, p: ParticipantSqlParams) =>
  sql`json_object(${sql.join(
    Object.entries(fields).map(([name, f]) => sql`${sql.lit(name)}, ${typeof f.sql === "function" ? f.sql(p) : f.sql}`),
    sql`, `,
  )})`;

export const enrolmentSchema = t.Object(
  Object.fromEntries(Object.entries(ECT_FIELDS).map(([name, f]) => [name, name === "participant_type" ? t.String({ enum: ["ect", "mentor"] }) : f.schema])),
  { description: "The caller's latest training period of one role" },
);
const enrolmentExample = Object.fromEntries(Object.entries(ECT_FIELDS).map(([name, f]) => [name, f.example]));

/** `ecf_enrolments`: the ECT enrolment, then the mentor one, each only when the caller has a training period of the role (teacher_serializer.rb:172-175). */
const enrolmentsSql = (p: ParticipantSqlParams) => sql`json(CASE
  WHEN etp.id IS NOT NULL AND mtp.id IS NOT NULL THEN json_array(${objectSql(ECT_FIELDS, p)}, ${objectSql(MENTOR_FIELDS, p)})
  WHEN etp.id IS NOT NULL THEN json_array(${objectSql(ECT_FIELDS, p)})
  WHEN mtp.id IS NOT NULL THEN json_array(${objectSql(MENTOR_FIELDS, p)})
  ELSE '[]' END)`;

/** `Teachers::Name#full_name` (app/services/teachers/name.rb:8-20). */
const first = sql`te.trs_first_name`;
const last = sql`te.trs_last_name`;
const keep = (x: RawBuilder<unknown>) => sql`(${present(x)} AND ${x} <> '.')`;
export const fullNameSql = sql`CASE WHEN ${present(sql`te.corrected_name`)} THEN te.corrected_name
  WHEN ${keep(first)} AND ${keep(last)} THEN ${first} || ' ' || ${last}
  WHEN ${keep(first)} THEN ${first}
  WHEN ${keep(last)} THEN ${last}
  ELSE 'Unknown' END`;

export const participantResource = defineResource<any, ParticipantSqlParams>({
  type: "participant",
  id: sql`te.api_id`,
  exampleId: "db3a7848-7308-4879-942a-c4a70ced400a",
  description: "A teacher the caller trains or trained (a training period in one of its partnerships, any cohort, any state)",
  attributes: {
    full_name: { schema: t.String(), sql: fullNameSql, example: "Ada Lovelace" },
    teacher_reference_number: { schema: nullable(t.String()), sql: value.text("te.trn"), example: "1234567" },
    updated_at: { schema: t.String({ format: "date-time" }), sql: value.text("te.api_updated_at"), example: "2025-06-01T09:00:00Z" },
    ecf_enrolments: { schema: t.Array(enrolmentSchema, { example: [enrolmentExample] }), sql: enrolmentsSql, example: [enrolmentExample] },
    participant_id_changes: {
      schema: t.Array(t.Object({ from_participant_id: t.String({ format: "uuid" }), to_participant_id: t.String({ format: "uuid" }), changed_at: t.String({ format: "date-time" }) })),
      sql: sql`json((SELECT json_group_array(json_object('from_participant_id', c.api_from_teacher_id, 'to_participant_id', c.api_to_teacher_id, 'changed_at', c.created_at))
        FROM (SELECT * FROM rect_teacher_id_changes AS x WHERE x.teacher_id = te.id ORDER BY x.id) AS c))`,
      example: [],
    },
  },
});
