/**
 * Provider isolation on /api/v3 (issue 20 item 4): for every v3 route of the router that takes an
 * `{id}`, another provider's id answers exactly what an unknown id answers (status and body), and a
 * write through it changes nothing in the world. RECT's "a show endpoint" shared example
 * (spec/support/shared_contexts/api/show_endpoint.rb; docs/reference/rect/spec-index.md §1:
 * "another LP's resource → same 404") and "an API update endpoint" ("resource of another LP → 404").
 *
 * The routes come from the router, so a route added later is covered as soon as it is served: the
 * last test fails for a `{id}` route that has no foreign id below and no reason to be left out.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const UNKNOWN = "00000000-0000-4000-8000-00000000abcd";

/** route path (as the router spells it) → the id of provider b's resource of that kind, from refs */
const FOREIGN: Record<string, (r: Refs) => string> = {
  "/api/v3/statements/:id": (r) => r.stB!.id,
  "/api/v3/delivery-partners/:id": (r) => r.dpB!.id,
  "/api/v3/partnerships/:id": (r) => r.pB!.id,
  "/api/v3/participants/:id": (r) => r.tB!.id,
  "/api/v3/participants/:id/transfers": (r) => r.tB!.id,
  "/api/v3/participants/:id/defer": (r) => r.tB!.id,
  "/api/v3/participants/:id/withdraw": (r) => r.tB!.id,
  "/api/v3/participants/:id/resume": (r) => r.tB!.id,
  "/api/v3/participants/:id/change-schedule": (r) => r.tB!.id,
  "/api/v3/participant-declarations/:id": (r) => r.dB!.id,
  "/api/v3/participant-declarations/:id/void": (r) => r.dB!.id,
  "/api/v3/unfunded-mentors/:id": (r) => r.mB!.id,
};
/** `{id}` routes whose resource is not a provider's, with the reason */
const NOT_OWNED: Record<string, string> = {
  "/api/v3/schools/:id": "schools are shared by every provider (docs/reference/rect/rules.md §14.1): each sees a school through its own partnerships and expressions of interest, tested in read-resources.test.ts",
};

/** a body each write route takes, sent the same way for both ids */
const BODY: Record<string, unknown> = {
  "/api/v3/partnerships/:id": { data: { type: "partnership-update", attributes: { delivery_partner_id: UNKNOWN } } },
  "/api/v3/participants/:id/defer": { data: { type: "participant-defer", attributes: { reason: "bereavement", course_identifier: "ecf-induction" } } },
  "/api/v3/participants/:id/withdraw": { data: { type: "participant-withdraw", attributes: { reason: "moved-school", course_identifier: "ecf-induction" } } },
  "/api/v3/participants/:id/resume": { data: { type: "participant-resume", attributes: { course_identifier: "ecf-induction" } } },
  "/api/v3/participants/:id/change-schedule": { data: { type: "participant-change-schedule", attributes: { schedule_identifier: "ecf-extended-september", course_identifier: "ecf-induction", cohort: "2025" } } },
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const training = (ref: string, partnership: string, declarations: unknown[] = []) => [{ ref, partnership, started_on: "today-60d", declarations }];
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025])],
    delivery_partners: [
      { ref: "dpA", name: `DP A ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
      { ref: "dpB", name: `DP B ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "sA", urn: "330001", name: "Isolation A" },
      { ref: "sB", urn: "330002", name: "Isolation B" },
    ],
    partnerships: [
      { ref: "pA", school: "sA", lead_provider: "a", delivery_partner: "dpA", cohort: 2025 },
      { ref: "pB", school: "sB", lead_provider: "b", delivery_partner: "dpB", cohort: 2025 },
    ],
    statements: [
      { ref: "stA", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "today+30d", payment_date: "today+60d" },
      { ref: "stB", lead_provider: "b", cohort: 2025, month: 11, year: 2025, deadline_date: "today+30d", payment_date: "today+60d" },
    ],
    teachers: [
      { ref: "tA", ect_periods: [{ school: "sA", started_on: "today-90d", training: training("tpA", "pA", [{ ref: "dA", type: "started", date: "now-30d" }]) }] },
      { ref: "mB", mentor_periods: [{ ref: "mBp", school: "sB", started_on: "today-90d", training: training("tpMB", "pB") }] },
      {
        ref: "tB",
        ect_periods: [{ school: "sB", started_on: "today-90d", training: training("tpB", "pB", [{ ref: "dB", type: "started", date: "now-30d" }]), mentorships: [{ mentor: "mBp", started_on: "today-60d" }] }],
      },
    ],
  });
});
afterAll(() => t.close());

const idRoutes = () => t.app.routes.filter((r) => r.path.startsWith("/api/v3/") && r.path.includes(":id") && r.method !== "ALL");

describe("v3 provider isolation", () => {
  test("when provider a uses provider b's ids on every v3 {id} route, then each answers as for an unknown id, and nothing in the world changes", async () => {
    const token = refs.a!.api_token as string;
    const before = (await t.admin("GET", "/admin/v3/world")).body;
    const checked: string[] = [];
    for (const route of idRoutes()) {
      const foreign = FOREIGN[route.path];
      if (!foreign) continue;
      const call = async (id: string) => {
        const path = route.path.replace(":id", id);
        const body = route.method === "GET" ? undefined : (BODY[route.path] ?? {});
        const response = await t.request(route.method, path, { token, body });
        return { status: response.status, body: await response.text() };
      };
      const unknown = await call(UNKNOWN);
      const theirs = await call(foreign(refs));
      expect({ route: `${route.method} ${route.path}`, ...theirs }).toEqual({ route: `${route.method} ${route.path}`, ...unknown });
      expect(theirs.status).toBeGreaterThanOrEqual(400);
      expect(theirs.status).toBeLessThan(500);
      checked.push(`${route.method} ${route.path}`);
    }
    expect(checked).toEqual(expect.arrayContaining(["GET /api/v3/statements/:id", "GET /api/v3/delivery-partners/:id", "GET /api/v3/partnerships/:id"]));
    const after = (await t.admin("GET", "/admin/v3/world")).body;
    expect(after).toEqual(before);
  });

  // (a participant's transfers and an unfunded mentor need a world of their own: b trains mB itself)
  test("when provider b uses its own ids, then they are found (the foreign ids above are real)", async () => {
    const token = refs.b!.api_token as string;
    for (const route of idRoutes().filter((r) => r.method === "GET" && FOREIGN[r.path] && !r.path.endsWith("/transfers") && !r.path.startsWith("/api/v3/unfunded-mentors/"))) {
      const response = await t.request("GET", route.path.replace(":id", FOREIGN[route.path]!(refs)), { token });
      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 200 });
    }
  });

  test("when the router is read, then every v3 {id} route has a foreign id here or a reason to be left out", () => {
    const uncovered = idRoutes().map((r) => r.path).filter((p) => !FOREIGN[p] && !NOT_OWNED[p]);
    expect(uncovered).toEqual([]);
  });
});
