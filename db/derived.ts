import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "./connection";
import type { DbOrTrx } from "./schema";

/**
 * Derived objects: views, triggers and the rows they keep (a read model),
 * generated from the code's resource definitions, never frozen in a
 * migration. Each set is stored with a hash of its SQL (table
 * `derived_objects`, migration 0006); when the code's hash differs (a
 * database last opened by an older or newer build, a snapshot saved by one,
 * or none stored yet), the set is dropped, created again and its rows
 * re-rendered, in the caller's transaction. Migrations keep schema and data
 * changes only.
 */
export interface DerivedObjects {
  /** the key of its hash row */
  name: string;
  /** statements that drop every object of the set (`drop … if exists`), old builds' included */
  drop: string[];
  /** statements that create the views and triggers */
  create: string[];
  /** statements that rewrite the stored rows from the views */
  render: string[];
}

export function derivedHash(set: DerivedObjects): string {
  return createHash("sha256").update(JSON.stringify([set.create, set.render])).digest("hex");
}

/**
 * Rebuilds each set whose stored hash is not the code's; run inside one
 * transaction (`trx`). Returns the names of the sets rebuilt.
 */
export async function rebuildDerivedIn(trx: DbOrTrx, sets: readonly DerivedObjects[]): Promise<string[]> {
  const stored = new Map(
    (await sql<{ name: string; hash: string }>`select name, hash from derived_objects`.execute(trx)).rows.map((r) => [r.name, r.hash]),
  );
  const rebuilt: string[] = [];
  for (const set of sets) {
    const hash = derivedHash(set);
    if (stored.get(set.name) === hash) continue;
    for (const statement of [...set.drop, ...set.create, ...set.render]) await sql.raw(statement).execute(trx);
    await sql`insert into derived_objects (name, hash) values (${set.name}, ${hash}) on conflict (name) do update set hash = excluded.hash`.execute(trx);
    rebuilt.push(set.name);
  }
  return rebuilt;
}

/** rebuildDerivedIn in a transaction of its own (start-up: after the migrations). */
export function rebuildDerived(db: Db, sets: readonly DerivedObjects[]): Promise<string[]> {
  return db.transaction().execute((trx) => rebuildDerivedIn(trx, sets));
}
