import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FixedWindowRateLimiter } from "../../src/http/rate-limit";
import { type ServerProcess, startServerProcess } from "../support/server-process";

/**
 * Issue 14: hostile clients do not grow the server's memory. The server runs
 * as a child process with the rate limit on, and its VmRSS is read from /proc.
 */
const ADMIN = "memory-admin-token";
let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hostile-memory-"));
  server = await startServerProcess({ DATABASE_PATH: join(dir, "sandbox.sqlite"), ADMIN_TOKEN: ADMIN, RATE_LIMIT: "on" });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** runs `task(i)` for i in 0..n-1, `width` at a time */
async function pool(n: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

const padding = "x".repeat(8 * 1024);

/** `count` requests, each with its own 8 KB bogus token; the statuses seen, counted */
async function bogusTokens(from: number, count: number): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  await pool(count, 32, async (i) => {
    const r = await fetch(`${server.url}/api/v2/participants/ecf`, { headers: { authorization: `Bearer bogus-${from + i}-${padding}` } });
    await r.arrayBuffer();
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  });
  return statuses;
}

/** `count` concurrent chunked uploads of 6 MiB each (a stream has no length: fetch sends it chunked) */
async function chunkedUploads(token: string, count: number) {
  const mib = new Uint8Array(1024 * 1024).fill(0x20);
  return Promise.all(
    Array.from({ length: count }, async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 6) controller.enqueue(mib);
          else controller.close();
        },
      });
      try {
        const r = await fetch(`${server.url}/api/v2/participant-declarations`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        });
        return { status: r.status, body: (await r.json()) as any };
      } catch (e) {
        return { status: 0, body: String(e) };
      }
    }),
  );
}

/**
 * RSS once the server has been idle for a moment: what it keeps, not the garbage of the last burst
 * that its collector has not returned yet (on a busy machine that lags by tens of MiB).
 */
async function settled() {
  let lowest = server.memory();
  for (let i = 0; i < 10; i++) {
    await Bun.sleep(200);
    const now = server.memory();
    if (now.rss < lowest.rss) lowest = now;
  }
  return lowest;
}

describe("bounded memory for hostile clients", () => {
  test("when 30,000 distinct 8 KB bogus tokens and 20 chunked 6 MiB uploads arrive, then each gets its 401 or 413 and RSS grows by at most 64 MiB", async () => {
    const created = (await (
      await fetch(`${server.url}/admin/lead-providers`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Uploader" }),
      })
    ).json()) as { api_token: string };
    // the baseline is a server that has served some of both, as a running sandbox has: its heap sized for
    // traffic and its request log (REQUEST_LOG_SIZE, 10,000 by default, bounded by design) full
    await bogusTokens(-10_000, 10_000);
    await chunkedUploads(created.api_token, 2);
    const before = await settled();

    expect(await bogusTokens(0, 30_000)).toEqual({ 401: 30_000 });
    const afterTokens = await settled();

    const uploads = await chunkedUploads(created.api_token, 20);
    for (const u of uploads) {
      expect(u.status).toBe(413);
      expect(u.body.errors[0].title).toBe("Payload too large");
    }
    const after = await settled();
    console.log(
      `RSS (MiB): baseline ${before.rss.toFixed(1)}, after 30,000 bogus 8 KB tokens ${afterTokens.rss.toFixed(1)} (+${(afterTokens.rss - before.rss).toFixed(1)}), ` +
        `after 20 chunked 6 MiB uploads ${after.rss.toFixed(1)} (+${(after.rss - before.rss).toFixed(1)} in all); peak VmHWM ${after.hwm.toFixed(1)} (+${(after.hwm - before.rss).toFixed(1)})`,
    );
    expect(afterTokens.rss - before.rss).toBeLessThanOrEqual(64);
    expect(after.rss - before.rss).toBeLessThanOrEqual(64);
    // and while they came: buffering each upload whole took the peak to +200 MiB and more
    expect(after.hwm - before.rss).toBeLessThanOrEqual(112);
  }, 120_000);
});

describe("the rate limiter's memory", () => {
  test("when more distinct values come than it keeps, then the least-counted are forgotten and a busy token keeps its count", () => {
    const limiter = new FixedWindowRateLimiter(1000, 300, 1000);
    const now = 1_700_000_100_000;
    for (let i = 0; i < 999; i++) limiter.allow("Bearer busy", now);
    for (let i = 0; i < 5000; i++) expect(limiter.allow(`Bearer bogus-${i}-${"x".repeat(200)}`, now)).toBe(true);
    expect(limiter.size).toBeLessThanOrEqual(1000);
    expect(limiter.allow("Bearer busy", now)).toBe(true); // the 1000th
    expect(limiter.allow("Bearer busy", now)).toBe(false); // the 1001st: its count survived the pruning
  });

  test("when an unknown token is sent 1001 times, then it is counted under its own value (live) and the 1001st is 429", () => {
    const limiter = new FixedWindowRateLimiter();
    const now = 1_700_000_100_000;
    const long = `Bearer ${"y".repeat(5000)}`;
    for (let i = 0; i < 1000; i++) expect(limiter.allow(long, now)).toBe(true);
    expect(limiter.allow(long, now)).toBe(false);
    expect(limiter.allow(long + "z", now)).toBe(true);
  });
});
