import { openDatabase } from "/work/wt-a12/db/connection";
import { createApp } from "/work/wt-a12/src/app";
import { BENCH_TOKEN } from "/work/wt-a12/bench/seed";
const meta = JSON.parse(await Bun.file("/work/wt-a12/.bench/bench.json").text());
const database = openDatabase("/work/wt-a12/.bench/bench.sqlite");
const app = createApp({ db: database.db, rateLimit: false });
const some = meta.participantIds[50000];
const decl = meta.declarationIds[5000];
const paths: [string, string, number][] = [
  ["p100", "/api/v2/participants/ecf?page[per_page]=100", 300],
  ["p100 since", "/api/v2/participants/ecf?page[per_page]=100&filter[updated_since]=2000-01-01T00:00:0", 300],
  ["p3000 since", "/api/v2/participants/ecf?page[per_page]=3000&filter[updated_since]=2000-01-01T00:00:0", 10],
  ["d100 since", "/api/v2/participant-declarations?page[per_page]=100&filter[updated_since]=2000-01-01T00:00:0", 300],
  ["by id", `/api/v2/participants/ecf/${some}?filter[updated_since]=2000-01-01T00:00:0`, 2000], ["by id plain", `/api/v2/participants/ecf/${some}`, 2000],
  ["decl by id", `/api/v2/participant-declarations/${decl}`, 2000],
];
for (const [name, path, n] of paths) {
  for (let round = 0; round < 2; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const p = path.endsWith(":0") ? path + (i % 10) + "Z" : path;
      const r = await app.handle(new Request("http://localhost" + p, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } }));
      await r.text();
      if (r.status !== 200) throw new Error(p + " " + r.status);
    }
    if (round) console.log(name.padEnd(12), ((performance.now() - t0) / n * 1000).toFixed(0), "µs/request");
  }
}
