/**
 * CPU µs per request of the uncached read path, in-process (`app.handle`):
 * the app built as `src/server.ts` builds it with RESPONSE_CACHE=off (the
 * request log on, as by default), each list request with a new
 * `filter[updated_since]`, as a polling provider sends. CPU time is the least
 * disturbed measure on a shared machine. Uses the bench database in .bench/
 * (seeded as `make bench` does when missing).
 *
 *   bun bench/cpu.ts [--rounds 5] [--n 400] [--cache]
 *   (--cache: RESPONSE_CACHE=on and the same URL every time, the cached path a polling provider hits)
 *   bun --cpu-prof bench/cpu.ts --only participants   (a profile of one scenario)
 */
import { parseArgs } from "node:util";
import { BENCH_TOKEN, benchDatabase } from "./seed";
import { openDatabase } from "../db/connection";
import { createApp } from "../src/app";
import { keepMallocHeap } from "../src/lib/malloc";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { rounds: { type: "string", default: "5" }, n: { type: "string", default: "400" }, only: { type: "string" }, cache: { type: "boolean", default: false } },
  strict: true,
});
const ROUNDS = Number(values.rounds);
const N = Number(values.n);

const { path: DB, meta } = await benchDatabase();

// as src/server.ts does before opening the database
if (!process.env.NO_MALLOC_TUNING) keepMallocHeap();
const database = openDatabase(DB);
// as src/server.ts builds it with RESPONSE_CACHE=off
const CACHE = values.cache;
const app = createApp({ db: database.db, rateLimit: false, writes: database.writes, dataVersion: database.dataVersion, responseCache: CACHE });
const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
let counter = 0;
const since = () => new Date(946684800_000 + (CACHE ? 0 : ++counter) * 1000).toISOString().replace(".000Z", "Z");
const some = meta.participantIds[Math.floor(meta.participantIds.length / 2)]!;
const someDeclaration = meta.declarationIds[Math.floor(meta.declarationIds.length / 2)]!;
const scenarios: Record<string, () => string> = {
  participants: () => `http://localhost/api/v2/participants/ecf?page[per_page]=100&filter[updated_since]=${since()}`,
  "participant by id": () => `http://localhost/api/v2/participants/ecf/${some}?filter[updated_since]=${since()}`,
  declarations: () => `http://localhost/api/v2/participant-declarations?page[per_page]=100&filter[updated_since]=${since()}`,
  "declaration by id": () => `http://localhost/api/v2/participant-declarations/${someDeclaration}`,
};
const names = values.only ? Object.keys(scenarios).filter((k) => k.startsWith(values.only!)) : Object.keys(scenarios);

async function cpu(url: () => string, n: number): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await app.handle(new Request(url(), { headers }));
    if (r.status !== 200) throw new Error(`${url()} → ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  }
  await Bun.sleep(0); // the after-response hooks
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, number[]> = {};
for (const name of names) await cpu(scenarios[name]!, 200); // warm-up
for (let round = 0; round < ROUNDS; round++) for (const name of names) (results[name] ??= []).push(await cpu(scenarios[name]!, N));
console.log(`| in-process CPU µs per request (RESPONSE_CACHE=${CACHE ? "on, same URL" : "off"}, request log on) | median | range |\n| --- | --- | --- |`);
for (const name of names) console.log(`| ${name} | ${median(results[name]!).toFixed(0)} | ${Math.min(...results[name]!).toFixed(0)}–${Math.max(...results[name]!).toFixed(0)} |`);
console.log(`${ROUNDS} rounds of ${N}, medians`);
await database.close();
