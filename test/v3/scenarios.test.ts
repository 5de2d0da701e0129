/**
 * The RECT world's control plane (docs/reference/rect/control-plane.md §3, §4.4): scenario
 * documents (atomic, relative dates, refs, invariants as 422s naming the JSON
 * pointer), validate, the world as a document, lead providers and tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase } from "../../db/connection";
import { prepareDatabase } from "../../src/bootstrap";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const world = {
  lead_providers: [lp("a", [2025])],
  delivery_partners: [{ ref: "dp", name: `DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
  schools: [{ ref: "s", urn: String(200000 + Math.floor(Math.random() * 700000)), name: "School" }],
  partnerships: [{ ref: "p", school: "s", lead_provider: "a", delivery_partner: "dp", cohort: 2025 }],
};

describe("POST /admin/v3/scenarios", () => {
  test("when a document is loaded, then 201 with every ref's ids, and the provider's token works on /api/v3 only", async () => {
    const r = await t.admin("POST", "/admin/v3/scenarios", world);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body.refs).sort()).toEqual(["a", "dp", "p", "s"]);
    expect(r.body.refs.s.urn).toBe(world.schools[0]!.urn);
    expect((await v3Get(t, "/api/v3/delivery-partners", r.body.refs.a.api_token)).body.data[0].id).toBe(r.body.refs.dp.id);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: r.body.refs.a.api_token })).status).toBe(401);
  });
  test("when a lead provider is created, then it gets the statement calendar of its cohorts (statements.csv, output months only shown)", async () => {
    const refs = await v3Scenario(t, { lead_providers: [lp("cal", [2025])] });
    const r = await v3Get(t, "/api/v3/statements", refs.cal!.api_token);
    expect(r.body.data.map((s: any) => `${s.attributes.month} ${s.attributes.year}`).slice(0, 3)).toEqual(["November 2025", "January 2026", "April 2026"]);
    expect(r.body.data).toHaveLength(12);
  });
  test("when an item breaks a rule late in the document, then 422 naming its JSON pointer, and nothing of the document is kept (atomic)", async () => {
    const name = `Atomic ${crypto.randomUUID()}`;
    const r = await t.admin("POST", "/admin/v3/scenarios", {
      lead_providers: [{ ref: "x", name, cohorts: [2025] }],
      schools: [{ ref: "sx", urn: "999998", name: "X" }],
      teachers: [{ ect_periods: [{ school: "sx", started_on: "today-10d", training: [{ started_on: "today-20d", programme: "school_led" }] }] }],
    });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ title: "/teachers/0/ect_periods/0/training/0/started_on", detail: "the training period must lie inside its at-school period" }]);
    const list = (await t.admin("GET", "/admin/v3/lead-providers")).body;
    expect(list.some((p: any) => p.name === name)).toBe(false);
  });
  test("when refs are wrong or reused, then 422 naming the place", async () => {
    const unknown = await t.admin("POST", "/admin/v3/scenarios", { partnerships: [{ school: "nope", lead_provider: "a", delivery_partner: "dp", cohort: 2025 }] });
    expect(unknown.body.errors[0].title).toBe("/partnerships/0/school");
    const twice = await t.admin("POST", "/admin/v3/scenarios", { lead_providers: [lp("same"), lp("same")] });
    expect(twice.body.errors[0]).toEqual({ title: "/lead_providers/1/ref", detail: "is used twice: same" });
    const cohort = await t.admin("POST", "/admin/v3/scenarios", { lead_providers: [lp("c", [1999])] });
    expect(cohort.body.errors[0].title).toBe("/lead_providers/0/cohorts/0");
  });
  test("when domain invariants are broken (docs/reference/rect/rules.md §5), then 422: replacement schedule for an ECT, school-led mentor, withdrawn without a reason", async () => {
    const base = await v3Scenario(t, { ...world, lead_providers: [lp("a", [2025])], delivery_partners: [{ ...world.delivery_partners[0]!, name: `DP ${crypto.randomUUID()}` }], schools: [{ ref: "s", urn: String(200000 + Math.floor(Math.random() * 700000)) }] });
    const school = { id: base.s!.id };
    const partnership = { id: base.p!.id };
    const cases: [unknown, string, string][] = [
      [{ ect_periods: [{ school, started_on: "today-30d", training: [{ partnership, schedule: "ecf-replacement-september" }] }] }, "/teachers/0/ect_periods/0/training/0/schedule", "Only mentors can be assigned to replacement schedules"],
      [{ mentor_periods: [{ school, started_on: "today-30d", training: [{ programme: "school_led" }] }] }, "/teachers/0/mentor_periods/0/training/0/programme", "mentors are always provider-led"],
      [{ ect_periods: [{ school, started_on: "today-30d", training: [{ partnership, withdrawn: { at: "now-1d" } }] }] }, "/teachers/0/ect_periods/0/training/0/withdrawn/reason", "must be one of left-teaching-profession, moved-school, mentor-no-longer-being-mentor, switched-to-school-led, changed-lead-provider, other"],
      [{ ect_periods: [{ school, started_on: "today-30d" }, { school, started_on: "today-10d" }] }, "/teachers/0/ect_periods/1/started_on", "overlaps /teachers/0/ect_periods/0"],
    ];
    for (const [teacher, title, detail] of cases) {
      const r = await t.admin("POST", "/admin/v3/scenarios", { teachers: [teacher] });
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([{ title, detail }]);
    }
  });
  test("when dates are relative, then they are resolved against the admin clock's London date", async () => {
    await t.admin("PUT", "/admin/clock", { now: "2026-07-01T23:30:00Z" });
    try {
      const refs = await v3Scenario(t, { lead_providers: [lp("rel", [2025])], statements: [{ ref: "st", lead_provider: "rel", cohort: 2025, month: 6, year: 2029, deadline_date: "today", payment_date: "today+1m-1d" }] });
      const r = await v3Get(t, `/api/v3/statements/${refs.st!.id}`, refs.rel!.api_token);
      // 23:30 UTC on 1 July is 00:30 on 2 July in London
      expect(londonDate(new Date("2026-07-01T23:30:00Z"))).toBe("2026-07-02");
      expect([r.body.data.attributes.cut_off_date, r.body.data.attributes.payment_date]).toEqual(["2026-07-02", "2026-08-01"]);
    } finally {
      await t.admin("DELETE", "/admin/clock");
    }
  });
  test("when the body is not an admin token's, then 401", async () => {
    const r = await t.call("POST", "/admin/v3/scenarios", { token: "nope", body: world });
    expect(r.status).toBe(401);
  });
});

describe("POST /admin/v3/scenarios/validate", () => {
  test("when a document is valid, then 200 {ok: true} and nothing is loaded; when not, the load's 422", async () => {
    const name = `Validate ${crypto.randomUUID()}`;
    const ok = await t.admin("POST", "/admin/v3/scenarios/validate", { lead_providers: [{ name, cohorts: [2025] }] });
    expect(ok).toEqual({ status: 200, body: { ok: true } });
    expect((await t.admin("GET", "/admin/v3/lead-providers")).body.some((p: any) => p.name === name)).toBe(false);
    const bad = await t.admin("POST", "/admin/v3/scenarios/validate", { lead_providers: [{ cohorts: [2025] }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].title).toBe("/lead_providers/0/name");
  });
});

describe("GET /admin/v3/world", () => {
  test("when the world is exported and loaded into an empty database, then /api/v3 answers the same there", async () => {
    const source = await createTestApp({ rectStatements: false });
    const target = await createTestApp({ rectStatements: false });
    try {
      const refs = await v3Scenario(source, {
        ...world,
        lead_providers: [lp("a", [2025], { api_token: "world-roundtrip-token" })],
        statements: [{ ref: "st", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "2025-10-31", payment_date: "2025-11-25", status: "paid" }],
        teachers: [{ ref: "t", ect_periods: [{ school: "s", started_on: "today-90d", training: [{ partnership: "p", started_on: "today-60d", declarations: [{ type: "started", date: "now-30d", state: "paid", statement: "st" }] }] }] }],
      });
      const exported = (await source.admin("GET", "/admin/v3/world")).body;
      const reloaded = await target.admin("POST", "/admin/v3/scenarios", exported);
      expect(reloaded.status).toBe(201);
      const token = reloaded.body.refs[refs.a!.id].api_token;
      for (const path of ["/api/v3/statements", "/api/v3/delivery-partners", "/api/v3/schools?filter[cohort]=2025"]) {
        expect((await v3Get(target, path, token)).text).toBe((await v3Get(source, path, "world-roundtrip-token")).text);
      }
      expect((await target.admin("GET", "/admin/v3/world")).body.teachers[0].ect_periods[0].training[0].declarations[0].state).toBe("paid");
    } finally {
      await source.close();
      await target.close();
    }
  });
});

describe("v3 lead providers and tokens (docs/reference/rect/control-plane.md §4.4)", () => {
  test("when a provider is created, then 201 {id, name, api_token}; listed with its cohorts; an unknown cohort is a 422 naming cohorts", async () => {
    const name = `Admin made ${crypto.randomUUID()}`;
    const r = await t.admin("POST", "/admin/v3/lead-providers", { name, cohorts: [2024, 2025] });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(["id", "name", "api_token"]);
    const listed = (await t.admin("GET", "/admin/v3/lead-providers")).body.find((p: any) => p.id === r.body.id);
    expect(listed.cohorts).toEqual([2024, 2025]);
    expect(listed.api_tokens).toEqual([]);
    expect((await t.admin("POST", "/admin/v3/lead-providers", { name: `${name} 2`, cohorts: [1999] })).body.errors[0].title).toBe("cohorts");
    expect((await t.admin("POST", "/admin/v3/lead-providers", { name, cohorts: [2025] })).body.errors[0].title).toBe("name");
  });
});

describe("RECT_SCENARIO at start", () => {
  test("when an empty database starts with a scenario, then it is loaded instead of the v3 demo world and its refs returned; a second start keeps the world", async () => {
    const database = openDatabase(":memory:");
    const document = { lead_providers: [{ ref: "only", name: "Scenario Provider", cohorts: [2025], api_token: "scenario-token-1" }] };
    const first = await prepareDatabase(database.db, { seed: "demo", adminToken: "x-admin-token", participantsPerCohort: 1, rectScenario: { path: "s.json", document } });
    expect(first.rectScenarioRefs?.only?.api_token).toBe("scenario-token-1");
    expect(first.v3DemoProviders).toEqual([]);
    const second = await prepareDatabase(database.db, { seed: "demo", adminToken: "x-admin-token", rectScenario: { path: "s.json", document } });
    expect(second.rectScenarioRefs).toBeNull();
    expect(await database.db.selectFrom("rect_lead_providers").select("name").execute()).toEqual([{ name: "Scenario Provider" }]);
    await database.close();
  });
});
