/**
 * Measures `GET /api/v2/participants/ecf.csv` for one lead provider with many
 * training records (default 100,000), over a real socket.
 *
 *   bun test/scripts/csv-export-benchmark.ts [all|seed|export|serve|latency] [--rows N] [--db PATH] [--runs K] [--port P] [--exports E]
 *
 * - `all` (default): seed a fresh temp database, then export;
 * - `seed`: only seed `--db PATH` (a new file), print the provider's token;
 * - `export`: only serve `--db PATH` and export to an in-process client (so
 *   `/usr/bin/time -v` on this step gives the peak RSS without the seeding);
 * - `serve`: only serve `--db PATH` until SIGTERM, printing the CSV URL, for
 *   an outside client (curl): the server's own peak RSS.
 * - `latency`: seed `--rows` (default 10,000) into a temp database, serve it
 *   from a child process (`serve`), start `--exports` (default 10) concurrent
 *   exports, and time one-row GETs (`?page[per_page]=1`) sent one after
 *   another until the exports end: their p50/p99/max (issue 14: "exports share
 *   the loop").
 *
 * Not a test: run it by hand, e.g.
 *   /usr/bin/time -v node_modules/.bin/bun test/scripts/csv-export-benchmark.ts
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Insertable } from "kysely";
import { openDatabase } from "../../db/connection";
import { findSchedule } from "../../db/reference-data";
import type { Database } from "../../db/schema";
import { createApp } from "../../src/app";
import { prepareDatabase } from "../../src/bootstrap";
import { stableUuid } from "../../src/lib/ids";
import { toTimestamp } from "../../src/lib/time";
import { createLeadProvider, ensureSchoolPartnership } from "../../src/modules/admin/service";

const args = process.argv.slice(2);
const mode = args[0] && !args[0].startsWith("--") ? args[0] : "all";
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rows = Number(option("rows") ?? (mode === "latency" ? 10_000 : 100_000));
const runs = Number(option("runs") ?? 3);
const ADMIN = "bench-admin-token";

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function seed(path: string): Promise<string> {
  const started = performance.now();
  const database = openDatabase(path);
  await prepareDatabase(database.db, { seed: "none", adminToken: ADMIN });
  const now = new Date("2024-09-01T08:00:00Z");
  const provider = await createLeadProvider(database.db, "Benchmark provider", now);
  const urns = Array.from({ length: 50 }, (_, i) => String(500000 + i));
  const cohorts = [2021, 2022, 2023, 2024, 2025];
  for (const urn of urns) for (const cohort of cohorts) await ensureSchoolPartnership(database.db, provider.id, urn, cohort, now);
  const schedules = ["ecf-standard-september", "ecf-standard-january", "ecf-extended-april", "ecf-reduced-september"];

  await database.db.transaction().execute(async (trx) => {
    const chunk = 2000; // 8 and 16 columns: well under SQLite's 32766 bound variables
    for (let offset = 0; offset < rows; offset += chunk) {
      const people: Insertable<Database["participants"]>[] = [];
      const records: Insertable<Database["training_records"]>[] = [];
      for (let i = offset; i < Math.min(rows, offset + chunk); i++) {
        const id = stableUuid("bench-participant", i);
        const stamp = toTimestamp(new Date(now.getTime() + i * 1000));
        const cohort = cohorts[i % cohorts.length]!;
        const type = i % 5 === 0 ? "mentor" : "ect";
        people.push({
          id,
          full_name: i % 97 === 0 ? `Smith, Jo "${i}"` : `Participant ${i}`,
          email: `participant.${i}@example.com`,
          teacher_reference_number: i % 29 === 11 ? null : String(1000000 + i),
          teacher_reference_number_validated: i % 23 === 9 ? 0 : 1,
          created_at: stamp,
          updated_at: stamp,
        });
        records.push({
          id: stableUuid("bench-record", i),
          participant_id: id,
          participant_type: type,
          lead_provider_id: provider.id,
          school_urn: urns[i % urns.length]!,
          cohort,
          schedule_id: findSchedule(schedules[i % schedules.length]!, cohort)!.id,
          induction_status: i % 31 === 13 ? "withdrawn" : "active",
          training_status: i % 17 === 5 ? "deferred" : i % 19 === 7 ? "withdrawn" : "active",
          eligible_for_funding: i % 9 === 3 ? 0 : i % 9 === 6 ? null : 1,
          pupil_premium_uplift: i % 4 === 0 ? 1 : 0,
          sparsity_uplift: i % 6 === 0 ? 1 : 0,
          mentor_id: type === "ect" && i > 5 ? stableUuid("bench-participant", i - (i % 5)) : null,
          created_at: stamp,
          updated_at: stamp,
        });
      }
      await trx.insertInto("participants").values(people).execute();
      await trx.insertInto("training_records").values(records).execute();
    }
  });
  await database.close();
  console.error(`seeded ${rows} training records for one provider in ${Math.round(performance.now() - started)} ms`);
  return provider.api_token;
}

async function exportCsv(path: string, token: string) {
  const database = openDatabase(path);
  await prepareDatabase(database.db, { seed: "none", adminToken: ADMIN });
  const app = createApp({ db: database.db, rateLimit: false });
  app.listen({ port: 0, hostname: "127.0.0.1" });
  const url = `http://127.0.0.1:${app.server!.port}/api/v2/participants/ecf.csv`;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const results = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const t0 = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const headersAt = performance.now() - t0;
      if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
      let bytes = 0;
      let lines = 0;
      let firstByteAt = 0;
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (bytes === 0) firstByteAt = performance.now() - t0;
        bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      }
      const lastByteAt = performance.now() - t0;
      results.push({
        run,
        rows: lines - 1,
        bytes,
        headers_ms: Math.round(headersAt),
        first_byte_ms: Math.round(firstByteAt),
        last_byte_ms: Math.round(lastByteAt),
        rss_mb_after: mb(process.memoryUsage().rss),
      });
    }
  } finally {
    clearInterval(sampler);
    await app.stop();
    await database.close();
  }
  console.log(JSON.stringify({ rows_seeded: rows, url_path: "/api/v2/participants/ecf.csv", runs: results, peak_rss_mb_sampled: mb(peakRss) }, null, 2));
}

/** Serves `--db PATH` on `--port` (default 0) until SIGTERM/SIGINT, for an outside client such as curl. */
async function serve(path: string) {
  const database = openDatabase(path);
  await prepareDatabase(database.db, { seed: "none", adminToken: ADMIN });
  const app = createApp({ db: database.db, rateLimit: false });
  app.listen({ port: Number(option("port") ?? 0), hostname: "127.0.0.1" });
  console.log(`http://127.0.0.1:${app.server!.port}/api/v2/participants/ecf.csv`);
  const stop = async () => {
    await app.stop();
    await database.close();
    console.error(`peak RSS (sampled at exit): ${mb(process.memoryUsage().rss)} MB now`);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** One-row GETs, one after another, while `exports` full CSV exports run against a server in another process. */
async function latency(path: string, token: string) {
  const exports = Number(option("exports") ?? 10);
  const proc = Bun.spawn([process.execPath, import.meta.path, "serve", "--db", path], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  const csvUrl = first.trim().split("\n")[0]!;
  const base = csvUrl.slice(0, csvUrl.indexOf("/api/"));
  const headers = { authorization: `Bearer ${token}` };
  const oneRow = `${base}/api/v2/participants/ecf?page[per_page]=1`;
  for (let i = 0; i < 50; i++) await (await fetch(oneRow, { headers })).text(); // warm up
  try {
    const samples: number[] = [];
    let running = true;
    const t0 = performance.now();
    const exporting = Promise.all(
      Array.from({ length: exports }, async () => {
        const body = await (await fetch(csvUrl, { headers })).text();
        return body.split("\n").length - 2;
      }),
    ).finally(() => (running = false));
    while (running) {
      const s0 = performance.now();
      const r = await fetch(oneRow, { headers });
      await r.text();
      if (r.status !== 200) throw new Error(`one-row GET: ${r.status}`);
      samples.push(performance.now() - s0); // sent while the exports ran
    }
    const exported = await exporting;
    const exportsMs = performance.now() - t0;
    samples.sort((a, b) => a - b);
    const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 10) / 10;
    console.log(
      JSON.stringify({ rows_per_export: exported[0], exports, exports_ms: Math.round(exportsMs), one_row_gets: samples.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1) }),
    );
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

if (mode === "latency") {
  const dir = mkdtempSync(join(tmpdir(), "csv-latency-"));
  const path = join(dir, "bench.sqlite");
  try {
    await latency(path, await seed(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (mode === "serve") {
  const path = option("db");
  if (!path || !existsSync(path)) throw new Error("serve needs --db PATH of a seeded database");
  await serve(path);
} else if (mode === "seed") {
  const path = option("db");
  if (!path || existsSync(path)) throw new Error("seed needs --db PATH of a file that does not exist yet");
  const token = await seed(path);
  writeFileSync(`${path}.token`, token);
  console.log(`database: ${path}\ntoken: ${token} (also in ${path}.token)`);
} else if (mode === "export") {
  const path = option("db");
  if (!path || !existsSync(path)) throw new Error("export needs --db PATH of a seeded database");
  await exportCsv(path, readFileSync(`${path}.token`, "utf8").trim());
} else {
  const dir = mkdtempSync(join(tmpdir(), "csv-bench-"));
  const path = join(dir, "bench.sqlite");
  try {
    const token = await seed(path);
    await exportCsv(path, token);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
