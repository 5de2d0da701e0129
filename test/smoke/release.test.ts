/**
 * Release smoke test: compiles the single binary exactly as `make build` does
 * (into a temp folder), starts it from another working directory on a fresh
 * database and a free port, calls it as a provider's test suite would, and
 * stops it with SIGTERM. Prints the binary's size, its start-to-healthy time
 * and its idle memory.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pkg from "../../package.json";

const root = join(import.meta.dir, "../..");
const ADMIN = "smoke-admin-token";

let dir = "";
let binary = "";
let databasePath = "";
let base = "";
let server: ReturnType<typeof Bun.spawn> | null = null;
let output = "";
let startToHealthyMs = 0;

/** a port nothing listens on: bind to port 0, note the port, let it go */
function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** the binary's own environment: nothing inherited but PATH, so no outer SEED or ADMIN_TOKEN leaks in */
function env(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", ...extra };
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
}

async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {}
  return { status: response.status, json, text };
}

function rssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lps-smoke-"));
  binary = join(dir, "lead-provider-sandbox");
  // the same command as `make build`; plain --minify is known to break Elysia
  const build = Bun.spawnSync(
    [process.execPath, "build", "--compile", "--minify-whitespace", "--minify-syntax", "src/cli.ts", "--outfile", binary],
    { cwd: root, stdout: "pipe", stderr: "pipe" },
  );
  if (build.exitCode !== 0) throw new Error(`bun build --compile failed:\n${build.stderr.toString()}${build.stdout.toString()}`);

  // nothing to fall back on: no node_modules in the binary's folder or any folder above it
  for (let up = dir; ; up = dirname(up)) {
    if (existsSync(join(up, "node_modules"))) throw new Error(`${join(up, "node_modules")} exists: the smoke test must run the binary without one`);
    if (dirname(up) === up) break;
  }
  if (dir.startsWith(root)) throw new Error(`the smoke folder ${dir} is inside the source tree`);

  // run it from a folder that is not the repo, with its database in a folder of its own
  const workdir = join(dir, "elsewhere");
  mkdirSync(join(dir, "data"), { recursive: true });
  mkdirSync(workdir);
  databasePath = join(dir, "data", "sandbox.sqlite");
  const port = freePort();
  base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  server = Bun.spawn([binary], {
    cwd: workdir,
    env: env({ DATABASE_PATH: databasePath, PORT: String(port), HOST: "127.0.0.1", ADMIN_TOKEN: ADMIN, LOG_REQUESTS: "off" }),
    stdout: "pipe",
    stderr: "pipe",
  });
  void collect(server.stdout as ReadableStream<Uint8Array>);
  void collect(server.stderr as ReadableStream<Uint8Array>);
  const deadline = started + 15_000;
  while (performance.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the binary exited with ${server.exitCode} before it was healthy:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) break;
    } catch {}
    await Bun.sleep(10);
  }
  startToHealthyMs = performance.now() - started;
  if (startToHealthyMs >= 15_000) throw new Error(`/healthz did not answer within 15 s:\n${output}`);
}, 120_000);

afterAll(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("release: the compiled binary", () => {
  test("when it is built, then it is one executable that knows its version", () => {
    const size = statSync(binary).size;
    console.log(`[smoke] binary size: ${(size / 1048576).toFixed(1)} MB (${size} bytes)`);
    const version = Bun.spawnSync([binary, "--version"], { cwd: dir, env: env({}) });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.toString().trim()).toBe(pkg.version);
  });

  test("when it starts from another folder, then it creates its database where DATABASE_PATH says and /healthz answers", async () => {
    console.log(`[smoke] start to healthy: ${Math.round(startToHealthyMs)} ms`);
    expect(existsSync(databasePath)).toBe(true);
    expect(existsSync(join(dir, "elsewhere", "data"))).toBe(false);
    const health = await call("GET", "/healthz", null);
    expect(health).toMatchObject({ status: 200, json: { status: "ok" } });
    expect(output).toContain(`Database:  ${databasePath} (seeded with demo data)`);
  });

  test("when the docs are asked for, then the page references only local URLs and the OpenAPI document has the v2 and admin APIs", async () => {
    const page = await call("GET", "/api-docs", null);
    expect(page.status).toBe(200);
    const urls = [...page.text.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)/g)].map((m) => m[1] ?? m[2]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).not.toMatch(/^(https?:)?\/\//);
    for (const url of urls) expect((await fetch(new URL(url, `${base}/api-docs`))).status).toBe(200);
    // Swagger UI's files come out of the binary whole (it runs from a folder with no node_modules)
    const bundle = urls.find((url) => url.endsWith("/swagger-ui-bundle.js"))!;
    const served = new Uint8Array(await (await fetch(new URL(bundle, base))).arrayBuffer());
    const original = readFileSync(join(root, "node_modules/swagger-ui-dist/swagger-ui-bundle.js"));
    expect(Buffer.from(served).equals(original)).toBe(true);
    // and carried inside the binary, not read from the source tree's node_modules
    expect(readFileSync(binary).indexOf(original)).toBeGreaterThan(0);
    const spec = await call("GET", "/api-docs/json", null);
    expect(spec.status).toBe(200);
    const paths = Object.keys(spec.json.paths);
    expect(paths).toContain("/admin/lead-providers");
    expect(paths.some((p) => p.startsWith("/api/v2/"))).toBe(true);
  });

  test("when an admin body is bad, then the binary answers the admin 422 naming the field, and 401 without the token", async () => {
    const bad = await call("POST", "/admin/participants", ADMIN, { participant_type: "ect", cohort: 2024 });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({ errors: [{ title: "lead_provider_id", detail: "is required" }] });
    expect((await call("POST", "/admin/participants", null, { participant_type: "ect" })).status).toBe(401);
  });

  test("when a lead provider lists its participants, then it gets its demo participants", async () => {
    const providers = await call("GET", "/admin/lead-providers", ADMIN);
    expect(providers.status).toBe(200);
    expect(providers.json.length).toBeGreaterThanOrEqual(6);
    const demo = providers.json.find((p: any) => p.api_tokens.length > 0);
    const list = await call("GET", "/api/v2/participants/ecf", demo.api_tokens[0]);
    if (list.status === 404) {
      console.log("[smoke] GET /api/v2/participants/ecf is not served yet (404): checked the admin list only");
      return;
    }
    expect(list.status).toBe(200);
    expect(Array.isArray(list.json.data)).toBe(true);
    expect(list.json.data.length).toBeGreaterThan(0);
    expect(list.json.data[0].type).toBe("participant");
  });

  test("when a lead provider posts a declaration, then it is recorded", async () => {
    // a provider and participant of the test's own, at a "now" inside the 2024 started milestone
    const serverDate = { "x-with-server-date": "2024-11-01T12:00:00Z" };
    const provider = await call("POST", "/admin/lead-providers", ADMIN, { name: `Smoke ${crypto.randomUUID().slice(0, 8)}` });
    expect(provider.status).toBe(201);
    const participant = await call("POST", "/admin/participants", ADMIN, { lead_provider_id: provider.json.id, participant_type: "ect", cohort: 2024 }, serverDate);
    expect(participant.status).toBe(201);
    const declaration = await call(
      "POST",
      "/api/v2/participant-declarations",
      provider.json.api_token,
      {
        data: {
          type: "participant-declaration",
          attributes: {
            participant_id: participant.json.participant_id,
            declaration_type: "started",
            declaration_date: "2024-10-01T10:00:00Z",
            course_identifier: "ecf-induction",
          },
        },
      },
      serverDate,
    );
    if (declaration.status === 404 && declaration.json?.error === "Resource not Found" && declaration.json?.data === undefined) {
      console.log("[smoke] POST /api/v2/participant-declarations is not served yet (404): checked the admin participant creation only");
      return;
    }
    expect(declaration.status).toBe(200);
    expect(declaration.json.data.type).toBe("participant-declaration");
    expect(declaration.json.data.attributes.participant_id).toBe(participant.json.participant_id);
  });

  test("when it runs, then the SQLite addon it loaded is the one it carries, not a file of the source tree", () => {
    const maps = readFileSync(`/proc/${server!.pid}/maps`, "utf8");
    const loaded = [...new Set(maps.split("\n").map((line) => line.split(/\s+/)[5] ?? "").filter((file) => file.endsWith(".node")))];
    console.log(`[smoke] native addons loaded: ${loaded.join(", ") || "none"}`);
    expect(loaded.length).toBeGreaterThan(0);
    for (const file of loaded) expect(file).not.toContain("node_modules");
  });

  test("when the healthcheck command asks the running server, then it exits 0", () => {
    const check = Bun.spawnSync([binary, "healthcheck", "--url", `${base}/healthz`], { cwd: dir, env: env({}) });
    expect(check.exitCode).toBe(0);
    const kb = rssKb(server!.pid);
    if (kb !== null) console.log(`[smoke] idle RSS of the server: ${(kb / 1024).toFixed(1)} MB`);
  });

  test("when it gets SIGTERM, then it stops with exit code 0 and leaves the database closed", async () => {
    server!.kill("SIGTERM");
    const code = await Promise.race([server!.exited, Bun.sleep(10_000).then(() => "timeout")]);
    expect(code).toBe(0);
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    expect(output).not.toContain("    at ");
  });

  test("when a setting is bad, then it exits 2 with one line naming it", () => {
    const bad = Bun.spawnSync([binary], { cwd: dir, env: env({ PORT: "abc", DATABASE_PATH: databasePath }), stderr: "pipe" });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.toString().trim().split("\n")).toHaveLength(1);
    expect(bad.stderr.toString()).toContain("PORT");
  });
});
