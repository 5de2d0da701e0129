/** The v3 admin API's reads and token writes (all its SQL). */
import type { DbOrTrx } from "../../../../db/schema";

export async function leadProvidersWithTokens(db: DbOrTrx) {
  const providers = await db.selectFrom("rect_lead_providers").select(["id", "api_id", "name", "is_demo"]).orderBy("id").execute();
  const cohorts = await db.selectFrom("rect_active_lead_providers").select(["lead_provider_id", "contract_period_year"]).orderBy("contract_period_year").execute();
  const tokens = await db.selectFrom("rect_api_tokens").select(["id", "lead_provider_id", "token_hash", "demo_token", "created_at", "last_used_at"]).orderBy("created_at").execute();
  return { providers, cohorts, tokens };
}

export async function leadProviderByApiId(db: DbOrTrx, apiId: string) {
  return db.selectFrom("rect_lead_providers").select(["id", "api_id", "name"]).where("api_id", "=", apiId).executeTakeFirst();
}

export async function deleteToken(db: DbOrTrx, id: string): Promise<boolean> {
  const result = await db.deleteFrom("rect_api_tokens").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function leadProviderNameTaken(db: DbOrTrx, name: string): Promise<boolean> {
  return (await db.selectFrom("rect_lead_providers").select("id").where("name", "=", name).executeTakeFirst()) !== undefined;
}

export async function contractPeriodYears(db: DbOrTrx): Promise<number[]> {
  return (await db.selectFrom("rect_contract_periods").select("year").execute()).map((r) => r.year);
}
