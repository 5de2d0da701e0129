/**
 * API::Teachers::Query example by example through GET /api/v3/participants (docs/reference/rect/rules.md §6.1):
 * the list as participants_controller.rb:6-17 calls it, always scoped to the caller.
 * Cites spec/services/api/teachers/query_spec.rb at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
const id = (ref: string) => r[ref]!.id as string;
const ids = (body: any) => body.data.map((x: any) => x.id);
const list = async (query = "") => {
  const res = await v3Get(t, `/api/v3/participants${query}`, r.a!.api_token);
  expect(res.status).toBe(200);
  return ids(res.body);
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025])],
    delivery_partners: [{ ref: "dp", name: "DP Q", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] }],
    schools: [{ ref: "s1", urn: "530001", name: "Q One" }],
    partnerships: [
      { ref: "p24", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2024 },
      { ref: "p25", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
    ],
    teachers: [
      // created out of order: the list is by teachers.created_at
      { ref: "third", created_at: "2025-01-03T00:00:00Z", ect_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "p25", started_on: "today-200d" }] }] },
      {
        ref: "first",
        created_at: "2025-01-01T00:00:00Z",
        id_changes: [{ from_participant_id: "5d1a0c2e-1111-4222-8333-944455556601" }],
        mentor_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "p24", started_on: "today-200d", finished_on: "today-2d", withdrawn: { at: "now-2d", reason: "other" } }] }],
      },
      { ref: "second", created_at: "2025-01-02T00:00:00Z", ect_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "p24", started_on: "today-200d", finished_on: "today-2d", deferred: { at: "now-2d", reason: "other" } }] }] },
      // query_spec.rb:229-235: a deferred ECT period and a withdrawn mentor period of one teacher
      {
        ref: "both",
        created_at: "2025-01-04T00:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "p25", started_on: "today-200d", finished_on: "today-2d", deferred: { at: "now-2d", reason: "bereavement" } }] }],
        mentor_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "p25", started_on: "today-200d", finished_on: "today-2d", withdrawn: { at: "now-2d", reason: "other" } }] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("#teachers (spec/services/api/teachers/query_spec.rb)", () => {
  test("L44 ordered by created_at ascending", async () => {
    expect(await list()).toEqual([id("first"), id("second"), id("third"), id("both")]);
  });
  test("L102 cohort omitted, L155 from_participant_id omitted, L191 training_status omitted: every teacher of the caller (every cohort, status, with or without an id change)", async () => {
    const all = [id("first"), id("second"), id("third"), id("both")];
    expect(await list()).toEqual(all);
    expect(await list("?filter[training_status]=active")).toEqual([id("third")]);
    expect(await list("?filter[cohort]=2024")).toEqual([id("first"), id("second")]);
    expect(await list("?filter[from_participant_id]=5d1a0c2e-1111-4222-8333-944455556601")).toEqual([id("first")]);
  });
  test("L127 an empty list of contract period years (filter[cohort]=\",\": extract_conditions gives []): no teachers (query.rb:70, ignore_empty_array: false)", async () => {
    expect(await list("?filter[cohort]=,")).toEqual([]);
    expect(await list("?filter[cohort]=,,")).toEqual([]);
  });
  test("L237 a teacher whose latest ECT period is deferred and latest mentor period withdrawn: found by deferred and by withdrawn (query.rb:90-100, the stamps, either role)", async () => {
    expect(await list("?filter[training_status]=deferred")).toEqual([id("second"), id("both")]);
    expect(await list("?filter[training_status]=withdrawn")).toEqual([id("first"), id("both")]);
  });
  test("L247 none of its latest periods active: not found by active", async () => {
    expect(await list("?filter[training_status]=active")).not.toContain(id("both"));
  });
});
