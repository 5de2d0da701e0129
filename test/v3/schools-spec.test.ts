/**
 * Schools, RECT spec by spec (at 0fe31d1aa): the API query (spec/services/api/schools/query_spec.rb) and
 * the serializer (spec/serializers/api/school_serializer_spec.rb), through GET /api/v3/schools. The controller
 * always passes the caller and the cohort of filter[cohort] (schools_controller.rb:19-31).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const list = async (query: string, lead = "a") => {
  const r = await v3Get(t, `/api/v3/schools${query}`, tok(lead));
  expect(r.status).toBe(200);
  return ids(r.body);
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2024, 2025])],
    delivery_partners: [{ ref: "dp", name: `Schools DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [
      { ref: "e1", urn: "123456", name: "Eligible Two Days", created_at: "now-2d", updated_at: "now-2d" },
      { ref: "e2", urn: "456789", name: "Eligible One Day", created_at: "now-1d", updated_at: "now" },
      {
        ref: "e3",
        urn: "345678",
        name: "Eligible Partnered",
        created_at: "2023-07-01T12:00:00Z",
        updated_at: "2023-07-02T12:00:00Z",
        induction_tutor: { name: "Ida Tutor", email: "ida@school.example.com" },
        gias_contacts: { primary: "head@school.example.com", secondary: null },
      },
      { ref: "i1", urn: "567890", name: "Ineligible Alone", eligible: false, created_at: "now-3d", updated_at: "now-3d" },
      { ref: "i2", urn: "678901", name: "Ineligible Partnered", eligible: false, created_at: "now-4d", updated_at: "now-4d" },
      { ref: "g1", urn: "789012", name: "No Tutor", created_at: "now-5d", updated_at: "now-5d", induction_tutor: { name: null, email: null }, gias_contacts: { primary: "head@school.example.com", secondary: "deputy@school.example.com" } },
      { ref: "g2", urn: "890123", name: "Secondary Only", created_at: "now-6d", updated_at: "now-6d", induction_tutor: { name: null, email: null }, gias_contacts: { primary: null, secondary: "deputy@school.example.com" } },
    ],
    partnerships: [
      { ref: "pe3", school: "e3", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pi2", school: "i2", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
      { ref: "pg1", school: "g1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pg2", school: "g2", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
    ],
    // a training period under the partnership makes it the caller's expression_of_interest_or_school_partnership (app/models/school.rb:149-164)
    teachers: ["e3", "g1", "g2"].map((school) => ({ ref: `t${school}`, ect_periods: [{ school, started_on: "today-90d", training: [{ partnership: `p${school}`, started_on: "today-60d" }] }] })),
  });
});
afterAll(() => t.close());

describe("spec/services/api/schools/query_spec.rb", () => {
  test("L48 \"returns all eligible schools\" (no partnerships in 2024: the eligible ones only); L68 \"orders schools by `created_at` date in ascending order\"; L239 created_at ascending", async () => {
    expect(await list("?filter[cohort]=2024")).toEqual([id("e3"), id("g2"), id("g1"), id("e1"), id("e2")]);
  });
  test("L63 \"when there is existing partnerships, returns all schools\": an ineligible school partnered (by another provider) in the cohort is listed; an ineligible one without is not", async () => {
    const listed = await list("?filter[cohort]=2025");
    expect(listed).toContain(id("i2"));
    expect(listed).not.toContain(id("i1"));
    expect(await list("?filter[cohort]=2024")).not.toContain(id("i2"));
  });
  test("L110 \"when `contract_period_year` is not found, returns no schools\" (0000); L118 blank; L126 nil (an empty filter[cohort])", async () => {
    for (const cohort of ["0000", "%20", ""]) expect((await v3Get(t, `/api/v3/schools?filter[cohort]=${cohort}`, tok("a"))).text).toBe('{"data":[]}');
  });
  test("L157 \"filters by `updated_since`\" (the school's record for the cohort, inclusive); L168 omitted → all; L176 blank → all", async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 19) + "Z";
    const recent = await list(`?filter[cohort]=2024&filter[updated_since]=${since}`);
    expect(recent).toContain(id("e2"));
    expect(recent).not.toContain(id("e1"));
    expect(await list("?filter[cohort]=2024&filter[updated_since]=%20")).toEqual(await list("?filter[cohort]=2024"));
  });
  test("L195 \"filters by `urn`\"; L206 omitted → all; L214 blank → all", async () => {
    expect(await list("?filter[cohort]=2024&filter[urn]=123456")).toEqual([id("e1")]);
    expect(await list("?filter[cohort]=2024&filter[urn]=%20")).toEqual(await list("?filter[cohort]=2024"));
  });
  test("L244 \"when sorting by created at, descending\"", async () => {
    expect(await list("?filter[cohort]=2024&sort=-created_at")).toEqual([id("e2"), id("e1"), id("g1"), id("g2"), id("e3")]);
  });
  test("L287 \"returns a school for the given school api_id\"; L291 \"raises an error if the school does not exist\" → 404", async () => {
    expect((await v3Get(t, `/api/v3/schools/${id("e1")}?filter[cohort]=2024`, tok("a"))).body.data.id).toBe(id("e1"));
    for (const other of ["XXX123", crypto.randomUUID(), id("i1")]) {
      const r = await v3Get(t, `/api/v3/schools/${other}?filter[cohort]=2024`, tok("a"));
      expect([r.status, r.text]).toEqual([404, '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}']);
    }
  });
});

describe("spec/serializers/api/school_serializer_spec.rb", () => {
  test("L49 core attributes (id, type school); L58 nested attributes: name, urn, cohort, in_partnership, induction_programme_choice, expression_of_interest, the tutor's name and email, created_at, updated_at (the cohort record's api_updated_at)", async () => {
    const r = await v3Get(t, `/api/v3/schools/${id("e3")}?filter[cohort]=2025`, tok("a"));
    expect(r.text).toBe(
      `{"data":{"id":"${id("e3")}","type":"school","attributes":{"name":"Eligible Partnered","urn":"345678","cohort":"2025","in_partnership":true,"induction_programme_choice":"provider_led","expression_of_interest":true,"induction_tutor_name":"Ida Tutor","induction_tutor_email":"ida@school.example.com","created_at":"2023-07-01T12:00:00Z","updated_at":"2023-07-02T12:00:00Z"}}}`,
    );
  });
  test("L83 \"when the induction tutor is not present on the school, uses the GIAS contact email\" (then the secondary contact, school/induction_tutor_email.rb email_or_gias_contact); the name stays null", async () => {
    const g1 = (await v3Get(t, `/api/v3/schools/${id("g1")}?filter[cohort]=2025`, tok("a"))).body.data.attributes;
    expect([g1.expression_of_interest, g1.induction_tutor_name, g1.induction_tutor_email]).toEqual([true, null, "head@school.example.com"]);
    const g2 = (await v3Get(t, `/api/v3/schools/${id("g2")}?filter[cohort]=2025`, tok("a"))).body.data.attributes;
    expect([g2.induction_tutor_name, g2.induction_tutor_email]).toEqual([null, "deputy@school.example.com"]);
  });
});

describe("expression_of_interest counts training periods, not partnerships (app/models/school.rb:149-164, app/services/metadata/handlers/school.rb:43,56-57)", () => {
  test("when the caller creates a partnership with a school that has no training periods, then in_partnership turns true but expression_of_interest stays false and the tutor fields stay null (docs/reference/rect/rules.md §13.2 step 3 and §14.2 say it becomes true)", async () => {
    const more = await v3Scenario(t, { schools: [{ ref: "bare", urn: "491002", name: "Bare School", induction_tutor: { name: "Bea Tutor", email: "bea@bare.example" } }] });
    const r = await t.call("POST", "/api/v3/partnerships", { token: tok("a"), body: { data: { type: "partnership", attributes: { cohort: 2025, school_id: more.bare!.id, delivery_partner_id: id("dp") } } } });
    expect(r.status).toBe(200);
    const school = (await v3Get(t, `/api/v3/schools/${more.bare!.id}?filter[cohort]=2025`, tok("a"))).body.data.attributes;
    expect([school.in_partnership, school.expression_of_interest, school.induction_tutor_name, school.induction_tutor_email]).toEqual([true, false, null, null]);
  });
});
