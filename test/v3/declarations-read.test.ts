/**
 * GET /api/v3/participant-declarations and /{id} (docs/reference/rect/rules.md §10.1-10.4, §4),
 * end to end on a scenario world. Each case names the RECT spec example it reproduces
 * (spec/requests/api/v3/declarations_spec.rb, spec/services/api/declarations/query_spec.rb,
 * spec/serializers/api/declaration_serializer_spec.rb at 0fe31d1aa).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement } from "../support/v3";

let t: TestApp;
let refs: Refs;
let world: any;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const LIST = "/api/v3/participant-declarations";

const ect = (ref: string, training: unknown[], extra: Record<string, unknown> = {}) => ({ ref, ect_periods: [{ ref: `${ref}e`, school: "s1", started_on: "today-400d", training, ...extra }] });

/** A declaration of the world document, by id. */
function worldDeclaration(apiId: string): any {
  for (const teacher of world.teachers)
    for (const period of [...(teacher.ect_periods ?? []), ...(teacher.mentor_periods ?? [])])
      for (const training of period.training ?? []) for (const d of training.declarations ?? []) if (d.id === apiId) return d;
  throw new Error(`no declaration ${apiId}`);
}

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a"), lp("b"), lp("c"), lp("d")],
    delivery_partners: [
      { ref: "dp1", name: "Decl DP One", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dp2", name: "Decl DP Two", partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
      { ref: "dp3", name: "Decl DP Three", partnered_with: [{ lead_provider: "c", cohorts: [2025] }, { lead_provider: "a", cohorts: [2025] }] },
    ],
    schools: [{ ref: "s1", urn: "200001", name: "Declarations School" }],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pa24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
      { ref: "pc", school: "s1", lead_provider: "c", delivery_partner: "dp3", cohort: 2025 },
    ],
    statements: [
      statement("stA25", "a", 2025, 11, 2027),
      statement("stB25", "b", 2025, 11, 2027),
      statement("stA24", "a", 2024, 8, 2027),
      statement("stA24c", "a", 2024, 11, 2027),
    ],
    teachers: [
      { ref: "mentor6", mentor_periods: [{ ref: "m6", school: "s1", started_on: "today-500d" }] },
      // the query spec's "declarations from previous lead provider" world: three consecutive training periods with lp1, lp2, lp3,
      // a declaration on each, and d5 on the first period dated after the third started (its "declaration5")
      ect(
        "t1",
        [
          { ref: "tp1", partnership: "pa", started_on: "today-300d", finished_on: "today-200d", declarations: [
            { ref: "d1", type: "started", date: "now-250d", evidence_held: "training-event-attended", state: "eligible", created_at: "now-250d", updated_at: "now-20d" },
            { ref: "d5", type: "retained-4", date: "now-30d", evidence_held: "other", created_at: "now-30d", updated_at: "now-30d" },
          ] },
          { ref: "tp2", partnership: "pb", started_on: "today-199d", finished_on: "today-100d", declarations: [{ ref: "d2", type: "retained-1", date: "now-150d", evidence_held: "other", created_at: "now-150d", updated_at: "now-10d" }] },
          { ref: "tp3", partnership: "pc", started_on: "today-99d", declarations: [{ ref: "d3", type: "retained-3", date: "now-50d", evidence_held: "other", created_at: "now-50d", updated_at: "now-5d" }] },
        ],
        { mentorships: [{ mentor: "m6", started_on: "today-400d" }] },
      ),
      // a previous provider's voided declaration is not shown to the next
      ect("t2", [
        { ref: "tp21", partnership: "pa", started_on: "today-300d", finished_on: "today-200d", declarations: [{ ref: "d21", type: "started", date: "now-250d", evidence_held: "other", state: "voided", statement: "stA25", created_at: "now-240d" }] },
        { ref: "tp22", partnership: "pb", started_on: "today-199d" },
      ]),
      // ECT declarations with a, the same teacher a mentor with b
      {
        ref: "t4",
        ect_periods: [{ ref: "t4e", school: "s1", started_on: "today-400d", training: [{ partnership: "pa", started_on: "today-300d", declarations: [{ ref: "d41", type: "started", date: "now-250d", evidence_held: "other", created_at: "now-230d" }] }] }],
        mentor_periods: [{ ref: "t4m", school: "s1", started_on: "today-400d", training: [{ partnership: "pb", started_on: "today-300d", declarations: [{ ref: "d42", type: "started", date: "now-200d", evidence_held: "other", created_at: "now-220d" }] }] }],
      },
      // every state, uplifts, a 2024 cohort, another delivery partner at creation
      ect("t7", [
        {
          ref: "tp7",
          partnership: "pa24",
          started_on: "today-700d",
          declarations: [
            { ref: "d7paid", type: "started", date: "now-650d", evidence_held: null, state: "paid", statement: "stA24", uplifts: { pupil_premium: true, sparsity: false }, created_at: "now-210d" },
            { ref: "d7claw", type: "retained-1", date: "now-600d", evidence_held: "other", state: "awaiting_clawback", statement: "stA24", clawback_statement: "stA24c", uplifts: { sparsity: true }, created_at: "now-200d" },
            { ref: "d7clawed", type: "retained-2", date: "now-550d", evidence_held: "other", state: "clawed_back", statement: "stA24", clawback_statement: "stA24c", created_at: "now-190d" },
            { ref: "d7void", type: "retained-3", date: "now-500d", evidence_held: "other", state: "voided", statement: "stA24", created_at: "now-180d" },
            { ref: "d7pay", type: "retained-4", date: "now-450d", evidence_held: "other", state: "payable", statement: "stA24", created_at: "now-170d" },
            { ref: "d7dp", type: "completed", date: "now-400d", evidence_held: "other", delivery_partner: "dp3", created_at: "now-160d" },
          ],
        },
      ], { started_on: "today-800d" }),
    ],
  });
  world = (await t.admin("GET", "/admin/v3/world")).body;
});
afterAll(() => t.close());

describe("visibility (spec/services/api/declarations/query_spec.rb \"when there are declarations from previous lead provider\", docs/reference/rect/rules.md §10.2)", () => {
  test('spec/services/api/declarations/query_spec.rb:151,161 "returns previous declarations and direct declarations for lead_provider2", and "returns only the direct declaration" for lp1\'s d5, dated after lp2\'s period finished', async () => {
    const r = await v3Get(t, `${LIST}?filter[participant_id]=${id("t1")}`, tok("b"));
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual([id("d1"), id("d2")]);
  });
  test("lead_provider1 (the first) sees only its own: later providers' declarations are dated after its period ended", async () => {
    const r = await v3Get(t, `${LIST}?filter[participant_id]=${id("t1")}`, tok("a"));
    expect(ids(r.body)).toEqual([id("d1"), id("d5")]);
  });
  test('spec/services/api/declarations/query_spec.rb:189 "lead_provider3 should return direct and previous declarations": its period is open, so lp1\'s d5 dated after it started is returned too', async () => {
    const r = await v3Get(t, `${LIST}?filter[participant_id]=${id("t1")}`, tok("c"));
    expect(ids(r.body)).toEqual([id("d1"), id("d2"), id("d3"), id("d5")]);
  });
  test('spec/services/api/declarations/query_spec.rb:172 "when previous declaration is `voided`" returns only the direct declaration; the owner still sees it', async () => {
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t2")}`, tok("b"))).body)).toEqual([]);
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t2")}`, tok("a"))).body)).toEqual([id("d21")]);
    expect((await v3Get(t, `${LIST}/${id("d21")}`, tok("b"))).status).toBe(404);
  });
  test('spec/services/api/declarations/query_spec.rb:203 "does not return previous ECT declarations, only mentor declaration"', async () => {
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t4")}`, tok("b"))).body)).toEqual([id("d42")]);
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t4")}`, tok("a"))).body)).toEqual([id("d41")]);
  });
  test("isolation: a provider with no training for the teacher sees none of its declarations, by list or by id", async () => {
    const r = await v3Get(t, LIST, tok("b"));
    for (const ref of ["d21", "d41", "d7paid", "d7claw", "d7clawed", "d7void", "d7pay", "d7dp", "d3"]) {
      expect(ids(r.body)).not.toContain(id(ref));
      const one = await v3Get(t, `${LIST}/${id(ref)}`, tok("b"));
      expect(one.status).toBe(404);
      expect(one.text).toBe('{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}');
    }
  });
});

describe("the document (spec/serializers/api/declaration_serializer_spec.rb, docs/reference/rect/rules.md §10.4)", () => {
  test('spec/requests/api/v3/declarations_spec.rb:46 "a show endpoint" and spec/serializers/api/declaration_serializer_spec.rb:28,63,130 core attributes, course_identifier (ECT) and mentor_id "serializes correctly": byte for byte, attributes in order', async () => {
    const r = await v3Get(t, `${LIST}/${id("d1")}`, tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const d = worldDeclaration(id("d1"));
    const lead = world.lead_providers.find((x: any) => x.id === id("a"));
    expect(r.text).toBe(
      `{"data":{"id":"${id("d1")}","type":"participant-declaration","attributes":{"participant_id":"${id("t1")}","declaration_type":"started","course_identifier":"ecf-induction","declaration_date":"${d.date}","mentor_id":"${id("mentor6")}","state":"eligible","updated_at":"${d.updated_at}","created_at":"${d.created_at}","delivery_partner_id":"${id("dp1")}","statement_id":"${id("stA25")}","clawback_statement_id":null,"ineligible_for_funding_reason":null,"uplift_paid":false,"evidence_held":"training-event-attended","lead_provider_name":"${lead.name}"}}}`,
    );
    expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
  test("a previous provider's declaration shows its own lead provider's name (the serializer spec's lead_provider_name: the declaration's training period's provider)", async () => {
    const r = await v3Get(t, `${LIST}/${id("d1")}`, tok("b"));
    expect(r.body.data.attributes.lead_provider_name).toBe(world.lead_providers.find((x: any) => x.id === id("a")).name);
  });
  test('spec/serializers/api/declaration_serializer_spec.rb:82,96,105,116,139 "state" for every status (eligible above), statement_id and no clawback_statement_id when paid, statement_id null when voided, both statements when awaiting clawback, uplift_paid', async () => {
    const show = async (ref: string) => (await v3Get(t, `${LIST}/${id(ref)}`, tok("a"))).body.data.attributes;
    const paid = await show("d7paid");
    expect([paid.state, paid.statement_id, paid.clawback_statement_id, paid.uplift_paid, paid.evidence_held]).toEqual(["paid", id("stA24"), null, true, null]);
    const claw = await show("d7claw");
    expect([claw.state, claw.statement_id, claw.clawback_statement_id, claw.uplift_paid]).toEqual(["awaiting-clawback", id("stA24"), id("stA24c"), true]);
    const clawed = await show("d7clawed");
    expect([clawed.state, clawed.clawback_statement_id, clawed.uplift_paid]).toEqual(["clawed-back", id("stA24c"), false]);
    const voided = await show("d7void");
    expect([voided.state, voided.statement_id]).toEqual(["voided", null]);
    expect((await show("d7pay")).state).toBe("payable");
    expect((await show("d7dp")).state).toBe("submitted");
    expect((await show("d7dp")).delivery_partner_id).toBe(id("dp3"));
  });
});

describe("list mechanics (spec/requests/api/v3/declarations_spec.rb #index)", () => {
  test('spec/requests/api/v3/declarations_spec.rb:31 "an index endpoint": the caller\'s declarations serialized, ordered by created_at ascending (spec/services/api/declarations/query_spec.rb:84,109), none → [] (spec/services/api/declarations/query_spec.rb:115)', async () => {
    const r = await v3Get(t, LIST, tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const own = ["d1", "d21", "d41", "d7paid", "d7claw", "d7clawed", "d7void", "d7pay", "d7dp", "d5"];
    expect(ids(r.body)).toEqual(own.map(id));
    const docs = await Promise.all(own.map(async (ref) => JSON.stringify(JSON.parse((await v3Get(t, `${LIST}/${id(ref)}`, tok("a"))).text).data)));
    expect(r.text).toBe(`{"data":[${docs.join(",")}]}`);
    const none = await v3Get(t, LIST, tok("d"));
    expect(none.status).toBe(200);
    expect(none.text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/declarations_spec.rb:33 "a filter by multiple cohorts (contract_period year) endpoint" (spec/services/api/declarations/query_spec.rb:227,233,239,251): 2024, a list, junk items dropped, none left → [], blank → all', async () => {
    expect(ids((await v3Get(t, `${LIST}?filter[cohort]=2024`, tok("a"))).body)).toEqual(["d7paid", "d7claw", "d7clawed", "d7void", "d7pay", "d7dp"].map(id));
    expect(ids((await v3Get(t, `${LIST}?filter[cohort]=2025,invalid`, tok("a"))).body)).toEqual(["d1", "d21", "d41", "d5"].map(id));
    expect(ids((await v3Get(t, `${LIST}?filter[cohort]=2025,2024`, tok("a"))).body).length).toBe(10);
    expect((await v3Get(t, `${LIST}?filter[cohort]=invalid`, tok("a"))).text).toBe('{"data":[]}');
    expect(ids((await v3Get(t, `${LIST}?filter[cohort]=`, tok("a"))).body).length).toBe(10);
  });
  test('spec/requests/api/v3/declarations_spec.rb:34 "a filter by delivery_partner_id endpoint" on delivery_partner_when_created, invalid ids ignored (spec/services/api/declarations/query_spec.rb:341,347,365,377: one, several, invalid UUID → [], blank → all)', async () => {
    expect(ids((await v3Get(t, `${LIST}?filter[delivery_partner_id]=${id("dp3")}`, tok("a"))).body)).toEqual([id("d7dp")]);
    expect(ids((await v3Get(t, `${LIST}?filter[delivery_partner_id]=${id("dp3")},invalid`, tok("a"))).body)).toEqual([id("d7dp")]);
    expect(ids((await v3Get(t, `${LIST}?filter[delivery_partner_id]=${id("dp3")},${id("dp1")}`, tok("a"))).body).length).toBe(10);
    expect(ids((await v3Get(t, `${LIST}?filter[delivery_partner_id]=not-a-uuid`, tok("a"))).body)).toEqual([]);
    expect(ids((await v3Get(t, `${LIST}?filter[delivery_partner_id]=`, tok("a"))).body).length).toBe(10);
  });
  test('spec/requests/api/v3/declarations_spec.rb:35 "a filter by participant_id endpoint"; spec/services/api/declarations/query_spec.rb:299,305 random and invalid UUIDs → []; spec/services/api/declarations/query_spec.rb:287 several; upper case', async () => {
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t4")},${id("t2")}`, tok("a"))).body)).toEqual([id("d21"), id("d41")]);
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${crypto.randomUUID()}`, tok("a"))).body)).toEqual([]);
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=123`, tok("a"))).body)).toEqual([]);
    expect(ids((await v3Get(t, `${LIST}?filter[participant_id]=${id("t2").toUpperCase()}`, tok("a"))).body)).toEqual([id("d21")]);
  });
  test('spec/requests/api/v3/declarations_spec.rb:36 "a filter by updated_since endpoint" (spec/services/api/declarations/query_spec.rb:385): inclusive, URL-encoded too; a bad value → 400', async () => {
    const d2 = worldDeclaration(id("d2"));
    expect(ids((await v3Get(t, `${LIST}?filter[updated_since]=${d2.updated_at}`, tok("c"))).body)).toEqual([id("d2"), id("d3")]);
    expect(ids((await v3Get(t, `${LIST}?filter[updated_since]=${encodeURIComponent(d2.updated_at)}`, tok("c"))).body)).toEqual([id("d2"), id("d3")]);
    const bad = await v3Get(t, `${LIST}?filter[updated_since]=2025-01-01`, tok("a"));
    expect(bad.status).toBe(400);
    expect(bad.text).toBe(`{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}`);
  });
  test('spec/requests/api/v3/declarations_spec.rb:32 "a paginated endpoint": per_page, page, past the end; below 1, a fraction or not a number → 400', async () => {
    expect(ids((await v3Get(t, `${LIST}?page[per_page]=2&page[page]=2`, tok("a"))).body)).toEqual([id("d41"), id("d7paid")]);
    expect((await v3Get(t, `${LIST}?page[per_page]=2&page[page]=50`, tok("a"))).text).toBe('{"data":[]}');
    for (const page of ["page[page]=0", "page[per_page]=5&page[page]=-1", "page[per_page]=100&page[page]=0.8", "page[per_page]=abc&page[page]=1"]) {
      const bad = await v3Get(t, `${LIST}?${page}`, tok("a"));
      expect(bad.status).toBe(400);
      expect(bad.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('spec/requests/api/v3/declarations_spec.rb:30,45 "a token authenticated endpoint" (list and show: no token, an invalid one) and filter must be a hash', async () => {
    expect((await v3Get(t, LIST, null)).text).toBe('{"error":"HTTP Token: Access denied"}');
    expect((await v3Get(t, LIST, "nope")).status).toBe(401);
    expect((await v3Get(t, `${LIST}/${id("d1")}`, null)).status).toBe(401);
    expect((await v3Get(t, `${LIST}/${id("d1")}`, "nope")).status).toBe(401);
    const r = await v3Get(t, `${LIST}?filter=x`, tok("a"));
    expect(r.status).toBe(400);
    expect(r.text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
  });
  test('spec/requests/api/v3/declarations_spec.rb:47,48,49,50 "a does not filter by cohort/delivery_partner_id/participant_id/updated_since endpoint" on show; not a UUID → 404', async () => {
    const plain = await v3Get(t, `${LIST}/${id("d1")}`, tok("a"));
    const r = await v3Get(t, `${LIST}/${id("d1")}?filter[cohort]=2024&filter[participant_id]=${id("t2")}&filter[delivery_partner_id]=${id("dp3")}&filter[updated_since]=2099-01-01T00:00:00Z`, tok("a"));
    expect(r.status).toBe(200);
    expect(r.text).toBe(plain.text);
    expect((await v3Get(t, `${LIST}/not-a-uuid`, tok("a"))).status).toBe(404);
    expect((await v3Get(t, `${LIST}/${id("d1").toUpperCase()}`, tok("a"))).status).toBe(200);
  });
});
