import { type Kysely, sql } from "kysely";

/**
 * The RECT world (v3), beside and separate from the ECF world of 0001–0003
 * (docs/reference/rect/control-plane.md §0.5: two stores; only the admin
 * token, the clock, snapshots and the request log are shared).
 *
 * Tables follow RECT's `db/schema.rb` at 0fe31d1aa (column names kept where
 * the API or a rule reads them), with these simplifications:
 *
 * - integer primary keys (`id`), and a text `api_id` (UUID) where the API
 *   shows one;
 * - statements hang on the active lead provider directly (RECT: statement →
 *   contract → active lead provider; the contract is not visible over the API);
 * - a school carries its GIAS facts (name, eligibility, contact emails):
 *   RECT keeps them in `gias_schools`, keyed by URN;
 * - the per-school-per-cohort metadata keeps only its API timestamp
 *   (`rect_school_contract_periods.api_updated_at`): `in_partnership` and
 *   `induction_programme_choice` are derived on read, never stored.
 *
 * Timestamps are RFC 3339 text with whole seconds and `Z` (as the API prints
 * them, so they sort as text); dates `YYYY-MM-DD`; booleans 0/1.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const bool = (name: string, fallback: 0 | 1) => [name, "integer", (c: any) => c.notNull().defaultTo(fallback)] as const;

  await db.schema
    .createTable("rect_contract_periods")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("finished_on", "text", (c) => c.notNull())
    .addColumn(...bool("enabled", 0))
    .addColumn("payments_frozen_at", "text")
    .addColumn(...bool("mentor_funding_enabled", 0))
    .addColumn(...bool("detailed_evidence_types_enabled", 0))
    .addColumn(...bool("uplift_fees_enabled", 1))
    .execute();

  await db.schema
    .createTable("rect_schedules")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("contract_period_year", "integer", (c) => c.notNull().references("rect_contract_periods.year"))
    .addColumn("identifier", "text", (c) => c.notNull())
    .addUniqueConstraint("rect_schedules_year_identifier", ["contract_period_year", "identifier"])
    .execute();

  await db.schema
    .createTable("rect_milestones")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("schedule_id", "integer", (c) => c.notNull().references("rect_schedules.id").onDelete("cascade"))
    .addColumn("declaration_type", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("milestone_date", "text")
    .addUniqueConstraint("rect_milestones_schedule_type", ["schedule_id", "declaration_type"])
    .execute();

  await db.schema
    .createTable("rect_lead_providers")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn(...bool("vat_registered", 1))
    /** 1 for the built-in demo world's providers, whose tokens can be listed */
    .addColumn(...bool("is_demo", 0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("rect_api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("lead_provider_id", "integer", (c) => c.notNull().references("rect_lead_providers.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    /** the token itself, kept only for the demo world's fixed tokens (listed by GET /admin/v3/lead-providers) */
    .addColumn("demo_token", "text")
    .addColumn("last_used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rect_api_tokens_by_provider").on("rect_api_tokens").column("lead_provider_id").execute();

  await db.schema
    .createTable("rect_active_lead_providers")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("lead_provider_id", "integer", (c) => c.notNull().references("rect_lead_providers.id").onDelete("cascade"))
    .addColumn("contract_period_year", "integer", (c) => c.notNull().references("rect_contract_periods.year"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("rect_active_lead_providers_pair", ["lead_provider_id", "contract_period_year"])
    .execute();

  await db.schema
    .createTable("rect_delivery_partners")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .execute();
  // unique case-insensitively (app/models/delivery_partner.rb:15-29)
  await sql`create unique index rect_delivery_partners_name on rect_delivery_partners (name collate nocase)`.execute(db);
  await db.schema.createIndex("rect_delivery_partners_by_created").on("rect_delivery_partners").column("created_at").execute();

  await db.schema
    .createTable("rect_lead_provider_delivery_partnerships")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("active_lead_provider_id", "integer", (c) => c.notNull().references("rect_active_lead_providers.id").onDelete("cascade"))
    .addColumn("delivery_partner_id", "integer", (c) => c.notNull().references("rect_delivery_partners.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("rect_lpdp_pair", ["active_lead_provider_id", "delivery_partner_id"])
    .execute();
  await db.schema.createIndex("rect_lpdp_by_partner").on("rect_lead_provider_delivery_partnerships").column("delivery_partner_id").execute();

  await db.schema
    .createTable("rect_schools")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("urn", "integer", (c) => c.notNull().unique())
    /** GIAS name */
    .addColumn("name", "text", (c) => c.notNull())
    /** GIAS eligibility (open, in England, eligible type or section 41) */
    .addColumn(...bool("gias_eligible", 1))
    .addColumn(...bool("marked_as_eligible", 0))
    .addColumn("induction_tutor_name", "text")
    .addColumn("induction_tutor_email", "text")
    .addColumn("gias_primary_contact_email", "text")
    .addColumn("gias_secondary_contact_email", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rect_schools_by_created").on("rect_schools").column("created_at").execute();

  // school_funding_eligibilities (GIAS URN × cohort)
  await db.schema
    .createTable("rect_school_funding")
    .addColumn("school_id", "integer", (c) => c.notNull().references("rect_schools.id").onDelete("cascade"))
    .addColumn("contract_period_year", "integer", (c) => c.notNull())
    .addColumn(...bool("pupil_premium_uplift", 0))
    .addColumn(...bool("sparsity_uplift", 0))
    .addPrimaryKeyConstraint("rect_school_funding_pk", ["school_id", "contract_period_year"])
    .execute();

  // metadata_schools_contract_periods: one row per school and contract period, for the school's `updated_at` in that cohort
  await db.schema
    .createTable("rect_school_contract_periods")
    .addColumn("school_id", "integer", (c) => c.notNull().references("rect_schools.id").onDelete("cascade"))
    .addColumn("contract_period_year", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rect_school_contract_periods_pk", ["school_id", "contract_period_year"])
    .execute();

  await db.schema
    .createTable("rect_school_partnerships")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("school_id", "integer", (c) => c.notNull().references("rect_schools.id").onDelete("cascade"))
    .addColumn("lead_provider_delivery_partnership_id", "integer", (c) =>
      c.notNull().references("rect_lead_provider_delivery_partnerships.id").onDelete("cascade"),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("rect_school_partnerships_pair", ["school_id", "lead_provider_delivery_partnership_id"])
    .execute();
  await db.schema
    .createIndex("rect_school_partnerships_by_lpdp")
    .on("rect_school_partnerships")
    .column("lead_provider_delivery_partnership_id")
    .execute();

  await db.schema
    .createTable("rect_statements")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("active_lead_provider_id", "integer", (c) => c.notNull().references("rect_active_lead_providers.id").onDelete("cascade"))
    .addColumn("month", "integer", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("deadline_date", "text", (c) => c.notNull())
    .addColumn("payment_date", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open', 'payable', 'paid')`))
    .addColumn("fee_type", "text", (c) => c.notNull().defaultTo("output").check(sql`fee_type in ('output', 'service')`))
    .addColumn("marked_as_paid_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("rect_statements_month", ["active_lead_provider_id", "year", "month"])
    .execute();
  await db.schema.createIndex("rect_statements_by_payment_date").on("rect_statements").columns(["payment_date"]).execute();

  await db.schema
    .createTable("rect_teachers")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("api_ect_training_record_id", "text", (c) => c.notNull().unique())
    .addColumn("api_mentor_training_record_id", "text", (c) => c.notNull().unique())
    .addColumn("trn", "text", (c) => c.unique())
    .addColumn("trs_first_name", "text")
    .addColumn("trs_last_name", "text")
    .addColumn("corrected_name", "text")
    .addColumn("ect_first_became_eligible_for_training_at", "text")
    .addColumn("ect_became_ineligible_for_funding_on", "text")
    .addColumn("mentor_first_became_eligible_for_training_at", "text")
    .addColumn("mentor_became_ineligible_for_funding_on", "text")
    .addColumn("mentor_became_ineligible_for_funding_reason", "text")
    .addColumn("ect_payments_frozen_year", "integer")
    .addColumn("mentor_payments_frozen_year", "integer")
    .addColumn("trs_induction_start_date", "text")
    .addColumn("trs_induction_completed_date", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .addColumn("api_unfunded_mentor_updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rect_teachers_by_created").on("rect_teachers").column("created_at").execute();

  await db.schema
    .createTable("rect_teacher_id_changes")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("teacher_id", "integer", (c) => c.notNull().references("rect_teachers.id").onDelete("cascade"))
    .addColumn("api_from_teacher_id", "text", (c) => c.notNull())
    .addColumn("api_to_teacher_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rect_teacher_id_changes_by_teacher").on("rect_teacher_id_changes").column("teacher_id").execute();

  for (const role of ["ect", "mentor"] as const) {
    let table = db.schema
      .createTable(`rect_${role}_at_school_periods`)
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("api_id", "text", (c) => c.notNull().unique())
      .addColumn("teacher_id", "integer", (c) => c.notNull().references("rect_teachers.id").onDelete("cascade"))
      .addColumn("school_id", "integer", (c) => c.notNull().references("rect_schools.id"))
      .addColumn("started_on", "text", (c) => c.notNull())
      .addColumn("finished_on", "text")
      .addColumn("email", "text");
    if (role === "ect") table = table.addColumn("working_pattern", "text", (c) => c.check(sql`working_pattern in ('part_time', 'full_time')`));
    await table
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addCheckConstraint(`rect_${role}_at_school_periods_dates`, sql`finished_on is null or finished_on >= started_on`)
      .execute();
    await db.schema.createIndex(`rect_${role}_at_school_periods_by_teacher`).on(`rect_${role}_at_school_periods`).columns(["teacher_id", "started_on"]).execute();
    await db.schema.createIndex(`rect_${role}_at_school_periods_by_school`).on(`rect_${role}_at_school_periods`).column("school_id").execute();
  }
  // at most one open ECT period per teacher; a mentor's only per school (db/schema.rb:292, :476)
  await sql`create unique index rect_ect_at_school_periods_one_open on rect_ect_at_school_periods (teacher_id) where finished_on is null`.execute(db);
  await sql`create unique index rect_mentor_at_school_periods_one_open on rect_mentor_at_school_periods (school_id, teacher_id) where finished_on is null`.execute(db);

  await db.schema
    .createTable("rect_mentorship_periods")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("ect_at_school_period_id", "integer", (c) => c.notNull().references("rect_ect_at_school_periods.id").onDelete("cascade"))
    .addColumn("mentor_at_school_period_id", "integer", (c) => c.notNull().references("rect_mentor_at_school_periods.id").onDelete("cascade"))
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("finished_on", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("rect_mentorship_periods_dates", sql`finished_on is null or finished_on >= started_on`)
    .execute();
  await sql`create unique index rect_mentorship_periods_one_open on rect_mentorship_periods (ect_at_school_period_id) where finished_on is null`.execute(db);
  await db.schema.createIndex("rect_mentorship_periods_by_mentor").on("rect_mentorship_periods").column("mentor_at_school_period_id").execute();

  await db.schema
    .createTable("rect_training_periods")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("ect_at_school_period_id", "integer", (c) => c.references("rect_ect_at_school_periods.id").onDelete("cascade"))
    .addColumn("mentor_at_school_period_id", "integer", (c) => c.references("rect_mentor_at_school_periods.id").onDelete("cascade"))
    .addColumn("training_programme", "text", (c) => c.notNull().check(sql`training_programme in ('provider_led', 'school_led')`))
    .addColumn("school_partnership_id", "integer", (c) => c.references("rect_school_partnerships.id"))
    /** an active lead provider (LP × cohort) the school chose before any partnership */
    .addColumn("expression_of_interest_id", "integer", (c) => c.references("rect_active_lead_providers.id"))
    .addColumn("schedule_id", "integer", (c) => c.references("rect_schedules.id"))
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("finished_on", "text")
    .addColumn("withdrawn_at", "text")
    .addColumn("withdrawal_reason", "text")
    .addColumn("deferred_at", "text")
    .addColumn("deferral_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_transfer_updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("rect_training_periods_owner", sql`(ect_at_school_period_id is null) <> (mentor_at_school_period_id is null)`)
    .addCheckConstraint("rect_training_periods_dates", sql`finished_on is null or finished_on >= started_on`)
    .execute();
  await db.schema.createIndex("rect_training_periods_by_ect").on("rect_training_periods").columns(["ect_at_school_period_id", "started_on"]).execute();
  await db.schema.createIndex("rect_training_periods_by_mentor").on("rect_training_periods").columns(["mentor_at_school_period_id", "started_on"]).execute();
  await db.schema.createIndex("rect_training_periods_by_partnership").on("rect_training_periods").column("school_partnership_id").execute();
  await db.schema.createIndex("rect_training_periods_by_eoi").on("rect_training_periods").column("expression_of_interest_id").execute();

  await db.schema
    .createTable("rect_induction_periods")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("teacher_id", "integer", (c) => c.notNull().references("rect_teachers.id").onDelete("cascade"))
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("finished_on", "text")
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('pass', 'fail')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("rect_induction_periods_dates", sql`finished_on is null or finished_on >= started_on`)
    .execute();
  await db.schema.createIndex("rect_induction_periods_by_teacher").on("rect_induction_periods").column("teacher_id").execute();
  await sql`create unique index rect_induction_periods_one_outcome on rect_induction_periods (teacher_id) where outcome is not null`.execute(db);

  await db.schema
    .createTable("rect_declarations")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("api_id", "text", (c) => c.notNull().unique())
    .addColumn("training_period_id", "integer", (c) => c.notNull().references("rect_training_periods.id"))
    .addColumn("declaration_type", "text", (c) => c.notNull())
    .addColumn("declaration_date", "text", (c) => c.notNull())
    .addColumn("evidence_type", "text")
    .addColumn("payment_status", "text", (c) =>
      c.notNull().defaultTo("no_payment").check(sql`payment_status in ('no_payment', 'eligible', 'payable', 'paid', 'voided')`),
    )
    .addColumn("clawback_status", "text", (c) =>
      c.notNull().defaultTo("no_clawback").check(sql`clawback_status in ('no_clawback', 'awaiting_clawback', 'clawed_back')`),
    )
    .addColumn("payment_statement_id", "integer", (c) => c.references("rect_statements.id"))
    .addColumn("clawback_statement_id", "integer", (c) => c.references("rect_statements.id"))
    .addColumn("mentorship_period_id", "integer", (c) => c.references("rect_mentorship_periods.id").onDelete("set null"))
    .addColumn("delivery_partner_when_created_id", "integer", (c) => c.notNull().references("rect_delivery_partners.id"))
    .addColumn(...bool("pupil_premium_uplift", 0))
    .addColumn(...bool("sparsity_uplift", 0))
    .addColumn("voided_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("api_updated_at", "text", (c) => c.notNull())
    .execute();
  // one billable-or-changeable declaration per training period and type (db/schema.rb:245, idx_unique_declarations)
  await sql`create unique index rect_declarations_one_live on rect_declarations (training_period_id, declaration_type)
    where payment_status in ('no_payment', 'eligible', 'payable', 'paid') and clawback_status = 'no_clawback'`.execute(db);
  await db.schema.createIndex("rect_declarations_by_training_period").on("rect_declarations").column("training_period_id").execute();
  await db.schema.createIndex("rect_declarations_by_created").on("rect_declarations").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "rect_declarations",
    "rect_induction_periods",
    "rect_training_periods",
    "rect_mentorship_periods",
    "rect_mentor_at_school_periods",
    "rect_ect_at_school_periods",
    "rect_teacher_id_changes",
    "rect_teachers",
    "rect_statements",
    "rect_school_partnerships",
    "rect_school_contract_periods",
    "rect_school_funding",
    "rect_schools",
    "rect_lead_provider_delivery_partnerships",
    "rect_delivery_partners",
    "rect_active_lead_providers",
    "rect_api_tokens",
    "rect_lead_providers",
    "rect_milestones",
    "rect_schedules",
    "rect_contract_periods",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
