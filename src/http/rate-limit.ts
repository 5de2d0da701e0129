import { createHash } from "node:crypto";

/**
 * The live throttle (docs/reference/business-rules.md §1.2): 1000 requests per fixed 5-minute
 * window (aligned to multiples of 300 s of Unix time), counted per raw
 * `Authorization` value, invalid tokens included, on paths under `/api/`;
 * no header, no count.
 *
 * Its memory is bounded whatever clients send (issue 14): a long header value
 * is counted under its SHA-256 (so an 8 KB bogus token costs 65 bytes, not
 * 8 KB), and past `maxKeys` values in one window the ones seen least are
 * forgotten first. A value near the limit is forgotten only when `maxKeys / 2`
 * others have been sent as often, which is no real client.
 */
export class FixedWindowRateLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    readonly limit = 1000,
    readonly windowSeconds = 300,
    readonly maxKeys = 50_000,
  ) {}

  /** values kept in the current window (for tests) */
  get size(): number {
    return this.counts.size;
  }

  /** true when the request may go on */
  allow(authorization: string, nowMs: number = Date.now()): boolean {
    const window = Math.floor(nowMs / 1000 / this.windowSeconds);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    // NUL cannot occur in a header value, so a hashed key never equals a raw one
    const key = authorization.length <= 128 ? authorization : "\u0000" + createHash("sha256").update(authorization).digest("base64");
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1 && this.counts.size >= this.maxKeys) this.prune();
    this.counts.set(key, count);
    return count <= this.limit;
  }

  /** Forgets the least-counted values until at most half the cap is kept. */
  private prune(): void {
    for (let below = 2; this.counts.size > this.maxKeys / 2; below *= 2) {
      for (const [key, count] of this.counts) if (count < below) this.counts.delete(key);
    }
  }
}

export function tooManyRequests(): Response {
  return new Response("Retry later\n", { status: 429, headers: { "content-type": "text/plain" } });
}
