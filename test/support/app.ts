import { type OpenDatabase, openDatabase } from "../../db/connection";
import { createApp } from "../../src/app";
import { prepareDatabase } from "../../src/bootstrap";
import { Clock } from "../../src/clock";
import { FileSnapshotStore } from "../../src/modules/snapshots/store";

export const ADMIN_TOKEN = "test-admin-token";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: OpenDatabase;
  clock: Clock;
  /** one request through `app.handle`; `body` objects are sent as JSON */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** request + parsed JSON body */
  call(method: string, path: string, options?: RequestOptions): Promise<{ status: number; body: any; response: Response }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** a fresh lead provider with its token */
  newProvider(name?: string): Promise<{ id: string; name: string; token: string }>;
  /** POST /admin/participants with defaults for the given provider */
  newParticipant(leadProviderId: string, fields?: Record<string, unknown>): Promise<{ participant_id: string; training_record_id: string }>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

let providerCounter = 0;

/** A migrated database (in memory unless a path is given) with reference data, and the app over it. */
export async function createTestApp(options: { seed?: "demo" | "none"; path?: string; rateLimit?: boolean; requestLogSize?: number; responseCache?: boolean; rectStatements?: boolean } = {}): Promise<TestApp> {
  const database = openDatabase(options.path ?? ":memory:");
  await prepareDatabase(database.db, { seed: options.seed ?? "none", adminToken: ADMIN_TOKEN });
  const clock = new Clock();
  // the response cache is on, as in the server, so every suite also checks that it never serves a stale answer
  const app = createApp({ db: database.db, clock, rateLimit: options.rateLimit ?? false, writes: database.writes, dataVersion: database.dataVersion, responseCache: options.responseCache, requestLogSize: options.requestLogSize, rectStatements: options.rectStatements,
    snapshots: options.path ? FileSnapshotStore.besideDatabase(options.path) : undefined,
  });

  const request = (method: string, path: string, o: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization ??= `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    return app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
  };
  const call = async (method: string, path: string, o: RequestOptions = {}) => {
    const response = await request(method, path, o);
    const text = await response.text();
    let body: any = text;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {}
    return { status: response.status, body, response };
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, { token: ADMIN_TOKEN, body });
    return { status: r.status, body: r.body };
  };
  return {
    app,
    database,
    clock,
    request,
    call,
    admin,
    async newProvider(name?: string) {
      const r = await admin("POST", "/admin/lead-providers", { name: name ?? `Test provider ${++providerCounter} ${crypto.randomUUID().slice(0, 8)}` });
      if (r.status !== 201) throw new Error(`newProvider: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, name: r.body.name, token: r.body.api_token };
    },
    async newParticipant(leadProviderId: string, fields: Record<string, unknown> = {}) {
      const r = await admin("POST", "/admin/participants", { lead_provider_id: leadProviderId, participant_type: "ect", cohort: 2024, ...fields });
      if (r.status !== 201) throw new Error(`newParticipant: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async close() {
      await app.decorator.ctx.lastUsed.close();
      await app.decorator.ctx.v3LastUsed.close();
      await database.close();
    },
  };
}
