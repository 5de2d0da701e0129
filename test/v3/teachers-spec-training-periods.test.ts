/**
 * The training-period domain services where the API drives them: TrainingPeriods::Finish and ::Create
 * under PUT /api/v3/participants/{id}/change-schedule (app/services/teachers/change_schedule.rb:51-103),
 * and TrainingPeriods::Search#linkable_to_school_partnership under POST /api/v3/partnerships
 * (app/services/school_partnerships/assign_training_periods.rb:12-16). Side effects are read in
 * GET /admin/v3/world. Cites spec/services/training_periods/{finish,create,search}_spec.rb at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
const TODAY = londonDate(new Date());
const AT = `${TODAY}T12:00:00Z`;
const teacherOf = async (ref: string) => (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === r[ref]!.id);

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp", name: "DP TP", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [
      { ref: "s1", urn: "590001", name: "TP One" },
      { ref: "s2", urn: "590002", name: "TP Two" },
    ],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pa24s2", school: "s2", lead_provider: "a", delivery_partner: "dp", cohort: 2024 },
    ],
    teachers: [
      { ref: "ect", ect_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa", started_on: "today-60d", schedule: "ecf-standard-september" }] }] },
      { ref: "mentor", mentor_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa", started_on: "today-60d", schedule: "ecf-standard-september" }] }] },
      // search_spec.rb:32-117 at school s2: EOI-only periods of a in 2025 (linkable), of b in 2025, of a in 2024, and one already on a's 2024 partnership
      { ref: "linkable", ect_periods: [{ school: "s2", started_on: "today-200d", training: [{ eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-100d" }] }] },
      { ref: "wrongProvider", ect_periods: [{ school: "s2", started_on: "today-200d", training: [{ eoi: { lead_provider: "b", cohort: 2025 }, started_on: "today-100d" }] }] },
      { ref: "wrongYear", ect_periods: [{ school: "s2", started_on: "today-200d", training: [{ eoi: { lead_provider: "a", cohort: 2024 }, started_on: "today-100d" }] }] },
      { ref: "alreadyLinked", ect_periods: [{ school: "s2", started_on: "today-200d", training: [{ partnership: "pa24s2", eoi: { lead_provider: "a", cohort: 2024 }, started_on: "today-100d" }] }] },
    ],
  });
});
afterAll(() => t.close());

const changeSchedule = (ref: string, course: string, schedule: string) =>
  t.call("PUT", `/api/v3/participants/${r[ref]!.id}/change-schedule`, {
    token: r.a!.api_token,
    body: { data: { type: "participant-change-schedule", attributes: { course_identifier: course, schedule_identifier: schedule } } },
    headers: { "X-With-Server-Date": AT },
  });

describe("TrainingPeriods::Finish#finish! and TrainingPeriods::Create with a schedule, under a change of schedule", () => {
  for (const [role, course, finish, create] of [
    ["ect", "ecf-induction", "spec/services/training_periods/finish_spec.rb:73", "spec/services/training_periods/create_spec.rb:85"],
    ["mentor", "ecf-mentor", "spec/services/training_periods/finish_spec.rb:127", "spec/services/training_periods/create_spec.rb:144"],
  ] as const) {
    test(`${role}: ${finish} closes the training period (finished yesterday); ${create} a new one in the same school period with the schedule given, from today, open`, async () => {
      const res = await changeSchedule(role, course, "ecf-extended-january");
      expect(res.status).toBe(200);
      const periods = (await teacherOf(role))[`${role}_periods`];
      expect(periods).toHaveLength(1);
      const [old, created] = [...periods[0].training].sort((x: any, y: any) => (x.started_on < y.started_on ? -1 : 1));
      expect(old.finished_on).toBe(addDays(TODAY, -1));
      expect(old.schedule).toBe("ecf-standard-september");
      expect(created.started_on).toBe(TODAY);
      expect(created.finished_on ?? null).toBeNull();
      expect(created.schedule).toBe("ecf-extended-january");
      expect(created.partnership).toBe(r.pa!.id);
      expect(created.eoi ?? null).toBeNull();
    });
  }
});

describe("TrainingPeriods::Search (spec/services/training_periods/search_spec.rb)", () => {
  test("L119 #linkable_to_school_partnership: a new partnership links only the EOI-only training periods at the school of the same provider and cohort", async () => {
    expect((await v3Get(t, `/api/v3/participants/${r.linkable!.id}`, r.a!.api_token)).status).toBe(404);
    const res = await t.call("POST", "/api/v3/partnerships", {
      token: r.a!.api_token,
      body: { data: { type: "partnership", attributes: { cohort: 2025, school_id: r.s2!.id, delivery_partner_id: r.dp!.id } } },
    });
    expect(res.status).toBe(200);
    const partnership = res.body.data.id;
    const tp = async (ref: string) => (await teacherOf(ref)).ect_periods[0].training[0];
    expect((await tp("linkable")).partnership).toBe(partnership);
    expect((await tp("wrongProvider")).partnership ?? null).toBeNull();
    expect((await tp("wrongYear")).partnership ?? null).toBeNull();
    expect((await tp("alreadyLinked")).partnership).toBe(r.pa24s2!.id);
    // and the linked teacher is now the provider's participant
    const shown = await v3Get(t, `/api/v3/participants/${r.linkable!.id}`, r.a!.api_token);
    expect(shown.status).toBe(200);
    expect(shown.body.data.attributes.ecf_enrolments[0].cohort).toBe("2025");
  });
});
