import type { WriteCounter } from "../../../db/write-counter";
import type { TokenOwner } from "./tokens";

/**
 * Token → its owner, while the database is exactly as it was when the owner
 * was read: no write by this process since (WriteCounter; revoking or
 * creating a token is a write) and none by another process (SQLite's
 * `data_version`), the same test as the response cache's but independent of
 * it, so that RESPONSE_CACHE=off still reads the token once per database
 * version, not once per request. Keyed by the token itself (no hash per
 * request); a token longer than any the sandbox issues is not kept, so a flood
 * of long bogus tokens costs nothing here, and at most 10,000 are kept.
 */
export class TokenOwnerCache<Owner = TokenOwner> {
  private owners = new Map<string, Owner | null>();
  private version = "";

  constructor(
    private readonly writes: WriteCounter,
    private readonly dataVersion: () => number,
    readonly maxEntries = 10_000,
    readonly maxTokenLength = 128,
  ) {}

  /** the database version now; read it before the lookup whose answer is kept under it */
  current(): string {
    return `${this.writes.value}:${this.dataVersion()}`;
  }

  /** the owner remembered for `token` at `version` (null: no such token), or undefined when not known */
  get(token: string, version: string): Owner | null | undefined {
    if (version !== this.version) {
      this.owners.clear();
      this.version = version;
      return undefined;
    }
    return this.owners.get(token);
  }

  /** keeps `owner`, read when the database was at `version` */
  set(token: string, version: string, owner: Owner | null): void {
    if (token.length > this.maxTokenLength || version !== this.version) return;
    if (this.owners.size >= this.maxEntries) this.owners.clear();
    this.owners.set(token, owner);
  }

  /** forgets every owner (a snapshot restore) */
  reset(): void {
    this.owners.clear();
    this.version = "";
  }
}
