import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cli = join(import.meta.dir, "../../src/cli.ts");

async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

describe("graceful shutdown", () => {
  test("when SIGTERM comes while requests are in flight, then they complete, new connections are refused, exit is 0, and no WAL is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shutdown-"));
    const databasePath = join(dir, "sandbox.sqlite");
    const port = await freePort();
    const logs: string[] = [];
    const proc = Bun.spawn([process.execPath, cli, "serve"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, ADMIN_TOKEN: "shutdown-admin-token", SEED: "demo", RATE_LIMIT: "off", LOG_REQUESTS: "on" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {}
      await Bun.sleep(25);
    }
    const providers = (await (await fetch(`${url}/admin/lead-providers`, { headers: { authorization: "Bearer shutdown-admin-token" } })).json()) as any[];
    const token = providers[0].api_tokens[0] as string;

    // CSV exports of every row are the slowest requests: start many, then SIGTERM
    const inFlight = Array.from({ length: 40 }, () =>
      fetch(`${url}/api/v2/participants/ecf.csv`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, length: (await r.text()).length })),
    );
    await Bun.sleep(5);
    proc.kill("SIGTERM");
    const results = await Promise.allSettled(inFlight);
    const code = await proc.exited;
    const stdout = await new Response(proc.stdout).text();
    logs.push(stdout);

    expect(code).toBe(0);
    const completed = results.filter((r) => r.status === "fulfilled" && r.value.status === 200);
    // every request the server accepted before the signal completed whole
    for (const r of results) {
      if (r.status === "fulfilled") {
        expect(r.value.status).toBe(200);
        expect(r.value.length).toBeGreaterThan(1000);
      }
    }
    expect(completed.length).toBeGreaterThan(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    // tokens never appear in the log
    const jsonLines = stdout.split("\n").filter((l) => l.startsWith("{"));
    expect(jsonLines.length).toBeGreaterThan(2);
    for (const line of jsonLines) expect(line).not.toContain(token);
    expect(stdout).toContain('"path":"/api/v2/participants/ecf.csv"');
  });
});
