/**
 * The v3 envelope and authentication (docs/reference/rect/rules.md §0-§4), over app.handle. Cases
 * cite RECT's shared examples (docs/reference/rect/spec-index.md §1) by name.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
let v2Token: string;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, { lead_providers: [lp("a")] });
  v2Token = (await t.newProvider()).token;
});
afterAll(() => t.close());

const JSON_UTF8 = "application/json; charset=utf-8";

describe('"a token authenticated endpoint" (token_authenticated_endpoint.rb)', () => {
  test("when no Authorization header is sent, then 401 with RECT's body, its content type and no WWW-Authenticate", async () => {
    const r = await v3Get(t, "/api/v3/statements", null);
    expect(r.status).toBe(401);
    expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
    expect(r.type).toBe(JSON_UTF8);
    expect(r.response.headers.get("www-authenticate")).toBeNull();
  });
  test("when the token is `Bearer invalid`, then 401", async () => {
    expect((await v3Get(t, "/api/v3/statements", "invalid")).status).toBe(401);
  });
  test("when a v3 token is sent, then it is not 401", async () => {
    expect((await v3Get(t, "/api/v3/statements", refs.a!.api_token)).status).toBe(200);
  });
  test("when a v2 token is sent to /api/v3, then 401 (two worlds, docs/reference/rect/control-plane.md §0.5)", async () => {
    expect((await v3Get(t, "/api/v3/statements", v2Token)).status).toBe(401);
  });
  test("when a v3 token is sent to /api/v2, then 401 with v2's body", async () => {
    const r = await t.call("GET", "/api/v2/participants/ecf", { token: refs.a!.api_token });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "HTTP Token: Access denied" });
  });
  test("when the admin token is sent to /api/v3, then 401: v3 has no 403 (docs/reference/rect/rules.md §2.1)", async () => {
    expect((await v3Get(t, "/api/v3/statements", ADMIN_TOKEN)).status).toBe(401);
  });
  test("when a v3 token is revoked through the admin API, then it is 401 from the next request on", async () => {
    const made = await t.admin("POST", `/admin/v3/lead-providers/${refs.a!.id}/api-tokens`);
    expect(made.status).toBe(201);
    expect((await v3Get(t, "/api/v3/statements", made.body.api_token)).status).toBe(200);
    expect((await t.admin("DELETE", `/admin/v3/api-tokens/${made.body.id}`)).status).toBe(200);
    expect((await v3Get(t, "/api/v3/statements", made.body.api_token)).status).toBe(401);
  });
});

describe("routes and errors (docs/reference/rect/rules.md §1, §3.3)", () => {
  test("when a v3 path is unknown, then 404 `{\"error\":\"Resource not found\"}` (errors_controller.rb:4-9), whatever the token", async () => {
    for (const token of [refs.a!.api_token, null]) {
      const r = await v3Get(t, "/api/v3/participants/ecf/unknown", token);
      expect(r.status).toBe(404);
      expect(r.text).toBe('{"error":"Resource not found"}');
      expect(r.type).toBe(JSON_UTF8);
    }
  });
  test("when a verb is not routed (DELETE on a statement), then the route 404", async () => {
    const r = await t.request("DELETE", `/api/v3/statements/${crypto.randomUUID()}`, { token: refs.a!.api_token });
    expect(r.status).toBe(404);
    expect(await r.text()).toBe('{"error":"Resource not found"}');
  });
  test("when an id is unknown, then 404 in the errors shape (show_endpoint.rb:12-38)", async () => {
    const r = await v3Get(t, `/api/v3/statements/${crypto.randomUUID()}`, refs.a!.api_token);
    expect(r.status).toBe(404);
    expect(r.text).toBe('{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}');
  });
  test("when an id is not a UUID, then the same 404 (the uuid column casts it to NULL)", async () => {
    expect((await v3Get(t, "/api/v3/statements/not-a-uuid", refs.a!.api_token)).status).toBe(404);
  });
  test("when a path has a format suffix (`.json`), then it is routed as without it", async () => {
    expect((await v3Get(t, "/api/v3/statements.json", refs.a!.api_token)).text).toBe('{"data":[]}');
  });
  test('when `filter` is not a hash, then 400 "Filter must be a hash" (filter_validatable.rb:25-37)', async () => {
    for (const query of ["filter=x", "filter[]=x", "filter="]) {
      const r = await v3Get(t, `/api/v3/statements?${query}`, refs.a!.api_token);
      expect(r.status).toBe(400);
      expect(r.text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
    }
  });
  test("when `page` is a scalar (RECT: 500), then a 400 in the errors shape", async () => {
    const r = await v3Get(t, "/api/v3/statements?page=2", refs.a!.api_token);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].title).toBe("Bad parameter");
  });
  // date_filterable.rb:14-19 rescues ArgumentError only; paginatable.rb:17,21 call to_i (docs/rect-parity.md E2)
  test("when filter[updated_since] or page[per_page] is a list or a hash (RECT: 500), then the list's 400 in the errors shape", async () => {
    const since = "The filter '#/updated_since' must be a valid ISO 8601 date";
    const paging = "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number";
    for (const [query, detail] of [
      ["filter[updated_since][]=2025-01-01T00:00:00Z", since],
      ["filter[updated_since][x]=1", since],
      ["page[per_page][]=1", paging],
      ["page[page][x]=1", paging],
    ] as const) {
      const r = await v3Get(t, `/api/v3/statements?${query}`, refs.a!.api_token);
      expect([query, r.status, r.body]).toEqual([query, 400, { errors: [{ title: "Bad request", detail }] }]);
    }
  });
});

describe("X-With-Server-Date (docs/reference/rect/rules.md §2.4)", () => {
  test("when the header cannot be parsed (RECT: 500), then 400 in the errors shape naming the header, before authentication", async () => {
    for (const token of [refs.a!.api_token, null]) {
      const r = await v3Get(t, "/api/v3/statements", token, { "X-With-Server-Date": "not a date" });
      expect(r.status).toBe(400);
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors[0].title).toBe("Bad request");
      expect(r.body.errors[0].detail).toContain("X-With-Server-Date");
    }
  });
  test("when the header is a date alone or a zone-less time, then it is accepted (London time)", async () => {
    for (const value of ["2025-12-31", "2027-01-10T10:42:00", "2027-01-10T10:42:00Z"]) {
      expect((await v3Get(t, "/api/v3/statements", refs.a!.api_token, { "X-With-Server-Date": value })).status).toBe(200);
    }
  });
  test("when the header names a day that does not exist, then the 400 names the missing day (as v2)", async () => {
    const r = await v3Get(t, "/api/v3/statements", refs.a!.api_token, { "X-With-Server-Date": "2027-02-29T10:00:00Z" });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].detail).toBe("The header 'X-With-Server-Date' names a day that does not exist: 2027-02-29 is not a date: February 2027 has 28 days");
  });
  test("when an unknown route carries an unparseable header, then still the 400 (the middleware runs before routing)", async () => {
    expect((await v3Get(t, "/api/v3/nope", null, { "X-With-Server-Date": "2025-13-01" })).status).toBe(400);
  });
});

describe("query keys named like Object.prototype's members (issue 18 item 3's fuzz)", () => {
  test("when the query names __proto__, constructor or toString, then they are keys like any other and nothing outside the request changes", async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)!.value]);
    for (const query of ["filter[__proto__][toString]=1", "__proto__[x]=1", "filter[constructor][prototype][toString]=1", "page[__proto__][size]=1", "sort[__proto__]=1"]) {
      const r = await v3Get(t, `/api/v3/statements?${query}`, refs.a!.api_token);
      expect({ query, status: r.status < 500 }).toEqual({ query, status: true });
    }
    const after = Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)!.value]);
    expect(after).toEqual(before);
    expect(typeof Object.prototype.toString).toBe("function");
  });
});
