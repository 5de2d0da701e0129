import { type Kysely, sql } from "kysely";

/**
 * Hands the read model's views and triggers (first created by migration
 * 0003) over to the code: from here on they are derived objects, rebuilt at
 * start from the resource definitions whenever the hash stored here differs
 * from the code's (db/derived.ts). The table participant_documents itself
 * stays schema (migration 0003).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table derived_objects (name text primary key, hash text not null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists derived_objects`.execute(db);
}
