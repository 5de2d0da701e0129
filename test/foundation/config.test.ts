import { describe, expect, test } from "bun:test";
import { mkdtempSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config";

const cli = join(import.meta.dir, "../../src/cli.ts");

function runCli(env: Record<string, string>, args: string[] = []) {
  const proc = Bun.spawnSync([process.execPath, cli, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

describe("configuration", () => {
  test("when nothing is set, then the contract's defaults apply", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const config = loadConfig({ DATABASE_PATH: join(dir, "db.sqlite") });
    expect(config.port).toBe(3000);
    expect(config.host).toBe("0.0.0.0");
    expect(config.seed).toBe("demo");
    expect(config.rateLimit).toBe(true);
    expect(config.adminToken).toBeNull();
  });

  test("when values are set, then they are used", () => {
    const config = loadConfig({ PORT: "8080", HOST: "127.0.0.1", DATABASE_PATH: ":memory:", ADMIN_TOKEN: "secret-admin", SEED: "none", RATE_LIMIT: "off" });
    expect(config).toMatchObject({ port: 8080, host: "127.0.0.1", databasePath: ":memory:", adminToken: "secret-admin", seed: "none", rateLimit: false });
  });

  for (const [name, env, pattern] of [
    ["PORT=abc", { PORT: "abc" }, /^PORT/],
    ["PORT=70000", { PORT: "70000" }, /^PORT/],
    ["SEED=lots", { SEED: "lots" }, /^SEED/],
    ["RATE_LIMIT=maybe", { RATE_LIMIT: "maybe" }, /^RATE_LIMIT/],
    ["DATABASE_PATH in a missing folder", { DATABASE_PATH: "/no/such/folder/db.sqlite" }, /^DATABASE_PATH/],
  ] as const) {
    test(`when ${name}, then loading fails naming the variable`, () => {
      expect(() => loadConfig({ DATABASE_PATH: ":memory:", ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_PATH: ":memory:", ...env })).toThrow(pattern);
    });
  }

  test("when the database folder is read-only, then loading fails naming DATABASE_PATH", () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere; a read-only mount is the case that matters, simulate with a file as folder
      const dir = mkdtempSync(join(tmpdir(), "cfg-"));
      const file = join(dir, "file");
      Bun.write(file, "x");
      expect(() => loadConfig({ DATABASE_PATH: join(file, "db.sqlite") })).toThrow(/^DATABASE_PATH/);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    chmodSync(dir, 0o500);
    expect(() => loadConfig({ DATABASE_PATH: join(dir, "db.sqlite") })).toThrow(/^DATABASE_PATH/);
  });

  test("when the CLI starts with PORT=abc, then it prints one line naming PORT and exits 2", () => {
    const r = runCli({ PORT: "abc", DATABASE_PATH: ":memory:" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PORT");
    expect(r.stderr).not.toContain("    at ");
  });

  test("when the CLI starts with a DATABASE_PATH in a missing folder, then it exits 2 naming DATABASE_PATH", () => {
    const r = runCli({ DATABASE_PATH: "/no/such/folder/db.sqlite" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toStartWith("error: DATABASE_PATH");
  });

  test("when the CLI gets an unknown command, then it exits 2 with one line", () => {
    const r = runCli({}, ["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
