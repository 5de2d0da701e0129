import { openDatabase } from "../db/connection";
import { Clock } from "./clock";
import { keepMallocHeap } from "./lib/malloc";
import { createApp } from "./app";
import { prepareDatabase } from "./bootstrap";
import { demoProviderLines } from "./modules/seed/demo";
import type { Config } from "./config";
import { MAX_BODY_BYTES } from "./http/json-api";
import { FileSnapshotStore, MemorySnapshotStore } from "./modules/snapshots/store";

export interface RunningServer {
  url: string;
  port: number;
  /** stops accepting, lets in-flight requests finish, closes the database */
  stop(): Promise<void>;
}

/** Opens the database, prepares it, and serves; prints the start-up banner. */
export async function startServer(config: Config, print: (line: string) => void = console.log): Promise<RunningServer> {
  // large pages built by SQLite reuse the heap instead of faulting memory in each time (src/lib/malloc.ts)
  keepMallocHeap();
  const database = openDatabase(config.databasePath);
  // one clock for the app and for SCENARIO (its `clock` moves the admin clock)
  const clock = new Clock();
  const prepared = await prepareDatabase(database.db, {
    seed: config.seed,
    adminToken: config.adminToken,
    rectScenario: config.rectScenario,
    rectStatements: config.rectStatements,
    scenario: config.scenario ? { ...config.scenario, clock } : null,
  });
  database.markFile();
  const app = createApp({
    clock,
    fileProblem: database.fileProblem,
    db: database.db,
    writes: database.writes,
    responseCache: config.responseCache,
    dataVersion: database.dataVersion,
    rateLimit: config.rateLimit,
    log: config.logRequests ? (line) => console.log(line) : undefined,
    requestLogSize: config.requestLogSize,
    rectStatements: config.rectStatements,
    snapshots: config.databasePath === ":memory:" ? new MemorySnapshotStore() : FileSnapshotStore.besideDatabase(config.databasePath),
  });
  // reusePort off: a second sandbox on a taken port must fail, not share the port with another database
  app.listen({ port: config.port, hostname: config.host, maxRequestBodySize: MAX_BODY_BYTES * 8, reusePort: false });
  const server = app.server!;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost}:${server.port}`;

  print(`Lead provider sandbox (DfE Lead Provider API v2.0.0 replica)`);
  print(`  API:       ${url}/api/v2 (ECF), ${url}/api/v3 (RECT)`);
  print(`  Docs:      ${url}/api-docs`);
  print(`  Health:    ${url}/healthz`);
  print(`  Database:  ${config.databasePath}${prepared.seededNow ? " (seeded with demo data)" : ""}`);
  if (prepared.generatedAdminToken) print(`  Admin token (shown once, stored hashed): ${prepared.generatedAdminToken}`);
  else if (config.adminToken) print(`  Admin token: the value of ADMIN_TOKEN`);
  else print(`  Admin token: printed when it was generated; set ADMIN_TOKEN, or run 'token create --admin' for a new one`);
  for (const line of demoProviderLines(prepared.demoProviders, "  ")) print(line);
  if (prepared.v3DemoProviders.length) {
    print(`  v3 (RECT) lead providers (Authorization: Bearer <token>, /api/v3 only):`);
    for (const p of prepared.v3DemoProviders) print(`    ${p.name.padEnd(30)} ${p.token}`);
  }
  if (prepared.scenarioRefs) print(`  SCENARIO applied; refs: ${JSON.stringify(prepared.scenarioRefs)}`);
  else if (config.scenario) print(`  SCENARIO not applied: the database already has lead providers`);
  if (prepared.rectScenarioRefs) print(`  RECT_SCENARIO loaded; refs: ${JSON.stringify(prepared.rectScenarioRefs)}`);
  if (!config.rateLimit) print(`  Rate limit: off (RATE_LIMIT=off)`);

  let stopping: Promise<void> | null = null;
  return {
    url,
    port: server.port!,
    stop() {
      stopping ??= (async () => {
        await server.stop(false);
        // after-response hooks (the request log) of the last responses run on the next ticks
        await Bun.sleep(20);
        // the tokens' last uses noted since the last write
        await app.decorator.ctx.lastUsed.close();
        await app.decorator.ctx.v3LastUsed.close();
        await database.close();
      })();
      return stopping;
    },
  };
}
