import { type Kysely, sql } from "kysely";

/**
 * The participant lists are ordered by the person's creation (or update) time
 * but filtered by the record's provider. Copying the person's sort keys onto
 * each training record (and former-provider view) lets one index serve both
 * the filter and the order, so a page is an index walk, not a sort of every
 * row the provider has. Triggers keep the copies current, whatever code
 * writes the person or the record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["training_records", "former_provider_views"]) {
    await db.schema.alterTable(table).addColumn("participant_created_at", "text").execute();
    await db.schema.alterTable(table).addColumn("participant_updated_at", "text").execute();
    await db.schema.alterTable(table).addColumn("participant_seq", "integer").execute();
  }
  await sql`update training_records set
      participant_created_at = (select p.created_at from participants p where p.id = training_records.participant_id),
      participant_updated_at = (select p.updated_at from participants p where p.id = training_records.participant_id),
      participant_seq = (select p.rowid from participants p where p.id = training_records.participant_id)`.execute(db);
  await sql`update former_provider_views set
      participant_created_at = (select tr.participant_created_at from training_records tr where tr.id = former_provider_views.training_record_id),
      participant_updated_at = (select tr.participant_updated_at from training_records tr where tr.id = former_provider_views.training_record_id),
      participant_seq = (select tr.participant_seq from training_records tr where tr.id = former_provider_views.training_record_id)`.execute(db);

  await sql`create trigger training_records_sort_keys after insert on training_records begin
      update training_records set
        participant_created_at = (select p.created_at from participants p where p.id = new.participant_id),
        participant_updated_at = (select p.updated_at from participants p where p.id = new.participant_id),
        participant_seq = (select p.rowid from participants p where p.id = new.participant_id)
      where rowid = new.rowid;
    end`.execute(db);
  await sql`create trigger former_provider_views_sort_keys after insert on former_provider_views begin
      update former_provider_views set
        participant_created_at = (select tr.participant_created_at from training_records tr where tr.id = new.training_record_id),
        participant_updated_at = (select tr.participant_updated_at from training_records tr where tr.id = new.training_record_id),
        participant_seq = (select tr.participant_seq from training_records tr where tr.id = new.training_record_id)
      where rowid = new.rowid;
    end`.execute(db);
  await sql`create trigger participants_touch_sort_keys after update of updated_at on participants begin
      update training_records set participant_updated_at = new.updated_at where participant_id = new.id;
      update former_provider_views set participant_updated_at = new.updated_at
        where training_record_id in (select id from training_records where participant_id = new.id);
    end`.execute(db);

  await sql`create index training_records_list_by_created on training_records (lead_provider_id, participant_created_at, participant_seq, schedule_id)`.execute(db);
  await sql`create index training_records_list_by_updated on training_records (lead_provider_id, participant_updated_at, participant_seq, schedule_id)`.execute(db);
  await sql`create index former_views_list_by_created on former_provider_views (lead_provider_id, participant_created_at, participant_seq, schedule_id)`.execute(db);
  await sql`create index former_views_list_by_updated on former_provider_views (lead_provider_id, participant_updated_at, participant_seq, schedule_id)`.execute(db);
  await sql`create index former_views_by_record on former_provider_views (training_record_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["training_records_sort_keys", "former_provider_views_sort_keys", "participants_touch_sort_keys"]) {
    await sql.raw(`drop trigger if exists ${name}`).execute(db);
  }
  for (const name of ["training_records_list_by_created", "training_records_list_by_updated", "former_views_list_by_created", "former_views_list_by_updated", "former_views_by_record"]) {
    await sql.raw(`drop index if exists ${name}`).execute(db);
  }
  for (const table of ["training_records", "former_provider_views"]) {
    for (const column of ["participant_created_at", "participant_updated_at", "participant_seq"]) {
      await db.schema.alterTable(table).dropColumn(column).execute();
    }
  }
}
