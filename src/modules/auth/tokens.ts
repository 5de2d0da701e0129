import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../../db/connection";
import type { DbOrTrx } from "../../../db/schema";
import { preparedQuery } from "../../../db/prepared";
import { newId } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";


/** Tokens are stored only as this hash; the hash is also the lookup key, so no token is compared byte by byte. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function generateToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Demo providers' tokens are derived from their names, so a reseeded sandbox keeps the same tokens. */
export function demoToken(providerName: string): string {
  return "demo_" + createHash("sha256").update(`lead-provider-sandbox demo token\u0000${providerName}`).digest("base64url").slice(0, 32);
}

export async function storeToken(
  db: DbOrTrx,
  token: string,
  kind: "lead_provider" | "admin",
  leadProviderId: string | null,
  now: Date,
): Promise<string> {
  const id = newId();
  await db
    .insertInto("api_tokens")
    .values({ id, kind, lead_provider_id: leadProviderId, token_hash: hashToken(token), created_at: toTimestamp(now) })
    .execute();
  return id;
}

export interface TokenOwner {
  tokenId: string;
  kind: "lead_provider" | "admin";
  leadProviderId: string | null;
}

const tokenOwnerQuery = preparedQuery((db, tokenHash: string) =>
  db.selectFrom("api_tokens").select(["id", "kind", "lead_provider_id"]).where("token_hash", "=", tokenHash).limit(1),
);

export async function findTokenOwner(db: Db, token: string): Promise<TokenOwner | null> {
  const [row] = await tokenOwnerQuery(db, hashToken(token));
  return row ? { tokenId: row.id, kind: row.kind, leadProviderId: row.lead_provider_id } : null;
}

/**
 * `Bearer <token>`, `Token <token>` and `Token token="<token>"`, as Rails'
 * token authentication reads them; the scheme word is case-sensitive.
 */
export function tokenFromAuthorization(header: string | null): string | null {
  if (!header) return null;
  const match = /^(?:Bearer|Token) +(.+)$/.exec(header.trim());
  if (!match) return null;
  let value = match[1]!.trim();
  const quoted = /^token="([^"]*)"/.exec(value);
  if (quoted) value = quoted[1]!;
  else value = value.split(/[ ,;]/)[0]!;
  return value === "" ? null : value;
}

/**
 * Records a token's last use. Written at most once a minute per token, so
 * that reads do not turn into a write per request.
 */
export class LastUsedRecorder {
  private lastWritten = new Map<string, number>();

  async touch(db: Db, tokenId: string, now: Date): Promise<void> {
    const previous = this.lastWritten.get(tokenId);
    if (previous !== undefined && now.getTime() - previous < 60_000 && now.getTime() >= previous) return;
    this.lastWritten.set(tokenId, now.getTime());
    await db.updateTable("api_tokens").set({ last_used_at: toTimestamp(now) }).where("id", "=", tokenId).execute();
  }
}
