/**
 * RECT's "a token authenticated endpoint" shared example
 * (spec/support/shared_contexts/api/token_authenticated_endpoint.rb:1-16; docs/reference/rect/spec-index.md §1)
 * on every /api/v3 route of the router: no `Authorization` → 401, `Bearer invalid` → 401 (both
 * `{"error":"HTTP Token: Access denied"}`, docs/reference/rect/rules.md §2.1), a valid v3 token → not 401.
 *
 * The routes come from the router, so a route mounted later is exercised at once. CITATIONS names,
 * for each route, the request spec line that includes the shared example; a route served without
 * one is still exercised (its line is added here once it has landed), and a citation of a route
 * not served fails the last test (spec-coverage.ts counts only what is tested).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

const UNKNOWN = "00000000-0000-4000-8000-00000000abcd";

/** "METHOD path" (as the router spells it) → the request spec line including the shared example */
const CITATIONS: Record<string, string> = {
  "GET /api/v3/statements": "spec/requests/api/v3/statements_spec.rb:18",
  "GET /api/v3/statements/:id": "spec/requests/api/v3/statements_spec.rb:31",
  "GET /api/v3/delivery-partners": "spec/requests/api/v3/delivery_partners_spec.rb:20",
  "GET /api/v3/delivery-partners/:id": "spec/requests/api/v3/delivery_partners_spec.rb:32",
  "GET /api/v3/schools": "spec/requests/api/v3/schools_spec.rb:26",
  "GET /api/v3/schools/:id": "spec/requests/api/v3/schools_spec.rb:56",
  "GET /api/v3/partnerships": "spec/requests/api/v3/partnerships_spec.rb:22",
  "GET /api/v3/partnerships/:id": "spec/requests/api/v3/partnerships_spec.rb:36",
  "POST /api/v3/partnerships": "spec/requests/api/v3/partnerships_spec.rb:71",
  "PUT /api/v3/partnerships/:id": "spec/requests/api/v3/partnerships_spec.rb:104",
  "GET /api/v3/participant-declarations": "spec/requests/api/v3/declarations_spec.rb:30",
  "GET /api/v3/participant-declarations/:id": "spec/requests/api/v3/declarations_spec.rb:45",
  "POST /api/v3/participant-declarations": "spec/requests/api/v3/declarations_spec.rb:114",
  "PUT /api/v3/participant-declarations/:id/void": "spec/requests/api/v3/declarations_spec.rb:152,163",
  "GET /api/v3/participants": "spec/requests/api/v3/participants_spec.rb:39",
  "GET /api/v3/participants/:id": "spec/requests/api/v3/participants_spec.rb:55",
  "GET /api/v3/participants/transfers": "spec/requests/api/v3/transfers_spec.rb:26",
  "GET /api/v3/participants/:id/transfers": "spec/requests/api/v3/transfers_spec.rb:42",
  "PUT /api/v3/participants/:id/change-schedule": "spec/requests/api/v3/participants_spec.rb:102",
  "PUT /api/v3/participants/:id/defer": "spec/requests/api/v3/participants_spec.rb:149",
  "PUT /api/v3/participants/:id/resume": "spec/requests/api/v3/participants_spec.rb:179",
  "PUT /api/v3/participants/:id/withdraw": "spec/requests/api/v3/participants_spec.rb:212",
  "GET /api/v3/unfunded-mentors": "spec/requests/api/v3/unfunded_mentors_spec.rb:44",
  "GET /api/v3/unfunded-mentors/:id": "spec/requests/api/v3/unfunded_mentors_spec.rb:73",
};

let t: TestApp;
let refs: Refs;
beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, { lead_providers: [lp("a", [2025])] });
});
afterAll(() => t.close());

const routes = () => t.app.routes.filter((r) => r.path.startsWith("/api/v3/") && r.method !== "ALL").map((r) => ({ method: r.method, path: r.path, key: `${r.method} ${r.path}` }));
const send = (method: string, path: string, token: string | null) =>
  t.call(method, path.replace(/:[a-z_]+/g, UNKNOWN) + (path.startsWith("/api/v3/schools") ? "?filter[cohort]=2025" : ""), {
    token,
    ...(method === "GET" ? {} : { body: { data: { type: "x", attributes: {} } } }),
  });

describe('"a token authenticated endpoint" on every v3 route (token_authenticated_endpoint.rb)', () => {
  test("when no token or `Bearer invalid` is sent, then 401 with RECT's body; with a valid v3 token, not 401", async () => {
    const answers: string[] = [];
    for (const route of routes()) {
      for (const token of [null, "invalid"]) {
        const r = await send(route.method, route.path, token);
        answers.push(`${route.key} ${token ?? "none"}: ${r.status} ${JSON.stringify(r.body)}`);
        expect({ route: route.key, token, status: r.status, body: r.body }).toEqual({ route: route.key, token, status: 401, body: { error: "HTTP Token: Access denied" } });
      }
      const valid = await send(route.method, route.path, refs.a!.api_token);
      expect({ route: route.key, valid: valid.status === 401 }).toEqual({ route: route.key, valid: false });
    }
    expect(answers.length).toBe(routes().length * 2);
  });

  test("when the router is read, then every route cited here is served (and exercised above)", () => {
    const keys = routes().map((r) => r.key);
    expect(Object.keys(CITATIONS).filter((k) => !keys.includes(k))).toEqual([]);
  });
});
