/**
 * Partnerships, RECT spec examples not already in partnerships.test.ts (at 0fe31d1aa):
 * spec/services/school_partnerships/assign_training_periods_spec.rb through POST /api/v3/partnerships.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const id = (ref: string) => refs[ref]!.id as string;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025])],
    delivery_partners: [
      { ref: "dpa", name: `Assign DP A ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
      { ref: "dpb", name: `Assign DP B ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [{ ref: "s", urn: "480001", name: "Assign School" }],
    partnerships: [{ ref: "pb", school: "s", lead_provider: "b", delivery_partner: "dpb", cohort: 2025 }],
    teachers: [
      // an EOI of a's, still unlinked: linkable
      { ref: "t1", ect_periods: [{ school: "s", started_on: "today-90d", training: [{ ref: "linkable", eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-60d" }] }] },
      // an EOI of a's already linked to a partnership (b's): not linkable (training_periods/search.rb:15-21, `school_partnership_id: nil`)
      { ref: "t2", ect_periods: [{ school: "s", started_on: "today-90d", training: [{ ref: "linked", partnership: "pb", eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-60d" }] }] },
    ],
  });
});
afterAll(() => t.close());

describe("spec/services/school_partnerships/assign_training_periods_spec.rb", () => {
  test("L97 \"does not link already linked training periods\"; L89 the unlinked EOI of the caller is linked", async () => {
    const r = await t.call("POST", "/api/v3/partnerships", { token: refs.a!.api_token, body: { data: { type: "partnership", attributes: { cohort: 2025, school_id: id("s"), delivery_partner_id: id("dpa") } } } });
    expect(r.status).toBe(200);
    const world = (await t.admin("GET", "/admin/v3/world")).body;
    const period = (ref: string) => world.teachers.flatMap((x: any) => x.ect_periods ?? []).flatMap((p: any) => p.training ?? []).find((tp: any) => tp.ref === id(ref));
    expect(period("linkable").partnership).toBe(r.body.data.id);
    expect(period("linked").partnership).toBe(id("pb"));
  });
});
