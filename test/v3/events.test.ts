/**
 * The event calls (control-plane.md §4) and their touches (docs/reference/rect/rules.md §15), seen
 * through /api/v3 and GET /admin/v3/world.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const LONG_AGO = "2025-01-01T00:00:00Z";
const token = () => refs.a!.api_token as string;
const worldItem = async (collection: string, id: string) => (await t.admin("GET", "/admin/v3/world")).body[collection].find((x: any) => x.id === id);
const declarationOf = async (teacherId: string) => (await worldItem("teachers", teacherId)).ect_periods[0].training[0].declarations[0];

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [
      { ref: "dp1", name: `DP1 ${crypto.randomUUID()}`, created_at: LONG_AGO, updated_at: LONG_AGO, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
      { ref: "dp2", name: `DP2 ${crypto.randomUUID()}`, created_at: LONG_AGO, updated_at: LONG_AGO },
    ],
    schools: [{ ref: "s", urn: "310001", name: "Event School", created_at: LONG_AGO, updated_at: LONG_AGO, induction_tutor: { name: "Old Tutor", email: "old@example.com" } }],
    partnerships: [{ ref: "p", school: "s", lead_provider: "a", delivery_partner: "dp1", cohort: 2025, created_at: LONG_AGO, updated_at: LONG_AGO }],
    statements: [
      { ref: "st", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "today+30d", payment_date: "today+60d", created_at: LONG_AGO, updated_at: LONG_AGO },
    ],
    teachers: [
      {
        ref: "t",
        created_at: LONG_AGO,
        updated_at: LONG_AGO,
        ect_periods: [{ ref: "e", school: "s", started_on: "today-90d", created_at: LONG_AGO, training: [{ partnership: "p", started_on: "today-60d", declarations: [{ ref: "d", type: "started", date: "now-30d", created_at: LONG_AGO, updated_at: LONG_AGO }] }] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("DfE", () => {
  test("when a contract period's flags are changed, then the answer shows them, and a bad value is a 422 naming it", async () => {
    const r = await t.admin("PUT", "/admin/v3/contract-periods/2022", { payments_frozen_at: "2025-06-16T00:00:00Z", enabled: true });
    expect(r.status).toBe(200);
    expect([r.body.enabled, r.body.payments_frozen_at]).toEqual([true, "2025-06-16T00:00:00Z"]);
    expect((await t.admin("PUT", "/admin/v3/contract-periods/2022", { enabled: "yes" })).body.errors[0].title).toBe("enabled");
    expect((await t.admin("PUT", "/admin/v3/contract-periods/1999", {})).status).toBe(404);
    await t.admin("PUT", "/admin/v3/contract-periods/2022", { enabled: false, payments_frozen_at: "2025-06-15T23:00:00Z" });
  });
  test("when a statement's deadline moves, then its updated_at moves (statement.rb:55) and /api/v3 shows the new cut_off_date", async () => {
    const r = await t.admin("PATCH", `/admin/v3/statements/${refs.st!.id}`, { deadline_date: "today+20d" });
    expect(r.status).toBe(200);
    const shown = (await v3Get(t, `/api/v3/statements/${refs.st!.id}`, token())).body.data.attributes;
    expect(shown.cut_off_date).toBe(r.body.deadline_date);
    expect(shown.updated_at > LONG_AGO).toBe(true);
    expect(shown.created_at).toBe(LONG_AGO);
  });
  test("when funding eligibility is first set, then the role's submitted declarations become eligible on the next output statement; then payable and paid with the statement", async () => {
    expect((await declarationOf(refs.t!.id)).state).toBe("submitted");
    const funded = await t.admin("PUT", `/admin/v3/teachers/${refs.t!.id}/funding`, { role: "ect", eligible_at: "now" });
    expect(funded.body.declarations_made_eligible).toBe(true);
    expect(await declarationOf(refs.t!.id)).toMatchObject({ state: "eligible", statement: refs.st!.id });
    expect((await t.admin("PUT", `/admin/v3/statements/${refs.st!.id}/status`, { status: "paid" })).body.errors[0].detail).toBe("only a payable statement becomes paid (this one is open)");
    // the model refuses a payable statement whose deadline has not passed (app/models/statement.rb:43,135-139)
    expect((await t.admin("PUT", `/admin/v3/statements/${refs.st!.id}/status`, { status: "payable" })).body.errors[0]).toEqual({ title: "deadline_date", detail: "Deadline date must be in the past" });
    expect((await t.admin("PATCH", `/admin/v3/statements/${refs.st!.id}`, { deadline_date: "today-1d" })).status).toBe(200);
    expect((await t.admin("PUT", `/admin/v3/statements/${refs.st!.id}/status`, { status: "payable" })).status).toBe(200);
    expect((await declarationOf(refs.t!.id)).state).toBe("payable");
    expect((await t.admin("PUT", `/admin/v3/statements/${refs.st!.id}/status`, { status: "paid" })).status).toBe(200);
    expect((await declarationOf(refs.t!.id)).state).toBe("paid");
    expect((await v3Get(t, `/api/v3/statements/${refs.st!.id}`, token())).body.data.attributes.paid).toBe(true);
  });
  test("when a partnership moves to another delivery partner, then the partnership, its declarations and its teachers are touched, and the new pairing shows in /api/v3/delivery-partners", async () => {
    const r = await t.admin("PATCH", `/admin/v3/partnerships/${refs.p!.id}`, { delivery_partner: refs.dp2!.id });
    expect(r.body.delivery_partner_id).toBe(refs.dp2!.id);
    const w = (await t.admin("GET", "/admin/v3/world")).body;
    expect(w.partnerships.find((p: any) => p.id === refs.p!.id)).toMatchObject({ delivery_partner: refs.dp2!.id });
    expect(w.partnerships.find((p: any) => p.id === refs.p!.id).updated_at > LONG_AGO).toBe(true);
    expect(w.teachers.find((x: any) => x.id === refs.t!.id).updated_at > LONG_AGO).toBe(true);
    const dps = (await v3Get(t, "/api/v3/delivery-partners", token())).body.data;
    expect(dps.find((d: any) => d.id === refs.dp2!.id).attributes.cohort).toEqual(["2025"]);
    expect(dps.find((d: any) => d.id === refs.dp2!.id).attributes.updated_at > LONG_AGO).toBe(true);
  });
  test("when a lead provider is renamed, then GET /admin/v3/lead-providers shows the name; a taken name is a 422", async () => {
    const name = `Renamed ${crypto.randomUUID()}`;
    expect((await t.admin("PATCH", `/admin/v3/lead-providers/${refs.a!.id}`, { name })).body.name).toBe(name);
    expect((await t.admin("GET", "/admin/v3/lead-providers")).body.find((p: any) => p.id === refs.a!.id).name).toBe(name);
    expect((await t.admin("PATCH", `/admin/v3/lead-providers/${crypto.randomUUID()}`, { name: "x" })).status).toBe(404);
  });
  test("when a milestone is set, then the schedule has it; a start before 1 June of the cohort is a 422", async () => {
    const r = await t.admin("PUT", "/admin/v3/schedules/2025/ecf-standard-september/milestones/started", { start_date: "2025-06-01", milestone_date: "2025-12-31" });
    expect(r.body).toEqual({ declaration_type: "started", start_date: "2025-06-01", milestone_date: "2025-12-31" });
    expect((await t.admin("PUT", "/admin/v3/schedules/2025/ecf-standard-september/milestones/started", { start_date: "2025-05-01" })).body.errors[0].title).toBe("start_date");
    expect((await t.admin("PUT", "/admin/v3/schedules/2025/ecf-nope/milestones/started", { start_date: "2025-07-01" })).status).toBe(404);
  });
});

describe("school and teacher", () => {
  test("when the induction tutor changes, then the school's updated_at moves in every cohort (school.rb:31) and the new tutor shows", async () => {
    expect((await t.admin("PATCH", `/admin/v3/schools/${refs.s!.id}`, { induction_tutor: { name: "New Tutor", email: "new@example.com" } })).body.changed).toEqual(["induction_tutor_name", "induction_tutor_email"]);
    for (const cohort of [2024, 2025]) {
      const school = (await v3Get(t, `/api/v3/schools/${refs.s!.id}?filter[cohort]=${cohort}`, token())).body.data.attributes;
      expect(school.updated_at > LONG_AGO).toBe(true);
    }
    expect((await v3Get(t, `/api/v3/schools/${refs.s!.id}?filter[cohort]=2025`, token())).body.data.attributes.induction_tutor_name).toBe("New Tutor");
  });
  test("when a school becomes ineligible, then it leaves the cohorts it has no partnership in", async () => {
    await t.admin("PATCH", `/admin/v3/schools/${refs.s!.id}`, { eligible: false });
    expect((await v3Get(t, `/api/v3/schools/${refs.s!.id}?filter[cohort]=2024`, token())).status).toBe(404);
    expect((await v3Get(t, `/api/v3/schools/${refs.s!.id}?filter[cohort]=2025`, token())).status).toBe(200);
  });
  test("when a teacher's name changes, then it is recorded; an unchanged value changes nothing; a bad TRN is a 422", async () => {
    expect((await t.admin("PATCH", `/admin/v3/teachers/${refs.t!.id}`, { corrected_name: "Ada King" })).body.changed).toEqual(["corrected_name"]);
    expect((await t.admin("PATCH", `/admin/v3/teachers/${refs.t!.id}`, { corrected_name: "Ada King" })).body.changed).toEqual([]);
    expect((await t.admin("PATCH", `/admin/v3/teachers/${refs.t!.id}`, { trn: "12" })).body.errors[0].title).toBe("trn");
    expect((await worldItem("teachers", refs.t!.id)).corrected_name).toBe("Ada King");
  });
  test("when an id change, a period email and an induction period are recorded, then the world has them", async () => {
    const from = crypto.randomUUID();
    expect((await t.admin("POST", `/admin/v3/teachers/${refs.t!.id}/id-changes`, { from_participant_id: from })).status).toBe(201);
    expect((await t.admin("PATCH", `/admin/v3/periods/${refs.e!.id}`, { email: "ada@new.example", working_pattern: "part_time" })).body.changed).toEqual(["email", "working_pattern"]);
    const made = await t.admin("POST", `/admin/v3/teachers/${refs.t!.id}/induction-periods`, { started_on: "today-30d" });
    expect(made.status).toBe(201);
    expect((await t.admin("PATCH", `/admin/v3/induction-periods/${made.body.id}`, { finished_on: "today", outcome: "pass" })).body.outcome).toBe("pass");
    const teacher = await worldItem("teachers", refs.t!.id);
    expect(teacher.id_changes.map((c: any) => c.from_participant_id)).toEqual([from]);
    expect(teacher.ect_periods[0]).toMatchObject({ email: "ada@new.example", working_pattern: "part_time" });
    expect(teacher.induction_periods.map((i: any) => i.outcome)).toEqual(["pass"]);
  });
});
