/** All SQL of authentication: the api_tokens table (tokens are stored only as their SHA-256 hash). */
import type { DbOrTrx } from "../../../db/schema";
import { preparedQuery } from "../../../db/prepared";

export interface TokenRow {
  id: string;
  kind: "lead_provider" | "admin";
  lead_provider_id: string | null;
  token_hash: string;
  created_at: string;
}

export async function insertToken(db: DbOrTrx, row: TokenRow): Promise<void> {
  await db.insertInto("api_tokens").values(row).execute();
}

const tokenOwnerQuery = preparedQuery((db, tokenHash: string) =>
  db.selectFrom("api_tokens").select(["id", "kind", "lead_provider_id"]).where("token_hash", "=", tokenHash).limit(1),
);

/** the token with this hash, if any (built once: it runs on every request whose owner is not remembered) */
export async function tokenByHash(db: DbOrTrx, tokenHash: string) {
  const [row] = await tokenOwnerQuery(db, tokenHash);
  return row;
}

/** writes noted last uses, in one transaction (`table`: the v2 tokens, or RECT's) */
export async function writeLastUses(db: DbOrTrx, table: "api_tokens" | "rect_api_tokens", notes: [id: string, at: string][]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [id, at] of notes) await trx.updateTable(table as "api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
  });
}

export async function anyAdminToken(db: DbOrTrx): Promise<boolean> {
  return (await db.selectFrom("api_tokens").select("id").where("kind", "=", "admin").executeTakeFirst()) !== undefined;
}

export async function deleteAdminTokens(db: DbOrTrx): Promise<void> {
  await db.deleteFrom("api_tokens").where("kind", "=", "admin").execute();
}

/** every lead provider token, oldest first (the admin list) */
export function leadProviderTokens(db: DbOrTrx) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "lead_provider_id", "token_hash", "created_at", "last_used_at"])
    .where("kind", "=", "lead_provider")
    .orderBy("created_at")
    .execute();
}

/** lead provider tokens whose id is `id`, or whose hash starts with `hashPrefix` (at most two: more than one is ambiguous) */
export function leadProviderTokensMatching(db: DbOrTrx, match: { id: string } | { hashPrefix: string }) {
  let query = db.selectFrom("api_tokens").select(["id"]).where("kind", "=", "lead_provider");
  query = "hashPrefix" in match ? query.where("token_hash", "like", `${match.hashPrefix}%`) : query.where("id", "=", match.id);
  return query.limit(2).execute();
}

export async function deleteToken(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom("api_tokens").where("id", "=", id).execute();
}
