/** All SQL of the demo data and of the wipe back to reference data (`seed --force`, `reset`). */
import { type Insertable, sql } from "kysely";
import type { Db } from "../../../db/connection";
import { insertInChunks } from "../../../db/insert-in-chunks";
import type { Database, DbOrTrx } from "../../../db/schema";

export async function insertDemoProvider(db: DbOrTrx, id: string, name: string, createdAt: string): Promise<void> {
  await db.insertInto("lead_providers").values({ id, name, is_demo: 1, created_at: createdAt }).execute();
}

export async function insertSchools(db: DbOrTrx, schools: Insertable<Database["schools"]>[]): Promise<void> {
  await db.insertInto("schools").values(schools).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertPartnerships(db: DbOrTrx, partnerships: Insertable<Database["partnerships"]>[]): Promise<void> {
  await db.insertInto("partnerships").values(partnerships).execute();
}

/** one cohort of one provider: people, their training records and status history, in large multi-row inserts */
export async function insertCohort(
  db: DbOrTrx,
  participants: Insertable<Database["participants"]>[],
  records: Insertable<Database["training_records"]>[],
  history: Insertable<Database["training_status_history"]>[],
): Promise<void> {
  await insertInChunks(db, "participants", participants);
  await insertInChunks(db, "training_records", records);
  if (history.length) await insertInChunks(db, "training_status_history", history);
}

export function demoProviderRows(db: DbOrTrx) {
  return db.selectFrom("lead_providers").select(["id", "name"]).where("is_demo", "=", 1).orderBy("name").execute();
}

export async function countLeadProviders(db: DbOrTrx): Promise<number> {
  const row = await db.selectFrom("lead_providers").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Tables whose rows survive a wipe: reference data (reloaded on every start anyway) and service settings. */
const KEPT_TABLES = new Set(["cohorts", "schedules", "milestones", "settings", "rect_contract_periods", "rect_schedules", "rect_milestones"]);

/**
 * Deletes every row that a start, a seed or an API call made (lead providers,
 * their tokens and statements, schools, participants, declarations, and any
 * table added later), keeping reference data, settings and the admin tokens.
 * One transaction: a running server sees the old data or the empty database,
 * never half of it. A database not migrated yet (no `lead_providers`) is left as it is.
 */
export async function deleteAllButReferenceData(db: Db): Promise<{ table: string; deleted: number }[]> {
  const all = await db.introspection.getTables();
  if (!all.some((t) => t.name === "lead_providers")) return [];
  const tables = all.filter((t) => !t.isView && !KEPT_TABLES.has(t.name)).map((t) => t.name);
  return db.transaction().execute(async (trx) => {
    // foreign keys are checked at commit, when every referencing row is gone too
    await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
    const counts: { table: string; deleted: number }[] = [];
    for (const table of tables) {
      const result =
        table === "api_tokens"
          ? await trx.deleteFrom("api_tokens").where("kind", "!=", "admin").executeTakeFirst()
          : await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
      const deleted = "numDeletedRows" in result ? Number(result.numDeletedRows) : Number(result.numAffectedRows ?? 0);
      counts.push({ table, deleted });
    }
    return counts;
  });
}
