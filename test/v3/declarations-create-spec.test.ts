/**
 * RECT's service specs of the declaration create, reproduced over HTTP through
 * POST /api/v3/participant-declarations (docs/reference/rect/rules.md §10.5-10.6):
 * spec/services/api/declarations/create_spec.rb (the checks, API::Declarations::Create) and
 * spec/services/declarations/create_spec.rb (what is written, Declarations::Create), at 0fe31d1aa.
 * Both loop `%i[ect mentor]`: every case here runs for an ECT (`ecf-induction`) and a mentor
 * (`ecf-mentor`) unless RECT's context is for one role only. A refusal asserts the exact 422 body
 * ("have_one_error_only" + "have_error" are one body with one item); an accepted declaration asserts
 * the document and what GET /admin/v3/world shows was written.
 *
 * RECT's factories' contract period has mentor funding and detailed evidence types on, so the base
 * world here is the 2025 cohort (seeded with both); a case that needs them off uses 2024.
 * Where RECT builds a milestone of its own (1 November to 1 December of the cohort's year) the test
 * sets it through PUT /admin/v3/schedules/…/milestones on a schedule only that case uses.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement, postDeclaration, errorsText } from "../support/v3";

type Role = "ect" | "mentor";
const ROLES: Role[] = ["ect", "mentor"];
const COURSE: Record<Role, string> = { ect: "ecf-induction", mentor: "ecf-mentor" };
const PATH = "/api/v3/participant-declarations";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;

const TODAY = londonDate(new Date());
const T = (days: number) => addDays(TODAY, days);
/** a date-time at 10:00 UTC on a day */
const at10 = (day: string) => `${day}T10:00:00Z`;

const BASE_DATE = "2025-11-15T10:00:00Z";
const PROVIDER_A = lp("a", [2022, 2024, 2025]);

const MESSAGE = {
  participantBlank: "Enter a '#/participant_id'.",
  participantUnknown: "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.",
  courseBlank: "Enter a '#/course_identifier'.",
  courseNotForParticipant: "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  dateBlank: "Enter a '#/declaration_date'.",
  typeBlank: "Enter a '#/declaration_type'.",
  typeInvalid: "Enter a valid declaration type.",
  duplicate: "A declaration has already been submitted that will be, or has been, paid for this event.",
  future: "The '#/declaration_date' value cannot be a future date. Check the date and try again.",
  beforeMilestone: "Declaration date must be on or after the milestone start date for the same declaration type.",
  afterMilestone: "Declaration date must be on or before the milestone date for the same declaration type.",
  format: "Enter a valid RCF3339 '#/declaration_date'.",
  mentorStartedOrCompleted:
    "You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.",
  evidenceInvalid: "Enter an available '#/evidence_held' type for this participant.",
  noMilestone: "The property '#/declaration_type' does not exist for this schedule.",
  sequence: "This '#/declaration_date' is invalid. Check that it is in sequence with existing declaration dates for this participant.",
  withdrawn: (at: string) => `This participant withdrew from this course on ${at}. Enter a '#/declaration_date' that's on or before the withdrawal date.`,
  frozen: (year: number) => `You cannot submit declarations for the ${year} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`,
  noStatement: (year: number) => `You cannot submit or void declarations for the ${year} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`,
};

// ---- the world ----

type Rec = Record<string, unknown>;
const training = (ref: string, partnership: string, schedule: string, started_on: string, finished_on: string | null, extra: Rec = {}): Rec => ({ ref, partnership, schedule, started_on, finished_on, ...extra });
/** RECT's base: an at-school period from 6 months ago to 2 months from now, training in it ending a day earlier */
const baseTraining = (ref: string, extra: Rec = {}) => training(`${ref}-tp`, "pa25", "ecf-standard-september", T(-183), T(60), extra);
function person(role: Role, ref: string, trainings: Rec[], opts: { funded?: boolean; period?: Rec; mentorships?: Rec[] } = {}): Rec {
  const period: Rec = { ref: `${ref}-p`, school: "s1", started_on: T(-183), finished_on: T(61), training: trainings, ...(opts.period ?? {}) };
  if (opts.mentorships) period.mentorships = opts.mentorships;
  const funding = opts.funded ? { funding: role === "ect" ? { ect_eligible_at: "now-1000d" } : { mentor_eligible_at: "now-1000d" } } : {};
  return { ref, ...funding, [role === "ect" ? "ect_periods" : "mentor_periods"]: [period] };
}
const r = (role: Role, name: string) => `${role}-${name}`;

function teachersFor(role: Role): Rec[] {
  const p = (name: string, trainings: Rec[], opts: Parameters<typeof person>[3] = {}) => person(role, r(role, name), trainings, opts);
  const base = (name: string, extra: Rec = {}, opts: Parameters<typeof person>[3] = {}) => p(name, [baseTraining(r(role, name), extra)], opts);
  const dup = (state: string, statementRef: string | null) =>
    base(`dup-${state}`, { declarations: [{ type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "training-event-attended", state, ...(statementRef ? { statement: statementRef } : {}) }] });
  const list: Rec[] = [
    base("valid"),
    base("base"),
    base("milestone-window", { schedule: "ecf-standard-april" }),
    base("no-milestone", { schedule: "ecf-standard-january" }),
    p("withdrawn", [training(`${r(role, "withdrawn")}-tp`, "pa25", "ecf-standard-september", "2025-09-01", "2025-11-15", { withdrawn: { at: "2025-11-15T09:59:59Z", reason: "other" } })], { period: { started_on: "2025-07-01" } }),
    p("no-funding-statement", [training(`${r(role, "no-funding-statement")}-tp`, "pc25", "ecf-standard-september", T(-183), T(60))]),
    base("statement-exists"),
    p("fundable-no-statement", [training(`${r(role, "fundable-no-statement")}-tp`, "pc25", "ecf-standard-september", T(-183), T(60))], { funded: true }),
    p("fundable-payable-only", [training(`${r(role, "fundable-payable-only")}-tp`, "pb25", "ecf-standard-september", T(-183), T(60))], { funded: true }),
    base("fundable", {}, { funded: true }),
    base("fundable-completed", {}, { funded: true }),
    // a 2022 (payments frozen) training period that contains today
    p("frozen-funded", [training(`${r(role, "frozen-funded")}-tp`, "pa22", "ecf-standard-september", "2022-09-01", T(60))], { funded: true, period: { started_on: "2022-07-01" } }),
    p("frozen-unfunded", [training(`${r(role, "frozen-unfunded")}-tp`, "pa22", "ecf-standard-september", "2022-09-01", T(60))], { period: { started_on: "2022-07-01" } }),
    // a 2025 period 6 to 2 months ago, then a frozen 2022 one from the next day, open
    p(
      "frozen-target",
      [
        training(`${r(role, "frozen-target")}-tp1`, "pa25", "ecf-standard-september", T(-183), T(-61)),
        training(`${r(role, "frozen-target")}-tp2`, "pa22", "ecf-extended-september", T(-60), null),
      ],
      { funded: true, period: { finished_on: null } },
    ),
    // a frozen 2022 period that ended long ago: nothing contains today
    p("frozen-past", [training(`${r(role, "frozen-past")}-tp`, "pa22", "ecf-standard-september", "2022-09-01", "2023-07-31")], { funded: true, period: { started_on: "2022-07-01", finished_on: "2023-07-31" } }),
    dup("submitted", null),
    dup("eligible", "a25"),
    dup("payable", "a25payable"),
    dup("paid", "a25paid"),
    p("multi", [training(`${r(role, "multi")}-tp1`, "pa25", "ecf-standard-september", T(-183), T(-61)), training(`${r(role, "multi")}-tp2`, "pa25", "ecf-standard-september", T(-60), null)], { period: { finished_on: null } }),
    p("future", [training(`${r(role, "future")}-tp1`, "pa25", "ecf-standard-september", T(-183), T(-14)), training(`${r(role, "future")}-tp2`, "pa25", "ecf-standard-september", T(30), null)], { period: { finished_on: null } }),
    p("only-future", [training(`${r(role, "only-future")}-tp`, "pa25", "ecf-standard-september", T(30), null)], { period: { finished_on: null } }),
    base("seq-started", { declarations: [{ type: "started", date: "2025-07-01T00:00:00Z", evidence_held: "training-event-attended" }] }),
    base("seq-completed", { declarations: [{ type: "completed", date: "2025-08-01T00:00:00Z", evidence_held: "75-percent-engagement-met" }] }),
    p("seq24-started", [training(`${r(role, "seq24-started")}-tp`, "pa24", "ecf-extended-september", T(-183), T(60), { declarations: [{ type: "started", date: "2024-10-01T00:00:00Z" }] })]),
    p("seq24-completed", [training(`${r(role, "seq24-completed")}-tp`, "pa24", "ecf-extended-september", T(-183), T(60), { declarations: [{ type: "completed", date: "2024-10-01T00:00:00Z", evidence_held: "training-event-attended" }] })]),
    p("types", [training(`${r(role, "types")}-tp`, "pa24", "ecf-extended-september", T(-183), T(60))]),
    base("invalid"),
    base("svc", {}, { funded: true, ...(role === "ect" ? { mentorships: [{ mentor: "mentor-1-p", started_on: T(-183), finished_on: T(61) }] } : {}) }),
    base("dom", {}, role === "ect" ? { mentorships: [{ mentor: "mentor-1-p", started_on: T(-183), finished_on: T(61) }] } : {}),
    p("uplift24", [training(`${r(role, "uplift24")}-tp`, "pa24", "ecf-extended-september", T(-183), T(60))]),
    p("uplift24-completed", [training(`${r(role, "uplift24-completed")}-tp`, "pa24", "ecf-extended-september", T(-183), T(60))]),
    base("uplift25"),
    base("completion"),
  ];
  if (role === "ect") {
    list.push(
      p("seq-started-completed", [
        training(`${r(role, "seq-started-completed")}-tp`, "pa25", "ecf-extended-september", T(-183), T(60), {
          declarations: [
            { type: "started", date: "2025-09-10T00:00:00Z", evidence_held: "training-event-attended" },
            { type: "completed", date: "2025-11-01T00:00:00Z", evidence_held: "75-percent-engagement-met" },
          ],
        }),
      ]),
    );
  } else {
    list.push(p("mentor24", [training(`${r(role, "mentor24")}-tp`, "pa24", "ecf-standard-september", T(-183), T(60))]));
  }
  return list;
}

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  // RECT's own milestone (create_spec.rb's `let!(:milestone)`, 1 November to 1 December) on a schedule only one case uses,
  // and a schedule whose `started` milestone is destroyed
  const put = await t.admin("PUT", "/admin/v3/schedules/2025/ecf-standard-april/milestones/started", { start_date: "2025-11-01", milestone_date: "2025-12-01" });
  if (put.status !== 200) throw new Error(JSON.stringify(put));
  const del = await t.admin("PUT", "/admin/v3/schedules/2025/ecf-standard-january/milestones/started", {});
  if (del.status !== 200) throw new Error(JSON.stringify(del));
  refs = await v3Scenario(t, {
    lead_providers: [PROVIDER_A, lp("b", [2024, 2025]), lp("c", [2025])],
    delivery_partners: [
      { ref: "dp1", name: "Create-spec DP One", partnered_with: [{ lead_provider: "a", cohorts: [2022, 2024, 2025] }] },
      { ref: "dp2", name: "Create-spec DP Two", partnered_with: [{ lead_provider: "b", cohorts: [2025] }, { lead_provider: "c", cohorts: [2025] }] },
    ],
    schools: [
      {
        ref: "s1",
        urn: "310001",
        name: "Create-spec School",
        funding: { "2024": { pupil_premium_uplift: true, sparsity_uplift: true }, "2025": { pupil_premium_uplift: true, sparsity_uplift: true } },
      },
    ],
    partnerships: [
      { ref: "pa22", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2022 },
      { ref: "pa24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "pa25", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pb25", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
      { ref: "pc25", school: "s1", lead_provider: "c", delivery_partner: "dp2", cohort: 2025 },
    ],
    statements: [
      statement("a22", "a", 2022, 11, 2030),
      statement("a24", "a", 2024, 11, 2030),
      statement("a25", "a", 2025, 11, 2030),
      statement("a25payable", "a", 2025, 12, 2025, { status: "payable" }),
      statement("a25paid", "a", 2025, 11, 2025, { status: "paid" }),
      statement("b25payable", "b", 2025, 11, 2030, { status: "payable" }),
    ],
    teachers: [{ ref: "mentor-1", mentor_periods: [{ ref: "mentor-1-p", school: "s1", started_on: T(-200) }] }, ...ROLES.flatMap(teachersFor)],
  });
});
afterAll(() => t.close());

// ---- requests ----

const post = (token: string, attributes: Rec) => postDeclaration(t, token, attributes);
const errors = errorsText;
const attrs = (role: Role, name: string, extra: Rec = {}): Rec => ({
  participant_id: id(r(role, name)),
  declaration_type: "started",
  declaration_date: BASE_DATE,
  course_identifier: COURSE[role],
  evidence_held: "training-event-attended",
  ...extra,
});
async function refused(role: Role, name: string, extra: Rec, expected: [string, string][], caller = "a") {
  const response = await post(tok(caller), attrs(role, name, extra));
  expect(response.text).toBe(errors(...expected));
  expect(response.status).toBe(422);
}
async function accepted(role: Role, name: string, extra: Rec = {}, caller = "a") {
  const response = await post(tok(caller), attrs(role, name, extra));
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status} ${response.text}`);
  return response.body.data as { id: string; type: string; attributes: Record<string, unknown> };
}
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;
/** where a declaration is in the world: its training period's id and the stored declaration */
async function stored(apiId: string): Promise<{ trainingId: string; d: any; teacher: any }> {
  for (const teacher of (await world()).teachers)
    for (const period of [...(teacher.ect_periods ?? []), ...(teacher.mentor_periods ?? [])])
      for (const tp of period.training ?? []) for (const d of tp.declarations ?? []) if (d.id === apiId) return { trainingId: tp.ref, d, teacher };
  throw new Error(`no declaration ${apiId}`);
}
const declarationCount = async () => {
  let n = 0;
  for (const teacher of (await world()).teachers)
    for (const period of [...(teacher.ect_periods ?? []), ...(teacher.mentor_periods ?? [])]) for (const tp of period.training ?? []) n += (tp.declarations ?? []).length;
  return n;
};

// ---- spec/services/api/declarations/create_spec.rb ----

describe("spec/services/api/declarations/create_spec.rb validations", () => {
  for (const role of ROLES) {
    describe(`for ${role}`, () => {
      test("L52 is valid: the base declaration is accepted, submitted, with no statement", async () => {
        const d = await accepted(role, "valid");
        expect(d.type).toBe("participant-declaration");
        expect(d.attributes).toMatchObject({
          participant_id: id(r(role, "valid")),
          declaration_type: "started",
          course_identifier: COURSE[role],
          declaration_date: BASE_DATE,
          mentor_id: null,
          state: "submitted",
          delivery_partner_id: id("dp1"),
          statement_id: null,
          clawback_statement_id: null,
          ineligible_for_funding_reason: null,
          uplift_paid: false,
          evidence_held: "training-event-attended",
          lead_provider_name: PROVIDER_A.name,
        });
        expect((await stored(d.id)).trainingId).toBe(id(`${r(role, "valid")}-tp`));
      });

      test("L54 validate_presence_of(:teacher_api_id): a null, empty or absent participant_id", async () => {
        await refused(role, "base", { participant_id: null }, [["participant_id", MESSAGE.participantBlank]]);
        await refused(role, "base", { participant_id: "" }, [["participant_id", MESSAGE.participantBlank]]);
        await refused(role, "base", { participant_id: "   " }, [["participant_id", MESSAGE.participantBlank]]);
      });

      test("L55,L102 validate_presence_of(:teacher_type) / a nil teacher type: course_identifier null", async () => {
        await refused(role, "base", { course_identifier: null }, [["course_identifier", MESSAGE.courseBlank]]);
      });

      test("L96 an empty teacher type: course_identifier \"\"", async () => {
        await refused(role, "base", { course_identifier: "" }, [["course_identifier", MESSAGE.courseBlank]]);
      });

      test("L56 validate_inclusion_of(:declaration_type): values outside the nine are refused", async () => {
        for (const type of ["invalid", "Started", "retained-5", "extended-4"]) await refused(role, "base", { declaration_type: type }, [["declaration_type", MESSAGE.typeInvalid]]);
      });

      test("L56 validate_inclusion_of(:declaration_type): each of the nine is accepted (a 2024 extended schedule: every milestone from 1 September 2024, no end)", async () => {
        const types = ["started", "retained-1", "retained-2", "retained-3", "retained-4", "completed", "extended-1", "extended-2", "extended-3"];
        for (const type of types) {
          const d = await accepted(role, "types", { declaration_type: type, declaration_date: "2024-11-15T10:00:00Z" });
          expect(d.attributes.declaration_type).toBe(type);
          // 2024 has no detailed evidence types: `started` discards the evidence, others keep it
          expect(d.attributes.evidence_held).toBe(type === "started" ? null : "training-event-attended");
        }
      });

      test("L68,L69 a matching training period does not exist (different teacher type)", async () => {
        await refused(role, "base", { course_identifier: role === "ect" ? "ecf-mentor" : "ecf-induction" }, [["course_identifier", MESSAGE.courseNotForParticipant]]);
      });

      test("L75,L76 a matching training period does not exist (different lead provider)", async () => {
        await refused(role, "base", {}, [["participant_id", MESSAGE.participantUnknown]], "b");
      });

      test("L82,L83 the teacher does not exist", async () => {
        await refused(role, "base", { participant_id: "non-existent-participant-id" }, [["participant_id", MESSAGE.participantUnknown]]);
        await refused(role, "base", { participant_id: crypto.randomUUID() }, [["participant_id", MESSAGE.participantUnknown]]);
      });

      test("an unknown course_identifier (the HTTP counterpart of RECT's `teacher_type: :other`, see not-reproduced/decl-create.md) is a missing one", async () => {
        await refused(role, "base", { course_identifier: "ecf-other" }, [["course_identifier", MESSAGE.courseBlank]]);
      });

      test("L108,L109 `declaration_date` is nil", async () => {
        await refused(role, "base", { declaration_date: null }, [["declaration_date", MESSAGE.dateBlank]]);
      });

      test("L115,L116 `declaration_date` is in the future (tomorrow)", async () => {
        await refused(role, "base", { declaration_date: at10(T(1)) }, [["declaration_date", MESSAGE.future]]);
      });

      test("L122,L123 `declaration_date` is not in the correct format (Ruby's Time#to_s)", async () => {
        await refused(role, "base", { declaration_date: "2025-11-15 10:00:00 +0000" }, [["declaration_date", MESSAGE.format]]);
        await refused(role, "base", { declaration_date: "2025-11-15 10:00:00 UTC" }, [["declaration_date", MESSAGE.format]]);
      });

      test("L130,L131 `declaration_type` is nil", async () => {
        await refused(role, "base", { declaration_type: null }, [["declaration_type", MESSAGE.typeBlank]]);
      });

      test("L137,L138 `evidence_type` is invalid for the given `declaration_type` (a 75-percent value for `started`)", async () => {
        await refused(role, "base", { evidence_held: "75-percent-engagement-met" }, [["evidence_held", MESSAGE.evidenceInvalid]]);
      });

      test("L146,L147 milestone does not exist (the schedule's `started` milestone deleted)", async () => {
        await refused(role, "no-milestone", {}, [["declaration_type", MESSAGE.noMilestone]]);
      });

      test("L153,L154,L160,L161 a declaration date outside the milestone (1 November to 1 December 2025, London days); inside it is valid", async () => {
        await refused(role, "milestone-window", { declaration_date: "2025-10-31T23:59:59Z" }, [["declaration_date", MESSAGE.beforeMilestone]]);
        await refused(role, "milestone-window", { declaration_date: "2025-12-02T00:00:00Z" }, [["declaration_date", MESSAGE.afterMilestone]]);
        const d = await accepted(role, "milestone-window", { declaration_date: "2025-12-01T23:59:59Z" });
        expect(d.attributes.declaration_date).toBe("2025-12-01T23:59:59Z");
      });

      test("L171,L172 teacher withdrew (one second) before the declaration date", async () => {
        await refused(role, "withdrawn", { declaration_date: "2025-11-15T10:00:00Z" }, [["participant_id", MESSAGE.withdrawn("2025-11-15T09:59:59Z")]]);
      });

      if (role === "mentor") {
        test("L179,L180 a mentor's declaration type is not started or completed (2025: mentor funding enabled)", async () => {
          await refused(role, "base", { declaration_type: "retained-1" }, [["declaration_type", MESSAGE.mentorStartedOrCompleted]]);
        });
        test("L185 contract period mentor funding is not enabled (2024, no detailed evidence): retained-1 is valid", async () => {
          const d = await accepted(role, "mentor24", { declaration_type: "retained-1", declaration_date: "2025-02-01T10:00:00Z" });
          expect(d.attributes).toMatchObject({ declaration_type: "retained-1", course_identifier: "ecf-mentor", evidence_held: "training-event-attended", state: "submitted" });
        });
      }

      describe("payment statement availability validations", () => {
        test("L196 not eligible for funding: valid with no statement at all (provider c has none)", async () => {
          const d = await accepted(role, "no-funding-statement", {}, "c");
          expect(d.attributes).toMatchObject({ state: "submitted", statement_id: null });
        });
        test("L202 payment statement exists: valid", async () => {
          const d = await accepted(role, "statement-exists");
          expect(d.attributes).toMatchObject({ state: "submitted", statement_id: null });
        });
        test("L211,L212 payment statement does not exist and the teacher is fundable", async () => {
          await refused(role, "fundable-no-statement", {}, [["cohort", MESSAGE.noStatement(2025)]], "c");
        });
        test("L223,L224 payment statement is not open (only a payable one) and the teacher is fundable", async () => {
          await refused(role, "fundable-payable-only", {}, [["cohort", MESSAGE.noStatement(2025)]], "b");
        });
      });

      describe("frozen contract period validations", () => {
        test("L238,L239 the latest ongoing training period is in a frozen contract period (2022) and the participant is eligible for funding", async () => {
          await refused(role, "frozen-funded", { declaration_date: "2022-10-01T10:00:00Z" }, [["cohort", MESSAGE.frozen(2022)]]);
        });
        test("L248,L249 frozen, and the participant is not eligible for funding", async () => {
          await refused(role, "frozen-unfunded", { declaration_date: "2022-10-01T10:00:00Z" }, [["cohort", MESSAGE.frozen(2022)]]);
        });
        test("L258 a non-frozen contract period and eligible for funding: valid, eligible on the open statement", async () => {
          const d = await accepted(role, "fundable");
          expect(d.attributes).toMatchObject({ state: "eligible", statement_id: id("a25") });
        });
        test("L291,L292 the ongoing training period is in a frozen contract period but the declaration's date is in the earlier, non-frozen one", async () => {
          await refused(role, "frozen-target", { declaration_date: at10(T(-120)) }, [["cohort", MESSAGE.frozen(2022)]]);
        });
        test("L305 no ongoing training period today: a frozen cohort does not refuse", async () => {
          const d = await accepted(role, "frozen-past", { declaration_date: "2022-10-01T10:00:00Z" });
          expect(d.attributes).toMatchObject({ state: "eligible", statement_id: id("a22") });
        });
      });

      test("L320,L321 a duplicate declaration already exists, with payment status no_payment, eligible, payable and paid", async () => {
        for (const state of ["submitted", "eligible", "payable", "paid"]) await refused(role, `dup-${state}`, {}, [["declaration_type", MESSAGE.duplicate]]);
      });

      describe("training period selection", () => {
        test("L352 multiple training periods with the caller: the latest started is used, not the one containing the declaration date", async () => {
          const d = await accepted(role, "multi", { declaration_date: at10(T(-150)) });
          expect((await stored(d.id)).trainingId).toBe(id(`${r(role, "multi")}-tp2`));
        });
        test("L380 a past finished and a future training period: the future one", async () => {
          const d = await accepted(role, "future", { declaration_date: at10(T(-100)) });
          expect((await stored(d.id)).trainingId).toBe(id(`${r(role, "future")}-tp2`));
        });
        test("L392,L396 only a future training period: it is used, and there is no course_identifier error", async () => {
          const d = await accepted(role, "only-future");
          expect((await stored(d.id)).trainingId).toBe(id(`${r(role, "only-future")}-tp`));
        });
      });

      describe("validate declaration types are in sequence order", () => {
        test("L452,L453,L460 2025, an existing `started` (1 July 2025): `completed` a week before is refused, two weeks after is valid", async () => {
          await refused(role, "seq-started", { declaration_type: "completed", declaration_date: "2025-06-24T00:00:00Z", evidence_held: "75-percent-engagement-met" }, [["declaration_date", MESSAGE.sequence]]);
          const d = await accepted(role, "seq-started", { declaration_type: "completed", declaration_date: "2025-07-15T00:00:00Z", evidence_held: "75-percent-engagement-met" });
          expect(d.attributes).toMatchObject({ declaration_type: "completed", declaration_date: "2025-07-15T00:00:00Z" });
        });
        test("L485,L486,L493 2025, an existing `completed` (1 August 2025): `started` a week after is refused, two weeks before is valid", async () => {
          await refused(role, "seq-completed", { declaration_date: "2025-08-08T00:00:00Z" }, [["declaration_date", MESSAGE.sequence]]);
          const d = await accepted(role, "seq-completed", { declaration_date: "2025-07-18T00:00:00Z" });
          expect(d.attributes).toMatchObject({ declaration_type: "started", declaration_date: "2025-07-18T00:00:00Z" });
        });
        if (role === "ect") {
          test("L530,L531,L538,L539,L547,L557 2025, existing `started` (10 September) and `completed` (1 November): retained-1 outside them is refused, inside is valid; extended-1 after completed is valid", async () => {
            const retained = (date: string) => ({ declaration_type: "retained-1", declaration_date: date });
            await refused(role, "seq-started-completed", retained("2025-09-09T00:00:00Z"), [["declaration_date", MESSAGE.sequence]]);
            await refused(role, "seq-started-completed", retained("2025-11-02T00:00:00Z"), [["declaration_date", MESSAGE.sequence]]);
            expect((await accepted(role, "seq-started-completed", retained("2025-09-11T00:00:00Z"))).attributes.declaration_type).toBe("retained-1");
            expect((await accepted(role, "seq-started-completed", { declaration_type: "extended-1", declaration_date: "2025-11-02T00:00:00Z" })).attributes.declaration_type).toBe("extended-1");
          });
        }
        test("L586 2024: `completed` before an existing `started` is valid (no sequence rule before 2025)", async () => {
          const d = await accepted(role, "seq24-started", { declaration_type: "completed", declaration_date: "2024-09-15T10:00:00Z" });
          expect(d.attributes).toMatchObject({ declaration_type: "completed", evidence_held: "training-event-attended" });
        });
        test("L609 2024: `started` after an existing `completed` is valid", async () => {
          const d = await accepted(role, "seq24-completed", { declaration_date: "2024-11-01T10:00:00Z" });
          expect(d.attributes).toMatchObject({ declaration_type: "started", evidence_held: null });
        });
      });
    });
  }
});

describe("spec/services/api/declarations/create_spec.rb #create", () => {
  for (const role of ROLES) {
    describe(`for ${role}`, () => {
      test("L633,L634 when invalid: refused (create is false) and no declaration is written", async () => {
        const before = await world();
        await refused(role, "invalid", { participant_id: crypto.randomUUID() }, [["participant_id", MESSAGE.participantUnknown]]);
        expect(await world()).toEqual(before);
      });
      test("L681 when valid: the declaration is created with the caller, teacher, latest training period, date, type, evidence, open statement, closest mentorship and the partnership's delivery partner", async () => {
        const before = await declarationCount();
        const d = await accepted(role, "svc");
        expect(await declarationCount()).toBe(before + 1);
        expect(d.attributes).toMatchObject({
          participant_id: id(r(role, "svc")),
          declaration_type: "started",
          declaration_date: BASE_DATE,
          evidence_held: "training-event-attended",
          statement_id: id("a25"),
          state: "eligible",
          mentor_id: role === "ect" ? id("mentor-1") : null,
          delivery_partner_id: id("dp1"),
        });
        const s = await stored(d.id);
        expect(s.trainingId).toBe(id(`${r(role, "svc")}-tp`));
        const shown = await v3Get(t, `${PATH}/${d.id}`, tok("a"));
        expect(shown.body.data).toEqual(d);
      });
    });
  }
});

// ---- spec/services/declarations/create_spec.rb ----

describe("spec/services/declarations/create_spec.rb #create", () => {
  for (const role of ROLES) {
    describe(`for ${role}`, () => {
      test("L58 creates a new declaration with correct attributes: one more, no statement, the mentorship (ECT), the evidence, not eligible", async () => {
        const before = await declarationCount();
        const d = await accepted(role, "dom");
        expect(await declarationCount()).toBe(before + 1);
        expect(d.attributes).toMatchObject({ statement_id: null, state: "submitted", evidence_held: "training-event-attended", mentor_id: role === "ect" ? id("mentor-1") : null });
        const s = await stored(d.id);
        expect(s.d).toMatchObject({ state: "submitted", evidence_held: "training-event-attended" });
        expect(s.d.statement ?? null).toBeNull();
      });
      test("L76 pupil premium and sparsity uplifts set on the school (2024, uplift fees enabled): copied onto a `started` declaration", async () => {
        const d = await accepted(role, "uplift24", { declaration_date: "2024-11-15T10:00:00Z" });
        expect((await stored(d.id)).d.uplifts).toEqual({ pupil_premium: true, sparsity: true });
        expect(d.attributes.uplift_paid).toBe(false);
      });
      test("L86 the declaration type is not started: no uplifts", async () => {
        const d = await accepted(role, "uplift24-completed", { declaration_type: "completed", declaration_date: "2024-11-15T10:00:00Z" });
        expect((await stored(d.id)).d.uplifts).toEqual({ pupil_premium: false, sparsity: false });
      });
      test("L99 the contract period does not have uplift fees enabled (2025): no uplifts although the school has them for 2025", async () => {
        const d = await accepted(role, "uplift25");
        expect((await stored(d.id)).d.uplifts).toEqual({ pupil_premium: false, sparsity: false });
      });
      test("L108 runs mentor completion: a mentor's `completed` ends the mentor's funding and training; an ECT's changes neither", async () => {
        const d = await accepted(role, "completion", { declaration_type: "completed", evidence_held: "75-percent-engagement-met" });
        const { teacher } = await stored(d.id);
        const period = (role === "ect" ? teacher.ect_periods : teacher.mentor_periods)[0];
        if (role === "mentor") {
          expect(teacher.funding).toMatchObject({ mentor_ineligible_on: "2025-11-15", mentor_ineligible_reason: "completed_declaration_received" });
          // the declaration date is before the period's start: finished the day after its start (mentor_completion.rb:58-64)
          expect(period.training[0].finished_on).toBe(T(-182));
          const participant = await v3Get(t, `/api/v3/participants/${id(r(role, "completion"))}`, tok("a"));
          expect(participant.body.data.attributes.ecf_enrolments).toHaveLength(1);
          expect(participant.body.data.attributes.ecf_enrolments[0]).toMatchObject({ mentor_funding_end_date: "2025-11-15", mentor_ineligible_for_funding_reason: "completed_declaration_received" });
        } else {
          expect(teacher.funding?.mentor_ineligible_on ?? null).toBeNull();
          expect(period.training[0].finished_on).toBe(T(60));
        }
      });
      test("L121,L127 teacher eligible for funding: `eligible`, on the payment statement", async () => {
        const d = await accepted(role, "fundable-completed", { declaration_type: "completed", evidence_held: "75-percent-engagement-met" });
        expect(d.attributes).toMatchObject({ state: "eligible", statement_id: id("a25") });
        expect((await stored(d.id)).d).toMatchObject({ state: "eligible", statement: id("a25") });
      });
    });
  }
});
