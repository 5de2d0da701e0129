/**
 * v3 (RECT) lead provider tokens: a store of their own (`rect_api_tokens`),
 * so a v3 token is unknown on /api/v2 and a v2 token unknown on /api/v3
 * (docs/reference/rect/control-plane.md §0.5). Stored as SHA-256 hashes, as v2's; RECT keeps
 * them with deterministic encryption and never expires them (docs/reference/rect/rules.md §2.1).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../../../db/connection";
import type { DbOrTrx } from "../../../../db/schema";
import { newId } from "../../../lib/ids";
import { toTimestamp } from "../../../lib/time";
import { hashToken } from "../../auth/tokens";
import * as q from "./queries";

/** The caller behind a v3 token. */
export interface V3Caller {
  tokenId: string;
  /** rect_lead_providers.id: what every query is scoped by */
  leadProviderId: number;
  /** its api_id: what the request log and the admin API show */
  leadProviderApiId: string;
}

/** RECT's tokens are 32-character secure tokens (app/models/api/token.rb:4). */
export function generateV3Token(): string {
  return randomBytes(24).toString("base64url");
}

export async function storeV3Token(db: DbOrTrx, token: string, leadProviderId: number, now: Date, demo = false): Promise<string> {
  const id = newId();
  await q.insertToken(db, { id, lead_provider_id: leadProviderId, token_hash: hashToken(token), demo_token: demo ? token : null, created_at: toTimestamp(now) });
  return id;
}

/** A token is unique (app/models/api/token.rb:11 "Hashed token must be unique"). */
export async function v3TokenTaken(db: DbOrTrx, token: string): Promise<boolean> {
  return q.tokenHashExists(db, hashToken(token));
}

export async function findV3Caller(db: Db, token: string): Promise<V3Caller | null> {
  const row = await q.callerByTokenHash(db, hashToken(token));
  return row ? { tokenId: row.token_id, leadProviderId: row.lead_provider_id, leadProviderApiId: row.api_id } : null;
}
