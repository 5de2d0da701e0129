/**
 * Teachers::Name (app/services/teachers/name.rb:8-20) as the API shows it: `full_name` of
 * GET /api/v3/participants/{id} (teacher_serializer.rb) and of GET /api/v3/unfunded-mentors/{id}
 * (unfunded_mentor_serializer.rb). `full_name_in_trs` is what `full_name` shows when there is no
 * corrected name. Cites spec/services/teachers/name_spec.rb and
 * spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
const NAMES: Record<string, Record<string, unknown>> = {
  corrected: { first_name: "Diana", last_name: "Rigg", corrected_name: "Diana Elizabeth Rigg" },
  noCorrected: { first_name: "Diana", last_name: "Rigg", corrected_name: null },
  emptyCorrected: { first_name: "Diana", last_name: "Rigg", corrected_name: "" },
  bothNil: { first_name: null, last_name: null },
  bothDot: { first_name: ".", last_name: "." },
  mixMissing: { first_name: null, last_name: "" },
  firstNil: { first_name: null, last_name: "Rigg" },
  firstBlank: { first_name: "", last_name: "Rigg" },
  firstDot: { first_name: ".", last_name: "Rigg" },
  lastNil: { first_name: "Diana", last_name: null },
  lastBlank: { first_name: "Diana", last_name: "" },
  lastDot: { first_name: "Diana", last_name: "." },
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp", name: "DP N", partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "560001", name: "N One" }],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
    ],
    teachers: [
      ...Object.entries(NAMES).map(([ref, names]) => ({ ref, ...names, ect_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa", started_on: "today-100d" }] }] })),
      // spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb:85: an unfunded mentor (trained by b) of a's ECT, with TRS names
      { ref: "mentor", first_name: "Grace", last_name: "Hopper", mentor_periods: [{ ref: "mp", school: "s1", started_on: "today-200d", training: [{ partnership: "pb", started_on: "today-100d" }] }] },
      { ref: "mentee", ect_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa", started_on: "today-100d" }], mentorships: [{ mentor: "mp", started_on: "today-50d" }] }] },
    ],
  });
});
afterAll(() => t.close());

const fullName = async (ref: string) => {
  const res = await v3Get(t, `/api/v3/participants/${r[ref]!.id}`, r.a!.api_token);
  expect(res.status).toBe(200);
  return res.body.data.attributes.full_name;
};

describe("#full_name (spec/services/teachers/name_spec.rb)", () => {
  test("L16 a corrected_name: it; L25 none: first then last name; L33 an empty corrected_name: first then last name", async () => {
    expect(await fullName("corrected")).toBe("Diana Elizabeth Rigg");
    expect(await fullName("noCorrected")).toBe("Diana Rigg");
    expect(await fullName("emptyCorrected")).toBe("Diana Rigg");
  });
  test('L46 both TRS names nil, L52 both ".", L58 a mix of missing values: "Unknown"', async () => {
    expect(await fullName("bothNil")).toBe("Unknown");
    expect(await fullName("bothDot")).toBe("Unknown");
    expect(await fullName("mixMissing")).toBe("Unknown");
  });
});

describe("#full_name_in_trs, as full_name shows it without a corrected name (spec/services/teachers/name_spec.rb)", () => {
  test("L66 first name followed by last name", async () => {
    expect(await fullName("noCorrected")).toBe("Diana Rigg");
  });
  test('partial names: L86 first nil, L92 first blank, L98 first "." → the last name only; L104 last nil, L110 last blank, L116 last "." → the first name only', async () => {
    for (const ref of ["firstNil", "firstBlank", "firstDot"]) expect(await fullName(ref)).toBe("Rigg");
    for (const ref of ["lastNil", "lastBlank", "lastDot"]) expect(await fullName(ref)).toBe("Diana");
  });
});

describe("unfunded mentor full_name (spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb)", () => {
  test("L85 an unfunded mentor with TRS names: them joined", async () => {
    const res = await v3Get(t, `/api/v3/unfunded-mentors/${r.mentor!.id}`, r.a!.api_token);
    expect(res.status).toBe(200);
    expect(res.body.data.attributes.full_name).toBe("Grace Hopper");
  });
});
