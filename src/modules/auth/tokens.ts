import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../../db/connection";
import type { DbOrTrx } from "../../../db/schema";
import { newId } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";
import {
  anyAdminToken,
  deleteAdminTokens,
  deleteToken,
  insertToken,
  leadProviderTokens,
  leadProviderTokensMatching,
  tokenByHash,
  writeLastUses,
} from "./queries";

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
  await insertToken(db, { id, kind, lead_provider_id: leadProviderId, token_hash: hashToken(token), created_at: toTimestamp(now) });
  return id;
}

/** A token with a given id and creation time (the demo providers': the same on every fresh database). */
export async function storeFixedToken(
  db: DbOrTrx,
  token: { id: string; token: string; kind: "lead_provider" | "admin"; leadProviderId: string | null; createdAt: string },
): Promise<void> {
  await insertToken(db, { id: token.id, kind: token.kind, lead_provider_id: token.leadProviderId, token_hash: hashToken(token.token), created_at: token.createdAt });
}

export interface TokenOwner {
  tokenId: string;
  kind: "lead_provider" | "admin";
  leadProviderId: string | null;
}

export async function findTokenOwner(db: Db, token: string): Promise<TokenOwner | null> {
  return findTokenOwnerByHash(db, hashToken(token));
}

export async function findTokenOwnerByHash(db: Db, tokenHash: string): Promise<TokenOwner | null> {
  const row = await tokenByHash(db, tokenHash);
  return row ? { tokenId: row.id, kind: row.kind, leadProviderId: row.lead_provider_id } : null;
}

/**
 * The admin token a start asks for: ADMIN_TOKEN (`wanted`) replaces any
 * stored admin token unless it is stored already; without it, one is
 * generated when there is none, and returned (to be printed once).
 */
export async function ensureAdminToken(db: Db, wanted: string | null, now: Date): Promise<string | null> {
  if (wanted) {
    if (!(await tokenByHash(db, hashToken(wanted)))) {
      // ADMIN_TOKEN replaces any admin token stored before
      await deleteAdminTokens(db);
      await storeToken(db, wanted, "admin", null, now);
    }
    return null;
  }
  if (await anyAdminToken(db)) return null;
  const generated = "admin_" + generateToken();
  await storeToken(db, generated, "admin", null, now);
  return generated;
}

/** Every lead provider token, oldest first, for the admin list. */
export const listLeadProviderTokens = leadProviderTokens;

/** Revokes a lead provider token by its id or by a prefix (at least 8 hex digits) of its SHA-256 hash; null when none matches, "ambiguous" when several do. */
export async function revokeLeadProviderToken(db: DbOrTrx, idOrHashPrefix: string): Promise<string | null | "ambiguous"> {
  const key = idOrHashPrefix.toLowerCase();
  const matches = await leadProviderTokensMatching(db, /^[0-9a-f]{8,64}$/.test(key) ? { hashPrefix: key } : { id: idOrHashPrefix });
  if (matches.length === 0) return null;
  if (matches.length > 1) return "ambiguous";
  await deleteToken(db, matches[0]!.id);
  return matches[0]!.id;
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
 * Records a token's last use off the request path (issue 14: a read must
 * never write, or a read-only or full disk fails GETs too). A use is noted in
 * memory; the notes are written together every `intervalMs`, best-effort: a
 * failed write keeps them for the next round and is logged once until one
 * succeeds. Readers see the notes at once through `seen`.
 */
export class LastUsedRecorder {
  private pending = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private failing = false;

  constructor(
    private readonly db: Db,
    readonly intervalMs = 10_000,
    private readonly logError: (fields: Record<string, unknown>) => void = () => {},
    /** the v2 tokens, or the v3 (RECT) ones */
    private readonly table: "api_tokens" | "rect_api_tokens" = "api_tokens",
  ) {}

  /** after a snapshot restore: the tokens' rows came back as they were saved, so notes taken before it are dropped */
  reset(): void {
    this.pending.clear();
  }

  /** notes a use; no I/O */
  touch(tokenId: string, now: Date): void {
    const previous = this.pending.get(tokenId);
    if (previous === undefined || now.getTime() > previous) this.pending.set(tokenId, now.getTime());
    if (this.timer === null) {
      this.timer = setInterval(() => void this.flush(), this.intervalMs);
      // a pending note never keeps the process alive
      this.timer.unref?.();
    }
  }

  /** the later of the stored value and a note not yet written */
  seen(tokenId: string, stored: string | null): string | null {
    const noted = this.pending.get(tokenId);
    if (noted === undefined) return stored;
    const text = toTimestamp(new Date(noted));
    return stored === null || text > stored ? text : stored;
  }

  /** writes the notes in one transaction; never throws */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const notes = [...this.pending];
    this.pending.clear();
    try {
      await writeLastUses(this.db, this.table, notes.map(([id, at]) => [id, toTimestamp(new Date(at))]));
      this.failing = false;
    } catch (error) {
      for (const [id, at] of notes) if ((this.pending.get(id) ?? -Infinity) < at) this.pending.set(id, at);
      if (!this.failing) this.logError({ message: "could not record tokens' last use; will retry", error: String((error as Error)?.message ?? error).split("\n")[0], code: (error as { code?: unknown })?.code });
      this.failing = true;
    }
  }

  /** the last flush, and no more timer (before the database closes) */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
