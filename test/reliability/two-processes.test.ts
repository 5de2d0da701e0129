import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3/linux-x64";

/**
 * Two server processes on one database file (a second `make run`, or a CLI
 * command while serving), each with its own connection, hit over real
 * sockets with racing declaration POSTs. Every write transaction begins with
 * `BEGIN IMMEDIATE`, so the second writer waits for the lock within
 * busy_timeout; with a deferred `BEGIN` it failed at once with "database is
 * locked" (issue 14: 198 of 640 POSTs answered 500).
 */
const root = join(import.meta.dir, "../..");
const ADMIN = "two-processes-admin-token";
const dir = mkdtempSync(join(tmpdir(), "two-processes-"));
const databasePath = join(dir, "sandbox.sqlite");
const servers: Array<{ proc: ReturnType<typeof Bun.spawn>; base: string; output: string[] }> = [];

function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function startServer() {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn([process.execPath, "run", "src/cli.ts", "serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      DATABASE_PATH: databasePath,
      PORT: String(port),
      HOST: "127.0.0.1",
      ADMIN_TOKEN: ADMIN,
      SEED: "none",
      RATE_LIMIT: "off",
      LOG_REQUESTS: "off",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const server = { proc, base, output: [] as string[] };
  void (async () => {
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) server.output.push(new TextDecoder().decode(chunk));
  })();
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${server.output.join("")}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {}
    await Bun.sleep(20);
  }
  servers.push(server);
  return server;
}

async function post(base: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json().catch(() => null)) as any };
}

beforeAll(async () => {
  // one after the other: the second finds the file migrated and seeded
  await startServer();
  await startServer();
}, 60_000);

afterAll(async () => {
  for (const { proc } of servers) proc.kill("SIGTERM");
  await Promise.all(servers.map(({ proc }) => proc.exited));
  rmSync(dir, { recursive: true, force: true });
});

describe("two server processes on one database file", () => {
  test("when declaration POSTs race through both, then none answers 5xx and each participant has one billable declaration", async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const provider = await post(a.base, "/admin/lead-providers", ADMIN, { name: "Two processes" });
    expect(provider.status).toBe(201);
    const participants: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await post(i % 2 ? b.base : a.base, "/admin/participants", ADMIN, { lead_provider_id: provider.json.id, participant_type: "ect", cohort: 2025 });
      expect(r.status).toBe(201);
      participants.push(r.json.participant_id);
    }
    // 16 identical POSTs per participant, half to each process, all in flight at once
    const now = { "x-with-server-date": "2025-10-01T12:00:00Z" };
    const results = await Promise.all(
      participants.flatMap((participantId) =>
        Array.from({ length: 16 }, (_, k) =>
          post(k % 2 ? b.base : a.base, "/api/v2/participant-declarations", provider.json.api_token, {
            data: {
              type: "participant-declaration",
              attributes: { participant_id: participantId, declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction" },
            },
          }, now),
        ),
      ),
    );
    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const fiveHundreds = results.filter((r) => r.status >= 500).length;
    console.log(`two processes: ${results.length} racing POSTs, 5xx: ${fiveHundreds}, statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(fiveHundreds).toBe(0);
    expect(statuses.get(200)).toBe(participants.length);
    expect(statuses.get(422)).toBe(results.length - participants.length);

    const check = new Sqlite(databasePath, { readonly: true });
    try {
      const duplicates = check
        .prepare("select participant_id, count(*) as n from declarations where billable = 1 group by participant_id, declaration_type, course_identifier having n > 1")
        .all();
      expect(duplicates).toEqual([]);
      const count = check.prepare("select count(*) from declarations").pluck().get();
      expect(count).toBe(participants.length);
    } finally {
      check.close();
    }
  }, 60_000);
});
