/**
 * The live throttle (business-rules §1.2): 1000 requests per fixed 5-minute
 * window (aligned to multiples of 300 s of Unix time), counted per raw
 * `Authorization` value, on paths under `/api/`; no header, no count.
 */
export class FixedWindowRateLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    readonly limit = 1000,
    readonly windowSeconds = 300,
  ) {}

  /** true when the request may go on */
  allow(key: string, nowMs: number = Date.now()): boolean {
    const window = Math.floor(nowMs / 1000 / this.windowSeconds);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= this.limit;
  }
}

export function tooManyRequests(): Response {
  return new Response("Retry later\n", { status: 429, headers: { "content-type": "text/plain" } });
}
