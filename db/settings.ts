import type { DbOrTrx } from "./schema";

/** Sets one row of the service's settings table (`last_started_at`), replacing its value. */
export async function noteSetting(db: DbOrTrx, key: string, value: string): Promise<void> {
  await db.insertInto("settings").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
}
