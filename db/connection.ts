import { randomInt } from "node:crypto";
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import Sqlite from "better-sqlite3/linux-x64";
import { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { betterSqliteDialect } from "./sqlite-dialect";
import { migrations, staticMigrationProvider } from "./migrations";
import type { Database } from "./schema";
import { WriteCounter } from "./write-counter";

export type Db = Kysely<Database>;

/**
 * A database this version must not touch (written by a newer version, or
 * damaged): start-up stops with this one line and exit code 2.
 */
export class DatabaseRefusal extends Error {}

/** The refusal for a file SQLite cannot read as a database, or null when `error` is something else. */
export function damagedDatabase(path: string, error: unknown): DatabaseRefusal | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return null;
  return new DatabaseRefusal(
    `DATABASE_PATH ${path} is damaged or not a SQLite database (${code}); check it with sqlite3 ${path} 'PRAGMA integrity_check', then restore a copy or set DATABASE_PATH to a new file`,
  );
}

export interface OpenDatabase {
  db: Db;
  /** the raw handle, for PRAGMAs and WAL checkpoints only; every query goes through Kysely */
  sqlite: BetterSqlite3.Database;
  /** writes sent through `db` by this process (for cache validation) */
  writes: WriteCounter;
  /** SQLite's `data_version`: moves when another connection commits (for cache validation) */
  dataVersion(): number;
  /**
   * Marks the file as this database (its header's application id, set once)
   * and checkpoints, so the file on disk holds it; call after preparing.
   */
  markFile(): void;
  /** null while the file behind the handle is the one opened and can be written; else what is wrong */
  fileProblem(): string | null;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite database: WAL journal, synchronous=FULL
 * so that every acknowledged commit survives a kill or power loss, foreign keys on.
 */
export function openDatabase(path: string): OpenDatabase {
  const sqlite = new Sqlite(path, { timeout: 5000 });
  try {
    // the first read of the file: a file that is not a database fails here
    sqlite.pragma("journal_mode = WAL");
  } catch (error) {
    sqlite.close();
    throw damagedDatabase(path, error) ?? error;
  }
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // checkpoint every 1 MiB of WAL, not SQLite's 4 MiB: the WAL is then reused in place, so a
  // small volume holds data, not old page versions (3 MiB held 53 participants, now 1,600),
  // and POSTs were no slower (2,050-2,550 per second either way, measured)
  sqlite.pragma("wal_autocheckpoint = 256");
  const writes = new WriteCounter();
  const dataVersion = sqlite.prepare("pragma data_version").pluck();
  const db = new Kysely<Database>({ dialect: betterSqliteDialect(sqlite), plugins: [writes] });
  let closed = false;
  const file = path === ":memory:" || path === "" ? null : resolve(path);
  const opened = file ? statSync(file) : null;
  let mark: number | null = null;
  return {
    db,
    sqlite,
    writes,
    dataVersion: () => dataVersion.get() as number,
    markFile() {
      if (!file) return;
      let id = sqlite.pragma("application_id", { simple: true }) as number;
      if (id === 0) {
        id = randomInt(1, 2 ** 31);
        sqlite.pragma(`application_id = ${id}`);
      }
      // the header on disk then carries it (and the start-up writes leave the WAL)
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      mark = id;
    },
    fileProblem() {
      if (!file || !opened) return null;
      let now;
      try {
        now = statSync(file);
      } catch {
        return "the database file was deleted";
      }
      if (now.ino !== opened.ino || now.dev !== opened.dev) return "the database file was replaced by another file";
      if (mark !== null) {
        // `cp other.sqlite DATABASE_PATH` keeps the inode: the header tells
        const header = Buffer.alloc(72);
        try {
          const fd = openSync(file, "r");
          try {
            readSync(fd, header, 0, 72, 0);
          } finally {
            closeSync(fd);
          }
        } catch {
          return "the database file cannot be read";
        }
        if (header.toString("latin1", 0, 16) !== "SQLite format 3\u0000" || header.readInt32BE(68) !== mark) {
          return "the database file was overwritten by another file";
        }
      }
      try {
        accessSync(file, constants.W_OK);
        accessSync(dirname(file), constants.W_OK);
      } catch {
        return "the database file or its folder cannot be written";
      }
      return null;
    },
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
  // a migration we do not know was applied by a newer version: its schema is not ours to change
  const applied = await db
    .selectFrom("kysely_migration" as any)
    .select("name")
    .execute()
    .catch(() => [] as Array<{ name: string }>);
  const unknown = applied.map((r) => r.name as string).filter((name) => !Object.hasOwn(migrations, name)).sort();
  if (unknown.length > 0) {
    throw new DatabaseRefusal(`this database was written by a newer version (migration ${unknown[unknown.length - 1]}); use that version or a new DATABASE_PATH`);
  }
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
