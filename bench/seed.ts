/**
 * Seeds a benchmark database at the scale providers really have: 6 lead
 * providers, 100,000 training records for the measured provider (plus a few
 * thousand for the others) and 1,000,000 declarations. Every query is Kysely;
 * rows go in as large multi-row inserts inside one transaction.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Insertable } from "kysely";
import { openDatabase } from "../db/connection";
import { ensureProviderStatements, findSchedule } from "../db/reference-data";
import { insertInChunks } from "../db/insert-in-chunks";
import type { Database } from "../db/schema";
import { prepareDatabase } from "../src/bootstrap";
import { storeToken } from "../src/modules/auth/tokens";
import { toTimestamp } from "../src/lib/time";

export const BENCH_TOKEN = "bench-provider-token";
export const BENCH_ADMIN_TOKEN = "bench-admin-token";

export interface BenchSeedOptions {
  records: number;
  declarationsPerRecord: number;
  otherProviders: number;
  otherRecords: number;
  onProgress?: (label: string, done: number, total: number) => void;
}

const TYPES = ["started", "retained-1", "retained-2", "retained-3", "retained-4", "completed"];

export async function seedBenchDatabase(path: string, options: BenchSeedOptions): Promise<{ participantIds: string[]; declarationIds: string[]; freeParticipantIds: string[] }> {
  const database = openDatabase(path);
  const { db } = database;
  await prepareDatabase(db, { seed: "none", adminToken: BENCH_ADMIN_TOKEN });
  const now = new Date("2025-06-01T00:00:00Z");
  const schedule = findSchedule("ecf-extended-september", 2023)!; // open-ended milestones
  const participantIds: string[] = [];
  const declarationIds: string[] = [];
  const freeParticipantIds: string[] = [];
  await db.transaction().execute(async (trx) => {
    const providers: string[] = [];
    for (let p = 0; p <= options.otherProviders; p++) {
      const id = Bun.randomUUIDv7();
      providers.push(id);
      await trx.insertInto("lead_providers").values({ id, name: p === 0 ? "Bench Provider" : `Other Provider ${p}`, is_demo: 0, created_at: toTimestamp(now) }).execute();
      await ensureProviderStatements(trx, id);
      if (p === 0) await storeToken(trx, BENCH_TOKEN, "lead_provider", id, now);
      await trx.insertInto("schools").values({ urn: String(200000 + p), name: `Bench School ${p}` }).execute();
      for (const cohort of [2021, 2022, 2023, 2024, 2025]) {
        await trx.insertInto("partnerships").values({ id: Bun.randomUUIDv7(), lead_provider_id: id, school_urn: String(200000 + p), cohort, created_at: toTimestamp(now) }).execute();
      }
    }
    const batch = 10_000;
    for (let p = 0; p < providers.length; p++) {
      const total = p === 0 ? options.records : options.otherRecords;
      for (let start = 0; start < total; start += batch) {
        const people: Insertable<Database["participants"]>[] = [];
        const records: Insertable<Database["training_records"]>[] = [];
        const declarations: Insertable<Database["declarations"]>[] = [];
        for (let i = start; i < Math.min(total, start + batch); i++) {
          const personId = Bun.randomUUIDv7();
          const recordId = Bun.randomUUIDv7();
          const stamp = toTimestamp(new Date(now.getTime() + i * 1000));
          people.push({ id: personId, full_name: `Bench Person ${p}-${i}`, email: `bench.${p}.${i}@example.com`, teacher_reference_number: String(3000000 + p * 1_000_000 + i), teacher_reference_number_validated: 1, created_at: stamp, updated_at: stamp });
          records.push({ id: recordId, participant_id: personId, participant_type: "ect", lead_provider_id: providers[p]!, school_urn: String(200000 + p), cohort: 2023, schedule_id: schedule.id, induction_status: "active", training_status: "active", eligible_for_funding: 1, pupil_premium_uplift: i % 2, sparsity_uplift: 0, mentor_id: null, created_at: stamp, updated_at: stamp } as Insertable<Database["training_records"]>);
          if (p === 0) {
            // the last 5,000 people stay undeclared, for the POST benchmark
            if (i >= total - 5000) freeParticipantIds.push(personId);
            else {
              participantIds.push(personId);
              for (let d = 0; d < options.declarationsPerRecord; d++) {
                const id = Bun.randomUUIDv7();
                const billable = d < TYPES.length;
                declarations.push({ id, participant_id: personId, training_record_id: recordId, lead_provider_id: providers[p]!, cohort: 2023, declaration_type: TYPES[d % TYPES.length]!, course_identifier: "ecf-induction", declaration_date: "2023-10-01T10:00:00Z", evidence_held: "other", state: billable ? "eligible" : "voided", billable: billable ? 1 : 0, created_at: stamp, updated_at: stamp });
                if (declarationIds.length < 10_000) declarationIds.push(id);
              }
            }
          }
        }
        await insertInChunks(trx, "participants", people);
        await insertInChunks(trx, "training_records", records);
        await insertInChunks(trx, "declarations", declarations);
        options.onProgress?.(p === 0 ? "bench provider" : `provider ${p + 1}`, Math.min(total, start + batch), total);
      }
    }
  });
  await database.close();
  return { participantIds, declarationIds, freeParticipantIds };
}

export type BenchSeed = Awaited<ReturnType<typeof seedBenchDatabase>>;

/** The scale `make bench` measures: 100,000 records for the measured provider, ~1 M declarations. */
export const BENCH_SCALE: BenchSeedOptions = { records: 100_000, declarationsPerRecord: 11, otherProviders: 5, otherRecords: 2_000 };

/**
 * The bench database in .bench/ (shared by the bench scripts), seeded at
 * BENCH_SCALE when it or its id list is missing.
 */
export async function benchDatabase(): Promise<{ path: string; meta: BenchSeed }> {
  const work = join(import.meta.dir, "..", ".bench");
  mkdirSync(work, { recursive: true });
  const path = join(work, "bench.sqlite");
  const metaPath = join(work, "bench.json");
  if (existsSync(path) && existsSync(metaPath)) return { path, meta: JSON.parse(readFileSync(metaPath, "utf8")) };
  const t0 = performance.now();
  const meta = await seedBenchDatabase(path, BENCH_SCALE);
  writeFileSync(metaPath, JSON.stringify({ ...meta, seedSeconds: (performance.now() - t0) / 1000 }));
  return { path, meta };
}
