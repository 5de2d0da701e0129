/**
 * The participant's derived fields example by example, through GET /api/v3/participants/{id}
 * (docs/reference/rect/rules.md §6.3, §6.4): RECT's service specs of the objects the serializer
 * calls (API::TrainingPeriods::TeacherStatus, TrainingStatus, API::Teachers::EligibilityForFunding,
 * InductionStatus) and the serializer's own examples (spec/serializers/api/teacher_serializer_spec.rb),
 * each world built with the scenario document. Lines are at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const TODAY = londonDate(new Date());
const day = (n: number) => addDays(TODAY, n);

type Role = "ect" | "mentor";
/** One teacher: one at-school period of `role` at s1 (or `school`), with one training period under the school's partnership. */
const teacher = (ref: string, role: Role, o: { period?: Record<string, unknown>; training?: Record<string, unknown>; teacher?: Record<string, unknown>; school?: "s1" | "s2" } = {}) => {
  const school = o.school ?? "s1";
  return {
    ref,
    ...o.teacher,
    [`${role}_periods`]: [{ ref: `${ref}P`, school, started_on: "today-400d", ...o.period, training: [{ ref: `${ref}T`, partnership: school === "s1" ? "p1" : "p2", started_on: "today-300d", ...o.training }] }],
  };
};
const FINISHED = { finished_on: "today-10d" };

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  // teacher_serializer_spec.rb:144 uplift fees enabled for the partnership's cohort
  expect((await t.admin("PUT", "/admin/v3/contract-periods/2025", { uplift_fees_enabled: true })).status).toBe(200);
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [{ ref: "dp1", name: "DP One", partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
    schools: [
      { ref: "s1", urn: "510001", name: "S One", funding: { "2025": { pupil_premium_uplift: true, sparsity_uplift: true } } },
      // teacher_serializer_spec.rb:231 no SchoolFundingEligibility for the school and contract period
      { ref: "s2", urn: "510002", name: "S Two" },
    ],
    partnerships: [
      { ref: "p1", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "p2", school: "s2", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
    ],
    teachers: [
      // teacher_status_spec.rb
      teacher("joining", "ect", { period: { started_on: "today+7d" }, training: { started_on: "today+7d" } }),
      teacher("active", "ect"),
      teacher("leaving", "ect", { period: { started_on: "today-90d", finished_on: "today+30d" }, training: { started_on: "today-90d", finished_on: "today+30d" } }),
      teacher("leavingFuture", "ect", { period: { started_on: "today-90d", finished_on: "today+30d" }, training: { started_on: "today+7d", finished_on: "today+30d" } }),
      ...(["ect", "mentor"] as const).flatMap((role) => [
        teacher(`${role}Withdrawn`, role, { training: { finished_on: "today-3d", withdrawn: { at: "now-3d", reason: "moved-school" } } }),
        teacher(`${role}WithdrawnFuture`, role, { period: { finished_on: "today+30d" }, training: { finished_on: "today+30d", withdrawn: { at: "now-3d", reason: "moved-school" } } }),
        teacher(`${role}Deferred`, role, { training: { finished_on: "today-3d", deferred: { at: "now-3d", reason: "bereavement" } } }),
        teacher(`${role}DeferredFuture`, role, { period: { finished_on: "today+30d" }, training: { finished_on: "today+30d", deferred: { at: "now-3d", reason: "bereavement" } } }),
        teacher(`${role}Finished`, role, { training: FINISHED }),
      ]),
      teacher("ectInductionOn", "ect", { training: FINISHED, teacher: { induction_periods: [{ started_on: "today-300d", finished_on: "today-10d", outcome: "pass" }] } }),
      teacher("ectInductionAfter", "ect", { training: FINISHED, teacher: { induction_periods: [{ started_on: "today-300d", finished_on: "today-3d", outcome: "fail" }] } }),
      teacher("ectTrsCompleted", "ect", { training: FINISHED, teacher: { trs_induction: { completed_date: "today-30d" } } }),
      ...(
        [
          ["mentorIneligibleBefore", "today-17d"],
          ["mentorIneligibleOn", "today-10d"],
          ["mentorIneligibleAfter", "today-9d"],
        ] as const
      ).map(([ref, on]) => teacher(ref, "mentor", { training: FINISHED, teacher: { funding: { mentor_ineligible_on: on, mentor_ineligible_reason: "completed_declaration_received" } } })),
      // eligibility_for_funding_spec.rb
      ...(["ect", "mentor"] as const).flatMap((role) => [
        teacher(`${role}FundingNone`, role),
        teacher(`${role}FundingEligibleFirst`, role, { teacher: { funding: { [`${role}_eligible_at`]: "now-20d", [`${role}_ineligible_on`]: "today-10d", ...(role === "mentor" ? { mentor_ineligible_reason: "started_not_completed" } : {}) } } }),
        teacher(`${role}FundingEligibleOnly`, role, { teacher: { funding: { [`${role}_eligible_at`]: "now-20d" } } }),
        teacher(`${role}FundingIneligibleFirst`, role, { teacher: { funding: { [`${role}_eligible_at`]: "now-5d", [`${role}_ineligible_on`]: "today-10d", ...(role === "mentor" ? { mentor_ineligible_reason: "started_not_completed" } : {}) } } }),
        teacher(`${role}FundingIneligibleOnly`, role, { teacher: { funding: { [`${role}_ineligible_on`]: "today-10d", ...(role === "mentor" ? { mentor_ineligible_reason: "started_not_completed" } : {}) } } }),
      ]),
      // induction_status_spec.rb
      teacher("trsDates", "ect", { teacher: { trs_induction: { start_date: "2024-09-18", completed_date: "2025-07-18" } } }),
      teacher("finishedPeriod", "ect", { teacher: { induction_periods: [{ started_on: "today-200d", finished_on: "today-20d", outcome: "pass" }] } }),
      teacher("bothDates", "ect", { teacher: { trs_induction: { start_date: "2024-09-18", completed_date: "2025-07-18" }, induction_periods: [{ started_on: "today-200d", finished_on: "today-20d", outcome: "pass" }] } }),
      teacher("ongoingPeriod", "ect", { teacher: { induction_periods: [{ started_on: "today-200d" }] } }),
      teacher("twoPeriods", "ect", { teacher: { induction_periods: [{ started_on: "today-200d", finished_on: "today-10d" }, { started_on: "today-9d" }] } }),
      teacher("latestClosed", "ect", { teacher: { induction_periods: [{ started_on: "today-200d", finished_on: "today-20d" }, { started_on: "today-7d", finished_on: "today-2d", outcome: "pass" }] } }),
      teacher("releasedOnly", "ect", { teacher: { induction_periods: [{ started_on: "today-200d", finished_on: "today-20d" }] } }),
      // teacher_serializer_spec.rb:116-145: ECT and mentor periods at the school, another mentor mentoring the ECT
      {
        ref: "ser",
        trn: "5100001",
        updated_at: "2023-07-02T12:00:00Z",
        funding: { mentor_ineligible_on: "today-5d", mentor_ineligible_reason: "completed_declaration_received" },
        ect_periods: [
          {
            ref: "serE",
            school: "s1",
            started_on: "today-60d",
            email: "ser.ect@example.com",
            working_pattern: "full_time",
            created_at: "2025-01-01T09:00:00Z",
            training: [{ partnership: "p1", started_on: "today-30d" }],
            mentorships: [{ mentor: "otherM", started_on: "today-23d" }],
          },
        ],
        mentor_periods: [{ school: "s1", started_on: "today-60d", email: "ser.mentor@example.com", created_at: "2025-01-02T09:00:00Z", training: [{ partnership: "p1", started_on: "today-30d" }] }],
      },
      { ref: "other", mentor_periods: [{ ref: "otherM", school: "s1", started_on: "today-60d", training: [{ partnership: "p1", started_on: "today-30d" }] }] },
      teacher("noPattern", "ect"),
      teacher("noFundingRow", "ect", { school: "s2" }),
      teacher("mentorNoFundingRow", "mentor", { school: "s2" }),
      teacher("mentorInduction", "mentor", { teacher: { induction_periods: [{ started_on: "today-200d", finished_on: "today-20d" }, { started_on: "today-7d", finished_on: "today-2d", outcome: "pass" }] } }),
      teacher("mentorInductionOngoing", "mentor", { teacher: { induction_periods: [{ started_on: "today-200d" }] } }),
    ],
  });
});
afterAll(() => t.close());

const show = async (ref: string) => {
  const r = await v3Get(t, `/api/v3/participants/${refs[ref]!.id}`, refs.a!.api_token);
  expect(r.status).toBe(200);
  return r.body.data;
};
const enrolment = async (ref: string, index = 0) => (await show(ref)).attributes.ecf_enrolments[index];
const status = async (ref: string) => (await enrolment(ref)).participant_status;

describe("participant_status (spec/services/api/training_periods/teacher_status_spec.rb; teacher_status.rb:13-25)", () => {
  test("L12 a training period starting in the future: joining", async () => {
    expect(await status("joining")).toBe("joining");
  });
  test("L19-23 started and not finished: active (not joining, leaving or left)", async () => {
    expect(await status("active")).toBe("active");
  });
  test("L32 to finish in the future: leaving; L37 starting and finishing in the future: leaving too (the finish is read before the start)", async () => {
    expect(await status("leaving")).toBe("leaving");
    expect(await status("leavingFuture")).toBe("leaving");
  });
  test("L45 ECT withdrawn: left; L51 finishing in the future: leaving; L58, L64 the same for a mentor", async () => {
    expect(await status("ectWithdrawn")).toBe("left");
    expect(await status("ectWithdrawnFuture")).toBe("leaving");
    expect(await status("mentorWithdrawn")).toBe("left");
    expect(await status("mentorWithdrawnFuture")).toBe("leaving");
  });
  test("L73 ECT deferred: left; L79 finishing in the future: leaving; L86, L92 the same for a mentor", async () => {
    expect(await status("ectDeferred")).toBe("left");
    expect(await status("ectDeferredFuture")).toBe("leaving");
    expect(await status("mentorDeferred")).toBe("left");
    expect(await status("mentorDeferredFuture")).toBe("leaving");
  });
  test("L101-105 ECT finished: left; L115-119 completed induction on the training's last day (pass or fail alike): active; L132-136 completed after it: left", async () => {
    expect(await status("ectFinished")).toBe("left");
    expect(await status("ectInductionOn")).toBe("active");
    expect(await status("ectInductionAfter")).toBe("left");
  });
  test("L143-147 mentor finished: left; L157-161 ineligible for funding before the end: active; L172-176 on the end: active; L187-191 after it: left", async () => {
    expect(await status("mentorFinished")).toBe("left");
    expect(await status("mentorIneligibleBefore")).toBe("active");
    expect(await status("mentorIneligibleOn")).toBe("active");
    expect(await status("mentorIneligibleAfter")).toBe("left");
  });
});

describe("training_status (spec/services/api/training_periods/training_status_spec.rb; training_status.rb:9-19)", () => {
  test("L10-13 neither withdrawn nor deferred: active, withdrawal and deferral null", async () => {
    const e = await enrolment("active");
    expect([e.training_status, e.withdrawal, e.deferral]).toEqual(["active", null, null]);
  });
  test("L19-22 withdrawn: withdrawn, not active, not deferred", async () => {
    const e = await enrolment("ectWithdrawn");
    expect(e.training_status).toBe("withdrawn");
    expect(e.withdrawal.reason).toBe("moved-school");
    expect(e.deferral).toBeNull();
  });
  test("L28-31 deferred: deferred, not active, not withdrawn", async () => {
    const e = await enrolment("ectDeferred");
    expect(e.training_status).toBe("deferred");
    expect(e.deferral.reason).toBe("bereavement");
    expect(e.withdrawal).toBeNull();
  });
  test("L41-44 both withdrawn and deferred, withdrawn_at the more recent (a deferred period withdrawn through the API): withdrawn", async () => {
    const at = `${TODAY}T12:00:00Z`;
    const r = await t.call("PUT", `/api/v3/participants/${refs.mentorDeferred!.id}/withdraw`, {
      token: refs.a!.api_token,
      body: { data: { type: "participant-withdraw", attributes: { course_identifier: "ecf-mentor", reason: "other" } } },
      headers: { "X-With-Server-Date": at },
    });
    expect(r.status).toBe(200);
    const e = r.body.data.attributes.ecf_enrolments[0];
    expect(e.training_status).toBe("withdrawn");
    expect(e.withdrawal).toEqual({ reason: "other", date: at });
    expect(e.deferral).toBeNull();
    // both stamps are kept (teachers/withdraw.rb:15-17 leaves deferred_at)
    const w = (await t.admin("GET", "/admin/v3/world")).body;
    const tp = w.teachers.find((x: any) => x.id === refs.mentorDeferred!.id).mentor_periods[0].training[0];
    expect(tp.deferred.reason).toBe("bereavement");
    expect(tp.withdrawn).toEqual({ at, reason: "other" });
  });
});

describe("eligible_for_funding (spec/services/api/teachers/eligibility_for_funding_spec.rb; eligibility_for_funding.rb:9-12)", () => {
  const eligible = async (ref: string) => (await enrolment(ref)).eligible_for_funding;
  test("ECTs: L11 neither date: null; L21 eligible before ineligible: true; L29 only eligible: true; L39 ineligible first: false; L47 only ineligible: false", async () => {
    expect(await eligible("ectFundingNone")).toBeNull();
    expect(await eligible("ectFundingEligibleFirst")).toBe(true);
    expect(await eligible("ectFundingEligibleOnly")).toBe(true);
    expect(await eligible("ectFundingIneligibleFirst")).toBe(false);
    expect(await eligible("ectFundingIneligibleOnly")).toBe(false);
  });
  test("mentors: L57 neither: null; L68 eligible first: true; L76 only eligible: true; L87 ineligible first: false; L97 only ineligible: false", async () => {
    expect(await eligible("mentorFundingNone")).toBeNull();
    expect(await eligible("mentorFundingEligibleFirst")).toBe(true);
    expect(await eligible("mentorFundingEligibleOnly")).toBe(true);
    expect(await eligible("mentorFundingIneligibleFirst")).toBe(false);
    expect(await eligible("mentorFundingIneligibleOnly")).toBe(false);
  });
});

describe("induction dates (spec/services/api/teachers/induction_status_spec.rb; induction_status.rb:9-23)", () => {
  test("#induction_end_date: L10 TRS completed date; L17 a finished induction period; L26 both: the period's; L32 neither: null; a finished period without outcome does not count (teacher.rb:48)", async () => {
    expect((await enrolment("trsDates")).induction_end_date).toBe("2025-07-18");
    expect((await enrolment("finishedPeriod")).induction_end_date).toBe(day(-20));
    expect((await enrolment("bothDates")).induction_end_date).toBe(day(-20));
    expect((await enrolment("active")).induction_end_date).toBeNull();
    expect((await enrolment("releasedOnly")).induction_end_date).toBeNull();
  });
  test("#induction_start_date (overall_induction_start_date): L42 TRS start date; L49 a started induction period; L58 both: the period's; L64 neither: null", async () => {
    expect((await enrolment("trsDates")).overall_induction_start_date).toBe("2024-09-18");
    expect((await enrolment("finishedPeriod")).overall_induction_start_date).toBe(day(-200));
    expect((await enrolment("bothDates")).overall_induction_start_date).toBe(day(-200));
    expect((await enrolment("active")).overall_induction_start_date).toBeNull();
  });
  test("#completed_induction? through participant_status of a finished ECT period: L74 TRS completed date: active; L80 finished induction period: active; L86 neither: left", async () => {
    expect(await status("ectTrsCompleted")).toBe("active");
    expect(await status("ectInductionOn")).toBe("active");
    expect(await status("ectFinished")).toBe("left");
  });
  test("#most_recent_induction_period_end_date: L97 completed: its finished_on; L103 ongoing: null; L111 several, the latest ongoing: null; L117 none: null", async () => {
    expect((await enrolment("finishedPeriod")).most_recent_induction_period_end_date).toBe(day(-20));
    expect((await enrolment("ongoingPeriod")).most_recent_induction_period_end_date).toBeNull();
    expect((await enrolment("twoPeriods")).most_recent_induction_period_end_date).toBeNull();
    expect((await enrolment("active")).most_recent_induction_period_end_date).toBeNull();
  });
});

describe("attributes (spec/serializers/api/teacher_serializer_spec.rb)", () => {
  test("L44 updated_at is the API timestamp (rfc3339), teacher_reference_number the TRN", async () => {
    const d = await show("ser");
    expect(d.type).toBe("participant");
    expect(d.attributes.updated_at).toBe("2023-07-02T12:00:00Z");
    expect(d.attributes.teacher_reference_number).toBe("5100001");
  });
  test("L147 an ECT and a mentor training period for the caller: two enrolments, ECT first; L152 the ECT enrolment", async () => {
    const d = await show("ser");
    const e = d.attributes.ecf_enrolments;
    expect(e.length).toBe(2);
    expect(e.map((x: any) => x.participant_type)).toEqual(["ect", "mentor"]);
    expect(e[0]).toEqual({
      training_record_id: refs.ser!.ect_training_record_id,
      email: "ser.ect@example.com",
      mentor_id: refs.other!.id,
      school_urn: "510001",
      participant_type: "ect",
      cohort: "2025",
      training_status: "active",
      participant_status: "active",
      eligible_for_funding: null,
      pupil_premium_uplift: true,
      sparsity_uplift: true,
      schedule_identifier: e[0].schedule_identifier,
      delivery_partner_id: refs.dp1!.id,
      withdrawal: null,
      deferral: null,
      created_at: "2025-01-01T09:00:00Z",
      induction_end_date: null,
      most_recent_induction_period_end_date: null,
      overall_induction_start_date: null,
      mentor_funding_end_date: null,
      cohort_changed_after_payments_frozen: false,
      mentor_ineligible_for_funding_reason: null,
      working_pattern: "full_time",
    });
    expect(e[0].schedule_identifier).toMatch(/^ecf-standard-/);
  });
  test("L404 the mentor enrolment: no mentor_id, mentor funding end date and reason, no induction dates or working pattern", async () => {
    const e = (await show("ser")).attributes.ecf_enrolments[1];
    expect(e).toEqual({
      training_record_id: refs.ser!.mentor_training_record_id,
      email: "ser.mentor@example.com",
      mentor_id: null,
      school_urn: "510001",
      participant_type: "mentor",
      cohort: "2025",
      training_status: "active",
      participant_status: "active",
      eligible_for_funding: false,
      pupil_premium_uplift: true,
      sparsity_uplift: true,
      schedule_identifier: e.schedule_identifier,
      delivery_partner_id: refs.dp1!.id,
      withdrawal: null,
      deferral: null,
      created_at: "2025-01-02T09:00:00Z",
      induction_end_date: null,
      most_recent_induction_period_end_date: null,
      overall_induction_start_date: null,
      mentor_funding_end_date: day(-5),
      cohort_changed_after_payments_frozen: false,
      mentor_ineligible_for_funding_reason: "completed_declaration_received",
      working_pattern: null,
    });
  });
  test("L205 working_pattern full_time; L217 none: null", async () => {
    expect((await enrolment("ser")).working_pattern).toBe("full_time");
    expect((await enrolment("noPattern")).working_pattern).toBeNull();
  });
  test("L233 ECT, L467 mentor: no funding eligibility for the school and cohort: both uplifts false", async () => {
    for (const ref of ["noFundingRow", "mentorNoFundingRow"]) {
      const e = await enrolment(ref);
      expect([e.pupil_premium_uplift, e.sparsity_uplift]).toEqual([false, false]);
    }
  });
  test("L480 mentor eligible_for_funding from the mentor dates (teacher_type :mentor); L489 no mentor funding end date: null", async () => {
    const e = await enrolment("mentorFundingEligibleOnly");
    expect(e.eligible_for_funding).toBe(true);
    expect(e.mentor_funding_end_date).toBeNull();
    expect(e.mentor_ineligible_for_funding_reason).toBeNull();
  });
  test("L264 induction_end_date from a finished induction period; L272 else TRS's completed date", async () => {
    expect((await enrolment("finishedPeriod")).induction_end_date).toBe(day(-20));
    expect((await enrolment("trsDates")).induction_end_date).toBe("2025-07-18");
  });
  test("L292 most_recent_induction_period_end_date: the latest period closed: its finished_on; L298 no induction period: null", async () => {
    expect((await enrolment("latestClosed")).most_recent_induction_period_end_date).toBe(day(-2));
    expect((await enrolment("noPattern")).most_recent_induction_period_end_date).toBeNull();
  });
  test("L316 overall_induction_start_date from TRS's start date without an induction period", async () => {
    expect((await enrolment("trsDates")).overall_induction_start_date).toBe("2024-09-18");
  });
  test("L497 mentor withdrawn: the withdrawal {date, reason dasherized}; L506 mentor deferred: the deferral", async () => {
    const w = await enrolment("mentorWithdrawnFuture");
    expect(w.training_status).toBe("withdrawn");
    expect(w.withdrawal.reason).toBe("moved-school");
    expect(w.withdrawal.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const d = await enrolment("mentorDeferredFuture");
    expect(d.training_status).toBe("deferred");
    expect(d.deferral.reason).toBe("bereavement");
  });
  test("L516 mentor, the latest induction period ongoing; L525 closed: most_recent_induction_period_end_date null (ECT only)", async () => {
    expect((await enrolment("mentorInductionOngoing")).most_recent_induction_period_end_date).toBeNull();
    expect((await enrolment("mentorInduction")).most_recent_induction_period_end_date).toBeNull();
  });
  test("L458 mentor: uplift fees disabled for the cohort: both uplifts false", async () => {
    expect((await enrolment("ser", 1)).pupil_premium_uplift).toBe(true);
    expect((await t.admin("PUT", "/admin/v3/contract-periods/2025", { uplift_fees_enabled: false })).status).toBe(200);
    const e = await enrolment("ser", 1);
    expect([e.pupil_premium_uplift, e.sparsity_uplift]).toEqual([false, false]);
    await t.admin("PUT", "/admin/v3/contract-periods/2025", { uplift_fees_enabled: true });
  });
});
