import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDatabase,
  SqliteDriver,
  type SqliteStatement,
} from "kysely";

/** SQLite does run DDL inside a transaction; saying so makes a failed migration roll back whole. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Every transaction takes the write lock when it begins. A plain (deferred)
 * `BEGIN` takes it at the first write, and a deferred transaction that read
 * first and then finds another connection holding the lock fails at once with
 * SQLITE_BUSY, whatever `busy_timeout` says (SQLite cannot wait there without
 * risking a deadlock). `BEGIN IMMEDIATE` waits for the lock within
 * `busy_timeout` instead, so two processes on one file queue rather than fail.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  /**
   * After SQLITE_FULL, SQLITE_IOERR and the like SQLite may already have
   * rolled the transaction back itself; the ROLLBACK that Kysely then sends
   * fails with "cannot rollback - no transaction is active", and that error
   * would replace the real one. Nothing is left to undo, so it is ignored.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      if (!/no transaction is active/.test(String((error as Error)?.message))) throw error;
    }
  }
}

class SandboxSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Prepared statements kept, per SQL text; texts with inlined values (`in` lists) make the set open-ended. */
const STATEMENT_CACHE_SIZE = 2_000;

/**
 * better-sqlite3 behind Kysely's own SqliteDialect. Kysely prepares on every
 * query; preparing costs more than an indexed lookup, so statements are kept
 * by SQL text and reused (better-sqlite3 runs each to completion
 * synchronously, so one statement is never in use twice, except by an open
 * iterator, which gets its own).
 */
export function betterSqliteDialect(database: BetterSqlite3.Database): SqliteDialect {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
  const adapter: SqliteDatabase = {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const statement = cached(sql);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(bindable(parameters)),
        run: (parameters) => statement.run(bindable(parameters)),
        iterate: (parameters) => database.prepare(sql).iterate(bindable(parameters)),
      };
    },
  };
  return new SandboxSqliteDialect(adapter);
}

/** better-sqlite3 refuses booleans (bun:sqlite bound them as 1/0); SQLite has no boolean type. */
function bindable(parameters: ReadonlyArray<unknown>): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    if (typeof value === "boolean") {
      out ??= parameters.slice();
      out[i] = value ? 1 : 0;
    }
  }
  return (out ?? parameters) as unknown[];
}
