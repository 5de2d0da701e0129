/**
 * The command line, run as a subprocess (`bun src/cli.ts ...`, as the binary
 * runs it) against temp databases.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../db/connection";
import { createApp } from "../../src/app";
import { prepareDatabase } from "../../src/bootstrap";
import { progress } from "../../src/commands/progress";
import { createLeadProvider } from "../../src/modules/admin/service";
import { demoToken, findTokenOwner } from "../../src/modules/auth/tokens";
import { DEMO_PROVIDERS } from "../../src/modules/seed/demo";
import pkg from "../../package.json";

const cli = join(import.meta.dir, "../../src/cli.ts");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "lps-cli-"));
  dirs.push(dir);
  return join(dir, "sandbox.sqlite");
}

/** runs the CLI with only the environment given (plus PATH), so no outer SEED or ADMIN_TOKEN leaks in */
function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawnSync([process.execPath, cli, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LOG_REQUESTS: "off", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

async function inspect<T>(path: string, read: (db: ReturnType<typeof openDatabase>["db"]) => Promise<T>): Promise<T> {
  const database = openDatabase(path);
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}

const count = (path: string, table: "participants" | "lead_providers" | "schedules") =>
  inspect(path, async (db) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n));

function expectOneErrorLine(r: { code: number | null; stderr: string }, code: number, pattern?: RegExp) {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toStartWith("error: ");
  if (pattern) expect(lines[0]).toMatch(pattern);
}

const COMMANDS = ["serve", "seed", "token", "reset", "migrate", "healthcheck"];

describe("cli: help and version", () => {
  test("when run with --help, then it lists every command", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c}`);
  });

  test("when --help and 'serve --help' are run, then each names every variable of the README's Configuration table and of its Run it list", () => {
    const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("A bad value stops start-up"));
    const variables = [...table.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]!);
    expect(variables).toContain("RESPONSE_CACHE");
    const runIt = /all configured by the same environment variables \(([^)]*)\)/.exec(readme)![1]!;
    for (const help of [run(["--help"]).stdout, run(["serve", "--help"]).stdout]) {
      for (const v of variables) {
        expect(help).toContain(v);
        expect(runIt).toContain(`\`${v}\``);
      }
    }
  });

  test("when run with --version, then it prints the package version", () => {
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
  });

  for (const command of COMMANDS) {
    test(`when '${command} --help' is run, then it prints that command's usage and exits 0`, () => {
      const r = run([command, "--help"], { DATABASE_PATH: "/no/such/folder/db.sqlite" });
      expect(r.code).toBe(0);
      expect(r.stdout).toStartWith(`Usage: lead-provider-sandbox ${command}`);
    });

    test(`when '${command} --version' is run, then it prints the version and exits 0`, () => {
      const r = run([command, "--version"], { DATABASE_PATH: "/no/such/folder/db.sqlite" });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    });

    test(`when '${command}' gets an unknown flag, then it exits 2 with one line`, () => {
      expectOneErrorLine(run([command, "--frobnicate"], { DATABASE_PATH: tempDb() }), 2, /--frobnicate/);
    });
  }

  test("when 'help seed' is run, then it prints seed's usage", () => {
    expect(run(["help", "seed"]).stdout).toStartWith("Usage: lead-provider-sandbox seed");
  });
});

describe("cli: seed", () => {
  test("when seeding a new database with --participants 3, then every demo provider gets 3 participants per cohort and the tokens are printed", async () => {
    const path = tempDb();
    const r = run(["seed", "--participants", "3"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    for (const name of DEMO_PROVIDERS) expect(r.stdout).toContain(demoToken(name));
    expect(r.stdout).toMatch(/Admin token \(shown once, stored hashed\): admin_\S+/);
    expect(await count(path, "lead_providers")).toBe(6);
    expect(await count(path, "participants")).toBe(6 * 5 * 3);
    // not a terminal here: plain progress lines, ending at the whole
    expect(r.stderr).toContain("Seeding demo data: 30/30 (100%)");
    expect(r.stderr).not.toContain("\r");
  });

  test("when the database already has lead providers, then seed refuses with one line and changes nothing", async () => {
    const path = tempDb();
    expect(run(["seed", "--participants", "1"], { DATABASE_PATH: path }).code).toBe(0);
    const r = run(["seed", "--participants", "2"], { DATABASE_PATH: path });
    expectOneErrorLine(r, 1, /--force/);
    expect(await count(path, "participants")).toBe(30);
  });

  test("when seed --force runs, then it wipes providers and participants, keeps the admin token, and seeds again", async () => {
    const path = tempDb();
    const first = run(["seed", "--participants", "2"], { DATABASE_PATH: path });
    const admin = /admin_\S+/.exec(first.stdout)![0];
    await inspect(path, (db) => createLeadProvider(db, "Someone Else", new Date()));
    expect(await count(path, "lead_providers")).toBe(7);
    const r = run(["seed", "--force", "--participants", "1"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Admin token");
    expect(await count(path, "lead_providers")).toBe(6);
    expect(await count(path, "participants")).toBe(30);
    expect(await count(path, "schedules")).toBe(60);
    expect((await inspect(path, (db) => findTokenOwner(db, admin)))?.kind).toBe("admin");
  });

  for (const bad of ["abc", "-1", "1.5", "10001", ""]) {
    test(`when --participants is "${bad}", then it exits 2 with one line`, () => {
      expectOneErrorLine(run(["seed", "--participants", bad], { DATABASE_PATH: tempDb() }), 2, /participants/);
    });
  }

  test("when DATABASE_PATH is :memory:, then seed exits 2 saying nothing would be kept", () => {
    expectOneErrorLine(run(["seed"], { DATABASE_PATH: ":memory:" }), 2, /DATABASE_PATH/);
  });

  test("when DATABASE_PATH is in a missing folder, then seed exits 2 naming DATABASE_PATH", () => {
    expectOneErrorLine(run(["seed"], { DATABASE_PATH: "/no/such/folder/db.sqlite" }), 2, /^error: DATABASE_PATH/);
  });
});

describe("cli: token create", () => {
  const path = tempDb();
  const seeded = run(["seed", "--participants", "1"], { DATABASE_PATH: path });

  test("when --provider names a provider in another letter case, then a new working token for it is printed alone", async () => {
    expect(seeded.code).toBe(0);
    const r = run(["token", "create", "--provider", "teach first"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const owner = await inspect(path, (db) => findTokenOwner(db, lines[0]!));
    const teachFirst = await inspect(path, (db) => db.selectFrom("lead_providers").select("id").where("name", "=", "Teach First").executeTakeFirstOrThrow());
    expect(owner).toMatchObject({ kind: "lead_provider", leadProviderId: teachFirst.id });
    // the demo token keeps working
    expect((await inspect(path, (db) => findTokenOwner(db, demoToken("Teach First"))))?.leadProviderId).toBe(teachFirst.id);
  });

  test("when --admin is given, then a new admin token is printed", async () => {
    const r = run(["token", "create", "--admin"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    expect((await inspect(path, (db) => findTokenOwner(db, r.stdout.trim())))?.kind).toBe("admin");
  });

  test("when the provider does not exist, then it exits 1 listing the known providers", () => {
    expectOneErrorLine(run(["token", "create", "--provider", "Nobody"], { DATABASE_PATH: path }), 1, /Nobody.*Ambition Institute/);
  });

  for (const [name, args] of [
    ["both --provider and --admin", ["token", "create", "--provider", "Capita", "--admin"]],
    ["neither --provider nor --admin", ["token", "create"]],
    ["no action", ["token"]],
    ["an unknown action", ["token", "delete", "--admin"]],
    ["--provider without a value", ["token", "create", "--provider"]],
  ] as const) {
    test(`when given ${name}, then it exits 2 with one line`, () => {
      expectOneErrorLine(run([...args], { DATABASE_PATH: path }), 2);
    });
  }
});

describe("cli: reset", () => {
  test("when reset runs, then the database is back to reference data and demo data, and the admin token still works", async () => {
    const path = tempDb();
    const first = run(["seed", "--participants", "2"], { DATABASE_PATH: path });
    const admin = /admin_\S+/.exec(first.stdout)![0];
    await inspect(path, (db) => createLeadProvider(db, "Someone Else", new Date()));
    const r = run(["reset", "--participants", "1"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(demoToken("Capita"));
    expect(await count(path, "lead_providers")).toBe(6);
    expect(await count(path, "participants")).toBe(30);
    expect(await count(path, "schedules")).toBe(60);
    expect((await inspect(path, (db) => findTokenOwner(db, admin)))?.kind).toBe("admin");
  });

  test("when reset runs with SEED=none, then only reference data is left", async () => {
    const path = tempDb();
    expect(run(["seed", "--participants", "1"], { DATABASE_PATH: path }).code).toBe(0);
    const r = run(["reset"], { DATABASE_PATH: path, SEED: "none" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SEED=none");
    expect(await count(path, "lead_providers")).toBe(0);
    expect(await count(path, "participants")).toBe(0);
    expect(await count(path, "schedules")).toBe(60);
  });

  test("when reset runs on a file that does not exist yet, then it prepares it as a first start would", async () => {
    const path = tempDb();
    const r = run(["reset", "--participants", "1"], { DATABASE_PATH: path });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Admin token \(shown once, stored hashed\): admin_\S+/);
    expect(await count(path, "lead_providers")).toBe(6);
  });
});

describe("cli: migrate", () => {
  test("when migrate runs on a new file, then it applies the migrations, and a second run has nothing to do", async () => {
    const path = tempDb();
    const first = run(["migrate"], { DATABASE_PATH: path });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("applied 0001_initial");
    const second = run(["migrate"], { DATABASE_PATH: path });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("up to date");
    expect(await count(path, "lead_providers")).toBe(0);
  });
});

describe("cli: healthcheck", () => {
  test("when a server answers /healthz, then healthcheck exits 0, with --url or with PORT", async () => {
    const database = openDatabase(":memory:");
    await prepareDatabase(database.db, { seed: "none", adminToken: "healthcheck-admin" });
    const app = createApp({ db: database.db, rateLimit: false });
    app.listen({ hostname: "127.0.0.1", port: 0 });
    const port = app.server!.port!;
    try {
      // spawnSync would block the event loop that serves the request: spawn and await
      const ask = async (args: string[], env: Record<string, string>) => {
        const proc = Bun.spawn([process.execPath, cli, "healthcheck", ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe" });
        return proc.exited;
      };
      expect(await ask(["--url", `http://127.0.0.1:${port}/healthz`], {})).toBe(0);
      expect(await ask([], { PORT: String(port) })).toBe(0);
    } finally {
      await app.server!.stop(true);
      await database.close();
    }
  });

  test("when nothing listens, then healthcheck exits 1 with one line", () => {
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const port = probe.port!;
    probe.stop(true);
    expectOneErrorLine(run(["healthcheck", "--timeout", "2000"], { PORT: String(port) }), 1, /healthcheck/);
  });
});

describe("cli: progress", () => {
  test("when the output is a terminal, then one bar is redrawn in place and ends with a newline", () => {
    let written = "";
    const bar = progress("Seeding", { isTTY: true, write: (t: string) => (written += t) });
    for (let i = 1; i <= 30; i++) bar.update(i, 30);
    bar.finish();
    expect(written.split("\r").length - 1).toBe(30);
    expect(written).toEndWith("30/30 100%\n");
    expect(written.split("\n")).toHaveLength(2);
  });

  test("when the output is not a terminal, then at most eleven plain lines are written", () => {
    const lines: string[] = [];
    const bar = progress("Seeding", { isTTY: false, write: (t: string) => lines.push(t) });
    for (let i = 1; i <= 300; i++) bar.update(i, 300);
    bar.finish();
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toBe("Seeding: 300/300 (100%)\n");
    expect(lines.every((l) => l.endsWith("\n") && !l.includes("\r"))).toBe(true);
  });
});
