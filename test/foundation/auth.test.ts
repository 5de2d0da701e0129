import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let provider: { id: string; token: string };

beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider();
});
afterAll(() => t.close());

const DENIED = { error: "HTTP Token: Access denied" };

describe("authentication (docs/reference/business-rules.md §1.1)", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["no Authorization header", {}],
    ["a malformed header", { authorization: "Basic abc" }],
    ["a lower-case scheme word", { authorization: "bearer will-not-parse" }],
    ["an unknown token", { authorization: "Bearer not-a-real-token" }],
  ];
  for (const [name, headers] of cases) {
    test(`when the API gets ${name}, then 401 with the live body and content type`, async () => {
      const r = await t.call("GET", "/api/v2/participants/ecf", { headers });
      expect(r.status).toBe(401);
      expect(r.body).toEqual(DENIED);
      expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
      expect(r.response.headers.get("www-authenticate")).toBe('Token realm="Application"');
    });
  }

  test("when the CSV endpoint gets no token, then the 401 is JSON too", async () => {
    const r = await t.call("GET", "/api/v2/participants/ecf.csv");
    expect(r.status).toBe(401);
    expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  });

  test("when the token comes with the Token scheme, then it is accepted", async () => {
    for (const authorization of [`Token ${provider.token}`, `Token token="${provider.token}"`, `Bearer ${provider.token}`]) {
      const r = await t.call("GET", "/api/v2/participants/ecf", { headers: { authorization } });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ data: [] });
    }
  });

  test("when the admin token is used on /api/v2, then 403 with an empty body", async () => {
    const r = await t.request("GET", "/api/v2/participants/ecf", { token: ADMIN_TOKEN });
    expect(r.status).toBe(403);
    expect(await r.text()).toBe("");
  });

  test("when a lead provider's token is used on /admin, then 401", async () => {
    const r = await t.call("GET", "/admin/lead-providers", { token: provider.token });
    expect(r.status).toBe(401);
    expect(r.body).toEqual(DENIED);
  });

  test("when an unauthenticated request has bad filters, then it gets 401 not 400", async () => {
    const r = await t.call("GET", "/api/v2/participants/ecf?filter=2021&page[per_page]=0");
    expect(r.status).toBe(401);
  });

  test("when a token is used, then its last use is listed at once and written later, off the request path", async () => {
    const fresh = await t.newProvider();
    const writesBefore = t.database.writes.value;
    await t.call("GET", "/api/v2/participants/ecf", { token: fresh.token });
    // the GET itself wrote nothing (issue 14: a read-only or full disk must not fail reads)
    expect(t.database.writes.value).toBe(writesBefore);
    const listed = await t.admin("GET", "/admin/lead-providers");
    const token = listed.body.find((p: any) => p.id === fresh.id).tokens[0];
    expect(token.last_used_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await t.app.decorator.ctx.lastUsed.flush();
    const row = await t.database.db.selectFrom("api_tokens").select("last_used_at").where("lead_provider_id", "=", fresh.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBe(token.last_used_at);
  });

  test("when a path is unknown or the method is wrong, then 404 Resource not Found", async () => {
    for (const [method, path] of [["GET", "/api/v2/nothing-here"], ["DELETE", "/api/v2/participants/ecf"]] as const) {
      const r = await t.call(method, path, { token: provider.token });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: "Resource not Found" });
    }
  });
});

describe("rate limit (docs/reference/business-rules.md §1.2)", () => {
  test("when 1001 requests come with one Authorization value in a window, then the 1001st gets 429 text/plain 'Retry later\\n'", async () => {
    const limited = await createTestApp({ rateLimit: true });
    try {
      const p = await limited.newProvider();
      let last: Response | null = null;
      for (let i = 0; i < 1001; i++) last = await limited.request("GET", "/api/v2/participants/ecf?page[per_page]=1", { token: p.token });
      expect(last!.status).toBe(429);
      expect(last!.headers.get("content-type")).toBe("text/plain");
      expect(await last!.text()).toBe("Retry later\n");
      // another token has its own count; no Authorization header is not counted
      const other = await limited.newProvider();
      expect((await limited.request("GET", "/api/v2/participants/ecf", { token: other.token })).status).toBe(200);
      expect((await limited.request("GET", "/api/v2/participants/ecf")).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
