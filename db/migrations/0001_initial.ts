import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("lead_providers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("lead_provider_id", "text", (c) => c.references("lead_providers.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('lead_provider', 'admin')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("last_used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("api_tokens_by_provider").on("api_tokens").column("lead_provider_id").execute();

  await db.schema
    .createTable("cohorts")
    .addColumn("start_year", "integer", (c) => c.primaryKey())
    .addColumn("registration_start_date", "text", (c) => c.notNull())
    .addColumn("academic_year_start_date", "text", (c) => c.notNull())
    .addColumn("payments_frozen_at", "text")
    .addColumn("mentor_funding", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("cohort", "integer", (c) => c.notNull().references("cohorts.start_year"))
    .addUniqueConstraint("schedules_identifier_cohort", ["identifier", "cohort"])
    .execute();

  await db.schema
    .createTable("milestones")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("declaration_type", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("milestone_date", "text")
    .addColumn("payment_date", "text")
    .addUniqueConstraint("milestones_schedule_type", ["schedule_id", "declaration_type"])
    .execute();

  await db.schema
    .createTable("statements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("cohort", "integer", (c) => c.notNull().references("cohorts.start_year"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("deadline_date", "text", (c) => c.notNull())
    .addColumn("payment_date", "text", (c) => c.notNull())
    .addColumn("output_fee", "integer", (c) => c.notNull())
    .addUniqueConstraint("statements_provider_cohort_name", ["lead_provider_id", "cohort", "name"])
    .execute();
  // serves "has an output-fee statement for this cohort with a deadline of today or later"
  await db.schema
    .createIndex("statements_deadline")
    .on("statements")
    .columns(["lead_provider_id", "cohort", "output_fee", "deadline_date"])
    .execute();

  await db.schema
    .createTable("schools")
    .addColumn("urn", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("partnerships")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("school_urn", "text", (c) => c.notNull().references("schools.urn"))
    .addColumn("cohort", "integer", (c) => c.notNull().references("cohorts.start_year"))
    .addColumn("challenged_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("partnerships_provider_school_cohort", ["lead_provider_id", "school_urn", "cohort"])
    .execute();

  await db.schema
    .createTable("participants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("teacher_reference_number", "text")
    .addColumn("teacher_reference_number_validated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("participants_by_trn").on("participants").column("teacher_reference_number").execute();

  await db.schema
    .createTable("training_records")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("participant_id", "text", (c) => c.notNull().references("participants.id").onDelete("cascade"))
    .addColumn("participant_type", "text", (c) => c.notNull().check(sql`participant_type in ('ect', 'mentor')`))
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("school_urn", "text", (c) => c.notNull().references("schools.urn"))
    .addColumn("cohort", "integer", (c) => c.notNull().references("cohorts.start_year"))
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id"))
    .addColumn("induction_status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("training_status", "text", (c) =>
      c.notNull().defaultTo("active").check(sql`training_status in ('active', 'deferred', 'withdrawn')`),
    )
    .addColumn("eligible_for_funding", "integer")
    .addColumn("pupil_premium_uplift", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sparsity_uplift", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("mentor_id", "text", (c) => c.references("participants.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("training_records_by_participant").on("training_records").column("participant_id").execute();
  await db.schema
    .createIndex("training_records_by_provider")
    .on("training_records")
    .columns(["lead_provider_id", "cohort"])
    .execute();

  await db.schema
    .createTable("former_provider_views")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("training_record_id", "text", (c) => c.notNull().references("training_records.id").onDelete("cascade"))
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("school_urn", "text", (c) => c.notNull().references("schools.urn"))
    .addColumn("cohort", "integer", (c) => c.notNull())
    .addColumn("schedule_id", "text", (c) => c.notNull().references("schedules.id"))
    .addColumn("induction_status", "text", (c) => c.notNull())
    .addColumn("training_status", "text", (c) => c.notNull())
    .addColumn("mentor_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("former_views_record_provider", ["training_record_id", "lead_provider_id"])
    .execute();
  await db.schema.createIndex("former_views_by_provider").on("former_provider_views").column("lead_provider_id").execute();

  await db.schema
    .createTable("training_status_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("training_record_id", "text", (c) => c.notNull().references("training_records.id").onDelete("cascade"))
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("training_status_history_by_record")
    .on("training_status_history")
    .columns(["training_record_id", "lead_provider_id", "created_at"])
    .execute();

  await db.schema
    .createTable("declarations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("participant_id", "text", (c) => c.notNull().references("participants.id").onDelete("cascade"))
    .addColumn("training_record_id", "text", (c) => c.notNull().references("training_records.id").onDelete("cascade"))
    .addColumn("lead_provider_id", "text", (c) => c.notNull().references("lead_providers.id").onDelete("cascade"))
    .addColumn("cohort", "integer", (c) => c.notNull())
    .addColumn("declaration_type", "text", (c) => c.notNull())
    .addColumn("course_identifier", "text", (c) => c.notNull())
    .addColumn("declaration_date", "text", (c) => c.notNull())
    .addColumn("evidence_held", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("billable", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // The database, not only the code, refuses a second billable declaration
  // for the same person, course and type (two racing POSTs).
  await sql`create unique index declarations_one_billable
    on declarations (participant_id, course_identifier, declaration_type) where billable = 1`.execute(db);
  await db.schema
    .createIndex("declarations_by_provider")
    .on("declarations")
    .columns(["lead_provider_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("declarations_by_participant")
    .on("declarations")
    .columns(["participant_id", "created_at"])
    .execute();
  await db.schema.createIndex("declarations_by_record").on("declarations").column("training_record_id").execute();

  await db.schema
    .createTable("declaration_state_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("declaration_id", "text", (c) => c.notNull().references("declarations.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("declaration_state_history_by_declaration")
    .on("declaration_state_history")
    .column("declaration_id")
    .execute();

  await db.schema.createIndex("participants_by_created").on("participants").column("created_at").execute();
  await db.schema.createIndex("participants_by_updated").on("participants").column("updated_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "declaration_state_history",
    "declarations",
    "training_status_history",
    "former_provider_views",
    "training_records",
    "participants",
    "partnerships",
    "schools",
    "statements",
    "milestones",
    "schedules",
    "cohorts",
    "api_tokens",
    "lead_providers",
    "settings",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
