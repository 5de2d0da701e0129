import { openDatabase } from "../db/connection";
import { createApp } from "../src/app";
import { participantRowsFor } from "../src/modules/participants/queries";
import { findTokenOwner } from "../src/modules/auth/tokens";
import { BENCH_TOKEN } from "./seed";
const meta = JSON.parse(await Bun.file(".bench/bench.json").text());
const database = openDatabase(".bench/bench.sqlite");
const app = createApp({ db: database.db, rateLimit: false });
const id = meta.participantIds[50000];
const prov = (database.sqlite.prepare("select lead_provider_id from training_records where participant_id = ?").pluck().get(id)) as string;
async function time(name: string, n: number, f: () => Promise<unknown> | unknown) {
  for (let i = 0; i < n; i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  console.log(name.padEnd(30), ((performance.now() - t0) / n * 1000).toFixed(1), "µs");
}
const raw = database.sqlite.prepare(`select p.*, tr.* from training_records tr join participants p on p.id = tr.participant_id join schedules s on s.id = tr.schedule_id where tr.participant_id = ? and +tr.lead_provider_id = ?`);
for (let k = 0; k < 2; k++) {
await time("healthz handle", 3000, async () => (await app.handle(new Request("http://localhost/healthz"))).text());
await time("raw by id sql", 3000, () => raw.all(id, prov));
await time("participantRowsFor", 3000, () => participantRowsFor(database.db, prov, id, { cohorts: null, updatedSince: null }));
await time("findTokenOwner", 3000, () => findTokenOwner(database.db, BENCH_TOKEN));
await time("handle by id", 3000, async () => (await app.handle(new Request(`http://localhost/api/v2/participants/ecf/${id}`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } }))).text());
}
