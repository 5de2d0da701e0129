/**
 * RECT's declaration read specs, example by example, over HTTP (GET /api/v3/participant-declarations and
 * /{id}, docs/reference/rect/rules.md §10.1-10.4, §4): spec/services/api/declarations/query_spec.rb (the
 * Query behind both, app/services/api/declarations/query.rb, fed by app/controllers/api/v3/declarations_controller.rb:6-20
 * and app/controllers/concerns/api/condition_extractable.rb) and spec/serializers/api/declaration_serializer_spec.rb
 * (app/serializers/api/declaration_serializer.rb), at 0fe31d1aa. Each world is its own lead provider(s), so
 * a provider's list is exactly what the example's query returns (RECT's Query examples run without a
 * lead provider; over HTTP the caller is always one, so "all declarations" is all of the caller's).
 * Expected documents are built here from the scenario (refs, names) and GET /admin/v3/world, not from an
 * API answer, and compared byte for byte.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
const LIST = "/api/v3/participant-declarations";
let urn = 620000;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
});
afterAll(() => t.close());

/** A scenario world of its own: refs, the lead provider names given, the world document after loading. */
interface World {
  refs: Refs;
  names: Record<string, string>;
  world: any;
  id: (ref: string) => string;
  tok: (ref: string) => string;
}
async function build(doc: Record<string, any>): Promise<World> {
  const refs = await v3Scenario(t, doc);
  const names = Object.fromEntries((doc.lead_providers ?? []).map((l: any) => [l.ref, l.name]));
  const world = (await t.admin("GET", "/admin/v3/world")).body;
  return { refs, names, world, id: (ref) => refs[ref]!.id as string, tok: (ref) => refs[ref]!.api_token as string };
}
const school = () => ({ ref: "s1", urn: String(++urn), name: `Query Spec School ${urn}` });
const dp = (ref: string, partnered_with: unknown[]) => ({ ref, name: `Query Spec DP ${ref} ${crypto.randomUUID().slice(0, 8)}`, partnered_with });

/** The declaration, its training and its teacher in the world document. */
function locate(w: World, apiId: string) {
  for (const teacher of w.world.teachers)
    for (const [kind, periods] of [["ect", teacher.ect_periods ?? []], ["mentor", teacher.mentor_periods ?? []]] as const)
      for (const period of periods) for (const training of period.training ?? []) for (const d of training.declarations ?? []) if (d.id === apiId) return { d, training, teacher, kind };
  throw new Error(`no declaration ${apiId}`);
}

/**
 * The document RECT's serializer renders (declaration_serializer.rb:18-58, in that order), built from the
 * world document: `lead` names the training's lead provider (a ref of `names`), `mentor` the ECT's mentor teacher.
 */
function resource(w: World, ref: string, o: { lead: string; mentor?: string | null }) {
  const { d, teacher, kind } = locate(w, w.id(ref));
  const state = String(d.state).replaceAll("_", "-");
  return {
    id: d.id,
    type: "participant-declaration",
    attributes: {
      participant_id: teacher.id,
      declaration_type: d.type,
      course_identifier: kind === "ect" ? "ecf-induction" : "ecf-mentor",
      declaration_date: d.date,
      mentor_id: o.mentor ? w.id(o.mentor) : null,
      state,
      updated_at: d.updated_at,
      created_at: d.created_at,
      delivery_partner_id: d.delivery_partner,
      statement_id: d.state === "voided" ? null : (d.statement ?? null),
      clawback_statement_id: d.clawback_statement ?? null,
      ineligible_for_funding_reason: null,
      uplift_paid: d.state === "paid" && Boolean(d.uplifts?.pupil_premium || d.uplifts?.sparsity),
      evidence_held: d.evidence_held ?? null,
      lead_provider_name: w.names[o.lead],
    },
  };
}
const listText = (items: unknown[]) => JSON.stringify({ data: items });
const showText = (item: unknown) => JSON.stringify({ data: item });
const ids = (body: any) => body.data.map((r: any) => r.id);
/** An RFC 3339 instant `ms` from now, whole seconds. */
const instant = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");

// ---------------------------------------------------------------------------------------------------------

describe("spec/services/api/declarations/query_spec.rb", () => {
  let w: World;
  /** q's declarations in created_at order: x1 (ECT, 2023, dq1), x2 (ECT, 2024, dq2), x3 (mentor, 2025, dq3) */
  const all = () => ["x1", "x2", "x3"].map((ref) => resource(w, ref, { lead: "q" }));
  const get = (query: string, token = w.tok("q")) => v3Get(t, `${LIST}${query}`, token);

  beforeAll(async () => {
    w = await build({
      lead_providers: [lp("q", [2023, 2024, 2025]), lp("o", [2025])],
      delivery_partners: [
        dp("dq1", [{ lead_provider: "q", cohorts: [2023, 2024, 2025] }]),
        dp("dq2", [{ lead_provider: "q", cohorts: [2024] }]),
        dp("dq3", [{ lead_provider: "q", cohorts: [2025] }]),
        // a delivery partner of q's with no declaration (query_spec.rb:353)
        dp("dq4", [{ lead_provider: "q", cohorts: [2025] }]),
        dp("dqo", [{ lead_provider: "o", cohorts: [2025] }]),
      ],
      schools: [school()],
      partnerships: [
        { ref: "q23", school: "s1", lead_provider: "q", delivery_partner: "dq1", cohort: 2023 },
        { ref: "q24", school: "s1", lead_provider: "q", delivery_partner: "dq2", cohort: 2024 },
        { ref: "q25", school: "s1", lead_provider: "q", delivery_partner: "dq3", cohort: 2025 },
        { ref: "o25", school: "s1", lead_provider: "o", delivery_partner: "dqo", cohort: 2025 },
      ],
      teachers: [
        { ref: "e1", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "q23", started_on: "today-300d", declarations: [{ ref: "x1", type: "started", date: "now-250d", evidence_held: "other", created_at: "now-30d", updated_at: "now-20d" }] }] }] },
        { ref: "e2", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "q24", started_on: "today-300d", declarations: [{ ref: "x2", type: "started", date: "now-240d", evidence_held: "other", created_at: "now-25d", updated_at: "now-2d" }] }] }] },
        { ref: "m3", mentor_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "q25", started_on: "today-300d", declarations: [{ ref: "x3", type: "started", date: "now-230d", evidence_held: "other", created_at: "now-20d", updated_at: instant(-3_600_000) }] }] }] },
        // a teacher of q's with no declaration (query_spec.rb:293)
        { ref: "e4", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "q25", started_on: "today-300d" }] }] },
        // another provider's declaration (never q's)
        { ref: "eo", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "o25", started_on: "today-300d", declarations: [{ ref: "xo", type: "started", date: "now-200d", evidence_held: "other", created_at: "now-28d" }] }] }] },
      ],
    });
  });

  test("L69 \"returns all declarations\": the caller's three, rendered, none of another provider's", async () => {
    const r = await get("");
    expect(r.status).toBe(200);
    expect(r.text).toBe(listText(all()));
    expect(ids((await get("", w.tok("o"))).body)).toEqual([w.id("xo")]);
  });
  test('L75 "accepts a block for additional scoping": the controller scopes the query by its page (page[per_page]=1: one of them, the first)', async () => {
    const r = await get("?page[per_page]=1");
    expect(r.text).toBe(listText(all().slice(0, 1)));
  });

  describe("filtering by `contract_period_years` (filter[cohort])", () => {
    test("L222 omitted: all declarations", async () => {
      expect((await get("")).text).toBe(listText(all()));
    });
    test("L227 one year: only that contract period's", async () => {
      expect((await get("?filter[cohort]=2024")).text).toBe(listText([all()[1]]));
    });
    test("L233 several years", async () => {
      expect((await get("?filter[cohort]=2023,2024")).text).toBe(listText(all().slice(0, 2)));
    });
    test('L239 no such year ("0000"): none', async () => {
      expect((await get("?filter[cohort]=0000")).text).toBe('{"data":[]}');
    });
    test("L245 an empty list (a comma, or only items that are not years): none", async () => {
      expect((await get("?filter[cohort]=,")).text).toBe('{"data":[]}');
      expect((await get("?filter[cohort]=abc")).text).toBe('{"data":[]}');
    });
    test('L251 blank (" "): not applied', async () => {
      expect((await get("?filter[cohort]=%20")).text).toBe(listText(all()));
      expect((await get("?filter[cohort]=")).text).toBe(listText(all()));
    });
  });

  describe("filtering by `teacher_api_ids` (filter[participant_id])", () => {
    test("L270 omitted: all declarations", async () => {
      expect((await get("")).text).toBe(listText(all()));
    });
    test("L275 an ECT's", async () => {
      expect((await get(`?filter[participant_id]=${w.id("e1")}`)).text).toBe(listText([all()[0]]));
    });
    test("L281 a mentor's", async () => {
      expect((await get(`?filter[participant_id]=${w.id("m3")}`)).text).toBe(listText([all()[2]]));
    });
    test("L287 several", async () => {
      expect((await get(`?filter[participant_id]=${w.id("m3")},${w.id("e1")}`)).text).toBe(listText([all()[0], all()[2]]));
    });
    test("L293 an existing teacher with no declaration: none", async () => {
      expect((await get(`?filter[participant_id]=${w.id("e4")}`)).text).toBe('{"data":[]}');
    });
    test("L311 an empty list: none", async () => {
      expect((await get("?filter[participant_id]=,")).text).toBe('{"data":[]}');
    });
    test('L317 blank (" "): not applied', async () => {
      expect((await get("?filter[participant_id]=%20")).text).toBe(listText(all()));
    });
  });

  describe("filtering by `delivery_partner_api_ids` (filter[delivery_partner_id], the delivery partner when created)", () => {
    test("L336 omitted: all declarations", async () => {
      expect((await get("")).text).toBe(listText(all()));
    });
    test("L341 one delivery partner", async () => {
      expect((await get(`?filter[delivery_partner_id]=${w.id("dq1")}`)).text).toBe(listText([all()[0]]));
    });
    test("L347 several (an ECT's and a mentor's)", async () => {
      expect((await get(`?filter[delivery_partner_id]=${w.id("dq3")},${w.id("dq1")}`)).text).toBe(listText([all()[0], all()[2]]));
    });
    test("L353 a delivery partner with no declaration: none", async () => {
      expect((await get(`?filter[delivery_partner_id]=${w.id("dq4")}`)).text).toBe('{"data":[]}');
    });
    test("L359 a random UUID: none", async () => {
      expect((await get(`?filter[delivery_partner_id]=${crypto.randomUUID()}`)).text).toBe('{"data":[]}');
    });
    test("L371 an empty list: none", async () => {
      expect((await get("?filter[delivery_partner_id]=,")).text).toBe('{"data":[]}');
    });
    test('L377 blank (" "): not applied', async () => {
      expect((await get("?filter[delivery_partner_id]=%20")).text).toBe(listText(all()));
    });
  });

  describe("filtering by `updated_since`", () => {
    test("L385 since a day ago: only the one updated since (not the one updated 2 days ago)", async () => {
      expect((await get(`?filter[updated_since]=${instant(-86_400_000)}`)).text).toBe(listText([all()[2]]));
    });
    test("L394 omitted: all", async () => {
      expect((await get("")).text).toBe(listText(all()));
    });
    test('L401 blank (" "): not applied', async () => {
      expect((await get("?filter[updated_since]=%20")).text).toBe(listText(all()));
    });
  });

  describe("#declaration_by_api_id (GET /api/v3/participant-declarations/{id})", () => {
    test("L416 the declaration of that id", async () => {
      const r = await get(`/${w.id("x2")}`);
      expect(r.status).toBe(200);
      expect(r.text).toBe(showText(all()[1]));
    });
    const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
    test("L422 no such declaration: 404", async () => {
      const r = await get(`/${crypto.randomUUID()}`);
      expect(r.status).toBe(404);
      expect(r.text).toBe(NOT_FOUND);
    });
    test("L426 a declaration outside the caller's query (another provider's): 404", async () => {
      const r = await get(`/${w.id("xo")}`);
      expect(r.status).toBe(404);
      expect(r.text).toBe(NOT_FOUND);
      expect((await get(`/${w.id("xo")}`, w.tok("o"))).status).toBe(200);
    });
    test('L435 a blank id (" "): RECT raises ArgumentError "api_id needed" (its 500); the sandbox answers 404', async () => {
      const r = await get("/%20");
      expect(r.status).toBe(404);
      expect(r.text).toBe(NOT_FOUND);
    });
  });
});
