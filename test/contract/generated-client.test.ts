import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { ADMIN_TOKEN } from "../support/app";
import { type ServerProcess, startServerProcess } from "../support/server-process";

/**
 * Issue 18 items 4–9 as a provider meets them: types generated from the
 * served /api-docs/json by openapi-typescript (pinned), a sync script written
 * from the contract (./client/provider.ts: deepObject filter and page, the
 * contract's schema names, `content["application/json"]`) type-checked
 * against them by tsc, then run with openapi-fetch (pinned) against a started
 * sandbox: list, by id, POST, void and both CSVs.
 */

const ROOT = join(import.meta.dir, "../..");
let server: ServerProcess;
let dir: string;
let token: string;

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_PATH: ":memory:", SEED: "demo", ADMIN_TOKEN });
  const providers: any = await (await fetch(`${server.url}/admin/lead-providers`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
  token = providers[0].api_tokens[0];
  // inside the checkout, so that the script's imports resolve from its node_modules
  dir = mkdtempSync(join(ROOT, ".generated-client-"));
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a client generated from the served document", () => {
  test("when types are generated from /api-docs/json and a script written from the contract is type-checked and run, then it lists, reads, declares, voids and downloads both CSVs", async () => {
    const document = await (await fetch(`${server.url}/api-docs/json`)).json();
    writeFileSync(join(dir, "schema.d.ts"), astToString(await openapiTS(document as any)));
    copyFileSync(join(import.meta.dir, "client/provider.ts"), join(dir, "provider.ts"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          module: "ESNext",
          moduleResolution: "bundler",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["bun"],
        },
        files: ["provider.ts", "schema.d.ts"],
      }),
    );

    const tsc = Bun.spawnSync([process.execPath, join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect({ code: tsc.exitCode, out: tsc.stdout.toString() + tsc.stderr.toString() }).toEqual({ code: 0, out: "" });

    const run = Bun.spawnSync([process.execPath, join(dir, "provider.ts"), server.url, token], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect({ code: run.exitCode, err: run.stderr.toString() }).toEqual({ code: 0, err: "" });
    const summary = JSON.parse(run.stdout.toString().trim().split("\n").pop()!);
    expect(summary.listed).toBeGreaterThan(10);
    expect(summary.page2).toBe(2);
    expect(summary.shown.cohort).toBe("2024");
    // the demo data has declarations, and the script found a participant without a started one
    expect(summary.declarationsSeen).toBeGreaterThan(50);
    expect(summary.statesSeen).toEqual(["awaiting-clawback", "clawed-back", "eligible", "ineligible", "paid", "payable", "submitted", "voided"]);
    expect(["eligible", "submitted"]).toContain(summary.declared.state);
    expect(summary.shown_declaration).toBe(summary.declared.id);
    expect(summary.voided).toBe("voided");
    expect(summary.not_found).toEqual({ status: 404, error: "Resource not Found" });
    expect(summary.participants_csv_lines).toBe(summary.listed + 1);
    expect(summary.declarations_csv_has_it).toBe(true);
  }, 120_000);

  test("when the script is type-checked against a document whose named schemas are gone, then tsc refuses it (the check is real)", async () => {
    const document: any = await (await fetch(`${server.url}/api-docs/json`)).json();
    const broken = JSON.parse(JSON.stringify(document).replaceAll('"#/components/schemas/ECFParticipant"', '"#/components/schemas/Gone"'));
    delete broken.components.schemas.ECFParticipant;
    broken.components.schemas.Gone = { type: "object" };
    const other = mkdtempSync(join(ROOT, ".generated-client-"));
    try {
      writeFileSync(join(other, "schema.d.ts"), astToString(await openapiTS(broken)));
      copyFileSync(join(import.meta.dir, "client/provider.ts"), join(other, "provider.ts"));
      writeFileSync(join(other, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM"], module: "ESNext", moduleResolution: "bundler", strict: true, noEmit: true, skipLibCheck: true, types: ["bun"] }, files: ["provider.ts", "schema.d.ts"] }));
      const tsc = Bun.spawnSync([process.execPath, join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(other, "tsconfig.json")], { cwd: other, stdout: "pipe", stderr: "pipe" });
      expect(tsc.exitCode).not.toBe(0);
      expect(tsc.stdout.toString()).toContain("ECFParticipant");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);
});
