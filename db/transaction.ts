import type { Kysely, Transaction } from "kysely";
import type { Database, DbOrTrx } from "./schema";

/**
 * Runs `job` in a transaction: a new one on the database, or, when `db` is a
 * transaction already, that one (a scenario document applies many use cases
 * in one transaction, all or nothing; Kysely cannot nest them).
 */
export function inTransaction<T>(db: DbOrTrx, job: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? job(db as Transaction<Database>) : (db as Kysely<Database>).transaction().execute(job);
}
