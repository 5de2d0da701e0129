/**
 * ECT funding eligibility set when the appropriate body records an induction period
 * (docs/reference/rect/control-plane.md §4.2; app/services/induction_periods/create_induction_period.rb:27,62-67
 * → app/services/teachers/set_ect_funding_eligibility.rb:17-39), through
 * POST /admin/v3/teachers/{id}/induction-periods, seen in GET /admin/v3/world, GET /api/v3/participants
 * and GET /api/v3/participant-declarations. Cites spec/services/teachers/set_ect_funding_eligibility_spec.rb and
 * spec/services/teachers/set_mentor_funding_eligibility_spec.rb (their declaration step, which DfE's
 * PUT /admin/v3/teachers/{id}/funding shares) at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
});
afterAll(() => t.close());

const TODAY = londonDate(new Date());
const [Y, M] = TODAY.split("-").map(Number) as [number, number];
let urn = 540000;

/** One teacher `t` with the given periods, provider a (2025) with an open output statement (deadline in 30 days) and a payable one. */
async function build(teacher: Record<string, unknown>, options: { statements?: boolean } = {}): Promise<Refs> {
  const next = M === 12 ? { month: 1, year: Y + 1 } : { month: M + 1, year: Y };
  return v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [{ ref: "dp", name: `DP ${++urn}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: String(urn), name: `F ${urn}` }],
    partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 }],
    statements:
      options.statements === false
        ? []
        : [
            { ref: "open", lead_provider: "a", cohort: 2025, month: next.month, year: next.year, deadline_date: "today+30d", payment_date: "today+40d", status: "open", fee_type: "output" },
            { ref: "payable", lead_provider: "a", cohort: 2025, month: M, year: Y, deadline_date: "today-1d", payment_date: "today+10d", status: "payable", fee_type: "output" },
          ],
    teachers: [{ ref: "t", ...teacher }],
  });
}
const ectPeriod = (o: Record<string, unknown> = {}, training: Record<string, unknown>[] = [{ ref: "tp", partnership: "p", started_on: "today-200d" }]) => ({ school: "s1", started_on: "today-300d", ...o, training });
const mentorPeriod = (training: Record<string, unknown>[] = [{ ref: "mtp", partnership: "p", started_on: "today-200d" }]) => ({ school: "s1", started_on: "today-300d", training });
const addInduction = (r: Refs, body: Record<string, unknown> = { started_on: "today-30d" }) => t.admin("POST", `/admin/v3/teachers/${r.t!.id}/induction-periods`, body);
const funding = async (r: Refs) => (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === r.t!.id).funding;
const declarations = async (r: Refs) => {
  const res = await v3Get(t, "/api/v3/participant-declarations", r.a!.api_token);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.data.map((d: any) => [d.id, d.attributes]));
};
const recent = (stamp: string | null) => stamp !== null && Math.abs(Date.parse(stamp) - Date.now()) < 120_000;

describe("Teachers::SetECTFundingEligibility#set! (spec/services/teachers/set_ect_funding_eligibility_spec.rb)", () => {
  test("L14 an ongoing induction and an ECT period, not yet set: ect_first_became_eligible_for_training_at becomes now; eligible_for_funding true", async () => {
    const r = await build({ ect_periods: [ectPeriod()] });
    const made = await addInduction(r);
    expect(made.status).toBe(201);
    expect(made.body.ect_funding_eligibility_set).toBe(true);
    expect(recent((await funding(r)).ect_eligible_at)).toBe(true);
    const p = await v3Get(t, `/api/v3/participants/${r.t!.id}`, r.a!.api_token);
    expect(p.body.data.attributes.ecf_enrolments[0].eligible_for_funding).toBe(true);
  });
  test("L26 already set: unchanged", async () => {
    const r = await build({ funding: { ect_eligible_at: "2025-01-01T10:00:00Z" }, ect_periods: [ectPeriod()] });
    const made = await addInduction(r);
    expect(made.body.ect_funding_eligibility_set).toBe(false);
    expect((await funding(r)).ect_eligible_at).toBe("2025-01-01T10:00:00Z");
  });
  test("L37 only the no-payment (submitted) ECT declarations become eligible, on the next output statement; a payable one stays", async () => {
    const r = await build({
      ect_periods: [
        ectPeriod({}, [
          {
            ref: "tp",
            partnership: "p",
            started_on: "today-200d",
            declarations: [
              { ref: "sub", type: "started", date: "now-150d", state: "submitted" },
              { ref: "pay", type: "retained-1", date: "now-20d", state: "payable", statement: "payable" },
            ],
          },
        ]),
      ],
    });
    expect((await declarations(r))[r.sub!.id].state).toBe("submitted");
    expect((await addInduction(r)).status).toBe(201);
    const after = await declarations(r);
    expect(after[r.sub!.id].state).toBe("eligible");
    expect(after[r.sub!.id].statement_id).toBe(r.open!.id);
    expect(after[r.pay!.id].state).toBe("payable");
    expect(after[r.pay!.id].statement_id).toBe(r.payable!.id);
  });
  test("L58 an ongoing induction and only a future ECT period: set", async () => {
    const r = await build({ ect_periods: [ectPeriod({ started_on: "today+30d" }, [{ partnership: "p", started_on: "today+30d" }])] });
    expect((await addInduction(r)).body.ect_funding_eligibility_set).toBe(true);
    expect(recent((await funding(r)).ect_eligible_at)).toBe(true);
  });
  test("L74 an ongoing induction and only a finished ECT period: set", async () => {
    const r = await build({ ect_periods: [ectPeriod({ finished_on: "today-30d" }, [{ partnership: "p", started_on: "today-200d", finished_on: "today-30d" }])] });
    expect((await addInduction(r)).body.ect_funding_eligibility_set).toBe(true);
    expect(recent((await funding(r)).ect_eligible_at)).toBe(true);
  });
  test("L86 an ongoing induction but no ECT period (a mentor): not set", async () => {
    const r = await build({ mentor_periods: [mentorPeriod()] });
    expect((await addInduction(r)).body.ect_funding_eligibility_set).toBe(false);
    expect((await funding(r)).ect_eligible_at).toBeNull();
  });
  test("L92 no induction period containing today and no ECT period: not set; L96 no declaration is marked eligible", async () => {
    const r = await build({ mentor_periods: [mentorPeriod([{ ref: "mtp", partnership: "p", started_on: "today-200d", declarations: [{ ref: "mdecl", type: "started", date: "now-150d", state: "submitted" }] }])] });
    expect((await addInduction(r, { started_on: "today-100d", finished_on: "today-50d" })).body.ect_funding_eligibility_set).toBe(false);
    expect((await funding(r)).ect_eligible_at).toBeNull();
    expect((await declarations(r))[r.mdecl!.id].state).toBe("submitted");
  });
  test("a past induction period recorded while an earlier-loaded one contains today: set (any induction period containing today, set_ect_funding_eligibility.rb:38)", async () => {
    const r = await build({ induction_periods: [{ started_on: "today-20d" }], ect_periods: [ectPeriod()] });
    expect((await funding(r)).ect_eligible_at).toBeNull();
    const made = await addInduction(r, { started_on: "today-100d", finished_on: "today-50d" });
    expect(made.status).toBe(201);
    expect(made.body.ect_funding_eligibility_set).toBe(true);
    expect(recent((await funding(r)).ect_eligible_at)).toBe(true);
  });
  test("L111 does not touch mentor eligibility: the teacher's mentor date stays null, its submitted mentor declaration stays submitted", async () => {
    const r = await build({
      ect_periods: [ectPeriod()],
      mentor_periods: [mentorPeriod([{ ref: "mtp", partnership: "p", started_on: "today-200d", declarations: [{ ref: "mdecl", type: "started", date: "now-150d", state: "submitted" }] }])],
    });
    expect((await addInduction(r)).body.ect_funding_eligibility_set).toBe(true);
    const f = await funding(r);
    expect(recent(f.ect_eligible_at)).toBe(true);
    expect(f.mentor_eligible_at).toBeNull();
    expect((await declarations(r))[r.mdecl!.id].state).toBe("submitted");
  });
  test("L147 an error while setting (no output statement to attach a declaration to: MarkDeclarationsEligible raises, mark_declarations_eligible.rb:26-33) rolls back: 422, nothing changed", async () => {
    const r = await build({ ect_periods: [ectPeriod({}, [{ ref: "tp", partnership: "p", started_on: "today-200d", declarations: [{ ref: "sub", type: "started", date: "now-150d", state: "submitted" }] }])] }, { statements: false });
    const before = (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === r.t!.id);
    const made = await addInduction(r);
    expect(made.status).toBe(422);
    const after = (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === r.t!.id);
    expect(after).toEqual(before);
    expect(after.funding.ect_eligible_at).toBeNull();
    expect((await declarations(r))[r.sub!.id].state).toBe("submitted");
  });
});

describe("the declaration step of Teachers::SetMentorFundingEligibility (spec/services/teachers/set_mentor_funding_eligibility_spec.rb), through DfE's PUT /admin/v3/teachers/{id}/funding", () => {
  test("L33 only the no-payment (submitted) mentor declarations become eligible when the mentor first becomes eligible; a payable one stays; the ECT date is untouched", async () => {
    const r = await build({
      mentor_periods: [
        mentorPeriod([
          {
            ref: "mtp",
            partnership: "p",
            started_on: "today-200d",
            declarations: [
              { ref: "sub", type: "started", date: "now-150d", state: "submitted" },
              { ref: "pay", type: "completed", date: "now-20d", state: "payable", statement: "payable" },
            ],
          },
        ]),
      ],
    });
    const put = await t.admin("PUT", `/admin/v3/teachers/${r.t!.id}/funding`, { role: "mentor", eligible_at: "now" });
    expect(put.status).toBe(200);
    expect(put.body.declarations_made_eligible).toBe(true);
    const after = await declarations(r);
    expect(after[r.sub!.id].state).toBe("eligible");
    expect(after[r.sub!.id].statement_id).toBe(r.open!.id);
    expect(after[r.pay!.id].state).toBe("payable");
    expect((await funding(r)).ect_eligible_at).toBeNull();
  });
});
