import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { schedules } from "../../db/reference-data";
import { prepareDatabase } from "../../src/bootstrap";

describe("database", () => {
  test("when migrations run twice, then the second run applies nothing and the schema stands", async () => {
    const { db, close } = openDatabase(":memory:");
    expect(await migrateToLatest(db)).toEqual(["0001_initial", "0002_list_sort_keys", "0003_participant_documents", "0004_profile_schedule_and_frozen_move", "0005_rect_world", "0006_derived_objects", "0007_rect_participant_documents"]);
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toContain("declarations");
    await close();
  });

  test("when a file database is opened, then it is in WAL mode with foreign keys on and synchronous FULL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "db-"));
    const database = openDatabase(join(dir, "x.sqlite"));
    expect(database.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(database.sqlite.pragma("synchronous", { simple: true })).toBe(2);
    await database.close();
  });

  test("when the database is prepared, then the 5 cohorts and the 60 schedules are loaded, also with SEED=none", async () => {
    const { db, close } = openDatabase(":memory:");
    await prepareDatabase(db, { seed: "none", adminToken: "admin-token-1" });
    await prepareDatabase(db, { seed: "none", adminToken: "admin-token-1" });
    const count = async (table: "cohorts" | "schedules" | "milestones" | "lead_providers") =>
      Number((await db.selectFrom(table).select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    expect(await count("cohorts")).toBe(5);
    expect(await count("schedules")).toBe(60);
    expect(await count("milestones")).toBe(schedules.reduce((n, s) => n + s.milestones.length, 0));
    expect(await count("lead_providers")).toBe(0);
    await close();
  });

  test("when the admin token is given, then only its SHA-256 hash is stored", async () => {
    const { db, close } = openDatabase(":memory:");
    await prepareDatabase(db, { seed: "none", adminToken: "admin-token-xyz" });
    const rows = await db.selectFrom("api_tokens").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(new Bun.CryptoHasher("sha256").update("admin-token-xyz").digest("hex"));
    expect(JSON.stringify(rows)).not.toContain("admin-token-xyz");
    await close();
  });

  test("when no admin token is given on first start, then one is generated once and not again", async () => {
    const { db, close } = openDatabase(":memory:");
    const first = await prepareDatabase(db, { seed: "none", adminToken: null });
    const second = await prepareDatabase(db, { seed: "none", adminToken: null });
    expect(first.generatedAdminToken).toMatch(/^admin_/);
    expect(second.generatedAdminToken).toBeNull();
    await close();
  });

  test("when two databases are seeded, then their contents are equal (deterministic demo data)", async () => {
    const dump = async () => {
      const { db, close } = openDatabase(":memory:");
      await prepareDatabase(db, { seed: "demo", adminToken: "same-admin-token", now: new Date("2025-01-01T00:00:00Z") });
      const out: Record<string, unknown[]> = {};
      for (const table of ["lead_providers", "schools", "partnerships", "participants", "training_records", "training_status_history", "statements", "declarations", "declaration_state_history"] as const) {
        out[table] = await db.selectFrom(table).selectAll().orderBy("created_at" as any).orderBy(sql`rowid`).execute().catch(() => db.selectFrom(table).selectAll().execute());
      }
      out.tokens = await db.selectFrom("api_tokens").select(["id", "token_hash", "kind"]).where("kind", "=", "lead_provider").orderBy("id").execute();
      await close();
      return out;
    };
    const a = await dump();
    const b = await dump();
    expect(a.lead_providers).toHaveLength(6);
    expect((a.training_records as unknown[]).length).toBeGreaterThan(6 * 5 * 40);
    expect((a.declarations as unknown[]).length).toBeGreaterThan(6 * 50);
    expect(a).toEqual(b);
  });

  test("when demo data is seeded, then it has mentors with ECTs, both-roles people, unfunded, deferred and withdrawn records", async () => {
    const { db, close } = openDatabase(":memory:");
    await prepareDatabase(db, { seed: "demo", adminToken: "same-admin-token" });
    const records = await db.selectFrom("training_records").selectAll().execute();
    expect(records.some((r) => r.mentor_id !== null)).toBe(true);
    expect(records.some((r) => r.eligible_for_funding === 0)).toBe(true);
    expect(records.some((r) => r.eligible_for_funding === null)).toBe(true);
    expect(records.some((r) => r.training_status === "deferred")).toBe(true);
    expect(records.some((r) => r.training_status === "withdrawn")).toBe(true);
    const byPerson = new Map<string, Set<string>>();
    for (const r of records) byPerson.set(r.participant_id, (byPerson.get(r.participant_id) ?? new Set()).add(r.participant_type));
    expect([...byPerson.values()].some((types) => types.size === 2)).toBe(true);
    const statements = await db.selectFrom("statements").select(["lead_provider_id"]).distinct().execute();
    expect(statements).toHaveLength(6);
    await close();
  });

  test("when demo data is seeded, then every demo provider has declarations in every state, several per person, each state reached through its history", async () => {
    const { db, close } = openDatabase(":memory:");
    await prepareDatabase(db, { seed: "demo", adminToken: "same-admin-token" });
    const providers = await db.selectFrom("lead_providers").select(["id", "name"]).execute();
    const declarations = await db.selectFrom("declarations").selectAll().execute();
    const history = await db.selectFrom("declaration_state_history").selectAll().orderBy("created_at").orderBy(sql`rowid`).execute();
    expect(providers).toHaveLength(6);
    for (const provider of providers) {
      const own = declarations.filter((d) => d.lead_provider_id === provider.id);
      const states = new Set(own.map((d) => d.state));
      expect({ provider: provider.name, states: [...states].sort() }).toEqual({
        provider: provider.name,
        states: ["awaiting_clawback", "clawed_back", "eligible", "ineligible", "paid", "payable", "submitted", "voided"],
      });
      const perPerson = new Map<string, number>();
      for (const d of own) perPerson.set(d.participant_id, (perPerson.get(d.participant_id) ?? 0) + 1);
      expect(Math.max(...perPerson.values())).toBeGreaterThanOrEqual(3);
      expect(own.filter((d) => d.state === "voided").length).toBeGreaterThan(3);
    }
    // each declaration's history is a walk the rules allow, ending in its state (the seed used the service)
    const allowed = new Set(["submitted>eligible", "submitted>ineligible", "eligible>payable", "payable>paid", "paid>awaiting_clawback", "awaiting_clawback>clawed_back", "submitted>voided", "eligible>voided", "payable>voided"]);
    for (const d of declarations) {
      const walk = history.filter((h) => h.declaration_id === d.id).map((h) => h.state);
      expect(walk[0]).toBe("submitted");
      expect(walk[walk.length - 1]).toBe(d.state);
      const steps = walk.slice(1).map((state, i) => `${walk[i]}>${state}`);
      expect({ id: d.id, refused: steps.filter((step) => !allowed.has(step)) }).toEqual({ id: d.id, refused: [] });
    }
    await close();
  });
});
