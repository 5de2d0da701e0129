/**
 * POST /admin/v3/jobs/nightly (docs/reference/rect/control-plane.md §4.5): RECT's nightly jobs as
 * of the clock, seen through /api/v3 and GET /admin/v3/world.
 * - app/jobs/touch_school_partnership_for_participants_currently_training_job.rb:6-12;
 * - app/services/metadata/handlers/teacher.rb:74-82 (the assigned mentor, refreshed nightly by
 *   RefreshAllMetadataJob);
 * - app/services/statements/mark_as_payable.rb:7-17 (production's midnight job, on request).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const LONG_AGO = "2025-01-01T00:00:00Z";
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;
const partnershipUpdatedAt = async (id: string) => (await v3Get(t, `/api/v3/partnerships/${id}`, refs.a!.api_token)).body.data.attributes.updated_at;
const teacherUpdatedAt = async (id: string) => (await world()).teachers.find((x: any) => x.id === id).updated_at;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const partnership = (ref: string, school: string) => ({ ref, school, lead_provider: "a", delivery_partner: "dp", cohort: 2025, created_at: LONG_AGO, updated_at: LONG_AGO });
  const school = (ref: string, urn: string) => ({ ref, urn, name: `Nightly ${ref}`, created_at: LONG_AGO, updated_at: LONG_AGO });
  const ect = (ref: string, schoolRef: string, partnershipRef: string, training: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ref,
    created_at: LONG_AGO,
    updated_at: LONG_AGO,
    ect_periods: [{ ref: `${ref}e`, school: schoolRef, started_on: "today-200d", training: [{ partnership: partnershipRef, ...training }], ...extra }],
  });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [{ ref: "dp", name: `DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
    schools: [school("s1", "320001"), school("s2", "320002"), school("s3", "320003"), school("s4", "320004")],
    partnerships: [partnership("starts", "s1"), partnership("ended", "s2"), partnership("quiet", "s3"), partnership("mentoring", "s4")],
    statements: [
      { ref: "past", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "today-1d", payment_date: "today+20d", status: "open" },
      { ref: "future", lead_provider: "a", cohort: 2025, month: 12, year: 2025, deadline_date: "today+10d", payment_date: "today+40d", status: "open" },
    ],
    teachers: [
      ect("tStarts", "s1", "starts", { started_on: "today" }),
      ect("tEnded", "s2", "ended", { started_on: "today-100d", finished_on: "today-1d" }),
      ect("tQuiet", "s3", "quiet", { started_on: "today-100d", finished_on: "today-2d" }),
      {
        ref: "m1",
        created_at: LONG_AGO,
        updated_at: LONG_AGO,
        mentor_periods: [{ ref: "m1p", school: "s4", started_on: "today-200d", training: [{ partnership: "mentoring", started_on: "today-150d" }] }],
      },
      {
        ref: "m2",
        created_at: LONG_AGO,
        updated_at: LONG_AGO,
        mentor_periods: [{ ref: "m2p", school: "s4", started_on: "today-200d", training: [{ partnership: "mentoring", started_on: "today-150d" }] }],
      },
      // the mentorship with m1 finishes today: from today the assigned mentor is m2's (the next one)
      ect("tMentored", "s4", "mentoring", { started_on: "today-150d" }, {
        mentorships: [
          { mentor: "m1p", started_on: "today-100d", finished_on: "today" },
          { mentor: "m2p", started_on: "today+1d" },
        ],
      }),
      // a mentorship that runs on: nothing changes overnight
      ect("tSteady", "s4", "mentoring", { started_on: "today-150d" }, { mentorships: [{ mentor: "m1p", started_on: "today-100d" }] }),
    ],
  });
});
afterAll(() => t.close());

describe("the nightly job (control-plane.md §4.5)", () => {
  test("when it runs, then the partnerships of periods starting today or finished yesterday get updated_at, others keep theirs (touch_school_partnership…_job.rb:6-12)", async () => {
    const r = await t.admin("POST", "/admin/v3/jobs/nightly", {});
    expect(r.status).toBe(200);
    expect(r.body.partnerships_touched).toBe(2);
    expect(await partnershipUpdatedAt(refs.starts!.id)).not.toBe(LONG_AGO);
    expect(await partnershipUpdatedAt(refs.ended!.id)).not.toBe(LONG_AGO);
    expect(await partnershipUpdatedAt(refs.quiet!.id)).toBe(LONG_AGO);
    expect(await partnershipUpdatedAt(refs.mentoring!.id)).toBe(LONG_AGO);
  });

  test("when it runs, then the ECT whose assigned mentor changed today gets updated_at, and the one whose mentorship runs on does not (handlers/teacher.rb:74-82)", async () => {
    expect(await teacherUpdatedAt(refs.tMentored!.id)).not.toBe(LONG_AGO);
    expect(await teacherUpdatedAt(refs.tSteady!.id)).toBe(LONG_AGO);
    expect(await teacherUpdatedAt(refs.tQuiet!.id)).toBe(LONG_AGO);
  });

  test("when it runs without mark_statements_payable, then no statement moves; with it, the open one past its deadline becomes payable and the other stays open (mark_as_payable.rb:7-17)", async () => {
    const statuses = async () => Object.fromEntries((await world()).statements.map((s: any) => [s.id, s.status]));
    expect((await statuses())[refs.past!.id]).toBe("open");
    const r = await t.admin("POST", "/admin/v3/jobs/nightly", { mark_statements_payable: true });
    expect(r.status).toBe(200);
    expect(r.body.statements_marked_payable).toEqual([refs.past!.id]);
    const after = await statuses();
    expect([after[refs.past!.id], after[refs.future!.id]]).toEqual(["payable", "open"]);
  });

  test("when the body is not what it takes, then 422 naming the field and nothing changes; without the admin token 401", async () => {
    const r = await t.admin("POST", "/admin/v3/jobs/nightly", { mark_statements_payable: "yes" });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].title).toBe("mark_statements_payable");
    expect((await t.request("POST", "/admin/v3/jobs/nightly", { token: null, body: {} })).status).toBe(401);
  });
});
