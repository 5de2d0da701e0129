import type { Db } from "../../../db/connection";

/**
 * Lead provider names by id (names are looked up when the log is read, so a
 * record stores only the id): v2 providers by id, v3 (RECT) ones by their
 * api id (v3 requests record that), both worlds being one log.
 */
export async function providerNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("lead_providers").select(["id", "name"]).where("id", "in", ids).execute();
  const v3 = await db.selectFrom("rect_lead_providers").select(["api_id as id", "name"]).where("api_id", "in", ids).execute();
  return new Map([...rows, ...v3].map((r) => [r.id, r.name]));
}
