import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { ADMIN_TOKEN } from "../support/app";
import { type ServerProcess, startServerProcess } from "../support/server-process";

/**
 * Issue 20 (`/api-docs` showing v3 beside v2; a generated client works for each): types generated
 * by openapi-typescript (pinned) from the served /api-docs/v3/json, the script ./client/v3-provider.ts
 * type-checked against them by tsc, then run with openapi-fetch (pinned) against a started sandbox
 * with the v3 demo world (token `ambition-institute`, RECT's development token:
 * app/services/api_seed_data/api_tokens.rb:9). The script also calls every GET of the document
 * generically, so each v3 route is held to this as soon as it is served.
 */

const ROOT = join(import.meta.dir, "../..");
let server: ServerProcess;
let dir: string;
let document: any;

const TSCONFIG = { compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM"], module: "ESNext", moduleResolution: "bundler", strict: true, noEmit: true, skipLibCheck: true, types: ["bun"] }, files: ["v3-provider.ts", "schema.d.ts"] };

function typecheck(folder: string, doc: unknown) {
  return (async () => {
    writeFileSync(join(folder, "schema.d.ts"), astToString(await openapiTS(doc as any)));
    copyFileSync(join(import.meta.dir, "client/v3-provider.ts"), join(folder, "v3-provider.ts"));
    writeFileSync(join(folder, "tsconfig.json"), JSON.stringify(TSCONFIG));
    writeFileSync(join(folder, "document.json"), JSON.stringify(doc));
    return Bun.spawnSync([process.execPath, join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(folder, "tsconfig.json")], { cwd: folder, stdout: "pipe", stderr: "pipe" });
  })();
}

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_PATH: ":memory:", SEED: "demo", ADMIN_TOKEN });
  document = await (await fetch(`${server.url}/api-docs/v3/json`)).json();
  dir = mkdtempSync(join(ROOT, ".generated-client-"));
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a client generated from the served v3 document", () => {
  test("when /api-docs/v3/json is read, then it holds the /api/v3 routes and the /admin/v3 control plane and nothing of v2", () => {
    const paths = Object.keys(document.paths);
    expect(document.info.version).toBe("3.0.0");
    expect(paths).toContain("/api/v3/statements");
    expect(paths).toContain("/admin/v3/scenarios");
    expect(paths.filter((p) => !p.startsWith("/api/v3/") && !p.startsWith("/admin/v3/"))).toEqual([]);
  });

  test("when types are generated from /api-docs/v3/json and the script is type-checked and run, then every GET of the document answers 200 through openapi-fetch", async () => {
    const tsc = await typecheck(dir, document);
    expect({ code: tsc.exitCode, out: tsc.stdout.toString() + tsc.stderr.toString() }).toEqual({ code: 0, out: "" });
    const run = Bun.spawnSync([process.execPath, join(dir, "v3-provider.ts"), server.url, "ambition-institute", join(dir, "document.json")], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect({ code: run.exitCode, err: run.stderr.toString() }).toEqual({ code: 0, err: "" });
    const summary = JSON.parse(run.stdout.toString().trim().split("\n").pop()!);
    expect(summary.partner).toBe(true);
    expect(summary.statements).toBeGreaterThan(0);
    expect(summary.schools).toBeGreaterThan(0);
    expect(summary.school).toBe("2025");
    expect(summary.missing).toEqual({ status: 404, error: { errors: [{ title: "Resource not found", detail: "Nothing could be found for the provided details" }] } });
    // every list of the document, and every {list}/{id} with an id the list gave
    const lists = Object.keys(document.paths).filter((p) => p.startsWith("/api/v3/") && document.paths[p].get && !p.includes("{"));
    expect(Object.keys(summary.generic)).toEqual(expect.arrayContaining([...lists, "/api/v3/statements/{id}", "/api/v3/delivery-partners/{id}", "/api/v3/schools/{id}"]));
    for (const [path, status] of Object.entries(summary.generic)) expect({ path, status }).toEqual({ path, status: 200 });
  }, 120_000);

  test("when the script is type-checked against a document without the schools route, then tsc refuses it (the check is real)", async () => {
    const broken = JSON.parse(JSON.stringify(document));
    delete broken.paths["/api/v3/schools/{id}"];
    const other = mkdtempSync(join(ROOT, ".generated-client-"));
    try {
      const tsc = await typecheck(other, broken);
      expect(tsc.exitCode).not.toBe(0);
      expect(tsc.stdout.toString()).toContain("/api/v3/schools/{id}");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);
});
