/**
 * "guarded error messages" of the participant actions: with every attribute blank, each attribute is
 * named at most once (the checks return early once an attribute has an error,
 * app/services/api/concerns/teachers/shared_action.rb:38-60 and each action's validators), through
 * PUT /api/v3/participants/{id}/{action}. RECT builds the service with no arguments; through HTTP the
 * route always gives the participant and the token the provider, so the blank body is the most that
 * can fail at once. Lines are at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [{ ref: "dp", name: "DP G", partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "550001", name: "G One" }],
    partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 }],
    teachers: [{ ref: "t", ect_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "p", started_on: "today-100d" }] }] }],
  });
});
afterAll(() => t.close());

const put = (action: string, attributes: Record<string, unknown>) =>
  t.call("PUT", `/api/v3/participants/${r.t!.id}/${action}`, {
    token: r.a!.api_token,
    body: { data: { type: `participant-${action}`, attributes } },
    headers: { "X-With-Server-Date": `${londonDate(new Date())}T12:00:00Z` },
  });
const BLANK = { course_identifier: "", reason: "", schedule_identifier: "", cohort: "" };
const COURSE = { title: "course_identifier", detail: "Enter a '#/course_identifier'." };
const EXPECTED: Record<string, { title: string; detail: string }[]> = {
  "change-schedule": [COURSE, { title: "schedule_identifier", detail: "The property '#/schedule_identifier' must be present and correspond to a valid schedule." }],
  defer: [COURSE, { title: "reason", detail: "Enter a '#/reason'." }],
  resume: [COURSE],
  withdraw: [COURSE, { title: "reason", detail: "Enter a '#/reason'." }],
};

describe("guarded error messages: one error per attribute", () => {
  for (const [action, cite] of [
    ["change-schedule", "spec/services/api/teachers/change_schedule_spec.rb:170"],
    ["defer", "spec/services/api/teachers/defer_spec.rb:85"],
    ["resume", "spec/services/api/teachers/resume_spec.rb:84"],
    ["withdraw", "spec/services/api/teachers/withdraw_spec.rb:78"],
  ] as const) {
    test(`${cite} ${action}: every attribute blank → 422, each attribute named once; nothing changes`, async () => {
      const before = (await t.admin("GET", "/admin/v3/world")).body.teachers;
      for (const attributes of [BLANK, { course_identifier: "" }]) {
        const res = await put(action, attributes);
        expect(res.status).toBe(422);
        const titles = res.body.errors.map((e: any) => e.title);
        expect(titles.length).toBeGreaterThan(0);
        expect(new Set(titles).size).toBe(titles.length);
        expect(titles).toContain("course_identifier");
        expect(res.body.errors).toEqual(EXPECTED[action]);
      }
      expect((await t.admin("GET", "/admin/v3/world")).body.teachers).toEqual(before);
    });
  }
});
