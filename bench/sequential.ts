/**
 * A provider's test suite sends one request at a time. This measures what
 * each request costs then: a fresh service (`src/cli.ts serve`, or `--binary`)
 * on DATABASE_PATH=:memory: and on a file, one client, one keep-alive
 * connection, one request after another: declaration POSTs for distinct
 * participants (every 200 durable on the file: synchronous=FULL, WAL), and
 * a declaration by id. Prints the medians and p90s. `make bench` runs it
 * too (bench/run.ts).
 *
 *   bun bench/sequential.ts [--posts 400] [--binary PATH]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dir, "..");
const ADMIN = "bench-sequential-admin";

export interface SequentialResult {
  database: string;
  postMedianMs: number;
  postP90Ms: number;
  getMedianMs: number;
  posts: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** A service process (`command`, by default `src/cli.ts serve`) on `databasePath`, once /healthz answers; the bench settings plus `env`. */
export async function startSandbox(databasePath: string, env: Record<string, string> = {}, command = [process.execPath, join(ROOT, "src/cli.ts"), "serve"]) {
  const port = await freePort();
  const proc = Bun.spawn(command, {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: databasePath, ADMIN_TOKEN: ADMIN, SEED: "none", RATE_LIMIT: "off", LOG_REQUESTS: "off", ...env },
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (i > 2000) {
      proc.kill();
      throw new Error(`${url} did not become healthy`);
    }
    await Bun.sleep(5);
  }
  return { proc, url, adminToken: ADMIN };
}

/** Starts a service on `databasePath`, makes `posts` participants, then times one POST at a time and one GET at a time. */
export async function measureSequential(databasePath: string, posts: number, command = [process.execPath, join(ROOT, "src/cli.ts"), "serve"]): Promise<SequentialResult> {
  const { proc, url } = await startSandbox(databasePath, {}, command);
  try {
    const admin = async (path: string, body: unknown) => {
      const r = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, string>;
    };
    const provider = await admin("/admin/lead-providers", { name: "Sequential bench provider" });
    const warmUp = 50;
    const people: string[] = [];
    for (let i = 0; i < posts + warmUp; i++) people.push((await admin("/admin/participants", { lead_provider_id: provider.id, participant_type: "ect", cohort: 2025 })).participant_id!);
    const headers = { authorization: `Bearer ${provider.api_token}`, "content-type": "application/json", "x-with-server-date": "2025-10-01T12:00:00Z" };
    const postTimes: number[] = [];
    let lastId = "";
    for (let i = 0; i < people.length; i++) {
      const body = JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id: people[i], declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction" } } });
      const t0 = performance.now();
      const r = await fetch(`${url}/api/v2/participant-declarations`, { method: "POST", headers, body });
      const answer = (await r.json()) as { data?: { id: string } };
      const ms = performance.now() - t0;
      if (r.status !== 200) throw new Error(`POST → ${r.status} ${JSON.stringify(answer)}`);
      lastId = answer.data!.id;
      if (i >= warmUp) postTimes.push(ms);
    }
    const getTimes: number[] = [];
    for (let i = 0; i < posts + warmUp; i++) {
      const t0 = performance.now();
      const r = await fetch(`${url}/api/v2/participant-declarations/${lastId}`, { headers: { authorization: headers.authorization } });
      await r.arrayBuffer();
      if (i >= warmUp) getTimes.push(performance.now() - t0);
    }
    return { database: databasePath, postMedianMs: quantile(postTimes, 0.5), postP90Ms: quantile(postTimes, 0.9), getMedianMs: quantile(getTimes, 0.5), posts };
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

/** :memory: and a new file in a temp folder. */
export async function measureBoth(posts: number, command?: string[]): Promise<SequentialResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-sequential-"));
  try {
    return [await measureSequential(":memory:", posts, command), await measureSequential(join(dir, "sequential.sqlite"), posts, command)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sequentialRows(results: SequentialResult[]): string[] {
  return results.map((r) => {
    const memory = r.database === ":memory:";
    return `| one request at a time over keep-alive (bench/sequential.ts), ${memory ? "DATABASE_PATH=:memory:" : "a database file, synchronous=FULL"}: declaration POST median (p90) / declaration by id median, ${r.posts} each | ${r.postMedianMs.toFixed(2)} (${r.postP90Ms.toFixed(2)}) / ${r.getMedianMs.toFixed(2)} ms | ${memory ? "POST ≤ 1 ms" : ""} |`;
  });
}

if (import.meta.main) {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { posts: { type: "string", default: "400" }, binary: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help) {
    console.log("usage: bun bench/sequential.ts [--posts N] [--binary PATH]\n  one client, one request at a time: declaration POST and GET by id medians on :memory: and on a file");
    process.exit(0);
  }
  const posts = Number(values.posts);
  if (!Number.isInteger(posts) || posts < 1) {
    console.error("error: --posts must be a positive whole number");
    process.exit(2);
  }
  const results = await measureBoth(posts, values.binary ? [values.binary, "serve"] : undefined);
  console.log("| measure | ms | target |\n| --- | --- | --- |\n" + sequentialRows(results).join("\n"));
}
