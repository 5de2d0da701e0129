/**
 * Participants (docs/reference/rect/rules.md §6) end to end: GET /api/v3/participants and
 * /participants/{id}. Each case names the RECT spec example it reproduces
 * (spec/requests/api/v3/participants_spec.rb and its shared examples;
 * spec/services/api/teachers/query_spec.rb; spec/serializers/api/teacher_serializer_spec.rb;
 * spec/services/api/training_periods/{training_status,teacher_status}_spec.rb).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const id = (ref: string) => refs[ref]!.id as string;
const today = () => londonDate(new Date());
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2024, 2025])],
    delivery_partners: [
      { ref: "dp1", name: "DP One", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dp2", name: "DP Two", partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "s1", urn: "300001", name: "One", funding: { "2025": { pupil_premium_uplift: true, sparsity_uplift: true } } },
      { ref: "s2", urn: "300002", name: "Two" },
    ],
    partnerships: [
      { ref: "p1", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "p2", school: "s2", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
    ],
    teachers: [
      {
        ref: "t1",
        trn: "1000001",
        first_name: "Ada",
        last_name: "Lovelace",
        created_at: "2025-01-01T10:00:00Z",
        updated_at: "2025-08-01T10:00:00Z",
        funding: { ect_eligible_at: "2025-03-30T23:30:00Z", ect_ineligible_on: "2025-03-31", mentor_ineligible_on: "2025-05-01", mentor_ineligible_reason: "completed_declaration_received" },
        induction_periods: [{ started_on: "2024-09-01", finished_on: "2025-07-01", outcome: "pass" }],
        id_changes: [{ from_participant_id: "0b4a4d1e-1111-4222-8333-944455556666", created_at: "2025-05-05T05:05:05Z" }],
        ect_periods: [
          {
            ref: "t1e1",
            school: "s1",
            started_on: "today-400d",
            email: "ada@example.com",
            working_pattern: "part_time",
            created_at: "2024-08-01T08:00:00Z",
            training: [{ ref: "t1e1tp", partnership: "p1", started_on: "today-300d" }],
            mentorships: [{ mentor: "t2m1", started_on: "today-100d" }],
          },
        ],
        mentor_periods: [
          { ref: "t1m1", school: "s1", started_on: "today-500d", email: "ada.m@example.com", created_at: "2024-07-01T08:00:00Z", training: [{ partnership: "p1", started_on: "today-300d" }] },
        ],
      },
      {
        ref: "t2",
        corrected_name: "Grace Hopper",
        created_at: "2025-01-02T10:00:00Z",
        updated_at: "2025-08-02T10:00:00Z",
        mentor_periods: [{ ref: "t2m1", school: "s1", started_on: "today-500d", training: [{ partnership: "p1", started_on: "today-300d" }] }],
      },
      {
        ref: "t3",
        first_name: ".",
        last_name: "Turing",
        created_at: "2025-01-03T10:00:00Z",
        updated_at: "2025-08-03T10:00:00Z",
        ect_periods: [
          {
            school: "s2",
            started_on: "today-400d",
            training: [{ partnership: "p2", started_on: "today-300d", finished_on: "today-1d", withdrawn: { at: "now-1d", reason: "left-teaching-profession" } }],
          },
        ],
      },
      {
        ref: "t4",
        created_at: "2025-01-04T10:00:00Z",
        updated_at: "2025-08-04T10:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "pb", started_on: "today-300d" }] }],
      },
      {
        ref: "t5",
        created_at: "2025-01-05T10:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-300d" }] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("smoke", () => {
  test("list", async () => {
    const r = await v3Get(t, "/api/v3/participants", tok("a"));
    console.log(r.status, r.text);
    const s = await v3Get(t, `/api/v3/participants/${id("t4")}`, tok("a"));
    console.log(s.status, s.text);
  });
});
