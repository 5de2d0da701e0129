/**
 * POST /api/v3/participant-declarations (docs/reference/rect/rules.md §10.5-10.6, §3.1-3.3) end to
 * end: status, exact error bodies in RECT's order, the document, and what is written (state,
 * statement, uplifts, mentorship, mentor completion). Each case names the RECT spec example it
 * reproduces (spec/services/api/declarations/create_spec.rb, spec/requests/api/v3/declarations_spec.rb,
 * spec/support/shared_contexts/api/create_endpoint.rb at 0fe31d1aa).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement, v3Call, errorsText } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const PATH = "/api/v3/participant-declarations";

const ectTeacher = (ref: string, training: Record<string, unknown>[], extra: Record<string, unknown> = {}, period: Record<string, unknown> = {}) => ({
  ref,
  ...extra,
  ect_periods: [{ ref: `${ref}e`, school: "s1", started_on: "2024-07-01", training, ...period }],
});

const post = (token: string, attributes: Record<string, unknown>, options: { headers?: Record<string, string>; raw?: string } = {}) =>
  v3Call(t, "POST", PATH, { token, body: options.raw ?? { data: { type: "participant-declaration", attributes } }, headers: options.headers });
const errors = errorsText;
const attrs = (participant: string, extra: Record<string, unknown> = {}) => ({
  participant_id: id(participant),
  declaration_type: "started",
  declaration_date: "2024-10-01T10:00:00Z",
  course_identifier: "ecf-induction",
  evidence_held: "training-event-attended",
  ...extra,
});
async function worldDeclaration(apiId: string): Promise<any> {
  const world = (await t.admin("GET", "/admin/v3/world")).body;
  for (const teacher of world.teachers)
    for (const period of [...(teacher.ect_periods ?? []), ...(teacher.mentor_periods ?? [])])
      for (const training of period.training ?? []) for (const d of training.declarations ?? []) if (d.id === apiId) return { d, training, teacher, world };
  throw new Error(`no declaration ${apiId}`);
}
async function worldTeacher(apiId: string): Promise<any> {
  return (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === apiId);
}

const ECT_FUNDED = { funding: { ect_eligible_at: "now-300d" } };

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2022, 2024, 2025]), lp("b", [2024, 2025]), lp("c", [2025])],
    delivery_partners: [
      { ref: "dp1", name: "Create DP One", partnered_with: [{ lead_provider: "a", cohorts: [2022, 2024, 2025] }] },
      { ref: "dp2", name: "Create DP Two", partnered_with: [{ lead_provider: "b", cohorts: [2024, 2025] }, { lead_provider: "c", cohorts: [2025] }] },
    ],
    schools: [{ ref: "s1", urn: "300001", name: "Create School", funding: { "2024": { pupil_premium_uplift: true, sparsity_uplift: false } } }],
    partnerships: [
      { ref: "pa22", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2022 },
      { ref: "pa24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "pa25", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pb25", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
      { ref: "pc25", school: "s1", lead_provider: "c", delivery_partner: "dp2", cohort: 2025 },
    ],
    statements: [
      statement("a24later", "a", 2024, 4, 2030),
      statement("a24", "a", 2024, 11, 2029),
      statement("a24payable", "a", 2024, 8, 2029, { status: "payable" }),
      statement("a25", "a", 2025, 11, 2029),
      statement("b25", "b", 2025, 11, 2029),
      statement("c25payable", "c", 2025, 11, 2029, { status: "payable" }),
    ],
    teachers: [
      { ref: "mentorA", mentor_periods: [{ ref: "mA", school: "s1", started_on: "2024-06-01" }] },
      { ref: "mentorB", mentor_periods: [{ ref: "mB", school: "s1", started_on: "2024-06-01" }] },
      ectTeacher("e24", [{ ref: "e24tp", partnership: "pa24", schedule: "ecf-standard-september", started_on: "2024-09-01" }], ECT_FUNDED, {
        mentorships: [
          { mentor: "mA", started_on: "2024-07-01", finished_on: "2024-09-15" },
          { mentor: "mB", started_on: "2024-12-01" },
        ],
      }),
      ectTeacher("e24b", [{ partnership: "pa24", schedule: "ecf-standard-september", started_on: "2024-09-01" }]),
      ectTeacher("e24n", [{ partnership: "pa24", schedule: "ecf-standard-september", started_on: "2024-09-01" }]),
      ectTeacher("e25form", [{ partnership: "pa25", schedule: "ecf-standard-september", started_on: "2025-09-01" }]),
      ectTeacher("ew24", [{ partnership: "pa24", schedule: "ecf-standard-september", started_on: "2024-09-01", finished_on: "2024-10-01", withdrawn: { at: "2024-10-01T09:00:00Z", reason: "other" } }]),
      ectTeacher("fz", [{ partnership: "pa22", schedule: "ecf-standard-september", started_on: "2022-09-01" }], {}, { started_on: "2022-07-01" }),
      ectTeacher("fzf", [{ partnership: "pa22", schedule: "ecf-standard-september", started_on: "2022-09-01" }], ECT_FUNDED, { started_on: "2022-07-01" }),
      ectTeacher("e25", [{ partnership: "pa25", schedule: "ecf-standard-september", started_on: "2025-09-01", declarations: [{ ref: "e25started", type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other" }] }], ECT_FUNDED),
      ectTeacher("e25b", [{ partnership: "pa25", schedule: "ecf-standard-september", started_on: "2025-09-01" }]),
      ectTeacher("c25", [{ partnership: "pc25", schedule: "ecf-standard-september", started_on: "2025-09-01" }], ECT_FUNDED),
      ectTeacher("c25nf", [{ partnership: "pc25", schedule: "ecf-standard-september", started_on: "2025-09-01" }]),
      // the set-up of the create spec's "a past finished training period and a future training period" context: a past finished period and a future one with the same provider
      ectTeacher(
        "efut",
        [
          { partnership: "pa24", schedule: "ecf-standard-september", started_on: "2024-09-01", finished_on: "2025-06-30" },
          { partnership: "pa25", schedule: "ecf-standard-september", started_on: "today+30d" },
        ],
        {},
      ),
      {
        ref: "m25",
        funding: { mentor_eligible_at: "now-300d" },
        mentor_periods: [{ ref: "m25p", school: "s1", started_on: "2025-07-01", training: [{ ref: "m25tp", partnership: "pa25", schedule: "ecf-standard-september", started_on: "2025-09-01" }] }],
      },
      // previous provider b declared the mentor's started; a duplicate with a is refused (step 9 is teacher-wide)
      {
        ref: "mx",
        mentor_periods: [
          {
            school: "s1",
            started_on: "2025-07-01",
            training: [
              { partnership: "pb25", schedule: "ecf-standard-september", started_on: "2025-09-01", finished_on: "2025-12-31", declarations: [{ type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other" }] },
              { partnership: "pa25", schedule: "ecf-standard-september", started_on: "2026-01-01" },
            ],
          },
        ],
      },
    ],
  });
});
afterAll(() => t.close());

describe("a valid declaration (spec/requests/api/v3/declarations_spec.rb:115 \"an API create endpoint\")", () => {
  test('create_endpoint.rb "creates and returns the resource in a serialized format" and spec/services/api/declarations/create_spec.rb:681 "creates a new declaration via declarations create service": 200, eligible on the next open output statement, uplift copied, evidence discarded (2024 started), closest mentorship', async () => {
    const before = Date.now();
    const r = await post(tok("a"), attrs("e24", { evidence_held: "anything-goes" }));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const d = r.body.data;
    expect(Object.keys(d)).toEqual(["id", "type", "attributes"]);
    expect(Object.keys(d.attributes)).toEqual([
      "participant_id", "declaration_type", "course_identifier", "declaration_date", "mentor_id", "state", "updated_at", "created_at",
      "delivery_partner_id", "statement_id", "clawback_statement_id", "ineligible_for_funding_reason", "uplift_paid", "evidence_held", "lead_provider_name",
    ]);
    expect(d.attributes).toMatchObject({
      participant_id: id("e24"),
      declaration_type: "started",
      course_identifier: "ecf-induction",
      declaration_date: "2024-10-01T10:00:00Z",
      // closest_to: 2024-09-15 (16 days) is nearer than 2024-12-01 (61 days)
      mentor_id: id("mentorA"),
      state: "eligible",
      delivery_partner_id: id("dp1"),
      // the open one with the earliest deadline ≥ today (not the payable one)
      statement_id: id("a24"),
      clawback_statement_id: null,
      ineligible_for_funding_reason: null,
      uplift_paid: false,
      evidence_held: null,
    });
    expect(Date.parse(d.attributes.created_at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(d.attributes.updated_at).toBe(d.attributes.created_at);
    const { d: stored } = await worldDeclaration(d.id);
    expect(stored).toMatchObject({ state: "eligible", statement: id("a24"), uplifts: { pupil_premium: true, sparsity: false } });
    // GET shows the same document
    const shown = await v3Get(t, `${PATH}/${d.id}`, tok("a"));
    expect(shown.text).toBe(r.text);
  });
  test('spec/services/api/declarations/create_spec.rb:320,321 "when a duplicate declaration already exists" (payment status eligible): the exact copy is refused (the swagger says otherwise, Appendix A 1)', async () => {
    const r = await post(tok("a"), attrs("e24", { evidence_held: "anything-goes" }));
    expect(r.status).toBe(422);
    expect(r.text).toBe(errors(["declaration_type", "A declaration has already been submitted that will be, or has been, paid for this event."]));
  });
  test('spec/services/api/declarations/create_spec.rb:196 "when not eligible for funding": submitted, no statement', async () => {
    const r = await post(tok("a"), attrs("e24n"));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ state: "submitted", statement_id: null, mentor_id: null });
  });
  test('spec/services/api/declarations/create_spec.rb:380 "selects the future training period": the latest started period with the caller, even in the future (its 2025 schedule)', async () => {
    // a 2024 `retained-1` window would refuse this date; the future period's 2025 schedule has no end
    const r = await post(tok("a"), attrs("efut", { declaration_type: "started", declaration_date: "2025-10-01T10:00:00Z", evidence_held: "materials-engaged-with-offline" }));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.evidence_held).toBe("materials-engaged-with-offline");
  });
  test("a form-encoded body is read as Rails reads it (docs/reference/rect/rules.md §0)", async () => {
    const form = new URLSearchParams({
      "data[type]": "participant-declaration",
      "data[attributes][participant_id]": id("e25form"),
      "data[attributes][declaration_type]": "started",
      "data[attributes][declaration_date]": "2025-10-01T10:00:00",
      "data[attributes][course_identifier]": "ecf-induction",
      "data[attributes][evidence_held]": "other",
    }).toString();
    const r = await post(tok("a"), {}, { raw: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(200);
    // no offset: London time (BST in October), docs/reference/rect/rules.md §10.5.1
    expect(r.body.data.attributes.declaration_date).toBe("2025-10-01T09:00:00Z");
  });
});

describe("the checks in order (spec/services/api/declarations/create_spec.rb validations, docs/reference/rect/rules.md §10.5)", () => {
  const cases: [string, string, Record<string, unknown>, string, [string, string][]][] = [
    ['spec/services/api/declarations/create_spec.rb:82,83 "when the teacher does not exist"', "a", { participant_id: "non-existent-participant-id" }, "e24b", [["participant_id", "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."]]],
    ["an unknown participant and a bad date: step 2 and step 12 (docs/reference/rect/rules.md §10.5 notes)", "a", { participant_id: crypto.randomUUID(), declaration_date: "2024-10-01" }, "e24b", [
      ["participant_id", "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."],
      ["declaration_date", "Enter a valid RCF3339 '#/declaration_date'."],
    ]],
    ['spec/services/api/declarations/create_spec.rb:102 "when a nil teacher type is provided"', "a", { course_identifier: null }, "e24b", [["course_identifier", "Enter a '#/course_identifier'."]]],
    ["an unknown course_identifier is a missing one (teacher_type.rb:7-16)", "a", { course_identifier: "ecf-other" }, "e24b", [["course_identifier", "Enter a '#/course_identifier'."]]],
    ['spec/services/api/declarations/create_spec.rb:68,69 "when a matching training period does not exist (different teacher type)"', "a", { course_identifier: "ecf-mentor" }, "e24b", [["course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again."]]],
    ['spec/services/api/declarations/create_spec.rb:75,76 "when a matching training period does not exist (different lead provider)"', "b", {}, "e24b", [["participant_id", "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."]]],
    ["another provider's participant with a future date: step 10 runs before step 20", "b", { declaration_date: "2099-01-01T00:00:00Z" }, "e24b", [
      ["declaration_date", "The '#/declaration_date' value cannot be a future date. Check the date and try again."],
      ["participant_id", "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."],
    ]],
    ['spec/services/api/declarations/create_spec.rb:108,109 "when `declaration_date` is nil"', "a", { declaration_date: null }, "e24b", [["declaration_date", "Enter a '#/declaration_date'."]]],
    ['spec/services/api/declarations/create_spec.rb:115,116 "when `declaration_date` is in the future"', "a", { declaration_date: "2099-01-01T00:00:00Z" }, "e24b", [["declaration_date", "The '#/declaration_date' value cannot be a future date. Check the date and try again."]]],
    ['spec/services/api/declarations/create_spec.rb:122,123 "when `declaration_date` is not in the correct format" (`to_s`)', "a", { declaration_date: "2024-10-01 10:00:00 +0000" }, "e24b", [["declaration_date", "Enter a valid RCF3339 '#/declaration_date'."]]],
    ['spec/services/api/declarations/create_spec.rb:130,131 "when `declaration_type` is nil"', "a", { declaration_type: null }, "e24b", [["declaration_type", "Enter a '#/declaration_type'."]]],
    ['spec/requests/api/v3/declarations_spec.rb:122 "when the `declaration_type` is invalid"', "a", { declaration_type: "invalid" }, "e24b", [["declaration_type", "Enter a valid declaration type."]]],
    ['spec/services/api/declarations/create_spec.rb:137,138 "when `evidence_type` is invalid for the given `declaration_type`" (2024 retained-1)', "a", { declaration_type: "retained-1", declaration_date: "2025-02-01T10:00:00Z", evidence_held: "75-percent-engagement-met" }, "e24b", [["evidence_held", "Enter an available '#/evidence_held' type for this participant."]]],
    ["a 2024 retained-1 without evidence (evidence_type_validator.rb:22-27)", "a", { declaration_type: "retained-1", declaration_date: "2025-02-01T10:00:00Z", evidence_held: null }, "e24b", [["evidence_held", "Enter a '#/evidence_held' value for this participant."]]],
    ['spec/services/api/declarations/create_spec.rb:146,147 "when milestone does not exist" (extended-1 on a standard schedule)', "a", { declaration_type: "extended-1", evidence_held: "other" }, "e24b", [["declaration_type", "The property '#/declaration_type' does not exist for this schedule."]]],
    ['spec/services/api/declarations/create_spec.rb:153,154 "when declaration date does not match the milestone start date": 23:00Z on 31 December is before 00:00 London on 1 January', "a", { declaration_type: "retained-1", declaration_date: "2024-12-31T23:59:59Z", evidence_held: "other" }, "e24b", [["declaration_date", "Declaration date must be on or after the milestone start date for the same declaration type."]]],
    ['spec/services/api/declarations/create_spec.rb:160,161 "when declaration date does not match the milestone date": 23:30Z on 31 March 2025 is 00:30 London on 1 April', "a", { declaration_type: "retained-1", declaration_date: "2025-03-31T23:30:00Z", evidence_held: "other" }, "e24b", [["declaration_date", "Declaration date must be on or before the milestone date for the same declaration type."]]],
    ['spec/services/api/declarations/create_spec.rb:171,172 "when teacher withdrew before the declaration date": the withdrawal instant itself is refused', "a", { participant_id: id0("ew24"), declaration_date: "2024-10-01T09:00:00Z" }, "e24b", [["participant_id", "This participant withdrew from this course on 2024-10-01T09:00:00Z. Enter a '#/declaration_date' that's on or before the withdrawal date."]]],
    ['spec/services/api/declarations/create_spec.rb:248,249 "frozen contract period … but participant is not eligible for funding"', "a", { participant_id: id0("fz"), declaration_date: "2022-10-01T10:00:00Z" }, "e24b", [["cohort", "You cannot submit declarations for the 2022 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us."]]],
    ['spec/services/api/declarations/create_spec.rb:238,239 "frozen contract period and participant is eligible for funding": frozen, then no statement', "a", { participant_id: id0("fzf"), declaration_date: "2022-10-01T10:00:00Z" }, "e24b", [["cohort", "You cannot submit declarations for the 2022 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us."]]],
    ['spec/services/api/declarations/create_spec.rb:223,224 "when payment statement is not open" (fundable, only a payable statement)', "c", { participant_id: id0("c25"), declaration_date: "2025-10-01T10:00:00Z", evidence_held: "other" }, "e24b", [["cohort", "You cannot submit or void declarations for the 2025 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us."]]],
    ["2025 started without evidence (detailed evidence types, docs/reference/rect/rules.md §10.5.2)", "a", { participant_id: id0("e25b"), declaration_date: "2025-10-01T10:00:00Z", evidence_held: null }, "e24b", [["evidence_held", "Enter a '#/evidence_held' value for this participant."]]],
    ["2025 ECT retained-2 with a simple evidence (Appendix A 10: only the 75-percent values)", "a", { participant_id: id0("e25"), declaration_type: "retained-2", declaration_date: "2025-11-01T10:00:00Z", evidence_held: "other" }, "e24b", [["evidence_held", "Enter an available '#/evidence_held' type for this participant."]]],
    ['spec/services/api/declarations/create_spec.rb:452,453 "when `completed` is submitted before `started` declaration date" (2025 sequence)', "a", { participant_id: id0("e25"), declaration_type: "completed", declaration_date: "2025-09-30T10:00:00Z", evidence_held: "75-percent-engagement-met" }, "e24b", [["declaration_date", "This '#/declaration_date' is invalid. Check that it is in sequence with existing declaration dates for this participant."]]],
    ['spec/services/api/declarations/create_spec.rb:179,180 "when declaration type is not started or completed" (a 2025 mentor)', "a", { participant_id: id0("m25"), course_identifier: "ecf-mentor", declaration_type: "retained-1", declaration_date: "2025-10-01T10:00:00Z", evidence_held: "other" }, "e24b", [["declaration_type", "You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration."]]],
    ["a previous provider's billable declaration of the type blocks (step 9 is teacher-wide for the role)", "a", { participant_id: id0("mx"), course_identifier: "ecf-mentor", declaration_date: "2025-10-02T10:00:00Z", evidence_held: "other" }, "e24b", [["declaration_type", "A declaration has already been submitted that will be, or has been, paid for this event."]]],
    ["a missing course reads the mentor periods (create.rb:59-61): the mentor-funding check still runs", "a", { participant_id: id0("m25"), course_identifier: null, declaration_type: "retained-1", declaration_date: "2025-10-01T10:00:00Z" }, "e24b", [
      ["course_identifier", "Enter a '#/course_identifier'."],
      ["declaration_type", "You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration."],
    ]],
  ];
  for (const [name, caller, extra, participant, expected] of cases) {
    test(name, async () => {
      const attributes = attrs(participant, Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === "string" && v.startsWith("ref:") ? id(v.slice(4)) : v])));
      const r = await post(tok(caller), attributes);
      expect(r.text).toBe(errors(...expected));
      expect(r.status).toBe(422);
    });
  }
  test("a date Ruby cannot compare is RECT's 400 with the Ruby message (docs/reference/rect/rules.md §10.5.1)", async () => {
    const r = await post(tok("a"), attrs("e24b", { declaration_date: "foo" }));
    expect(r.status).toBe(400);
    expect(r.text).toBe(errors(["Bad request", "comparison of String with ActiveSupport::TimeWithZone failed"]));
    const n = await post(tok("a"), attrs("e24b", { declaration_date: 20241001 }));
    expect(n.text).toBe(errors(["Bad request", "comparison of Integer with ActiveSupport::TimeWithZone failed"]));
  });
  test("nothing is written by a refused POST", async () => {
    const before = (await t.admin("GET", "/admin/v3/world")).body;
    await post(tok("a"), attrs("e24b", { declaration_date: "2099-01-01T00:00:00Z" }));
    expect((await t.admin("GET", "/admin/v3/world")).body).toEqual(before);
  });
});

function id0(ref: string) {
  return `ref:${ref}`;
}

describe("mentor completion (app/services/declarations/mentor_completion.rb:10-24)", () => {
  test("spec/services/declarations/mentor_completion_spec.rb:26,36: a mentor's completed declaration sets the funding end and finishes the open training period on its date", async () => {
    const r = await post(tok("a"), attrs("m25", { course_identifier: "ecf-mentor", declaration_type: "completed", declaration_date: "2025-11-01T10:00:00Z", evidence_held: "75-percent-engagement-met" }));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ state: "eligible", statement_id: id("a25"), course_identifier: "ecf-mentor", mentor_id: null });
    const teacher = await worldTeacher(id("m25"));
    expect(teacher.funding).toMatchObject({ mentor_ineligible_on: "2025-11-01", mentor_ineligible_reason: "completed_declaration_received" });
    expect(teacher.mentor_periods[0].training[0].finished_on).toBe("2025-11-01");
    const participant = await v3Get(t, `${PATH}?filter[participant_id]=${id("m25")}`, tok("a"));
    expect(participant.body.data.map((x: any) => x.id)).toEqual([r.body.data.id]);
  });
});

describe("the body (create_endpoint.rb:32-47, docs/reference/rect/rules.md §3.1, §3.3)", () => {
  const BAD = errors(["Bad request", "Correct json data structure required. See API docs for reference."]);
  for (const [name, raw] of [
    ['create_endpoint.rb:32 {not_a_valid: "body"}', '{"not_a_valid":"body"}'],
    ["data {}", '{"data":{}}'],
    ["data null", '{"data":null}'],
    ["no attributes", '{"data":{"type":"participant-declaration"}}'],
    ["attributes empty", '{"data":{"attributes":{}}}'],
    ["only unknown attributes", '{"data":{"attributes":{"foo":"bar"}}}'],
    ["attributes an array", '{"data":{"attributes":["participant_id"]}}'],
    ["data a string (RECT: 500)", '{"data":"x"}'],
    ["data a list (RECT: 500)", '{"data":[1]}'],
    ["an empty body", ""],
  ] as const) {
    test(`400: ${name}`, async () => {
      const r = await post(tok("a"), {}, { raw });
      expect(r.status).toBe(400);
      expect(r.text).toBe(BAD);
      expect(r.type).toBe("application/json; charset=utf-8");
    });
  }
  test("malformed JSON is a 400 in the errors shape (RECT: an empty text/html 400)", async () => {
    const r = await post(tok("a"), {}, { raw: '{"data":' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].title).toBe("Bad request");
  });
  test('create_endpoint.rb:40 "when extra params are sent": ignored; an object value is dropped (so missing)', async () => {
    const r = await post(tok("a"), { ...attrs("e24b"), participant_id: { id: id("e24b") }, extra: "ignored" });
    expect(r.text).toBe(errors(["participant_id", "Enter a '#/participant_id'."]));
  });
  test("no token: 401 before the body is read", async () => {
    const r = await post("", attrs("e24b"), { raw: "not json" });
    expect(r.status).toBe(401);
    expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
  });
});
