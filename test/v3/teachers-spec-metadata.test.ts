/**
 * RECT's metadata (Metadata::Handlers::Teacher and ::School, docs/reference/rect/rules.md §5.9) as the API
 * reads it: the caller's latest ECT and mentor training periods and the ECT's assigned mentor
 * (GET /api/v3/participants), `involved_in_school_transfer` (GET /api/v3/participants/transfers), and a
 * school's `in_partnership`, `induction_programme_choice` and `expression_of_interest`
 * (GET /api/v3/schools/{id}?filter[cohort]=…). The sandbox derives these on read, so "refresh" is
 * whatever the next read sees after a change. Cites spec/services/metadata/handlers/teacher_spec.rb and
 * spec/services/metadata/handlers/school_spec.rb at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
const AT = `${londonDate(new Date())}T12:00:00Z`;
const get = (path: string, lead = "a") => v3Get(t, path, r[lead]!.api_token);
const enrolments = async (teacher: string, lead = "a") => {
  const res = await get(`/api/v3/participants/${r[teacher]!.id}`, lead);
  expect(res.status).toBe(200);
  return res.body.data.attributes.ecf_enrolments;
};
const school = async (ref: string, cohort = 2025) => {
  const res = await get(`/api/v3/schools/${r[ref]!.id}?filter[cohort]=${cohort}`);
  expect(res.status).toBe(200);
  return res.body.data.attributes;
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const ect = (training: Record<string, unknown>[], o: Record<string, unknown> = {}) => ({ school: "s1", started_on: "today-365d", training, ...o });
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2025])],
    delivery_partners: [
      { ref: "dpA", name: "DP A meta", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dpB", name: "DP B meta", partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "s1", urn: "570001", name: "M One" },
      { ref: "s2", urn: "570002", name: "M Two" },
      { ref: "sh1", urn: "570003", name: "M Three" },
      { ref: "sh2", urn: "570004", name: "M Four" },
    ],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dpA", cohort: 2025 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dpB", cohort: 2025 },
      { ref: "pa2", school: "s2", lead_provider: "a", delivery_partner: "dpA", cohort: 2025 },
      { ref: "psh", school: "sh1", lead_provider: "a", delivery_partner: "dpA", cohort: 2025 },
      { ref: "psh24", school: "sh1", lead_provider: "a", delivery_partner: "dpA", cohort: 2024 },
    ],
    teachers: [
      // teacher_spec.rb:42-104 training periods with two providers, ECT and mentor
      {
        ref: "twoLPs",
        ect_periods: [ect([{ partnership: "pa", started_on: "today-365d", finished_on: "today-335d" }, { partnership: "pb", started_on: "today-334d", finished_on: "today" }], { finished_on: "today" })],
        mentor_periods: [{ school: "s1", started_on: "today-365d", finished_on: "today", training: [{ partnership: "pa", started_on: "today-365d", finished_on: "today-335d" }, { partnership: "pb", started_on: "today-334d", finished_on: "today" }] }],
      },
      // teacher_spec.rb:133-192 one finished, one starting in the future
      {
        ref: "future",
        ect_periods: [{ school: "s1", started_on: "today-30d", finished_on: "today+365d", training: [{ partnership: "pa", started_on: "today-30d", finished_on: "today-10d" }, { partnership: "pa", started_on: "today+10d", finished_on: "today+365d", schedule: "ecf-extended-september" }] }],
        mentor_periods: [{ school: "s1", started_on: "today-30d", finished_on: "today+365d", training: [{ partnership: "pa", started_on: "today-30d", finished_on: "today-5d" }, { partnership: "pa", started_on: "today+15d", finished_on: "today+365d", schedule: "ecf-extended-september" }] }],
      },
      { ref: "ectOnly", ect_periods: [ect([{ partnership: "pa", started_on: "today-300d" }])] },
      { ref: "noTraining", ect_periods: [ect([])] },
      { ref: "m1", mentor_periods: [{ ref: "m1p", school: "s1", started_on: "today-365d", training: [{ partnership: "pa", started_on: "today-300d" }] }] },
      { ref: "m2", mentor_periods: [{ ref: "m2p", school: "s1", started_on: "today-365d", training: [{ partnership: "pa", started_on: "today-300d" }] }] },
      // teacher_spec.rb:262-321 a previous mentorship and a future one; :394-403 also an ongoing one
      {
        ref: "futureMentorship",
        ect_periods: [
          ect([{ partnership: "pa", started_on: "today-365d", finished_on: "today-336d" }, { partnership: "pa", started_on: "today-335d" }], {
            mentorships: [
              { mentor: "m1p", started_on: "today-335d", finished_on: "today-305d" },
              { mentor: "m1p", started_on: "today+30d" },
            ],
          }),
        ],
      },
      {
        ref: "ongoingAndFuture",
        ect_periods: [
          ect([{ partnership: "pa", started_on: "today-335d" }], {
            mentorships: [
              { mentor: "m2p", started_on: "today-30d", finished_on: "today+29d" },
              { mentor: "m1p", started_on: "today+30d" },
            ],
          }),
        ],
      },
      // teacher_spec.rb:415-465 a finished mentorship; :468-519 one finishing in the future
      { ref: "finishedMentorship", ect_periods: [ect([{ partnership: "pa", started_on: "today-335d" }], { mentorships: [{ mentor: "m1p", started_on: "today-305d", finished_on: "today-125d" }] })] },
      { ref: "mentorshipToFinish", ect_periods: [ect([{ partnership: "pa", started_on: "today-335d" }], { mentorships: [{ mentor: "m1p", started_on: "today-305d", finished_on: "today+365d" }] })] },
      // teacher_spec.rb:523-551 involved in a school transfer (new school) or not
      {
        ref: "transferred",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "pa", started_on: "today-300d", finished_on: "today-100d" }] },
          { school: "s2", started_on: "today-99d", training: [{ partnership: "pa2", started_on: "today-99d" }] },
        ],
      },
    ],
  });
});
afterAll(() => t.close());

describe("Metadata::Handlers::Teacher (spec/services/metadata/handlers/teacher_spec.rb)", () => {
  test("L106 two training periods with different providers: each provider reads its own latest ECT and mentor period (delivery partner, cohort); no assigned mentor", async () => {
    for (const [lead, dp] of [
      ["a", "dpA"],
      ["b", "dpB"],
    ]) {
      const e = await enrolments("twoLPs", lead);
      expect(e.map((x: any) => [x.participant_type, x.delivery_partner_id, x.cohort])).toEqual([
        ["ect", r[dp!]!.id, "2025"],
        ["mentor", r[dp!]!.id, "2025"],
      ]);
      expect(e[0].mentor_id).toBeNull();
    }
  });
  test("L194 one finished and one future training period: the future one is the latest (its schedule; leaving, not left)", async () => {
    const e = await enrolments("future");
    expect(e.map((x: any) => [x.participant_type, x.schedule_identifier, x.participant_status])).toEqual([
      ["ect", "ecf-extended-september", "leaving"],
      ["mentor", "ecf-extended-september", "leaving"],
    ]);
    expect(e[0].mentor_id).toBeNull();
  });
  test("L229 an ECT without a mentor (training period): only the ECT enrolment, no mentor_id", async () => {
    const e = await enrolments("ectOnly");
    expect(e.map((x: any) => x.participant_type)).toEqual(["ect"]);
    expect(e[0].mentor_id).toBeNull();
  });
  test("L246 a teacher without any training period: no latest periods, so not the provider's participant (404, not listed)", async () => {
    expect((await get(`/api/v3/participants/${r.noTraining!.id}`)).status).toBe(404);
    const list = await get("/api/v3/participants?page[per_page]=100");
    expect(list.body.data.map((x: any) => x.id)).not.toContain(r.noTraining!.id);
  });
  test("L323 a mentorship starting in the future (after a finished one): its mentor is the assigned mentor", async () => {
    expect((await enrolments("futureMentorship"))[0].mentor_id).toBe(r.m1!.id);
  });
  test("L405 an ongoing mentorship as well as a future one: the ongoing one's mentor", async () => {
    expect((await enrolments("ongoingAndFuture"))[0].mentor_id).toBe(r.m2!.id);
  });
  test("L453 the latest mentorship finished: no assigned mentor; L506 one finishing in the future: its mentor", async () => {
    expect((await enrolments("finishedMentorship"))[0].mentor_id).toBeNull();
    expect((await enrolments("mentorshipToFinish"))[0].mentor_id).toBe(r.m1!.id);
  });
  test("L537 involved in a school transfer: listed in /participants/transfers; L549 not involved: not listed, 404", async () => {
    const list = await get("/api/v3/participants/transfers");
    expect(list.status).toBe(200);
    const ids = list.body.data.map((x: any) => x.id);
    expect(ids).toContain(r.transferred!.id);
    expect(ids).not.toContain(r.ectOnly!.id);
    expect((await get(`/api/v3/participants/${r.ectOnly!.id}/transfers`)).status).toBe(404);
  });
  test("L572 the latest ECT training period changes (a change of schedule through the API starts a new one): the next read shows it", async () => {
    expect((await enrolments("ectOnly"))[0].schedule_identifier).not.toBe("ecf-extended-january");
    const res = await t.call("PUT", `/api/v3/participants/${r.ectOnly!.id}/change-schedule`, {
      token: r.a!.api_token,
      body: { data: { type: "participant-change-schedule", attributes: { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-january" } } },
      headers: { "X-With-Server-Date": AT },
    });
    expect(res.status).toBe(200);
    const e = (await enrolments("ectOnly"))[0];
    expect(e.schedule_identifier).toBe("ecf-extended-january");
    const w = (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === r.ectOnly!.id);
    expect(w.ect_periods[0].training).toHaveLength(2);
  });
});

describe("Metadata::Handlers::School (spec/services/metadata/handlers/school_spec.rb)", () => {
  test("L38 SchoolContractPeriod: a partnered school with no training: in_partnership true, induction_programme_choice not_yet_known; L95 SchoolLeadProviderContractPeriod: expression_of_interest false", async () => {
    const a = await school("sh1");
    expect([a.in_partnership, a.induction_programme_choice, a.expression_of_interest]).toEqual([true, "not_yet_known", false]);
  });
  test("L122 a mentor training period under the partnership: expression_of_interest becomes true (and the choice provider_led); L70 the choice changes back when that training moves to another cohort", async () => {
    const added = await v3Scenario(t, {
      teachers: [{ ref: "shMentor", mentor_periods: [{ school: { id: r.sh1!.id }, started_on: "today-10d", training: [{ partnership: { id: r.psh!.id }, started_on: "today+5d" }] }] }],
    });
    const a = await school("sh1");
    expect([a.expression_of_interest, a.induction_programme_choice]).toEqual([true, "provider_led"]);
    // change-schedule before the period starts: in place, into the 2024 partnership (teachers/change_schedule.rb:31-49)
    const res = await t.call("PUT", `/api/v3/participants/${added.shMentor!.id}/change-schedule`, {
      token: r.a!.api_token,
      body: { data: { type: "participant-change-schedule", attributes: { course_identifier: "ecf-mentor", schedule_identifier: "ecf-standard-september", cohort: "2024" } } },
      headers: { "X-With-Server-Date": AT },
    });
    expect(res.status).toBe(200);
    const after = await school("sh1");
    expect([after.in_partnership, after.induction_programme_choice, after.expression_of_interest]).toEqual([true, "not_yet_known", false]);
    const y24 = await school("sh1", 2024);
    expect([y24.in_partnership, y24.induction_programme_choice, y24.expression_of_interest]).toEqual([true, "provider_led", true]);
  });
  test("L64 the partnership changes (one created through POST /api/v3/partnerships): in_partnership false → true", async () => {
    expect((await school("sh2")).in_partnership).toBe(false);
    const res = await t.call("POST", "/api/v3/partnerships", {
      token: r.a!.api_token,
      body: { data: { type: "partnership", attributes: { cohort: 2025, school_id: r.sh2!.id, delivery_partner_id: r.dpA!.id } } },
    });
    expect(res.status).toBe(200);
    expect((await school("sh2")).in_partnership).toBe(true);
  });
});
