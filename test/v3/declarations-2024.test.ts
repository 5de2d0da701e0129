/**
 * Pre-2025 cohorts at POST (docs/reference/rect/rules.md §10.5 steps 13, 16, 19; §16): no
 * sequence rule, no mentor-funding restriction, and the frozen check reading the period that
 * contains today rather than the one declared on. RECT examples named (spec/services/api/declarations/create_spec.rb at 0fe31d1aa).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;

async function post(attributes: Record<string, unknown>) {
  const response = await t.request("POST", "/api/v3/participant-declarations", { token: tok("a"), body: { data: { attributes } } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}
const training = (partnership: string, started_on: string, extra: Record<string, unknown> = {}) => ({ partnership, schedule: "ecf-standard-september", started_on, ...extra });

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2022, 2024])],
    delivery_partners: [{ ref: "dp1", name: "Pre-2025 DP", partnered_with: [{ lead_provider: "a", cohorts: [2022, 2024] }] }],
    schools: [{ ref: "s1", urn: "600001", name: "Pre-2025 School" }],
    statements: [{ ref: "a24", lead_provider: "a", cohort: 2024, month: 11, year: 2029, deadline_date: "2029-11-01", payment_date: "2029-11-25" }],
    partnerships: [
      { ref: "pa22", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2022 },
      { ref: "pa24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
    ],
    teachers: [
      {
        ref: "seq24",
        ect_periods: [{ school: "s1", started_on: "2024-07-01", training: [training("pa24", "2024-09-01", { declarations: [{ type: "completed", date: "2024-09-20T10:00:00Z", evidence_held: "other" }] })] }],
      },
      { ref: "m24", mentor_periods: [{ school: "s1", started_on: "2024-07-01", training: [training("pa24", "2024-09-01")] }] },
      // a 2022 period finished long ago, the 2024 period contains today: 2022 is frozen, the declaration is not refused
      {
        ref: "moved",
        funding: { ect_eligible_at: "now-300d" },
        ect_periods: [{ school: "s1", started_on: "2022-07-01", training: [training("pa22", "2022-09-01", { finished_on: "2024-08-31" }), training("pa24", "2024-09-01")] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("2024 and earlier", () => {
  test('spec/services/api/declarations/create_spec.rb:609 "contract period is 2024: `started` after an existing `completed`" is accepted (no sequence rule before 2025)', async () => {
    const r = await post({ participant_id: id("seq24"), declaration_type: "started", declaration_date: "2024-10-01T10:00:00Z", course_identifier: "ecf-induction" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ declaration_type: "started", evidence_held: null, state: "submitted" });
  });
  test('spec/services/api/declarations/create_spec.rb:185 "when contract period mentor funding is not enabled": a 2024 mentor may send retained-1', async () => {
    const r = await post({ participant_id: id("m24"), declaration_type: "retained-1", declaration_date: "2025-02-01T10:00:00Z", course_identifier: "ecf-mentor", evidence_held: "self-study-material-completed" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ course_identifier: "ecf-mentor", evidence_held: "self-study-material-completed" });
  });
  test('spec/services/api/declarations/create_spec.rb:258 "latest ongoing training period is in a non-frozen contract period and participant is eligible for funding": the frozen 2022 history does not matter', async () => {
    const r = await post({ participant_id: id("moved"), declaration_type: "started", declaration_date: "2024-10-01T10:00:00Z", course_identifier: "ecf-induction" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ state: "eligible", statement_id: id("a24") });
  });
});
