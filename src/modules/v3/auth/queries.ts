/** The v3 tokens' SQL (rect_api_tokens; tokens.ts is its only caller). */
import { preparedQuery } from "../../../../db/prepared";
import type { Db } from "../../../../db/connection";
import type { DbOrTrx } from "../../../../db/schema";

export async function insertToken(db: DbOrTrx, row: { id: string; lead_provider_id: number; token_hash: string; demo_token: string | null; created_at: string }): Promise<void> {
  await db.insertInto("rect_api_tokens").values(row).execute();
}

/** Whether a token with this hash is stored already. */
export async function tokenHashExists(db: DbOrTrx, tokenHash: string): Promise<boolean> {
  return (await db.selectFrom("rect_api_tokens").select("id").where("token_hash", "=", tokenHash).executeTakeFirst()) !== undefined;
}

const callerQuery = preparedQuery((db, tokenHash: string) =>
  db
    .selectFrom("rect_api_tokens as t")
    .innerJoin("rect_lead_providers as lp", "lp.id", "t.lead_provider_id")
    .select(["t.id as token_id", "lp.id as lead_provider_id", "lp.api_id"])
    .where("t.token_hash", "=", tokenHash)
    .limit(1),
);

/** The token with this hash and its lead provider, or undefined. */
export async function callerByTokenHash(db: Db, tokenHash: string) {
  const [row] = await callerQuery(db, tokenHash);
  return row;
}
