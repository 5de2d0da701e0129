import type { Db } from "../../db/connection";
import { type WriteCounter, queryDataVersion } from "../../db/write-counter";

interface Entry {
  version: string;
  /** text, bytes, or an object that says its size in `length` */
  body: { length: number };
  bytes: number;
}

/**
 * Answers to repeated GETs (a provider polling the same page), kept until the
 * next write. An entry is used only while the database is exactly as it was
 * when the entry was made: no write by this process since (WriteCounter) and
 * none by another process (SQLite's `data_version`). Bounded by bytes, least
 * recently used first out (keys counted too: a long query string is memory).
 * The answer never depends on "now", so the clock plays no part.
 */
export class ResponseCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly db: Db,
    private readonly writes: WriteCounter,
    /** SQLite's data_version read straight off the handle (a PRAGMA, not a query); Kysely's when absent */
    private readonly dataVersion?: () => number,
    readonly maxBytes = 64 * 1024 * 1024,
    readonly maxEntryBytes = 4 * 1024 * 1024,
  ) {}

  private async version(): Promise<string> {
    const before = this.writes.value;
    if (this.dataVersion) return `${before}:${this.dataVersion()}`;
    return `${before}:${await queryDataVersion(this.db)}`;
  }

  /** The database version as a request first saw it (auth and the answer share one look; kept in its RequestInfo). */
  versionFor(request: { dbVersion?: Promise<string> }): Promise<string> {
    return (request.dbVersion ??= this.version());
  }

  /** The cached body for `key` (text, or the gzipped bytes), or `compute()`'s, cached when the database did not change meanwhile. */
  async get<T extends { length: number }>(key: string, compute: () => Promise<T>, request?: { dbVersion?: Promise<string> }): Promise<T> {
    const version = request ? await this.versionFor(request) : await this.version();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.body as T;
    }
    const body = await compute();
    if (body.length <= this.maxEntryBytes && (await this.version()) === version) this.put(key, { version, body, bytes: body.length + key.length });
    return body;
  }

  /** forgets every answer (a snapshot restore) */
  reset(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private put(key: string, entry: Entry) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }
}
