/**
 * RECT's EvidenceTypeValidator and DeclarationDateWithinMilestoneValidator
 * (app/validators/evidence_type_validator.rb, app/validators/declaration_date_within_milestone_validator.rb
 * at 0fe31d1aa; docs/reference/rect/rules.md §10.5 steps 11, 11b, 14 and §10.5.2), shown through
 * POST /api/v3/participant-declarations: each row is one declaration type / evidence_held / cohort
 * (simple evidence types: 2024; detailed: 2025) / role combination and names the spec example it
 * reproduces. What the API adds around the validator: the title and detail say `evidence_held`
 * (config/api_error_mappings.yml), and `API::Declarations::Create#evidence_type`
 * (app/services/api/declarations/create.rb:77-79) hands the validator nil when
 * `evidence_type_allowed?` is false, so a simple-cohort `started` evidence is never checked and
 * is stored as null.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario, postDeclaration, errorsText } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const PATH = "/api/v3/participant-declarations";

type Role = "ect" | "mentor";
type Cohort = 2024 | 2025;
const partnershipOf = (cohort: Cohort) => (cohort === 2024 ? "p24" : "p25");
const trainingStart = (cohort: Cohort) => (cohort === 2024 ? "2024-09-01" : "2025-09-01");

/** A teacher of `role` training with lead provider `a` in `cohort` (not fundable: declarations stay `submitted`). */
function teacher(ref: string, role: Role, cohort: Cohort) {
  const period = { school: "s1", started_on: cohort === 2024 ? "2024-06-01" : "2025-06-01", training: [{ partnership: partnershipOf(cohort), schedule: "ecf-standard-september", started_on: trainingStart(cohort) }] };
  return role === "ect" ? { ref, ect_periods: [period] } : { ref, mentor_periods: [period] };
}

/** A date inside the cohort's ecf-standard-september milestone for the type (db/data/rect/schedules.csv). */
function dateFor(cohort: Cohort, type: string): string {
  if (cohort === 2024) return type === "started" ? "2024-10-01T10:00:00Z" : "2025-02-01T10:00:00Z"; // retained-1: 2025-01-01..2025-03-31
  return type === "started" ? "2025-10-01T10:00:00Z" : "2025-11-01T10:00:00Z"; // 2025: every milestone from 2025-06-01, no end
}

const post = (token: string, attributes: Record<string, unknown>) => postDeclaration(t, token, attributes);
const errors = errorsText;
const BLANK = errors(["evidence_held", "Enter a '#/evidence_held' value for this participant."]);
const UNAVAILABLE = errors(["evidence_held", "Enter an available '#/evidence_held' type for this participant."]);

async function storedEvidence(apiId: string): Promise<string | null> {
  const world = (await t.admin("GET", "/admin/v3/world")).body;
  for (const x of world.teachers)
    for (const period of [...(x.ect_periods ?? []), ...(x.mentor_periods ?? [])])
      for (const training of period.training ?? []) for (const d of training.declarations ?? []) if (d.id === apiId) return d.evidence_held ?? null;
  throw new Error(`no declaration ${apiId}`);
}

/**
 * [name citing the example(s), role, cohort, declaration_type, evidence_held (undefined: not sent),
 * expected: an error body, or `{ stored }` — 200 `submitted` with `evidence_held` as stored].
 */
type Row = [string, Role, Cohort, string, string | null | undefined, string | { stored: string | null }];
const ROWS: Row[] = [
  // ECT, simple evidence types (2024)
  [`evidence_type_validator_spec.rb:40 ECT, simple, started, evidence not present: valid; evidence_type_validator_spec.rb:328 evidence_type_required? is false (started, detailed not enabled)`, "ect", 2024, "started", undefined, { stored: null }],
  [`evidence_type_validator_spec.rb:58 ECT, simple, started, other: valid; evidence_type_validator_spec.rb:363 evidence_type_allowed? is false, so it is stored as null`, "ect", 2024, "started", "other", { stored: null }],
  ["ECT, simple, started, one-term-induction: the validator's error (evidence_type_validator_spec.rb, line 48) never shows over HTTP, create.rb:77-79 discards the value first", "ect", 2024, "started", "one-term-induction", { stored: null }],
  [`evidence_type_validator_spec.rb:70 ECT, simple, retained-1, evidence not present: one error, Enter a value; evidence_type_validator_spec.rb:341 evidence_type_required? is true (not started)`, "ect", 2024, "retained-1", null, BLANK],
  [`evidence_type_validator_spec.rb:80 ECT, simple, retained-1, one-term-induction: one error, Enter an available type`, "ect", 2024, "retained-1", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:91 ECT, simple, retained-1, training-event-attended: valid; evidence_type_validator_spec.rb:369 evidence_type_allowed? is true, the value is stored`, "ect", 2024, "retained-1", "training-event-attended", { stored: "training-event-attended" }],
  [`evidence_type_validator_spec.rb:91 ECT, simple, retained-1, self-study-material-completed: valid`, "ect", 2024, "retained-1", "self-study-material-completed", { stored: "self-study-material-completed" }],
  [`evidence_type_validator_spec.rb:91 ECT, simple, retained-1, other: valid`, "ect", 2024, "retained-1", "other", { stored: "other" }],
  ["ECT, simple, retained-1, materials-engaged-with-offline (a detailed-only value): Enter an available type (SIMPLE_EVIDENCE_TYPES, evidence_type_validator.rb:2-6)", "ect", 2024, "retained-1", "materials-engaged-with-offline", UNAVAILABLE],
  // ECT, detailed evidence types (2025)
  [`evidence_type_validator_spec.rb:108 ECT, detailed, started, evidence not present: one error, Enter a value; evidence_type_validator_spec.rb:334 evidence_type_required? is true (started, detailed enabled)`, "ect", 2025, "started", null, BLANK],
  [`evidence_type_validator_spec.rb:118 ECT, detailed, started, one-term-induction: one error, Enter an available type`, "ect", 2025, "started", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:128 ECT, detailed, started, other: valid; evidence_type_validator_spec.rb:385 evidence_type_allowed? is true for started, the value is stored`, "ect", 2025, "started", "other", { stored: "other" }],
  [`evidence_type_validator_spec.rb:140 ECT, detailed, retained-1, evidence not present: one error, Enter a value`, "ect", 2025, "retained-1", undefined, BLANK],
  [`evidence_type_validator_spec.rb:150 ECT, detailed, retained-1, one-term-induction: one error, Enter an available type`, "ect", 2025, "retained-1", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:160 ECT, detailed, retained-1, other: valid; evidence_type_validator_spec.rb:391 evidence_type_allowed? is true for retained-1, the value is stored`, "ect", 2025, "retained-1", "other", { stored: "other" }],
  // Mentor, simple evidence types (2024: mentor funding not enabled, so retained-1 is allowed)
  [`evidence_type_validator_spec.rb:180 mentor, simple, started, evidence not present: valid`, "mentor", 2024, "started", undefined, { stored: null }],
  [`evidence_type_validator_spec.rb:198 mentor, simple, started, other: valid (stored as null)`, "mentor", 2024, "started", "other", { stored: null }],
  ["mentor, simple, started, one-term-induction: the validator's error (evidence_type_validator_spec.rb, line 188) never shows over HTTP, the value is discarded first", "mentor", 2024, "started", "one-term-induction", { stored: null }],
  [`evidence_type_validator_spec.rb:210 mentor, simple, retained-1, evidence not present: one error, Enter a value`, "mentor", 2024, "retained-1", null, BLANK],
  [`evidence_type_validator_spec.rb:220 mentor, simple, retained-1, one-term-induction: one error, Enter an available type`, "mentor", 2024, "retained-1", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:231 mentor, simple, retained-1, training-event-attended: valid`, "mentor", 2024, "retained-1", "training-event-attended", { stored: "training-event-attended" }],
  [`evidence_type_validator_spec.rb:231 mentor, simple, retained-1, self-study-material-completed: valid`, "mentor", 2024, "retained-1", "self-study-material-completed", { stored: "self-study-material-completed" }],
  [`evidence_type_validator_spec.rb:231 mentor, simple, retained-1, other: valid`, "mentor", 2024, "retained-1", "other", { stored: "other" }],
  // Mentor, detailed evidence types (2025)
  [`evidence_type_validator_spec.rb:248 mentor, detailed, started, evidence not present: one error, Enter a value`, "mentor", 2025, "started", null, BLANK],
  [`evidence_type_validator_spec.rb:258 mentor, detailed, started, one-term-induction: one error, Enter an available type`, "mentor", 2025, "started", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:268 mentor, detailed, started, other: valid (stored)`, "mentor", 2025, "started", "other", { stored: "other" }],
  [`evidence_type_validator_spec.rb:280 mentor, detailed, completed, evidence not present: one error, Enter a value`, "mentor", 2025, "completed", undefined, BLANK],
  [`evidence_type_validator_spec.rb:290 mentor, detailed, completed, one-term-induction (an ECT-only completed value): one error, Enter an available type`, "mentor", 2025, "completed", "one-term-induction", UNAVAILABLE],
  [`evidence_type_validator_spec.rb:300 mentor, detailed, completed, 75-percent-engagement-met: valid (stored)`, "mentor", 2025, "completed", "75-percent-engagement-met", { stored: "75-percent-engagement-met" }],
  // API::Declarations::Create's own example (its factories' contract period has detailed evidence types)
  ["spec/services/api/declarations/create_spec.rb:137,138 ECT, detailed, started, 75-percent-engagement-met (a completed value): one error only, Enter an available type", "ect", 2025, "started", "75-percent-engagement-met", UNAVAILABLE],
  ["spec/services/api/declarations/create_spec.rb:137,138 mentor, detailed, started, 75-percent-engagement-met: one error only, Enter an available type", "mentor", 2025, "started", "75-percent-engagement-met", UNAVAILABLE],
];

const rowRef = (i: number) => `r${i}`;
/** the flag tests' teachers */
const FLAG_TEACHERS = [teacher("f24", "ect", 2024), teacher("f25", "ect", 2025), teacher("f25b", "ect", 2025), teacher("f25m", "mentor", 2025)];
/** the milestone tests' teachers: one per valid case, each with a fresh slot */
const MILESTONE_TEACHERS = ["m1", "m2", "m3", "m4", "m5"].map((ref) => teacher(ref, "ect", 2024));

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025])],
    delivery_partners: [{ ref: "dp1", name: "Evidence DP", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] }],
    schools: [{ ref: "s1", urn: "500001", name: "Evidence School" }],
    partnerships: [
      { ref: "p24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "p25", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
    ],
    teachers: [...ROWS.map(([, role, cohort], i) => teacher(rowRef(i), role, cohort)), ...FLAG_TEACHERS, ...MILESTONE_TEACHERS],
  });
});
afterAll(() => t.close());

describe("EvidenceTypeValidator #validate over POST (spec/validators/evidence_type_validator_spec.rb)", () => {
  ROWS.forEach(([name, role, cohort, type, evidence, expected], i) => {
    test(name, async () => {
      const attributes: Record<string, unknown> = {
        participant_id: id(rowRef(i)),
        declaration_type: type,
        declaration_date: dateFor(cohort, type),
        course_identifier: role === "ect" ? "ecf-induction" : "ecf-mentor",
      };
      if (evidence !== undefined) attributes.evidence_held = evidence;
      const r = await post(tok("a"), attributes);
      if (typeof expected === "string") {
        // "has a meaningful error": invalid, one error only, that error
        expect(r.text).toBe(expected);
        expect(r.status).toBe(422);
      } else {
        expect(r.status).toBe(200);
        expect(r.body.data.attributes).toMatchObject({ participant_id: id(rowRef(i)), declaration_type: type, state: "submitted", evidence_held: expected.stored });
        expect(await storedEvidence(r.body.data.id)).toBe(expected.stored);
      }
    });
  });
});

describe("the contract period's flag, not the year, decides (evidence_type_validator.rb:22-34, PUT /admin/v3/contract-periods/{year})", () => {
  const flag = async (year: number, on: boolean) => {
    const r = await t.admin("PUT", `/admin/v3/contract-periods/${year}`, { detailed_evidence_types_enabled: on });
    expect(r.status).toBe(200);
  };
  test(`evidence_type_validator_spec.rb:334 detailed evidence types enabled on 2024: a 2024 started without evidence is refused (evidence_type_required? true)`, async () => {
    await flag(2024, true);
    try {
      const r = await post(tok("a"), { participant_id: id("f24"), declaration_type: "started", declaration_date: dateFor(2024, "started"), course_identifier: "ecf-induction" });
      expect(r.text).toBe(BLANK);
      expect(r.status).toBe(422);
    } finally {
      await flag(2024, false);
    }
  });
  test(`evidence_type_validator_spec.rb:328,363 detailed evidence types disabled on 2025: a started without evidence is accepted, and a started evidence is discarded (not required, not allowed)`, async () => {
    await flag(2025, false);
    try {
      const none = await post(tok("a"), { participant_id: id("f25"), declaration_type: "started", declaration_date: dateFor(2025, "started"), course_identifier: "ecf-induction" });
      expect(none.status).toBe(200);
      expect(none.body.data.attributes.evidence_held).toBeNull();
      const given = await post(tok("a"), { participant_id: id("f25b"), declaration_type: "started", declaration_date: dateFor(2025, "started"), course_identifier: "ecf-induction", evidence_held: "one-term-induction" });
      expect(given.status).toBe(200);
      expect(given.body.data.attributes.evidence_held).toBeNull();
      expect(await storedEvidence(given.body.data.id)).toBeNull();
      // simple types apply to a 2025 mentor's completed once the flag is off (evidence_type_validator.rb:47-53)
      const mentor = await post(tok("a"), { participant_id: id("f25m"), declaration_type: "completed", declaration_date: dateFor(2025, "completed"), course_identifier: "ecf-mentor", evidence_held: "75-percent-engagement-met" });
      expect(mentor.text).toBe(UNAVAILABLE);
    } finally {
      await flag(2025, true);
    }
  });
});

/**
 * DeclarationDateWithinMilestoneValidator: the spec's milestone (29 to 31 July), set on the 2024
 * ecf-standard-september retained-2 milestone with PUT /admin/v3/schedules/{year}/{identifier}/milestones/{type}.
 * `start_date.beginning_of_day` and `milestone_date.end_of_day` are London times (BST in July).
 */
describe("DeclarationDateWithinMilestoneValidator over POST (spec/validators/declaration_date_within_milestone_validator_spec.rb)", () => {
  beforeAll(async () => {
    const r = await t.admin("PUT", "/admin/v3/schedules/2024/ecf-standard-september/milestones/retained-2", { start_date: "2025-07-29", milestone_date: "2025-07-31" });
    expect(r.status).toBe(200);
  });
  const declare = (ref: string, date: string) =>
    post(tok("a"), { participant_id: id(ref), declaration_type: "retained-2", declaration_date: date, course_identifier: "ecf-induction", evidence_held: "other" });
  const BEFORE = errors(["declaration_date", "Declaration date must be on or after the milestone start date for the same declaration type."]);
  const AFTER = errors(["declaration_date", "Declaration date must be on or before the milestone date for the same declaration type."]);
  test(`declaration_date_within_milestone_validator_spec.rb:28 "when before the milestone start": 28 July, and one second before 00:00 London on the 29th`, async () => {
    expect((await declare("m1", "2025-07-28T12:00:00Z")).text).toBe(BEFORE);
    const edge = await declare("m1", "2025-07-28T22:59:59Z");
    expect(edge.text).toBe(BEFORE);
    expect(edge.status).toBe(422);
  });
  test(`declaration_date_within_milestone_validator_spec.rb:34 "when at the milestone start": 00:00 London on the start date is valid`, async () => {
    const r = await declare("m1", "2025-07-29T00:00:00+01:00");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ declaration_type: "retained-2", declaration_date: "2025-07-28T23:00:00Z", state: "submitted" });
  });
  test(`declaration_date_within_milestone_validator_spec.rb:40 "when in the middle of milestone": 30 July is valid`, async () => {
    const r = await declare("m2", "2025-07-30T10:00:00Z");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.declaration_date).toBe("2025-07-30T10:00:00Z");
  });
  test(`declaration_date_within_milestone_validator_spec.rb:46 "when at the milestone end": the last second of 31 July London is valid`, async () => {
    const r = await declare("m3", "2025-07-31T23:59:59+01:00");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.declaration_date).toBe("2025-07-31T22:59:59Z");
  });
  test(`declaration_date_within_milestone_validator_spec.rb:52 "when after the milestone start" (after the milestone date): 00:00 London on 1 August, and 1 August`, async () => {
    const edge = await declare("m4", "2025-07-31T23:00:00Z");
    expect(edge.text).toBe(AFTER);
    expect(edge.status).toBe(422);
    expect((await declare("m4", "2025-08-01T10:00:00Z")).text).toBe(AFTER);
    // nothing was created for m4: a valid date still goes through
    expect((await declare("m4", "2025-07-31T12:00:00Z")).status).toBe(200);
  });
});
