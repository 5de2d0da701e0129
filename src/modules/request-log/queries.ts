import type { Db } from "../../../db/connection";

/** Lead provider names by id (names are looked up when the log is read, so a record stores only the id). */
export async function providerNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("lead_providers").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
