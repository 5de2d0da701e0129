import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../../db/connection";

type Conn = Db;

/**
 * Change tracking, so that restoring the snapshot the database last matched
 * writes only the rows changed since, instead of comparing every row. TEMP
 * triggers (this connection only: nothing in the file, nothing in a snapshot)
 * note the rowid of every row inserted, updated or deleted in a restored
 * table. Installed on the first save or restore, so a sandbox that never uses
 * snapshots pays nothing. Another process's writes are not seen: SQLite's
 * data_version tells the caller to compare everything then.
 */
async function ensureTracking(conn: Conn, tables: string[]): Promise<void> {
  const exists = await sql<{ n: number }>`SELECT count(*) AS n FROM temp.sqlite_master WHERE type = 'table' AND name = 'sandbox_changed_rows'`.execute(conn);
  if (exists.rows[0]?.n) return;
  await sql`CREATE TEMP TABLE sandbox_changed_rows (tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID`.execute(conn);
  for (const table of tables) {
    const t = sql.id(table);
    const name = sql.lit(table);
    const trigger = (suffix: string) => sql.id(`sandbox_track_${table}_${suffix}`);
    // not `INSERT OR IGNORE`: the conflict clause of the statement that fires a trigger overrides the trigger's own,
    // so an upsert (ON CONFLICT DO UPDATE) on a tracked table made a row noted twice a UNIQUE failure
    const note = (rows: RawBuilder<unknown>) =>
      sql`INSERT INTO sandbox_changed_rows SELECT v.tbl, v.rid FROM (${rows}) AS v WHERE NOT EXISTS (SELECT 1 FROM sandbox_changed_rows AS c WHERE c.tbl = v.tbl AND c.rid = v.rid);`;
    await sql`CREATE TEMP TRIGGER ${trigger("i")} AFTER INSERT ON main.${t} BEGIN ${note(sql`SELECT ${name} AS tbl, NEW.rowid AS rid`)} END`.execute(conn);
    await sql`CREATE TEMP TRIGGER ${trigger("u")} AFTER UPDATE ON main.${t} BEGIN ${note(sql`SELECT ${name} AS tbl, OLD.rowid AS rid UNION SELECT ${name}, NEW.rowid`)} END`.execute(conn);
    await sql`CREATE TEMP TRIGGER ${trigger("d")} AFTER DELETE ON main.${t} BEGIN ${note(sql`SELECT ${name} AS tbl, OLD.rowid AS rid`)} END`.execute(conn);
  }
}

async function dataVersion(conn: Conn): Promise<number> {
  return (await sql<{ data_version: number }>`PRAGMA data_version`.execute(conn)).rows[0]!.data_version;
}

/** The tables a snapshot restores, in creation order (parents before children, as the list triggers need). */
async function restoredTables(conn: Conn, schema: "main" | "snapshot"): Promise<string[]> {
  const master = sql.id(schema, "sqlite_master");
  return (
    await sql<{ name: string }>`SELECT name FROM ${master} WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name NOT LIKE 'kysely!_%' ESCAPE '!' ORDER BY rowid`.execute(conn)
  ).rows
    .map((r) => r.name)
    .filter((name) => !NOT_RESTORED.has(name));
}

/**
 * A consistent copy of the whole database into a new file, while the service
 * serves (SQLite's VACUUM INTO); from then on the changes are tracked
 * against it. Returns the data_version the copy was taken at.
 */
export async function copyDatabaseInto(db: Db, path: string): Promise<{ dataVersion: number }> {
  return db.connection().execute(async (conn) => {
    await ensureTracking(conn, (await restoredTables(conn, "main")).filter((t) => t !== "api_tokens"));
    await sql`VACUUM INTO ${path}`.execute(conn);
    await sql`DELETE FROM temp.sandbox_changed_rows`.execute(conn);
    return { dataVersion: await dataVersion(conn) };
  });
}

/** Rows that are the service's settings or the caller's own keys, never taken from a snapshot. */
const NOT_RESTORED = new Set(["settings"]);

export type RestoreOutcome =
  | { status: "restored"; changedRows: number; dataVersion: number; compared: "tracked rows" | "every row"; rederived: boolean }
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
export async function restoreDatabaseFrom(
  db: Db,
  path: string,
  knownMigrations: string[],
  /** the data_version at which the database last equalled this very snapshot file (save or restore), if it did */
  trackedSince: number | null,
  /** run before the commit, on the restored rows: rebuilds the derived objects when the snapshot's are another build's; true if it did */
  rederive: (conn: Db) => Promise<boolean> = async () => false,
): Promise<RestoreOutcome> {
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

      const tables = await restoredTables(conn, "main");
      await ensureTracking(conn, tables.filter((t) => t !== "api_tokens"));
      // only the tracked rows when nothing else (another process) wrote since the database equalled this file
      const onlyTracked = trackedSince !== null && trackedSince === (await dataVersion(conn));
      // foreign keys cannot be switched inside a transaction; the snapshot is consistent as a whole
      await sql`PRAGMA foreign_keys = OFF`.execute(conn);
      let changedRows = 0;
      let rederived = false;
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
              const sameToken = and(columns.map((c) => sql`s.${sql.id(c)} IS m.${sql.id(c)}`));
              const deleted = await sql`DELETE FROM main.api_tokens AS m WHERE m.kind <> 'admin' AND NOT EXISTS (SELECT 1 FROM snapshot.api_tokens AS s WHERE ${sameToken})`.execute(conn);
              const inserted = await sql`INSERT INTO main.api_tokens (${list}) SELECT ${fromSnapshot} FROM snapshot.api_tokens AS s WHERE s.kind <> 'admin' AND NOT EXISTS (SELECT 1 FROM main.api_tokens AS m WHERE m.id = s.id)`.execute(conn);
              changedRows += Number(deleted.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
              continue;
            }
            if (onlyTracked) {
              const changed = sql`SELECT rid FROM temp.sandbox_changed_rows WHERE tbl = ${table}`;
              const deleted = await sql`DELETE FROM main.${t} WHERE rowid IN (${changed})`.execute(conn);
              const inserted = await sql`INSERT INTO main.${t} (rowid, ${list}) SELECT s.rowid, ${fromSnapshot} FROM snapshot.${t} AS s WHERE s.rowid IN (${changed})`.execute(conn);
              changedRows += Number(deleted.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
              continue;
            }
            const same = and([sql`s.rowid = m.rowid`, ...columns.map((c) => sql`s.${sql.id(c)} IS m.${sql.id(c)}`)]);
            const deleted = await sql`DELETE FROM main.${t} AS m WHERE NOT EXISTS (SELECT 1 FROM snapshot.${t} AS s WHERE ${same})`.execute(conn);
            const inserted = await sql`INSERT INTO main.${t} (rowid, ${list}) SELECT s.rowid, ${fromSnapshot} FROM snapshot.${t} AS s WHERE NOT EXISTS (SELECT 1 FROM main.${t} AS m WHERE m.rowid = s.rowid)`.execute(conn);
            changedRows += Number(deleted.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
          }
          rederived = await rederive(conn);
          // the database now equals the snapshot: its own writes are not changes
          await sql`DELETE FROM temp.sandbox_changed_rows`.execute(conn);
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw error;
        }
      } finally {
        await sql`PRAGMA foreign_keys = ON`.execute(conn);
      }
      return { status: "restored", changedRows, dataVersion: await dataVersion(conn), compared: onlyTracked ? "tracked rows" : "every row", rederived } as const;
    } finally {
      await sql`DETACH DATABASE snapshot`.execute(conn);
    }
  });
}
