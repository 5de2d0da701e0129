/**
 * `make crash-test` (issue 5, durability): starts the real server on a file
 * database, drives concurrent writes over a socket, kills the process with
 * SIGKILL at a random moment, restarts it, and checks that every write that
 * got its 2xx is still there and that `PRAGMA integrity_check` says ok.
 *
 *   bun test/scripts/crash-test.ts [--cycles 20] [--writers 8]
 */
import Database from "better-sqlite3/linux-x64";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { cycles: { type: "string", default: "20" }, writers: { type: "string", default: "8" }, help: { type: "boolean", short: "h" } },
  strict: true,
});
if (values.help) {
  console.log("usage: bun test/scripts/crash-test.ts [--cycles N] [--writers N]\nKills the server with SIGKILL N times under write load and checks nothing acknowledged is lost.");
  process.exit(0);
}
const cycles = Number(values.cycles);
const writers = Number(values.writers);
if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(writers) || writers < 1) {
  console.error("error: --cycles and --writers must be positive whole numbers");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "crash-test-"));
const databasePath = join(dir, "sandbox.sqlite");
const ADMIN = "crash-test-admin-token";
const cli = join(import.meta.dir, "../../src/cli.ts");

async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

async function start() {
  const port = await freePort();
  const proc = Bun.spawn([process.execPath, cli, "serve"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, ADMIN_TOKEN: ADMIN, SEED: "none", RATE_LIMIT: "off", LOG_REQUESTS: "off" },
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { proc, url };
    } catch {}
    await Bun.sleep(25);
  }
  throw new Error("server did not become healthy");
}

const json = (token: string, body?: unknown) => ({
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});

interface Ack {
  kind: "participant" | "status" | "declaration";
  id: string;
  extra?: string;
}
const acknowledged: Ack[] = [];
let provider: { id: string; token: string } | null = null;

async function writer(url: string, stop: { now: boolean }) {
  while (!stop.now) {
    try {
      const created = await fetch(`${url}/admin/participants`, { method: "POST", ...json(ADMIN, { lead_provider_id: provider!.id, participant_type: "ect", cohort: 2025 }) });
      if (created.status !== 201) continue;
      const p = (await created.json()) as { participant_id: string; training_record_id: string };
      acknowledged.push({ kind: "participant", id: p.training_record_id });
      const deferred = await fetch(`${url}/api/v2/participants/ecf/${p.participant_id}/defer`, {
        method: "PUT",
        ...json(provider!.token, { data: { attributes: { course_identifier: "ecf-induction", reason: "career-break" } } }),
      });
      if (deferred.status === 200) acknowledged.push({ kind: "status", id: p.training_record_id, extra: "deferred" });
      const declared = await fetch(`${url}/api/v2/participant-declarations`, {
        method: "POST",
        headers: { ...json(provider!.token).headers, "x-with-server-date": "2025-10-01T12:00:00Z" },
        body: JSON.stringify({ data: { attributes: { participant_id: p.participant_id, declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction" } } }),
      });
      if (declared.status === 200) acknowledged.push({ kind: "declaration", id: ((await declared.json()) as any).data.id });
    } catch {
      // the server was killed mid-request: that write was never acknowledged
    }
  }
}

let lost = 0;
let staleDocuments = 0;
let lastIntegrity = "";
const t0 = performance.now();
for (let cycle = 1; cycle <= cycles; cycle++) {
  const { proc, url } = await start();
  if (!provider) {
    const r = await fetch(`${url}/admin/lead-providers`, { method: "POST", ...json(ADMIN, { name: "Crash test provider" }) });
    const body = (await r.json()) as { id: string; api_token: string };
    provider = { id: body.id, token: body.api_token };
  }
  const stop = { now: false };
  const running = Array.from({ length: writers }, () => writer(url, stop));
  await Bun.sleep(100 + Math.floor(Math.random() * 400));
  proc.kill("SIGKILL");
  await proc.exited;
  stop.now = true;
  await Promise.all(running);

  // check the file as the next start will find it
  const db = new Database(databasePath);
  lastIntegrity = db.pragma("integrity_check", { simple: true }) as string;
  const has = (sql: string, ...params: string[]) => db.prepare(sql).get(...params) !== undefined;
  let lostThisCycle = 0;
  for (const ack of acknowledged) {
    const present =
      ack.kind === "participant"
        ? has("select 1 from training_records where id = ?", ack.id)
        : ack.kind === "status"
          ? has("select 1 from training_status_history where training_record_id = ? and state = ?", ack.id, ack.extra!)
          : has("select 1 from declarations where id = ?", ack.id);
    if (!present) lostThisCycle++;
  }
  // the read model (migration 0003) moves in the same transactions: one document per record view, each the current one
  const documents = db.prepare("select count(*) from participant_documents").pluck().get() as number;
  const views = db.prepare("select (select count(*) from training_records) + (select count(*) from former_provider_views)").pluck().get() as number;
  const stale = db
    .prepare("select count(*) from participant_documents d join participant_document_source s on s.former = d.former and s.source_rowid = d.source_rowid where s.resource <> d.resource or s.csv <> d.csv")
    .pluck()
    .get() as number;
  if (documents !== views || stale !== 0) staleDocuments += Math.abs(documents - views) + stale;
  db.close();
  lost += lostThisCycle;
  console.log(`cycle ${String(cycle).padStart(2)}: killed after load; acknowledged so far ${acknowledged.length}, lost ${lostThisCycle}, integrity ${lastIntegrity}`);
  if (lastIntegrity !== "ok") break;
}
rmSync(dir, { recursive: true, force: true });
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
const byKind = (k: Ack["kind"]) => acknowledged.filter((a) => a.kind === k).length;
console.log(
  `crash test: ${cycles} SIGKILL cycles in ${seconds}s, ${acknowledged.length} acknowledged writes (${byKind("participant")} participants, ${byKind("status")} defers, ${byKind("declaration")} declarations), ${lost} lost, ${staleDocuments} read-model documents out of step, integrity_check ${lastIntegrity}; synchronous=FULL, journal_mode=WAL`,
);
const ok = lost === 0 && staleDocuments === 0 && lastIntegrity === "ok" && acknowledged.length > 0;
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
