import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database } from "./schema";

/**
 * Inserts many rows as few multi-row INSERTs as SQLite's limit of 32,766
 * bound parameters allows (about 30,000 values per statement). For seeding.
 */
export async function insertInChunks<T extends keyof Database>(
  db: Kysely<Database> | Transaction<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(30000 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) {
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}
