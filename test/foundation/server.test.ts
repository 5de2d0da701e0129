import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/server";

describe("the server over a real socket", () => {
  test("when started on an empty file database, then it seeds, serves the demo with printed tokens, and stops cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "srv-"));
    const databasePath = join(dir, "sandbox.sqlite");
    const lines: string[] = [];
    const server = await startServer(
      { port: 0, host: "127.0.0.1", databasePath, adminToken: null, seed: "demo", rateLimit: true, logRequests: false, responseCache: true, requestLogSize: 10000 },
      (line) => lines.push(line),
    );
    try {
      const banner = lines.join("\n");
      expect(banner).toContain(`${server.url}/api/v2`);
      expect(banner).toContain(`${server.url}/api-docs`);
      const adminToken = /Admin token \(shown once, stored hashed\): (\S+)/.exec(banner)?.[1];
      expect(adminToken).toBeDefined();
      const demoToken = /Ambition Institute\s+(\S+)/.exec(banner)?.[1];
      expect(demoToken).toBeDefined();

      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });

      const list = await fetch(`${server.url}/api/v2/participants/ecf?page[per_page]=5`, { headers: { authorization: `Bearer ${demoToken}` } });
      expect(list.status).toBe(200);
      expect(list.headers.get("content-type")).toBe("application/vnd.api+json");
      expect(((await list.json()) as any).data).toHaveLength(5);

      const providers = await fetch(`${server.url}/admin/lead-providers`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(providers.status).toBe(200);
      expect(((await providers.json()) as any[]).find((p) => p.name === "Ambition Institute").api_tokens).toEqual([demoToken]);

      const denied = await fetch(`${server.url}/api/v2/participants/ecf`);
      expect(denied.status).toBe(401);
    } finally {
      await server.stop();
    }
    // a clean stop checkpoints the WAL into the database file
    expect(existsSync(`${databasePath}-wal`)).toBe(false);

    // a second start keeps the data and does not print a new admin token
    const again: string[] = [];
    const second = await startServer(
      { port: 0, host: "127.0.0.1", databasePath, adminToken: null, seed: "demo", rateLimit: false, logRequests: false, responseCache: true, requestLogSize: 10000 },
      (line) => again.push(line),
    );
    await second.stop();
    expect(again.join("\n")).not.toContain("shown once");
    expect(again.join("\n")).not.toContain("seeded with demo data");
  });
});
