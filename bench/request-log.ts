/**
 * The request log's cost: the uncached 100-per-page list (RESPONSE_CACHE=off,
 * every request reads the database) and declaration POSTs, with the log on
 * (REQUEST_LOG_SIZE=10000, the default) and off (0), in interleaved rounds on
 * the bench database (seeded as `make bench` does, or reused from .bench/).
 *
 * Two measures: CPU time per request in-process (`app.handle`, two apps over
 * one database, log on and off, alternating), which the other work on a
 * shared machine disturbs least; and wrk over a socket, as `make bench` does.
 *
 *   bun bench/request-log.ts [--rounds 3] [--duration 5] [--posts 2000]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_TOKEN, benchDatabase } from "./seed";
import { openDatabase } from "../db/connection";
import { createApp } from "../src/app";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { rounds: { type: "string", default: "3" }, duration: { type: "string", default: "5" }, posts: { type: "string", default: "2000" } },
  strict: true,
});
const ROUNDS = Number(values.rounds);
const DURATION = Number(values.duration);
const POSTS = Number(values.posts);
const CONNECTIONS = 32;

const ROOT = join(import.meta.dir, "..");
const { path: DB, meta } = await benchDatabase();

async function start(logSize: number) {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), "serve"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: DB, ADMIN_TOKEN: "bench-admin-token", SEED: "none", RATE_LIMIT: "off", LOG_REQUESTS: "off", RESPONSE_CACHE: "off", REQUEST_LOG_SIZE: String(logSize) },
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 5000; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    await Bun.sleep(2);
  }
  return { proc, url };
}

async function wrk(url: string, seconds: number): Promise<number> {
  const proc = Bun.spawn(["wrk", "-t2", `-c${CONNECTIONS}`, `-d${seconds}s`, "-H", `Authorization: Bearer ${BENCH_TOKEN}`, url], { stdout: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw non-2xx answers:\n${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
}

async function posts(url: string): Promise<number> {
  const ids = meta.freeParticipantIds.slice(0, POSTS);
  let next = 0;
  const created: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const r = await fetch(`${url}/api/v2/participant-declarations`, {
          method: "POST",
          headers: { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": "application/json", "x-with-server-date": "2025-06-01T00:00:00Z" },
          body: JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id: id, declaration_type: "started", declaration_date: "2024-01-10T10:00:00Z", course_identifier: "ecf-induction" } } }),
        });
        const answer = (await r.json()) as { data?: { id: string } };
        if (r.status !== 200) throw new Error(`POST → ${r.status} ${JSON.stringify(answer)}`);
        created.push(answer.data!.id);
      }
    }),
  );
  const perSecond = created.length / ((performance.now() - t0) / 1000);
  // void them (not timed) so that the next round can declare for the same people
  for (let i = 0; i < created.length; i += CONNECTIONS) {
    await Promise.all(created.slice(i, i + CONNECTIONS).map((id) => fetch(`${url}/api/v2/participant-declarations/${id}/void`, { method: "PUT", headers: { authorization: `Bearer ${BENCH_TOKEN}` } }).then((r) => r.arrayBuffer())));
  }
  return perSecond;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// a run that stopped half-way leaves declarations for the "free" participants: void them, so every POST is a 200
{
  const database = openDatabase(DB);
  const ids = meta.freeParticipantIds;
  for (let i = 0; i < ids.length; i += 500) {
    await database.db.updateTable("declarations").set({ state: "voided", billable: 0 }).where("participant_id", "in", ids.slice(i, i + 500)).where("state", "!=", "voided").execute();
  }
  await database.close();
}

// ---- in-process: CPU µs per request -----------------------------------------------
{
  const database = openDatabase(DB);
  const apps = { on: createApp({ db: database.db, rateLimit: false, requestLogSize: 10_000 }), off: createApp({ db: database.db, rateLimit: false, requestLogSize: 0 }) };
  const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
  const list = (app: typeof apps.on) => app.handle(new Request("http://localhost/api/v2/participants/ecf?page[per_page]=100", { headers: auth }));
  let person = 0;
  const ids = meta.freeParticipantIds;
  const post = async (app: typeof apps.on) => {
    const id = ids[person++ % ids.length]!;
    const r = await app.handle(
      new Request("http://localhost/api/v2/participant-declarations", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", "x-with-server-date": "2025-06-01T00:00:00Z" },
        body: JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id: id, declaration_type: "started", declaration_date: "2024-01-10T10:00:00Z", course_identifier: "ecf-induction" } } }),
      }),
    );
    const body = (await r.clone().json()) as { data?: { id: string } };
    // void it again (inside the timing for both modes alike) so that the person can be declared for again
    if (body.data) await (await app.handle(new Request(`http://localhost/api/v2/participant-declarations/${body.data.id}/void`, { method: "PUT", headers: auth }))).text();
    return r;
  };
  const cpu = async (app: typeof apps.on, call: (app: typeof apps.on) => Promise<Response>, n: number) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await (await call(app)).text();
    await Bun.sleep(1); // the after-response hooks
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  const cpuResults = { list: { on: [] as number[], off: [] as number[] }, post: { on: [] as number[], off: [] as number[] } };
  for (const [name, call, n] of [["list", list, 300], ["post", post, 200]] as const) {
    await cpu(apps.on, call, 50);
    await cpu(apps.off, call, 50);
    for (let round = 0; round < ROUNDS * 3; round++) {
      for (const mode of round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) cpuResults[name][mode].push(await cpu(apps[mode], call, n));
    }
  }
  await database.close();
  const cpuRow = (name: string, r: { on: number[]; off: number[] }) =>
    `| ${name} | ${median(r.off).toFixed(0)} | ${median(r.on).toFixed(0)} | ${(((median(r.on) - median(r.off)) / median(r.off)) * 100).toFixed(1)}% |`;
  console.log(`| in-process, CPU µs per request (RESPONSE_CACHE=off) | log off | log on (10000) | change |\n| --- | --- | --- | --- |`);
  console.log(cpuRow("participants, 100/page", cpuResults.list));
  console.log(cpuRow("declaration POST (+ its void)", cpuResults.post));
  console.log(`${ROUNDS * 3} alternating rounds of 300 lists / 200 POSTs, medians\n`);
}
const results = { on: { list: [] as number[], post: [] as number[] }, off: { list: [] as number[], post: [] as number[] } };
const LIST = "/api/v2/participants/ecf?page[per_page]=100";
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
    const service = await start(mode === "on" ? 10_000 : 0);
    await wrk(`${service.url}${LIST}`, 1); // warm-up
    results[mode].list.push(await wrk(`${service.url}${LIST}`, DURATION));
    results[mode].post.push(await posts(service.url));
    service.proc.kill("SIGTERM");
    await service.proc.exited;
    console.log(`round ${round + 1}, log ${mode}: list ${results[mode].list.at(-1)!.toFixed(0)} req/s, POSTs ${results[mode].post.at(-1)!.toFixed(0)}/s`);
  }
}
const row = (name: string, on: number[], off: number[]) =>
  `| ${name} | ${median(off).toFixed(0)} | ${median(on).toFixed(0)} | ${(((median(on) - median(off)) / median(off)) * 100).toFixed(1)}% |`;
console.log(`\n| scenario (RESPONSE_CACHE=off) | log off | log on (10000) | change |\n| --- | --- | --- | --- |`);
console.log(row("participants, 100/page, req/s", results.on.list, results.off.list));
console.log(row(`declaration POSTs/s (${POSTS}, ${CONNECTIONS} clients)`, results.on.post, results.off.post));
console.log(`\nwrk -t2 -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} interleaved rounds, medians`);
