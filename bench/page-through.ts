/**
 * Reads every page of the measured provider's participants (100 per page),
 * in-process, without and with the response cache (each page is read once,
 * so the cache only adds its bookkeeping). A page's ids come off the read
 * model's covering index, so a deep page walks index entries only.
 *
 *   bun bench/page-through.ts      (after `make bench` has seeded .bench/bench.sqlite)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../db/connection";
import { createApp } from "../src/app";
import { BENCH_TOKEN } from "./seed";

if (process.argv.includes("--help")) {
  console.log("usage: bun bench/page-through.ts   (needs .bench/bench.sqlite from make bench)");
  process.exit(0);
}
const path = join(import.meta.dir, "../.bench/bench.sqlite");
if (!existsSync(path)) {
  console.error("error: .bench/bench.sqlite is missing; run `make bench` first");
  process.exit(2);
}
const database = openDatabase(path);
for (const withVersion of [false, true]) {
  const app = createApp({ db: database.db, rateLimit: false, ...(withVersion ? { writes: database.writes, dataVersion: database.dataVersion } : {}) });
  const t0 = performance.now();
  let rows = 0;
  for (let page = 1; ; page++) {
    const r = await app.handle(new Request(`http://localhost/api/v2/participants/ecf?page[per_page]=100&page[page]=${page}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } }));
    const body = (await r.json()) as { data: unknown[] };
    rows += body.data.length;
    if (body.data.length < 100) break;
  }
  console.log(`${withVersion ? "response cache on" : "response cache off"}: ${rows.toLocaleString()} rows in ${(performance.now() - t0).toFixed(0)} ms`);
}
await database.close();
