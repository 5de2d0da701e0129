import { sql } from "kysely";
import type { Db } from "../../db/connection";

/** Tables whose rows survive a wipe: reference data (reloaded on every start anyway) and service settings. */
const KEPT_TABLES = new Set(["cohorts", "schedules", "milestones", "settings", "rect_contract_periods", "rect_schedules", "rect_milestones"]);

/**
 * Deletes every row that a start, a seed or an API call made (lead providers,
 * their tokens and statements, schools, participants, declarations, and any
 * table added later), keeping reference data, settings and the admin tokens.
 * One transaction: a running server sees the old data or the empty database,
 * never half of it.
 */
export async function wipeToReferenceData(db: Db): Promise<{ table: string; deleted: number }[]> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView && !KEPT_TABLES.has(t.name)).map((t) => t.name);
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
