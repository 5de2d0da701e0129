import type BetterSqlite3 from "better-sqlite3";
import Sqlite from "better-sqlite3/linux-x64";
import { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { betterSqliteDialect } from "./sqlite-dialect";
import { staticMigrationProvider } from "./migrations";
import type { Database } from "./schema";
import { WriteCounter } from "./write-counter";

export type Db = Kysely<Database>;

export interface OpenDatabase {
  db: Db;
  /** the raw handle, for PRAGMAs and WAL checkpoints only; every query goes through Kysely */
  sqlite: BetterSqlite3.Database;
  /** writes sent through `db` by this process (for cache validation) */
  writes: WriteCounter;
  /** SQLite's `data_version`: moves when another connection commits (for cache validation) */
  dataVersion(): number;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite database: WAL journal, synchronous=FULL
 * so that every acknowledged commit survives a kill or power loss, foreign keys on.
 */
export function openDatabase(path: string): OpenDatabase {
  const sqlite = new Sqlite(path, { timeout: 5000 });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const writes = new WriteCounter();
  const dataVersion = sqlite.prepare("pragma data_version").pluck();
  const db = new Kysely<Database>({ dialect: betterSqliteDialect(sqlite), plugins: [writes] });
  let closed = false;
  return {
    db,
    sqlite,
    writes,
    dataVersion: () => dataVersion.get() as number,
    async close() {
      if (closed) return;
      closed = true;
      // destroy() closes the handle; the last connection to close checkpoints and removes the -wal file
      await db.destroy();
    },
  };
}

/** Runs every migration not yet applied; safe to call on every start. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
