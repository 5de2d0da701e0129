import type { Kysely } from "kysely";

/**
 * Two facts of the live participant profile that the training record did not
 * keep apart from its current provider's induction record:
 *
 * - `profile_schedule_id`: the profile's own schedule when it differs from the
 *   schedule of the current provider's induction record (`schedule_id`). Live
 *   `ChangeSchedule` sets the profile's schedule for whichever provider calls
 *   it (app/services/change_schedule.rb:117-119), so a former provider's change
 *   of schedule after a transfer moves the profile and that provider's own
 *   induction record only. Null: the same as `schedule_id`. Not rendered.
 * - `cohort_changed_after_payments_frozen`: the profile's flag, toggled by each
 *   change of cohort that the 2021 payments-frozen exception allowed
 *   (app/services/change_schedule.rb:121-127). Not rendered in v2.
 *
 * Neither column is in the read model's update trigger (migration 0003): they
 * change no stored document.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("training_records").addColumn("profile_schedule_id", "text", (c) => c.references("schedules.id")).execute();
  await db.schema
    .alterTable("training_records")
    .addColumn("cohort_changed_after_payments_frozen", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("training_records").dropColumn("cohort_changed_after_payments_frozen").execute();
  await db.schema.alterTable("training_records").dropColumn("profile_schedule_id").execute();
}
