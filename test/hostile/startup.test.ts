import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../../db/connection";
import { prepareDatabase } from "../../src/bootstrap";

/** Issue 14: start-up refuses a database it must not touch, in one line, with exit code 2. */
const cli = join(import.meta.dir, "../../src/cli.ts");
const dir = mkdtempSync(join(tmpdir(), "hostile-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(path: string) {
  const proc = Bun.spawn([process.execPath, cli, "serve"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_PATH: path, SEED: "none", ADMIN_TOKEN: "startup-admin-token", LOG_REQUESTS: "off" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill(), 15_000);
  const [code, stderr] = [await proc.exited, await new Response(proc.stderr).text()];
  clearTimeout(timer);
  return { code, stderr };
}

async function preparedFile(name: string): Promise<string> {
  const path = join(dir, name);
  const database = openDatabase(path);
  await prepareDatabase(database.db, { seed: "none", adminToken: "startup-admin-token" });
  await database.close();
  return path;
}

describe("start-up refuses clearly", () => {
  test("when the database was migrated by a newer version, then one line naming its migration, and exit 2", async () => {
    const path = await preparedFile("newer.sqlite");
    const database = openDatabase(path);
    await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(database.db);
    await database.close();
    const { code, stderr } = await serve(path);
    expect(code).toBe(2);
    expect(stderr).toBe("error: this database was written by a newer version (migration 0099_from_the_future); use that version or a new DATABASE_PATH\n");
  }, 30_000);

  test("when DATABASE_PATH is not a database, then one line naming PRAGMA integrity_check and the way out, and exit 2", async () => {
    const path = join(dir, "garbage.sqlite");
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const { code, stderr } = await serve(path);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("PRAGMA integrity_check");
    expect(stderr).toContain("a new file");
  }, 30_000);

  test("when the database's pages are damaged, then the same one line and exit 2", async () => {
    const path = await preparedFile("damaged.sqlite");
    // keep the header (page 1's first 100 bytes), scribble over the rest of the file
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(size - 100, 0xa5), 0, size - 100, 100);
    closeSync(fd);
    const { code, stderr } = await serve(path);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/SQLITE_(CORRUPT|NOTADB)/);
    expect(stderr).toContain("PRAGMA integrity_check");
  }, 30_000);
});
