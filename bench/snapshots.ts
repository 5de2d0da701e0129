/**
 * Snapshot save and restore timings, through the admin API in-process
 * (`app.handle`, so no socket noise), and a restore that compares every row
 * (the service function, as after a restart): the demo database (`seed` defaults)
 * and the bench database (110,000 training records, ~1 M declarations;
 * seeded as `make bench` does, or reused from .bench/).
 *
 *   bun bench/snapshots.ts [--rounds 5] [--skip-bench]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/connection";
import { createApp } from "../src/app";
import { prepareDatabase } from "../src/bootstrap";
import { FileSnapshotStore } from "../src/modules/snapshots/store";
import { findTokenOwner } from "../src/modules/auth/tokens";
import { restoreSnapshot } from "../src/modules/snapshots/service";
import { BENCH_ADMIN_TOKEN, BENCH_TOKEN, benchDatabase } from "./seed";

const { values } = parseArgs({ args: process.argv.slice(2), options: { rounds: { type: "string", default: "5" }, "skip-bench": { type: "boolean", default: false } }, strict: true });
const ROUNDS = Number(values.rounds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, path: string, adminToken: string, providerToken: string) {
  const database = openDatabase(path);
  const store = FileSnapshotStore.besideDatabase(path);
  const app = createApp({ db: database.db, rateLimit: false, writes: database.writes, dataVersion: database.dataVersion, snapshots: store });
  const call = async (method: string, url: string, token = adminToken, body?: unknown) => {
    const r = await app.handle(new Request(`http://localhost${url}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-with-server-date": "2025-06-01T00:00:00Z" }, body: body === undefined ? undefined : JSON.stringify(body) }));
    return { status: r.status, body: (await r.json()) as any };
  };
  const timed = async (f: () => Promise<{ status: number; body: any }>) => {
    const t0 = performance.now();
    const r = await f();
    if (r.status >= 300) throw new Error(JSON.stringify(r));
    return { ms: performance.now() - t0, body: r.body };
  };
  const saves: number[] = [];
  let size = 0;
  for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
    const s = await timed(() => call("PUT", "/admin/snapshots/bench-base"));
    saves.push(s.ms);
    size = s.body.size_bytes;
  }
  // a test's worth of changes: a new participant and declarations, then the restore
  const provider = { id: (await findTokenOwner(database.db, providerToken))!.leadProviderId! };
  const unchanged: number[] = [];
  const afterChanges: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    unchanged.push((await timed(() => call("POST", "/admin/snapshots/bench-base/restore"))).ms);
    const list = (await call("GET", "/api/v2/participants/ecf?page[per_page]=5", providerToken)).body.data as any[];
    for (const p of list) {
      await call("POST", "/api/v2/participant-declarations", providerToken, { data: { type: "participant-declaration", attributes: { participant_id: p.id, declaration_type: "started", declaration_date: "2024-01-10T10:00:00Z", course_identifier: "ecf-induction" } } });
    }
    await call("POST", "/admin/participants", adminToken, { lead_provider_id: provider.id, participant_type: "ect", cohort: 2024 });
    afterChanges.push((await timed(() => call("POST", "/admin/snapshots/bench-base/restore"))).ms);
  }
  // the same, comparing every row (as after a restart, or after another process wrote)
  const everyRow: number[] = [];
  for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
    await call("POST", "/admin/participants", adminToken, { lead_provider_id: provider.id, participant_type: "ect", cohort: 2024 });
    const t0 = performance.now();
    await restoreSnapshot(database.db, store, "bench-base");
    everyRow.push(performance.now() - t0);
  }
  await call("DELETE", "/admin/snapshots/bench-base");
  await database.close();
  console.log(
    `| ${label} | ${(size / 1024 / 1024).toFixed(1)} MiB | ${median(saves).toFixed(0)} ms | ${median(unchanged).toFixed(0)} ms | ${median(afterChanges).toFixed(0)} ms | ${median(everyRow).toFixed(0)} ms |`,
  );
}

console.log(
  "| database | snapshot size | save | restore, nothing changed | restore after a test's changes (5 declarations, 1 participant) | the same, comparing every row (after a restart) |\n| --- | --- | --- | --- | --- | --- |",
);

// demo: what a first start makes
{
  const dir = mkdtempSync(join(tmpdir(), "snapshot-bench-"));
  const path = join(dir, "demo.sqlite");
  const database = openDatabase(path);
  const prepared = await prepareDatabase(database.db, { seed: "demo", adminToken: "demo-admin-token" });
  await database.close();
  const token = prepared.demoProviders[0]!.token;
  await measure("demo (seed defaults)", path, "demo-admin-token", token);
  rmSync(dir, { recursive: true, force: true });
}

if (!values["skip-bench"]) {
  const { path: DB } = await benchDatabase();
  await measure("bench (110,000 records, ~1 M declarations)", DB, BENCH_ADMIN_TOKEN, BENCH_TOKEN);
  rmSync(`${DB}.snapshots`, { recursive: true, force: true });
}
console.log(`\nmedians of ${ROUNDS} restores (saves: of 3), in-process through the admin API`);
