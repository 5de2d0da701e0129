/**
 * The v3 row of `make bench` on its own, without wrk: a fresh service (`src/cli.ts serve`,
 * RESPONSE_CACHE=off) on a database file holding the RECT world of bench/v3-world.ts
 * (10,000 teachers), asked one request after another for `GET /api/v3/participants?page[per_page]=100`
 * with a new `filter[updated_since]` each time (as bench/poll.lua), at page 1 and at page 50.
 * Prints req/s, p50 and p99 per page; `--save FILE` writes the bodies (to compare two versions).
 *
 *   bun bench/v3-participants.ts [--requests 200] [--reuse] [--save FILE]
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSandbox } from "./sequential";
import { BENCH_V3_TOKEN, ensureV3World } from "./v3-world";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { requests: { type: "string", default: "200" }, reuse: { type: "boolean", default: false }, save: { type: "string" }, help: { type: "boolean", short: "h" } },
  strict: true,
});
if (values.help) {
  console.log(
    "usage: bun bench/v3-participants.ts [--requests N] [--reuse] [--save FILE]\n  --requests N  requests per page measured (default 200)\n  --reuse       keep .bench/v3.sqlite between runs\n  --save FILE   write the page bodies as JSON",
  );
  process.exit(0);
}
const REQUESTS = Number(values.requests);
if (!Number.isInteger(REQUESTS) || REQUESTS < 1) {
  console.error("error: --requests must be a positive whole number");
  process.exit(2);
}
const ROOT = join(import.meta.dir, "..");
mkdirSync(join(ROOT, ".bench"), { recursive: true });
const DB = join(ROOT, ".bench", "v3.sqlite");
if (!values.reuse) for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) rmSync(f, { force: true });
const fresh = !existsSync(DB);

const { proc, url, adminToken } = await startSandbox(DB, { RESPONSE_CACHE: "off" });
try {
  const t0 = performance.now();
  await ensureV3World(url, adminToken, (done, total) => process.stdout.write(`\rloading the v3 world: ${done.toLocaleString()} / ${total.toLocaleString()} teachers   `));
  console.log(`${fresh ? "\n" : ""}v3 world ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const saved: Record<string, string> = {};
  for (const page of [1, 50]) {
    const path = `/api/v3/participants?page[per_page]=100&page[page]=${page}`;
    const times: number[] = [];
    const base = Date.parse("2000-01-01T00:00:00Z");
    for (let i = 0; i < REQUESTS + 5; i++) {
      const since = new Date(base + i * 1000).toISOString().replace(".000Z", "Z");
      const s = performance.now();
      const r = await fetch(`${url}${path}&filter[updated_since]=${since}`, { headers: { authorization: `Bearer ${BENCH_V3_TOKEN}` } });
      const body = await r.text();
      const ms = performance.now() - s;
      if (r.status !== 200) throw new Error(`${path} → ${r.status} ${body.slice(0, 200)}`);
      if (i === 0) {
        const n = (JSON.parse(body).data as unknown[]).length;
        if (n !== 100) throw new Error(`${path} returned ${n} rows`);
        saved[path] = body;
      }
      if (i >= 5) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    const q = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))]!.toFixed(1);
    console.log(`page ${page} of 100: ${(REQUESTS / (total / 1000)).toFixed(0)} req/s one client, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (${REQUESTS} requests)`);
  }
  if (values.save) writeFileSync(values.save, JSON.stringify(saved));
} finally {
  proc.kill();
}
