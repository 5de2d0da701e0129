/**
 * `make bench`: seeds a database at scale, starts the service, and measures
 * it with wrk at 32 connections against a ceiling (a bare Bun.serve returning
 * a prebuilt body of the same bytes) in interleaved rounds. Prints a table of
 * req/s, rows/s, p50/p99, peak RSS and each figure's ratio to the ceiling.
 *
 *   bun bench/run.ts [--rounds 3] [--duration 3] [--connections 32] [--reuse]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { NAIVE_ROWS, seedNaive } from "./naive";
import { BENCH_TOKEN, seedBenchDatabase } from "./seed";
import { measureBoth, sequentialRows } from "./sequential";
import { BENCH_V3_TOKEN, V3_TEACHERS, ensureV3World } from "./v3-world";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    reuse: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log("usage: bun bench/run.ts [--rounds N] [--duration SECONDS] [--connections N] [--reuse]\n  --reuse  keep the seeded database in .bench/ between runs");
  process.exit(0);
}
const ROUNDS = Number(values.rounds);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
for (const [name, v] of [["rounds", ROUNDS], ["duration", DURATION], ["connections", CONNECTIONS]] as const) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`error: --${name} must be a positive whole number`);
    process.exit(2);
  }
}
if (Bun.spawnSync(["sh", "-c", "command -v wrk"]).exitCode !== 0) {
  console.error("error: wrk is not installed (Debian: apt-get install wrk); `make bench` installs it");
  process.exit(2);
}

const ROOT = join(import.meta.dir, "..");
const WORK = join(ROOT, ".bench");
mkdirSync(WORK, { recursive: true });
const DB = join(WORK, "bench.sqlite");
const META = join(WORK, "bench.json");

// ---- seed -------------------------------------------------------------------
let meta: { participantIds: string[]; declarationIds: string[]; freeParticipantIds: string[]; seedSeconds: number };
if (values.reuse && existsSync(DB) && existsSync(META)) {
  meta = JSON.parse(readFileSync(META, "utf8"));
  console.log(`reusing ${DB} (seeded in ${meta.seedSeconds.toFixed(1)} s)`);
} else {
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) rmSync(f, { force: true });
  const t0 = performance.now();
  const seeded = await seedBenchDatabase(DB, {
    records: 100_000,
    declarationsPerRecord: 11,
    otherProviders: 5,
    otherRecords: 2_000,
    onProgress: (label, done, total) => process.stdout.write(`\rseeding ${label}: ${done.toLocaleString()} / ${total.toLocaleString()} training records   `),
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  meta = { ...seeded, seedSeconds };
  writeFileSync(META, JSON.stringify(meta));
  console.log(`\nseeded 6 providers, 110,000 training records, ${(seeded.participantIds.length * 11).toLocaleString()} declarations in ${seedSeconds.toFixed(1)} s`);
}

// ---- processes ----------------------------------------------------------------
async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

function rssKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

async function waitHealthy(url: string, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return performance.now() - t0;
    } catch {}
    await Bun.sleep(2);
  }
  throw new Error(`${url} did not become healthy`);
}

async function startService(command: string[] = [process.execPath, join(ROOT, "src/cli.ts"), "serve"], extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const t0 = performance.now();
  const proc = Bun.spawn(command, {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: DB, ADMIN_TOKEN: "bench-admin-token", SEED: "none", RATE_LIMIT: "off", LOG_REQUESTS: "off", ...extraEnv },
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url);
  return { proc, url, startMs: performance.now() - t0 };
}

// ---- scenarios ----------------------------------------------------------------
interface Scenario {
  name: string;
  path: string;
  rows: number;
  /** the naive stack's request for the same page size (same polling parameter when uncached) */
  naive: string;
  /** the uncached run varies `filter[updated_since]` per request, as a polling provider does */
  poll: boolean;
  target: string;
  /** the provider token the scenario calls with (default: the v2 bench token) */
  token?: string;
}
const some = meta.participantIds[Math.floor(meta.participantIds.length / 2)]!;
const someDeclaration = meta.declarationIds[Math.floor(meta.declarationIds.length / 2)]!;
const scenarios: Scenario[] = [
  { name: "participants, 100/page", path: "/api/v2/participants/ecf?page[per_page]=100", rows: 100, naive: "/flat?per_page=100", poll: true, target: "uncached ≥ 2× naive, p99 ≤ 10 ms" },
  { name: "participants, 3000/page", path: "/api/v2/participants/ecf?page[per_page]=3000", rows: 3000, naive: "/flat?per_page=3000", poll: true, target: "uncached ≥ 1.5 M rows/s, ≥ 2× naive" },
  { name: "participants, page 300 of 100", path: "/api/v2/participants/ecf?page[per_page]=100&page[page]=300", rows: 100, naive: "/flat?per_page=100&page=300", poll: true, target: "≤ 2× page 1 time" },
  { name: "declarations, 100/page (1 M in db)", path: "/api/v2/participant-declarations?page[per_page]=100", rows: 100, naive: "/flat?per_page=100", poll: true, target: "uncached ≥ 2× naive" },
  { name: "participant by id", path: `/api/v2/participants/ecf/${some}`, rows: 1, naive: "/flat/50000", poll: true, target: "uncached ≥ 0.5× ceiling" },
  { name: "declaration by id", path: `/api/v2/participant-declarations/${someDeclaration}`, rows: 1, naive: "/flat/50000", poll: false, target: "" },
];

// the same seeded file, served twice: with the response cache (the default) and without it
const service = await startService();
const uncached = await startService(undefined, { RESPONSE_CACHE: "off" });
// the RECT world beside it (bench/v3-world.ts), loaded through the control plane unless --reuse kept it
const tV3 = performance.now();
await ensureV3World(service.url, "bench-admin-token", (done, total) => process.stdout.write(`\rloading the v3 world: ${done.toLocaleString()} / ${total.toLocaleString()} teachers   `));
console.log(`\nv3 world ready in ${((performance.now() - tV3) / 1000).toFixed(1)} s`);
scenarios.push({
  name: `v3 participants, 100/page (${V3_TEACHERS.toLocaleString()} teachers)`,
  path: "/api/v3/participants?page[per_page]=100",
  rows: 100,
  naive: "/flat?per_page=100",
  poll: true,
  target: "uncached ≥ 1× naive",
  token: BENCH_V3_TOKEN,
});
await Bun.sleep(200);
const idleRssKiB = rssKiB(service.proc.pid, "VmRSS");
const bodies: Record<string, { body: string; type: string }> = {};
const POLL_SINCE = "filter[updated_since]=2000-01-01T00:00:00Z";
const polled = (path: string) => `${path}${path.includes("?") ? "&" : "?"}${POLL_SINCE}`;
for (const s of scenarios) {
  for (const [url, path] of [[service.url, s.path], [uncached.url, s.poll ? polled(s.path) : s.path]] as const) {
    const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${s.token ?? BENCH_TOKEN}` } });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${body.slice(0, 200)}`);
    const count = s.rows === 1 ? 1 : (JSON.parse(body).data as unknown[]).length;
    if (count !== s.rows) throw new Error(`${path} returned ${count} rows, expected ${s.rows}`);
    if (url === service.url) bodies[s.path] = { body, type: r.headers.get("content-type") ?? "application/json" };
  }
}
const ceilingFile = join(WORK, "ceiling-bodies.json");
writeFileSync(ceilingFile, JSON.stringify(bodies));
const ceilingPort = await freePort();
const ceiling = Bun.spawn([process.execPath, join(import.meta.dir, "ceiling.ts"), ceilingFile, String(ceilingPort)], { stdout: "ignore", stderr: "inherit" });
const ceilingUrl = `http://127.0.0.1:${ceilingPort}`;
await waitHealthy(ceilingUrl);

// the naive stack: Elysia + Kysely + better-sqlite3 over a flat 100,000-row table
const naiveFile = join(WORK, "naive.sqlite");
seedNaive(naiveFile);
const naivePort = await freePort();
const naive = Bun.spawn([process.execPath, join(import.meta.dir, "naive.ts"), naiveFile, String(naivePort)], { stdout: "ignore", stderr: "inherit" });
const naiveUrl = `http://127.0.0.1:${naivePort}`;
await waitHealthy(naiveUrl);
for (const s of scenarios) {
  const r = await fetch(`${naiveUrl}${s.naive}`);
  const body = (await r.json()) as { data: unknown };
  const count = Array.isArray(body.data) ? body.data.length : 1;
  if (r.status !== 200 || count !== s.rows) throw new Error(`naive ${s.naive} → ${r.status}, ${count} rows, expected ${s.rows}`);
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
}
function toMs(v: string): number {
  const m = /([\d.]+)(us|ms|s|m)/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n;
}
const POLL_SCRIPT = join(import.meta.dir, "poll.lua");
/** `poll`: the name of the query parameter to vary per request (wrk script bench/poll.lua) */
async function wrk(url: string, seconds: number, poll?: string, token: string | false = BENCH_TOKEN): Promise<WrkResult> {
  const command = ["wrk", "-t2", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency"];
  if (token) command.push("-H", `Authorization: Bearer ${token}`);
  if (poll) command.push("-s", POLL_SCRIPT);
  command.push(url);
  if (poll) command.push("--", poll);
  const proc = Bun.spawn(command, { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? "0ms");
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "0ms");
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers from ${url}:\n${out}`);
  return { rps, p50, p99 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every measured target: cached and uncached service, ceiling, naive (one per distinct naive request). */
type Target = { key: string; run: (seconds: number) => Promise<WrkResult> };
const targets: Target[] = [];
for (const s of scenarios) {
  targets.push({ key: `cached ${s.name}`, run: (d) => wrk(`${service.url}${s.path}`, d, undefined, s.token ?? BENCH_TOKEN) });
  targets.push({ key: `uncached ${s.name}`, run: (d) => wrk(`${uncached.url}${s.path}`, d, s.poll ? "filter[updated_since]" : undefined, s.token ?? BENCH_TOKEN) });
  targets.push({ key: `ceiling ${s.name}`, run: (d) => wrk(`${ceilingUrl}${s.path}`, d, undefined, false) });
  if (!targets.some((t) => t.key === `naive ${s.naive}`)) {
    const list = s.naive.includes("?");
    targets.push({ key: `naive ${s.naive}`, run: (d) => wrk(`${naiveUrl}${s.naive}`, d, list ? "updated_since" : undefined, false) });
  }
}
console.log(`warming up (${targets.length} targets)…`);
for (const t of targets) await t.run(1);
const results = new Map<string, WrkResult[]>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const t of targets) {
    process.stdout.write(`\rround ${round}/${ROUNDS}: ${t.key.padEnd(60)}`);
    results.set(t.key, [...(results.get(t.key) ?? []), await t.run(DURATION)]);
  }
}
process.stdout.write("\n");
const peakRssKiB = rssKiB(service.proc.pid, "VmHWM");
const uncachedPeakRssKiB = rssKiB(uncached.proc.pid, "VmHWM");
naive.kill("SIGTERM");
await naive.exited;
uncached.proc.kill("SIGTERM");
await uncached.proc.exited;

// ---- CSV: one client, time to last byte, RSS growth ------------------------------
const rssBeforeCsv = rssKiB(service.proc.pid, "VmRSS");
let csvPeak = rssBeforeCsv;
const sampler = setInterval(() => (csvPeak = Math.max(csvPeak, rssKiB(service.proc.pid, "VmRSS"))), 5);
const csvTimes: number[] = [];
let csvRows = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const r = await fetch(`${service.url}/api/v2/participants/ecf.csv`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
  const text = await r.text();
  csvTimes.push(performance.now() - t0);
  csvRows = text.split("\n").length - 2;
}
clearInterval(sampler);

// ---- POSTs: distinct participants, every 200 durable (synchronous=FULL) -------------
const postIds = meta.freeParticipantIds;
let next = 0;
let ok = 0;
const created: string[] = [];
const tPost = performance.now();
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (next < postIds.length) {
      const id = postIds[next++]!;
      const r = await fetch(`${service.url}/api/v2/participant-declarations`, {
        method: "POST",
        headers: { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json", "x-with-server-date": "2025-06-01T00:00:00Z" },
        body: JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id: id, declaration_type: "started", declaration_date: "2024-01-10T10:00:00Z", course_identifier: "ecf-induction" } } }),
      });
      const answer = (await r.json()) as { data?: { id: string } };
      if (r.status === 200) {
        ok++;
        created.push(answer.data!.id);
      }
      else if (ok === 0 && next < 3) console.error(`POST → ${r.status}`);
    }
  }),
);
const postPerSecond = ok / ((performance.now() - tPost) / 1000);
// void them again (not timed), so that a --reuse run can declare for the same people
for (let i = 0; i < created.length; i += CONNECTIONS) {
  await Promise.all(created.slice(i, i + CONNECTIONS).map((id) => fetch(`${service.url}/api/v2/participant-declarations/${id}/void`, { method: "PUT", headers: { authorization: `Bearer ${BENCH_TOKEN}` } }).then((r) => r.arrayBuffer())));
}

service.proc.kill("SIGTERM");
await service.proc.exited;
ceiling.kill("SIGTERM");
await ceiling.exited;

// ---- one request at a time, as a provider's suite sends them (bench/sequential.ts) -----------
const sequential = await measureBoth(400);

// ---- start-up on the seeded database, from source and as the compiled binary -----------
const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = await startService();
  starts.push(s.startMs);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
}
const binary = join(WORK, "lead-provider-sandbox");
const built = Bun.spawnSync([process.execPath, "build", "--compile", "--minify-whitespace", "--minify-syntax", join(ROOT, "src/cli.ts"), "--outfile", binary], { stdout: "ignore", stderr: "inherit" });
const binaryStarts: number[] = [];
let binaryIdleKiB = 0;
if (built.exitCode === 0) {
  for (let i = 0; i < 5; i++) {
    const s = await startService([binary, "serve"]);
    binaryStarts.push(s.startMs);
    await Bun.sleep(200);
    binaryIdleKiB = rssKiB(s.proc.pid, "VmRSS");
    s.proc.kill("SIGTERM");
    await s.proc.exited;
  }
}

// ---- table -------------------------------------------------------------------------------
const med = (key: string, f: (r: WrkResult) => number) => median(results.get(key)!.map(f));
const rows: string[][] = [["scenario", "ceiling req/s", "cached req/s", "× ceiling", "cached p99", "uncached req/s", "× ceiling", "naive req/s", "× naive", "uncached rows/s", "p50 ms", "p99 ms", "target"]];
for (const s of scenarios) {
  const ceil = med(`ceiling ${s.name}`, (r) => r.rps);
  const cached = med(`cached ${s.name}`, (r) => r.rps);
  const cold = med(`uncached ${s.name}`, (r) => r.rps);
  const naiveRps = med(`naive ${s.naive}`, (r) => r.rps);
  rows.push([
    s.name,
    ceil.toFixed(0),
    cached.toFixed(0),
    `${(cached / ceil).toFixed(2)}×`,
    med(`cached ${s.name}`, (r) => r.p99).toFixed(2),
    cold.toFixed(0),
    `${(cold / ceil).toFixed(2)}×`,
    naiveRps.toFixed(0),
    `${(cold / naiveRps).toFixed(2)}×`,
    (cold * s.rows).toExponential(2),
    med(`uncached ${s.name}`, (r) => r.p50).toFixed(2),
    med(`uncached ${s.name}`, (r) => r.p99).toFixed(2),
    s.target,
  ]);
}
const p50Of = (key: string) => med(key, (r) => r.p50);
const deepRatio = p50Of(`cached ${scenarios[2]!.name}`) / p50Of(`cached ${scenarios[0]!.name}`);
const deepRatioUncached = p50Of(`uncached ${scenarios[2]!.name}`) / p50Of(`uncached ${scenarios[0]!.name}`);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log("\n" + rows.map((r) => "| " + r.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |").join("\n"));
console.log(`
| other measure | value | target |
| --- | --- | --- |
| page 300 p50 / page 1 p50, cached | ${deepRatio.toFixed(2)}× | ≤ 2× |
| page 300 p50 / page 1 p50, uncached | ${deepRatioUncached.toFixed(2)}× | ≤ 2× |
| participants CSV, ${csvRows.toLocaleString()} rows, time to last byte (median of 3) | ${median(csvTimes).toFixed(0)} ms | ≤ 250 ms |
| CSV RSS growth | ${((csvPeak - rssBeforeCsv) / 1024).toFixed(1)} MiB | ≤ 50 MiB |
| declaration POSTs, distinct participants, ${CONNECTIONS} clients | ${postPerSecond.toFixed(0)}/s (${ok} accepted; synchronous=FULL, WAL) | ≥ 2,000/s |
${sequentialRows(sequential).join("\n")}
| start-up to /healthz on the seeded database, compiled binary (median of 5) | ${binaryStarts.length ? median(binaryStarts).toFixed(0) + " ms" : "build failed"} | ≤ 150 ms |
| start-up to /healthz on the seeded database, from source with \`bun src/cli.ts\` (median of 5) | ${median(starts).toFixed(0)} ms | |
| idle RSS after start, compiled binary | ${(binaryIdleKiB / 1024).toFixed(1)} MiB | ≤ 60 MiB |
| idle RSS after start, from source | ${(idleRssKiB / 1024).toFixed(1)} MiB | |
| peak RSS under load, cached / uncached service | ${(peakRssKiB / 1024).toFixed(1)} / ${(uncachedPeakRssKiB / 1024).toFixed(1)} MiB | |
| seeding (6 providers, 110,000 records, ~1 M declarations) | ${meta.seedSeconds.toFixed(1)} s | < 60 s |
`);
console.log(`wrk -t2 -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${DURATION}s per target, after a 1 s warm-up; medians.
cached: the same URL again and again (response cache on); uncached: RESPONSE_CACHE=off and a new filter[updated_since] per request (bench/poll.lua).
naive: Elysia + Kysely SqliteDialect + better-sqlite3 over a flat ${NAIVE_ROWS.toLocaleString()}-row table, same page size, new updated_since per request.`);
