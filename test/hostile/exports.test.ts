import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { type OpenDatabase, openDatabase } from "../../db/connection";
import { createApp } from "../../src/app";
import { prepareDatabase } from "../../src/bootstrap";
import { csvStream } from "../../src/http/csv";
import { demoToken } from "../../src/modules/auth/tokens";
import { type ServerProcess, startServerProcess } from "../support/server-process";

/** Issue 14: CSV exports share the event loop, and one that fails half way says so. */
let dir: string;
let database: OpenDatabase;
let app: ReturnType<typeof createApp>;
let server: ServerProcess;
const token = demoToken("Ambition Institute");
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hostile-exports-"));
  database = openDatabase(join(dir, "sandbox.sqlite"));
  // 5 cohorts × 900: 4,500 records for each demo provider, more than two batches of an export (CSV_BATCH_LINES)
  await prepareDatabase(database.db, { seed: "demo", adminToken: "exports-admin-token", participantsPerCohort: 900 });
  app = createApp({ db: database.db, rateLimit: false });
  // the exports run in another process, so that the client's own work does not pace them
  server = await startServerProcess({ DATABASE_PATH: join(dir, "sandbox.sqlite"), ADMIN_TOKEN: "exports-admin-token", SEED: "demo" });
}, 30_000);
afterAll(async () => {
  await server.stop();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("exports share the loop", () => {
  test("when 10 exports run over a socket, then a one-row GET sent after them completes before they do", async () => {
    const headers = { authorization: `Bearer ${token}` };
    const finished: string[] = [];
    const exports = Array.from({ length: 10 }, async (_, i) => {
      const r = await fetch(`${server.url}/api/v2/participants/ecf.csv`, { headers });
      const text = await r.text();
      finished.push(`export ${i}`);
      return text.split("\n").length - 2;
    });
    const get = await fetch(`${server.url}/api/v2/participants/ecf?page[per_page]=1`, { headers });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.length).toBe(1);
    finished.push("get");
    const rows = await Promise.all(exports);
    expect(rows.every((n) => n === rows[0] && n >= 1500)).toBe(true);
    expect(finished.indexOf("get")).toBeLessThan(finished.length - 1);
  }, 30_000);

  test("when an export fails half way, then the client gets a broken transfer and one JSON line says it failed", async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      const r = await app.handle(new Request("http://localhost/api/v2/participants/ecf.csv", { headers: { authorization: `Bearer ${token}` } }));
      expect(r.status).toBe(200);
      const reader = r.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value).slice(0, 9)).toBe("id,email,");
      // the table the export reads (the read model, migration 0003) goes away under it
      await sql`alter table participant_documents rename to participant_documents_gone`.execute(database.db);
      let broken: unknown = null;
      try {
        for (;;) if ((await reader.read()).done) break;
      } catch (e) {
        broken = e;
      }
      await sql`alter table participant_documents_gone rename to participant_documents`.execute(database.db);
      expect(broken).not.toBeNull();
      expect(lines.length).toBe(1);
      expect(lines[0]).not.toContain("\n");
      const logged = JSON.parse(lines[0]!);
      expect(logged).toMatchObject({ level: "error", method: "GET", path: "/api/v2/participants/ecf.csv", outcome: "failed" });
      expect(logged.message).toMatch(/^CSV export failed after [1-9][0-9]* rows/);
      expect(logged.error).toContain("no such table");
    } finally {
      console.error = original;
    }
  });

  test("when an export fails in the server process, then its stderr has one JSON line per failed request and no source code", async () => {
    const before = server.stderr().length;
    await sql`alter table participant_documents rename to participant_documents_gone`.execute(database.db);
    let broken = false;
    try {
      const r = await fetch(`${server.url}/api/v2/participants/ecf.csv`, { headers: { authorization: `Bearer ${token}` } });
      await r.text();
    } catch {
      broken = true;
    } finally {
      await sql`alter table participant_documents_gone rename to participant_documents`.execute(database.db);
    }
    expect(broken).toBe(true);
    await Bun.sleep(200);
    // one line per failed request (fetch may retry a GET whose connection broke before any byte came)
    const lines = server.stderr().slice(before).trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: "error", path: "/api/v2/participants/ecf.csv", outcome: "failed" });
  });

  test("when a batch throws, then the stream errors (never a short CSV that looks whole) and failed is told the rows sent", async () => {
    let calls = 0;
    const told: number[] = [];
    const stream = csvStream(
      ["a"],
      async (limit) => {
        if (++calls === 2) throw new Error("disk I/O error");
        return Array.from({ length: limit }, (_, i) => i);
      },
      (n) => `${n}\n`,
      { batchSize: 3, failed: (_, sent) => told.push(sent) },
    );
    let broken = false;
    await new Response(stream).text().catch(() => (broken = true));
    expect(broken).toBe(true);
    expect(told).toEqual([3]);
  });
});
