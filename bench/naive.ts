/**
 * The naive stack, for "× naive" in `make bench`: Elysia + Kysely's own
 * SqliteDialect + better-sqlite3, as a tutorial would write it (no statement
 * cache, no prepared queries, rows returned as they come and serialised by
 * Elysia), over one flat 100,000-row table whose rows carry the same fields
 * as a participant. Same page sizes and the same polling parameter as the
 * service's list.
 *
 *   bun bench/naive.ts DATABASE_FILE PORT
 */
import Sqlite from "better-sqlite3/linux-x64";
import { Elysia } from "elysia";
import { Kysely, SqliteDialect } from "kysely";

interface Flat {
  id: number;
  participant_id: string;
  email: string;
  full_name: string;
  mentor_id: string | null;
  school_urn: string;
  participant_type: string;
  cohort: string;
  status: string;
  teacher_reference_number: string;
  teacher_reference_number_validated: number;
  eligible_for_funding: number;
  pupil_premium_uplift: number;
  sparsity_uplift: number;
  training_status: string;
  training_record_id: string;
  schedule_identifier: string;
  updated_at: string;
}

export const NAIVE_ROWS = 100_000;

/** Creates the flat table with NAIVE_ROWS rows unless it is there already. */
export function seedNaive(file: string): void {
  const sqlite = new Sqlite(file);
  sqlite.pragma("journal_mode = WAL");
  const has = sqlite.prepare("select count(*) from sqlite_master where name = 'flat'").pluck().get() as number;
  if (has && (sqlite.prepare("select count(*) from flat").pluck().get() as number) === NAIVE_ROWS) {
    sqlite.close();
    return;
  }
  sqlite.exec(`drop table if exists flat;
    create table flat (id integer primary key, participant_id text not null, email text not null, full_name text not null,
      mentor_id text, school_urn text not null, participant_type text not null, cohort text not null, status text not null,
      teacher_reference_number text not null, teacher_reference_number_validated integer not null, eligible_for_funding integer not null,
      pupil_premium_uplift integer not null, sparsity_uplift integer not null, training_status text not null,
      training_record_id text not null, schedule_identifier text not null, updated_at text not null)`);
  const insert = sqlite.prepare(`insert into flat values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const base = Date.parse("2025-06-01T00:00:00Z");
  sqlite.transaction(() => {
    for (let i = 1; i <= NAIVE_ROWS; i++) {
      const stamp = new Date(base + i * 1000).toISOString().replace(".000Z", "Z");
      insert.run(i, crypto.randomUUID(), `bench.0.${i}@example.com`, `Bench Person 0-${i}`, null, "200000", "ect", "2023", "active",
        String(3000000 + i), 1, 1, i % 2, 0, "active", crypto.randomUUID(), "ecf-extended-september", stamp);
    }
  })();
  sqlite.close();
}

if (import.meta.main) {
  const [file, port] = process.argv.slice(2);
  const db = new Kysely<{ flat: Flat }>({ dialect: new SqliteDialect({ database: new Sqlite(file!) }) });
  new Elysia()
    .get("/healthz", () => "ok")
    .get("/flat", ({ query }) => {
      const perPage = Number(query["per_page"] ?? 100);
      const page = Number(query["page"] ?? 1);
      let q = db.selectFrom("flat").selectAll().orderBy("id").limit(perPage).offset((page - 1) * perPage);
      if (query["updated_since"]) q = q.where("updated_at", ">=", query["updated_since"]);
      return q.execute().then((data) => ({ data }));
    })
    .get("/flat/:id", async ({ params, status }) => {
      const row = await db.selectFrom("flat").selectAll().where("id", "=", Number(params.id)).executeTakeFirst();
      return row ? { data: row } : status(404, "not found");
    })
    .listen({ port: Number(port), hostname: "127.0.0.1" });
}
