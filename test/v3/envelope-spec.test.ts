/**
 * The envelope and authentication, RECT spec by spec (at 0fe31d1aa): time travel
 * (spec/middlewares/api/time_traveler_middleware_spec.rb), tokens (spec/services/api/token_manager_spec.rb,
 * spec/models/api/token_spec.rb, spec/services/api/add_api_token_to_lead_provider_spec.rb, reached through the
 * control plane's token calls, control-plane.md §4.4) and the error mapping of RECT terms
 * (spec/services/api/errors/mapper_spec.rb), seen through /api/v3 and /admin/v3.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const id = (ref: string) => refs[ref]!.id as string;
const tokensOf = async (lead: string) => (await t.admin("GET", "/admin/v3/lead-providers")).body.find((p: any) => p.id === id(lead)).tokens as any[];

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2023, 2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp", name: `Envelope DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2023, 2025] }] }],
    schools: [
      { ref: "s1", urn: "490001", name: "Travel One" },
      { ref: "s2", urn: "490002", name: "Travel Two" },
      { ref: "s3", urn: "490003", name: "Frozen School" },
      { ref: "s4", urn: "490004", name: "Declaring School" },
    ],
    partnerships: [
      { ref: "p23", school: "s3", lead_provider: "a", delivery_partner: "dp", cohort: 2023 },
      { ref: "p25", school: "s4", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
    ],
    statements: [
      { ref: "sta", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "2025-11-01", payment_date: "2025-11-25" },
      { ref: "stb", lead_provider: "b", cohort: 2025, month: 11, year: 2025, deadline_date: "2025-11-01", payment_date: "2025-11-25" },
      { ref: "st23", lead_provider: "a", cohort: 2023, month: 1, year: 2025, deadline_date: "2025-01-01", payment_date: "2025-01-25", status: "paid" },
    ],
    teachers: [
      { ref: "tv", ect_periods: [{ school: "s4", started_on: "2025-07-01", training: [{ partnership: "p25", schedule: "ecf-standard-september", started_on: "2025-09-01" }] }] },
      {
        ref: "tf",
        ect_periods: [
          {
            school: "s3",
            started_on: "2023-07-01",
            training: [{ partnership: "p23", schedule: "ecf-standard-september", started_on: "2023-09-01", declarations: [{ ref: "dpaid", type: "started", date: "2023-10-01T10:00:00Z", evidence_held: "other", state: "paid", statement: "st23" }] }],
          },
        ],
      },
    ],
  });
});
afterAll(() => t.close());

const createPartnership = (school: string, headers: Record<string, string> = {}) =>
  t.call("POST", "/api/v3/partnerships", { token: refs.a!.api_token, headers, body: { data: { type: "partnership", attributes: { cohort: 2025, school_id: id(school), delivery_partner_id: id("dp") } } } });

describe("spec/middlewares/api/time_traveler_middleware_spec.rb", () => {
  test("L12 without the header, the request runs at the server's time (a new partnership's created_at is within a minute of now)", async () => {
    const r = await createPartnership("s1");
    expect(r.status).toBe(200);
    expect(Math.abs(Date.parse(r.body.data.attributes.created_at) - Date.now())).toBeLessThan(60_000);
  });
  test("L18 with X-With-Server-Date (an ISO 8601 time with its offset), the request runs at that time", async () => {
    const r = await createPartnership("s2", { "X-With-Server-Date": "2026-09-01T09:30:00+01:00" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.created_at).toBe("2026-09-01T08:30:00Z");
  });
});

describe("spec/services/api/token_manager_spec.rb, spec/models/api/token_spec.rb, spec/services/api/add_api_token_to_lead_provider_spec.rb through the control plane", () => {
  let made: { id: string; api_token: string };
  test("spec/services/api/add_api_token_to_lead_provider_spec.rb:32 \"with known lead provider id, creates a new API Token for the lead provider\"; L36 \"outputs the unhashed version of the new API Token\"; spec/services/api/token_manager_spec.rb:9 one more token; L33 \"when the token is nil\" one is generated; spec/models/api/token_spec.rb:31 \"generates a 32 character token on create\"", async () => {
    const before = await tokensOf("a");
    const r = await t.admin("POST", `/admin/v3/lead-providers/${id("a")}/api-tokens`);
    expect(r.status).toBe(201);
    made = r.body;
    expect(typeof made.api_token).toBe("string");
    expect(made.api_token).toHaveLength(32);
    const after = await tokensOf("a");
    expect(after.length).toBe(before.length + 1);
    expect(after.map((x) => x.id)).toContain(made.id);
  });
  test("spec/services/api/add_api_token_to_lead_provider_spec.rb:49 \"with unknown lead provider id, errors and does not create token\"", async () => {
    const before = (await t.admin("GET", "/admin/v3/lead-providers")).body.flatMap((p: any) => p.tokens).length;
    const r = await t.admin("POST", `/admin/v3/lead-providers/${crypto.randomUUID()}/api-tokens`);
    expect(r.status).toBe(404);
    expect(r.body.errors).toHaveLength(1);
    expect((await t.admin("GET", "/admin/v3/lead-providers")).body.flatMap((p: any) => p.tokens).length).toBe(before);
  });
  test("spec/services/api/token_manager_spec.rb:11 the token belongs to its lead provider (spec/models/api/token_spec.rb:3 belongs_to :lead_provider); spec/services/api/token_manager_spec.rb:65 \"find_lead_provider_api_token\" finds it: the caller is that provider", async () => {
    const r = await v3Get(t, "/api/v3/statements", made.api_token);
    expect(r.status).toBe(200);
    expect(r.body.data.map((s: any) => s.id)).toEqual([id("st23"), id("sta")]);
  });
  test("spec/services/api/token_manager_spec.rb:64 finding the token sets its last_used_at to now", async () => {
    const fresh = (await t.admin("POST", `/admin/v3/lead-providers/${id("b")}/api-tokens`)).body;
    expect((await tokensOf("b")).find((x) => x.id === fresh.id).last_used_at).toBeNull();
    expect((await v3Get(t, "/api/v3/statements", fresh.api_token)).status).toBe(200);
    const used = (await tokensOf("b")).find((x) => x.id === fresh.id).last_used_at;
    expect(Math.abs(Date.parse(used) - Date.now())).toBeLessThan(5_000);
  });
  test("spec/models/api/token_spec.rb:40 \"encrypts the token\": what is stored is not the token (the admin listing shows the stored form's prefix)", async () => {
    const stored = (await tokensOf("a")).find((x) => x.id === made.id);
    expect(stored.hash_prefix).not.toBe(made.api_token.slice(0, stored.hash_prefix.length));
    expect(JSON.stringify(await t.admin("GET", "/admin/v3/world"))).not.toContain(made.api_token);
  });
  test("spec/services/api/token_manager_spec.rb:70 \"when the API token does not exist\" → 401; L81 \"when a matching, non-lead provider token exists\" (the admin token) → 401", async () => {
    for (const token of ["does-not-exist-yet", ADMIN_TOKEN]) {
      const r = await v3Get(t, "/api/v3/statements", token);
      expect([r.status, r.text]).toEqual([401, '{"error":"HTTP Token: Access denied"}']);
    }
  });
  test("spec/services/api/token_manager_spec.rb:42 \"revoke_lead_provider_api_token! destroys the API token\": one token fewer, 401 from then on", async () => {
    const before = await tokensOf("a");
    expect((await t.admin("DELETE", `/admin/v3/api-tokens/${made.id}`)).status).toBe(200);
    const after = await tokensOf("a");
    expect(after.length).toBe(before.length - 1);
    expect(after.map((x) => x.id)).not.toContain(made.id);
    expect((await v3Get(t, "/api/v3/statements", made.api_token)).status).toBe(401);
  });
  test("spec/models/api/token_spec.rb:11 \"validate_uniqueness_of(:token)\": a scenario giving a second provider a token already in use is refused, nothing made", async () => {
    const providers = (await t.admin("GET", "/admin/v3/lead-providers")).body.length;
    const r = await t.admin("POST", "/admin/v3/scenarios", { lead_providers: [lp("dup", [2025], { api_token: refs.a!.api_token })] });
    expect([r.status, r.body]).toEqual([422, { errors: [{ title: "/lead_providers/0/api_token", detail: "is already in use: tokens are unique (Hashed token must be unique)" }] }]);
    expect((await t.admin("GET", "/admin/v3/lead-providers")).body.length).toBe(providers);
    expect((await v3Get(t, "/api/v3/statements", refs.a!.api_token)).body.data.map((s: any) => s.id)).toEqual([id("st23"), id("sta")]);
    // twice in one document: the second is refused
    const twice = await t.admin("POST", "/admin/v3/scenarios", { lead_providers: [lp("x1", [2025], { api_token: "same-token-twice" }), lp("x2", [2025], { api_token: "same-token-twice" })] });
    expect([twice.status, twice.body.errors[0].title]).toEqual([422, "/lead_providers/1/api_token"]);
  });
});

describe("spec/services/api/errors/mapper_spec.rb: RECT's terms in errors become the API's (config/api_error_mappings.yml)", () => {
  test("L21 \"replaces all occurrences\" (\"contract period\" twice → \"cohort\" twice); L32 \"prioritising whole terms over substring terms\" (declaration_api_id → participant_declaration_id, not declaration_id by api_id → id)", async () => {
    const r = await t.call("PUT", `/api/v3/participant-declarations/${id("dpaid")}/void`, { token: refs.a!.api_token });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      errors: [
        {
          title: "participant_declaration_id",
          detail: "You cannot submit or void declarations for the 2023 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us",
        },
      ],
    });
  });
});

describe("spec/validators/api_date_time_format_validator_spec.rb through POST /api/v3/participant-declarations (declaration_date, app/services/api/declarations/create.rb:31)", () => {
  const RFC = { title: "declaration_date", detail: "Enter a valid RCF3339 '#/declaration_date'." };
  const declare = async (declaration_date: string) => {
    const attributes = { participant_id: id("tv"), declaration_type: "started", declaration_date, course_identifier: "ecf-induction", evidence_held: "training-event-attended" };
    const r = await t.call("POST", "/api/v3/participant-declarations", { token: refs.a!.api_token, body: { data: { type: "participant-declaration", attributes } } });
    expect(r.status).toBe(422);
    return r.body.errors as { title: string; detail: string }[];
  };
  test("L17 \"when date format is valid\": no format error (the date is refused for other reasons only)", async () => {
    const errors = await declare("2021-06-21T08:46:29Z");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).not.toContainEqual(RFC);
  });
  test("L25 \"does not errors when the date is blank\": only the presence error", async () => {
    expect(await declare("")).toEqual([{ title: "declaration_date", detail: "Enter a '#/declaration_date'." }]);
  });
  test("L33 \"when date format is invalid\" (a space for the T, on a day inside the milestone: the milestone check runs first and the format check only adds an error to a date without one, api_date_time_format_validator.rb:5): the format error", async () => {
    expect(await declare("2025-10-01 08:46:29")).toEqual([RFC]);
  });
});
