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
  return findTokenOwnerByHash(db, hashToken(token));
}

export async function findTokenOwnerByHash(db: Db, tokenHash: string): Promise<TokenOwner | null> {
  const [row] = await tokenOwnerQuery(db, tokenHash);
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
      await this.db.transaction().execute(async (trx) => {
        for (const [id, at] of notes) await trx.updateTable(this.table as "api_tokens").set({ last_used_at: toTimestamp(new Date(at)) }).where("id", "=", id).execute();
      });
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
