/**
 * PUT /api/v3/participant-declarations/{id}/void (docs/reference/rect/rules.md §10.7) end to end:
 * the void and clawback paths, their 422s, the caller-only 404, side effects (state, statements,
 * `updated_at`, mentor completion undone). Each case names the RECT spec example it reproduces
 * (spec/requests/api/v3/declarations_spec.rb #void, spec/services/api/declarations/void_spec.rb and clawback_spec.rb,
 * spec/services/declarations/void_spec.rb, clawback_spec.rb and mentor_completion_spec.rb at 0fe31d1aa).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement, declarationIn } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const PATH = "/api/v3/participant-declarations";

const ect = (ref: string, partnership: string, declarations: Record<string, unknown>[], started = "2025-09-01") => ({
  ref,
  ect_periods: [{ school: "s1", started_on: "2023-07-01", training: [{ ref: `${ref}tp`, partnership, schedule: "ecf-standard-september", started_on: started, declarations }] }],
});
const d = (ref: string, state: string, extra: Record<string, unknown> = {}) => ({ ref, type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other", state, created_at: "now-30d", updated_at: "now-30d", ...extra });

async function put(token: string | null, apiId: string, body?: string) {
  const response = await t.request("PUT", `${PATH}/${apiId}/void`, { token, body, headers: body === undefined ? {} : { "content-type": "application/json" } });
  const text = await response.text();
  let parsed: any = null;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body: parsed, type: response.headers.get("content-type") };
}
const error422 = (detail: string) => JSON.stringify({ errors: [{ title: "participant_declaration_id", detail }] });
const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
async function world() {
  return (await t.admin("GET", "/admin/v3/world")).body;
}
const findDeclaration = declarationIn;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2023, 2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp1", name: "Void DP", partnered_with: [{ lead_provider: "a", cohorts: [2023, 2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "400001", name: "Void School" }],
    partnerships: [
      { ref: "pa23", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2023 },
      { ref: "pa25", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pb25", school: "s1", lead_provider: "b", delivery_partner: "dp1", cohort: 2025 },
    ],
    statements: [
      statement("a25", "a", 2025, 11, 2029),
      statement("a25payable", "a", 2025, 8, 2029, { status: "payable" }),
      statement("a23old", "a", 2023, 1, 2025, { status: "paid" }),
      statement("b25", "b", 2025, 11, 2029),
    ],
    teachers: [
      ect("v1", "pa25", [d("d1", "submitted")]),
      ect("v2", "pa25", [d("d2", "eligible", { statement: "a25" })]),
      ect("v3", "pa25", [d("d3", "payable", { statement: "a25" })]),
      ect("v4", "pa25", [d("d4", "paid", { statement: "a25" })]),
      ect("v5", "pa25", [d("d5", "awaiting_clawback", { statement: "a25", clawback_statement: "a25" })]),
      ect("v6", "pa25", [d("d6", "clawed_back", { statement: "a25", clawback_statement: "a25" })]),
      ect("v7", "pa23", [d("d7", "paid", { date: "2023-10-01T10:00:00Z", statement: "a23old" })], "2023-09-01"),
      ect("v8", "pa25", [d("d8", "voided", { statement: "a25" })]),
      // the request spec's "previous declaration for a different lead provider": b's declaration, the teacher's later period with a
      {
        ref: "prev",
        ect_periods: [
          { school: "s1", started_on: "2025-07-01", finished_on: "2025-12-31", training: [{ partnership: "pb25", schedule: "ecf-standard-september", started_on: "2025-09-01", finished_on: "2025-12-31", declarations: [d("dprev", "submitted")] }] },
          { school: "s1", started_on: "2026-01-01", training: [{ partnership: "pa25", schedule: "ecf-standard-september", started_on: "2026-01-01" }] },
        ],
      },
      // a mentor who completed (mentor_completion.rb:17-19 after a void)
      {
        ref: "mc",
        funding: { mentor_eligible_at: "now-400d", mentor_ineligible_on: "2025-11-01", mentor_ineligible_reason: "completed_declaration_received" },
        mentor_periods: [
          {
            ref: "mcp",
            school: "s1",
            started_on: "2025-07-01",
            training: [{ ref: "mctp", partnership: "pa25", schedule: "ecf-standard-september", started_on: "2025-09-01", finished_on: "2025-11-01", declarations: [d("dmc", "submitted", { type: "completed", date: "2025-11-01T10:00:00Z", evidence_held: "75-percent-engagement-met" })] }],
          },
        ],
      },
    ],
  });
});
afterAll(() => t.close());

describe("the void path (void.rb; spec/requests/api/v3/declarations_spec.rb:153 \"an API update endpoint\" for each voidable status)", () => {
  for (const [ref, from] of [["d1", "submitted"], ["d2", "eligible"], ["d3", "payable"]] as const) {
    test(`spec/requests/api/v3/declarations_spec.rb:153, spec/services/api/declarations/void_spec.rb:43,53 and spec/services/declarations/void_spec.rb:16,100: voidable status ${from} → voided, 200, statement_id null, updated_at moved; the statement stays attached`, async () => {
      const before = findDeclaration(await world(), id(ref));
      const r = await put(tok("a"), id(ref));
      expect(r.status).toBe(200);
      expect(r.type).toBe("application/json; charset=utf-8");
      expect(r.body.data.id).toBe(id(ref));
      expect(r.body.data.attributes.state).toBe("voided");
      expect(r.body.data.attributes.statement_id).toBeNull();
      expect(Date.parse(r.body.data.attributes.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
      const after = findDeclaration(await world(), id(ref));
      expect(after.state).toBe("voided");
      expect(after.statement ?? null).toBe(before.statement ?? null);
      expect((await v3Get(t, `${PATH}/${id(ref)}`, tok("a"))).text).toBe(r.text);
    });
  }
  test('spec/requests/api/v3/declarations_spec.rb:172 "when the declaration is in `voided` status": 422 already voided (spec/services/api/declarations/void_spec.rb:28,29)', async () => {
    const r = await put(tok("a"), id("d8"));
    expect(r.status).toBe(422);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(r.text).toBe(error422("The declaration has already been voided."));
    // and a second void of one voided here
    expect((await put(tok("a"), id("d1"))).text).toBe(error422("The declaration has already been voided."));
  });
});

describe("the clawback path (clawback.rb; spec/requests/api/v3/declarations_spec.rb \"when the declaration is in `paid` status\")", () => {
  test("spec/requests/api/v3/declarations_spec.rb:164, spec/services/api/declarations/clawback_spec.rb:122,143 and spec/services/declarations/clawback_spec.rb:34,41: paid → awaiting-clawback on the earliest output statement with a deadline ≥ today, whatever its status", async () => {
    const r = await put(tok("a"), id("d4"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect((await v3Get(t, `${PATH}/${id("d4")}`, tok("a"))).text).toBe(r.text);
    expect(r.body.data.attributes).toMatchObject({ state: "awaiting-clawback", statement_id: id("a25"), clawback_statement_id: id("a25payable") });
    expect(findDeclaration(await world(), id("d4"))).toMatchObject({ state: "awaiting_clawback", clawback_statement: id("a25payable") });
  });
  test('spec/services/api/declarations/clawback_spec.rb:28,29,35,36 "awaiting clawback" and "clawed back": 422 will or has been refunded', async () => {
    expect((await put(tok("a"), id("d5"))).text).toBe(error422("The declaration will or has been refunded"));
    expect((await put(tok("a"), id("d6"))).text).toBe(error422("The declaration will or has been refunded"));
    expect((await put(tok("a"), id("d4"))).text).toBe(error422("The declaration will or has been refunded"));
  });
  test('spec/services/api/declarations/clawback_spec.rb:50,52,54,99,101 no future output fee statements, the payment statement\'s deadline past: 422 (no final full stop); spec/services/declarations/clawback_spec.rb:111 the declaration is not clawed back', async () => {
    const r = await put(tok("a"), id("d7"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422("You cannot submit or void declarations for the 2023 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us"));
    expect(findDeclaration(await world(), id("d7")).state).toBe("paid");
  });
});

describe("whose declaration (declarations_controller.rb:68-73)", () => {
  test('spec/requests/api/v3/declarations_spec.rb:195 "when the declaration is a previous declaration for a different lead provider": GET shows it, void is 404', async () => {
    expect((await v3Get(t, `${PATH}/${id("dprev")}`, tok("a"))).status).toBe(200);
    const r = await put(tok("a"), id("dprev"));
    expect(r.status).toBe(404);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(r.text).toBe(NOT_FOUND);
    expect(findDeclaration(await world(), id("dprev")).state).toBe("submitted");
  });
  test("isolation (\"an API update endpoint\" \"when the resource has a different lead provider\", voidable and paid): another provider's declaration, an unknown id and a non-UUID are 404s; nothing changes", async () => {
    for (const apiId of [id("d2"), id("d7"), crypto.randomUUID(), "not-a-uuid"]) {
      const r = await put(tok("b"), apiId);
      expect(r.status).toBe(404);
      expect(r.text).toBe(NOT_FOUND);
    }
  });
  test('spec/requests/api/v3/declarations_spec.rb:152,163 "a token authenticated endpoint": no token or an invalid one, 401', async () => {
    const r = await put(null, id("d2"));
    expect(r.status).toBe(401);
    expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
    expect((await put("invalid", id("d4"))).status).toBe(401);
  });
  test('"an API update endpoint", accepts_request_body: false: a body is ignored, but malformed JSON and a bad filter are 400s', async () => {
    expect((await put(tok("a"), id("d8"), '{"data":{"attributes":{"state":"eligible"}}}')).status).toBe(422);
    expect((await put(tok("a"), id("d8"), '{"data":')).status).toBe(400);
    const f = await put(tok("a"), id("d8"), '{"filter":"x"}');
    expect(f.status).toBe(400);
    expect(f.text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
  });
});

describe("mentor completion undone (mentor_completion.rb:17-19, 35-47)", () => {
  test("spec/services/declarations/void_spec.rb:23 and spec/services/declarations/mentor_completion_spec.rb:117,134: voiding a mentor's only completed declaration clears the funding end and opens a training period from the day after the last one ended", async () => {
    const r = await put(tok("a"), id("dmc"));
    expect(r.status).toBe(200);
    const teacher = (await world()).teachers.find((x: any) => x.id === id("mc"));
    expect(teacher.funding?.mentor_ineligible_on ?? null).toBeNull();
    expect(teacher.funding?.mentor_ineligible_reason ?? null).toBeNull();
    const training = teacher.mentor_periods[0].training;
    expect(training.map((x: any) => [x.started_on, x.finished_on ?? null])).toEqual([["2025-09-01", "2025-11-01"], ["2025-11-02", null]]);
    expect(training[1].partnership).toBe(id("pa25"));
    expect(training[1].schedule).toBe("ecf-standard-september");
  });
});
