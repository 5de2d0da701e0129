import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerProcess, startServerProcess } from "../support/server-process";

/**
 * README's "A short session", run as written (issue 14: its list call used to
 * exit 3 without `-g`): each curl command against a started sandbox, with the
 * tokens and ids it tells the reader to fill in, must exit 0 with a 2xx.
 */
const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
const ADMIN = "readme-admin-token";

/** The session's shell commands: continuation lines joined, quoted newlines kept, comments dropped. */
function sessionCommands(): string[] {
  const section = readme.slice(readme.indexOf("## A short session"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const commands: string[] = [];
  let current = "";
  for (const line of block.split("\n")) {
    if (current === "" && (line.trim() === "" || line.trim().startsWith("#"))) continue;
    if (current === "" && /^[A-Z]+=…/.test(line)) {
      commands.push(line);
      continue;
    }
    current += (current === "" ? "" : "\n") + line;
    const quotes = (current.match(/'/g) ?? []).length;
    if (line.endsWith("\\") || quotes % 2 === 1) continue;
    commands.push(current.replace(/\\\n/g, " "));
    current = "";
  }
  return commands;
}

let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readme-"));
  server = await startServerProcess({ DATABASE_PATH: join(dir, "sandbox.sqlite"), ADMIN_TOKEN: ADMIN, SEED: "demo" });
}, 30_000);
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("README", () => {
  test("when every curl line of 'A short session' runs against a started sandbox, then each exits 0 with a 2xx", async () => {
    const providers = (await (await fetch(`${server.url}/admin/lead-providers`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as any[];
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TOKEN: providers[0].api_tokens[0], ADMIN };
    const filled: Record<string, string> = {};
    const commands = sessionCommands();
    expect(commands.filter((c) => c.startsWith("curl")).length).toBeGreaterThanOrEqual(6);
    for (const command of commands) {
      const assignment = /^([A-Z]+)=…/.exec(command);
      if (assignment) {
        // the reader fills these in from the banner or the answer before
        if (assignment[1] === "NEW") env.NEW = filled.api_token!;
        else expect(env[assignment[1]!]).toBeDefined();
        continue;
      }
      expect(command).toStartWith("curl -sg ");
      const runnable = command
        .replaceAll("http://localhost:3000", server.url)
        .replace(/<(id|participant_id)>/g, (_, name: string) => filled[name] ?? `<${name}>`);
      const proc = Bun.spawn(["sh", "-c", `${runnable} -w '\\n%{http_code}'`], { env, stdout: "pipe", stderr: "pipe" });
      const [out, code] = [await new Response(proc.stdout).text(), await proc.exited];
      const status = Number(out.slice(out.lastIndexOf("\n") + 1));
      const body = out.slice(0, out.lastIndexOf("\n"));
      expect({ command, code, status: Math.floor(status / 100) }).toEqual({ command, code: 0, status: 2 });
      try {
        const json = JSON.parse(body);
        for (const name of ["id", "api_token", "participant_id"]) if (typeof json[name] === "string") filled[name] = json[name];
      } catch {}
    }
    expect(filled.participant_id).toBeDefined();
  }, 60_000);
});

describe("README command lines", () => {
  test("when every dist/lead-provider-sandbox line of the README runs as written (from source, on a new DATABASE_PATH), then each exits 0", () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const lines = blocks.flatMap((b) => b.split("\n")).filter((line) => line.startsWith("dist/lead-provider-sandbox "));
    // pastable: no synopsis alternatives (`save|restore`) or placeholders (`NAME`) left in a line's command
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) expect(line.split(" #")[0]!).not.toMatch(/\||\bNAME\b|\.\.\./);
    for (const command of ["seed", "token create", "reset", "migrate", "snapshot save", "snapshot list", "snapshot restore", "snapshot delete", "--help"]) {
      expect(lines.some((l) => l.startsWith(`dist/lead-provider-sandbox ${command}`))).toBe(true);
    }
    const cli = join(import.meta.dir, "../../src/cli.ts");
    const database = join(dir, "commands.sqlite");
    for (const line of lines) {
      const proc = Bun.spawnSync(["sh", "-c", `sandbox() { "$BUN" "$CLI" "$@"; }\n${line.replace("dist/lead-provider-sandbox", "sandbox")}`], {
        env: { PATH: process.env.PATH ?? "", BUN: process.execPath, CLI: cli, DATABASE_PATH: database },
        stdout: "pipe",
        stderr: "pipe",
      });
      // stderr carries progress; it is shown only when a line fails
      if (proc.exitCode !== 0) console.error(proc.stderr.toString());
      expect({ line, code: proc.exitCode }).toEqual({ line, code: 0 });
    }
  }, 120_000);
});
