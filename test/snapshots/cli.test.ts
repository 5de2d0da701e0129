import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../db/connection";

const cli = join(import.meta.dir, "../../src/cli.ts");
const dir = mkdtempSync(join(tmpdir(), "snapshot-cli-"));
const DATABASE_PATH = join(dir, "sandbox.sqlite");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const proc = Bun.spawnSync([process.execPath, cli, ...args], {
    env: { ...process.env, DATABASE_PATH, SEED: "demo", ADMIN_TOKEN: "cli-admin-token", LOG_REQUESTS: "off" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

async function count(table: "participants" | "lead_providers") {
  const database = openDatabase(DATABASE_PATH);
  try {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await database.close();
  }
}

describe("snapshot command", () => {
  test("when a snapshot is saved, the database changed, and the snapshot restored, then the database is as saved", async () => {
    expect(run("seed", "--participants", "2").code).toBe(0);
    const participants = await count("participants");
    const save = run("snapshot", "save", "base");
    expect(save.code).toBe(0);
    expect(save.stdout).toContain("Saved snapshot base");
    expect(run("reset", "--participants", "1").code).toBe(0);
    expect(await count("participants")).not.toBe(participants);
    const restore = run("snapshot", "restore", "base");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain("Restored snapshot base");
    expect(await count("participants")).toBe(participants);
    expect(run("snapshot", "list").stdout).toMatch(/^base\s+\d{4}-\d\d-\d\dT/m);
    expect(run("snapshot", "delete", "base").code).toBe(0);
    expect(run("snapshot", "list").stdout).toContain("No snapshots");
  });

  test("when the usage is wrong, then one line and exit 2; an unknown snapshot is exit 1", () => {
    for (const args of [["snapshot"], ["snapshot", "take", "x"], ["snapshot", "save"], ["snapshot", "save", "a/b"], ["snapshot", "list", "x"]]) {
      const r = run(...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const unknown = run("snapshot", "restore", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no snapshot named 'nope'");
    expect(run("snapshot", "--help").stdout).toContain("snapshot save NAME");
    expect(run("--help").stdout).toContain("snapshot save|restore|delete NAME");
  });
});
