import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { hint } from "../../src/modules/request-log/rules";

/** What a record says of how its request authenticated and of its "now" (issue 18 items 10-11), and when it is written (issue 19 item 2). */

const DECLARATIONS = "/api/v2/participant-declarations";
let t: TestApp;
let origin: string;
let provider: { id: string; name: string; token: string };
let participantId: string;

beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider("Facts provider");
  participantId = (await t.newParticipant(provider.id, { cohort: 2025 })).participant_id;
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  origin = `http://127.0.0.1:${t.app.server!.port}`;
});
afterAll(async () => {
  await t.app.stop();
  await t.close();
});

async function send(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${origin}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  await response.arrayBuffer();
  return response.status;
}

const newest = async () => (await t.admin("GET", "/admin/requests?limit=1")).body.data[0];

function declaration(date?: string) {
  return { data: { type: "participant-declaration", attributes: { participant_id: participantId, declaration_type: "started", course_identifier: "ecf-induction", ...(date ? { declaration_date: date } : {}) } } };
}

describe("token_kind, now, now_source and hint", () => {
  test("when the admin token is used on /api/v2, then the record says so: token_kind admin, and a hint that names the lead provider's token", async () => {
    expect(await send("GET", "/api/v2/participants/ecf", { token: ADMIN_TOKEN })).toBe(403);
    const r = await newest();
    expect(r).toMatchObject({ status: 403, token_kind: "admin", lead_provider_id: null, now_source: "real", errors: [] });
    expect(r.hint).toStartWith("The admin token was used on /api/v2: use a lead provider's token");
  });

  test("when the token is missing, unknown, a provider's, or the request is unrouted, then token_kind tells which (never the token)", async () => {
    expect(await send("GET", "/api/v2/participants/ecf")).toBe(401);
    expect(await newest()).toMatchObject({ token_kind: "none", hint: "No Authorization header: send a lead provider's token, as Authorization: Bearer $TOKEN." });
    expect(await send("GET", "/api/v2/participants/ecf", { token: "not-a-token-of-ours" })).toBe(401);
    const unknown = await newest();
    expect(unknown.token_kind).toBe("unknown");
    expect(unknown.hint).toContain("not known");
    expect(JSON.stringify(unknown)).not.toContain("not-a-token-of-ours");
    expect(await send("GET", "/api/v2/participants/ecf", { token: provider.token })).toBe(200);
    expect(await newest()).toMatchObject({ token_kind: "lead_provider", hint: null });
    // answered by the route table before any authentication
    expect(await send("GET", "/api/v2/nowhere", { token: provider.token })).toBe(404);
    expect((await newest()).token_kind).toBe("not_checked");
    // a v2 token on /api/v3 is unknown there (v3 has no 403)
    expect(await send("GET", "/api/v3/statements", { token: provider.token })).toBe(401);
    expect((await newest()).token_kind).toBe("unknown");
  });

  test("when X-With-Server-Date makes a declaration date a future one, then the record's now is the header's instant, now_source header, and the hint says so", async () => {
    const status = await send("POST", DECLARATIONS, { token: provider.token, body: declaration("2025-10-01T10:00:00Z"), headers: { "x-with-server-date": "2025-09-01T10:00:00Z" } });
    expect(status).toBe(422);
    const r = await newest();
    expect(r).toMatchObject({ now: "2025-09-01T10:00:00.000Z", now_source: "header", token_kind: "lead_provider" });
    expect(r.request_headers["x-with-server-date"]).toBe("2025-09-01T10:00:00Z");
    expect(r.hint).toContain("X-With-Server-Date");
    // a header that is no date: now is null, the source still the header
    expect(await send("GET", "/api/v2/participants/ecf", { token: provider.token, headers: { "x-with-server-date": "soon" } })).toBe(400);
    expect(await newest()).toMatchObject({ now: null, now_source: "header" });
  });

  test("when the admin clock is moved, then now is the clock's instant and now_source clock; after DELETE /admin/clock, real", async () => {
    await t.admin("PUT", "/admin/clock", { now: "2026-01-15T09:00:00Z" });
    try {
      expect(await send("GET", "/api/v2/participants/ecf", { token: provider.token })).toBe(200);
      const r = await newest();
      expect(r.now_source).toBe("clock");
      expect(r.now.slice(0, 13)).toBe("2026-01-15T09");
    } finally {
      await t.admin("DELETE", "/admin/clock");
    }
    expect(await send("GET", "/api/v2/participants/ecf", { token: provider.token })).toBe(200);
    const real = await newest();
    expect(real.now_source).toBe("real");
    expect(Math.abs(Date.parse(real.now) - Date.parse(real.time))).toBe(0);
  });

  test("when the hint rule is asked of answers that explain themselves, then it gives none", () => {
    expect(hint({ status: 200, path: "/api/v2/participants/ecf", tokenKind: "lead_provider", nowSource: "header", errors: [] })).toBeNull();
    expect(hint({ status: 422, path: DECLARATIONS, tokenKind: "lead_provider", nowSource: "real", errors: ["declaration_date: The '#/declaration_date' value cannot be a future date."] })).toBeNull();
    expect(hint({ status: 403, path: "/api/v2/users", tokenKind: "lead_provider", nowSource: "real", errors: [] })).toContain("private API");
  });
});

describe("a request is in the log before its answer is sent", () => {
  test("when each answer arrives over a real socket, then the log already holds it, for 300 requests of every kind (handled, refused, unrouted, with a format suffix)", async () => {
    const kinds: Array<[string, string, { token?: string; body?: unknown }, number]> = [
      ["GET", "/api/v2/participants/ecf?page[per_page]=1", { token: provider.token }, 200],
      ["POST", DECLARATIONS, { token: provider.token, body: declaration() }, 422],
      ["GET", "/api/v2/participants/ecf", { token: ADMIN_TOKEN }, 403],
      ["GET", "/api/v2/participants/ecf", {}, 401],
      ["GET", "/api/v2/nowhere", { token: provider.token }, 404],
      ["GET", `/api/v2/participants/ecf/${participantId}.json`, { token: provider.token }, 200],
    ];
    const log = t.app.decorator.ctx.requestLog!;
    const misses: string[] = [];
    for (let i = 0; i < 300; i++) {
      const [method, path, options, status] = kinds[i % kinds.length]!;
      expect(await send(method, path, options)).toBe(status);
      // no wait of any kind: the log is read at once, in the same turn as the answer's arrival
      const record = log.newestFirst()[0];
      if (!record || record.status !== status || !record.url.endsWith(path)) misses.push(`${i}: ${method} ${path} -> newest ${record?.status} ${record?.url}`);
    }
    expect(misses).toEqual([]);
  }, 60_000);
});
