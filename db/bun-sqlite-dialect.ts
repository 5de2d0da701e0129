import type { Database as BunDatabase } from "bun:sqlite";
import {
  type DialectAdapter,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
} from "kysely";

/** SQLite does run DDL inside a transaction; saying so makes a failed migration roll back whole. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BunSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * bun:sqlite behind Kysely's own SqliteDialect. `query()` reuses bun's cached
 * prepared statement for the same SQL text, which saves a prepare per request.
 * `reader` = the statement returns columns (SELECT, or RETURNING).
 */
export function bunSqliteDialect(database: BunDatabase): SqliteDialect {
  // whether a statement returns rows, per SQL text (bun computes columnNames on each read)
  const readers = new Map<string, boolean>();
  const adapter: SqliteDatabase = {
    close: () => database.close(false),
    prepare(sql: string): SqliteStatement {
      const statement = database.query(sql);
      let reader = readers.get(sql);
      if (reader === undefined) {
        reader = statement.columnNames.length > 0;
        if (readers.size < 10_000) readers.set(sql, reader);
      }
      return {
        reader,
        all: (parameters) => statement.all(...(parameters as any[])),
        run: (parameters) => statement.run(...(parameters as any[])),
        iterate: (parameters) => statement.iterate(...(parameters as any[])) as IterableIterator<unknown>,
      };
    },
  };
  return new BunSqliteDialect({ database: adapter });
}
