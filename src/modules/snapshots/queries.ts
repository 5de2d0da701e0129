import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../../db/connection";

/** A consistent copy of the whole database into a new file, while the service serves (SQLite's VACUUM INTO). */
export async function copyDatabaseInto(db: Db, path: string): Promise<void> {
  await sql`VACUUM INTO ${path}`.execute(db);
}

/** Rows that are the service's settings or the caller's own keys, never taken from a snapshot. */
const NOT_RESTORED = new Set(["settings"]);

export type RestoreOutcome =
  | { status: "restored"; changedRows: number }
  | { status: "newer"; unknown: string[] }
  | { status: "older"; missing: string[] }
  | { status: "not-a-snapshot" };

const and = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` AND `);

/**
 * Makes the database equal to the snapshot file at `path`, in one IMMEDIATE
 * transaction on the one connection, so that a reader sees the old state or
 * the new one. Only rows that differ are written: per table, rows whose rowid
 * and columns are not all equal in the snapshot are deleted, and the
 * snapshot's rows that are then missing are inserted with their rowids (the
 * list order follows rowids). Admin tokens and the settings stay as they are.
 * Plain SQL (ATTACH), so it does not depend on the SQLite driver.
 */
export async function restoreDatabaseFrom(db: Db, path: string, knownMigrations: string[]): Promise<RestoreOutcome> {
  return db.connection().execute(async (conn) => {
    await sql`ATTACH DATABASE ${path} AS snapshot`.execute(conn);
    try {
      const hasMigrations = await sql<{ n: number }>`SELECT count(*) AS n FROM snapshot.sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(conn);
      if (!hasMigrations.rows[0]?.n) return { status: "not-a-snapshot" } as const;
      const applied = (await sql<{ name: string }>`SELECT name FROM snapshot.kysely_migration ORDER BY name`.execute(conn)).rows.map((r) => r.name);
      const unknown = applied.filter((name) => !knownMigrations.includes(name));
      if (unknown.length) return { status: "newer", unknown } as const;
      const missing = knownMigrations.filter((name) => !applied.includes(name));
      if (missing.length) return { status: "older", missing } as const;

      const tables = (
        await sql<{ name: string }>`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_%' ESCAPE '\\' ORDER BY rowid`.execute(conn)
      ).rows
        .map((r) => r.name)
        .filter((name) => !NOT_RESTORED.has(name));
      // foreign keys cannot be switched inside a transaction; the snapshot is consistent as a whole
      await sql`PRAGMA foreign_keys = OFF`.execute(conn);
      let changedRows = 0;
      try {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          for (const table of tables) {
            const columns = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(conn)).rows.map((r) => r.name);
            const t = sql.id(table);
            const list = sql.join(columns.map((c) => sql.id(c)));
            const fromSnapshot = sql.join(columns.map((c) => sql`s.${sql.id(c)}`));
            if (table === "api_tokens") {
              // the admin tokens of now are kept (a restore never locks the caller out); the providers' come from the snapshot
              const deleted = await sql`DELETE FROM main.api_tokens WHERE kind <> 'admin'`.execute(conn);
              const inserted = await sql`INSERT INTO main.api_tokens (${list}) SELECT ${fromSnapshot} FROM snapshot.api_tokens AS s WHERE s.kind <> 'admin'`.execute(conn);
              changedRows += Number(deleted.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
              continue;
            }
            const same = and([sql`s.rowid = m.rowid`, ...columns.map((c) => sql`s.${sql.id(c)} IS m.${sql.id(c)}`)]);
            const deleted = await sql`DELETE FROM main.${t} AS m WHERE NOT EXISTS (SELECT 1 FROM snapshot.${t} AS s WHERE ${same})`.execute(conn);
            const inserted = await sql`INSERT INTO main.${t} (rowid, ${list}) SELECT s.rowid, ${fromSnapshot} FROM snapshot.${t} AS s WHERE NOT EXISTS (SELECT 1 FROM main.${t} AS m WHERE m.rowid = s.rowid)`.execute(conn);
            changedRows += Number(deleted.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
          }
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw error;
        }
      } finally {
        await sql`PRAGMA foreign_keys = ON`.execute(conn);
      }
      return { status: "restored", changedRows } as const;
    } finally {
      await sql`DETACH DATABASE snapshot`.execute(conn);
    }
  });
}
