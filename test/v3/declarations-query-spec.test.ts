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
import Ajv2020 from "ajv/dist/2020";
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
/** The same world, its document read again (after writes through the API). */
const reread = async (w: World): Promise<World> => ({ ...w, world: (await t.admin("GET", "/admin/v3/world")).body });
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

// ---------------------------------------------------------------------------------------------------------

/**
 * `create_resource` of declarations_spec.rb:8-21: each resource a new teacher at a new school, in a new
 * partnership of the lead provider (a new delivery partner), an ECT period from two years ago and a training
 * period from a year ago, with one `started` declaration (submitted). `created` / `updated` fix its timestamps.
 */
interface Res {
  ref: string;
  lead: string;
  cohort: number;
  created: string;
  updated?: string;
}
function resourceDoc(leads: [string, number[]][], resources: Res[]) {
  const doc: Record<string, any[]> = { lead_providers: leads.map(([ref, cohorts]) => lp(ref, cohorts)), delivery_partners: [], schools: [], partnerships: [], teachers: [] };
  for (const r of resources) {
    const u = ++urn;
    doc.schools!.push({ ref: `s_${r.ref}`, urn: String(u), name: `Declarations Request School ${u}` });
    doc.delivery_partners!.push(dp(`dp_${r.ref}`, [{ lead_provider: r.lead, cohorts: [r.cohort] }]));
    doc.partnerships!.push({ ref: `p_${r.ref}`, school: `s_${r.ref}`, lead_provider: r.lead, delivery_partner: `dp_${r.ref}`, cohort: r.cohort });
    doc.teachers!.push({
      ref: `t_${r.ref}`,
      ect_periods: [
        {
          school: `s_${r.ref}`,
          started_on: "today-730d",
          training: [{ partnership: `p_${r.ref}`, started_on: "today-365d", declarations: [{ ref: r.ref, type: "started", date: "now-300d", evidence_held: "other", created_at: r.created, updated_at: r.updated }] }],
        },
      ],
    });
  }
  return doc;
}
const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
const PAGE_ERROR = `{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`;
const JSON_TYPE = "application/json; charset=utf-8";

describe("spec/requests/api/v3/declarations_spec.rb #index", () => {
  test('L31 "an index endpoint": the caller\'s two, rendered in created_at order, not another provider\'s (next cohort); none → {"data":[]}', async () => {
    const w = await build(
      resourceDoc(
        [["i", [2024]], ["iother", [2025]], ["iempty", [2024]]],
        [
          { ref: "b", lead: "i", cohort: 2024, created: "now-5d" },
          { ref: "a", lead: "i", cohort: 2024, created: "now-10d" },
          { ref: "c", lead: "iother", cohort: 2025, created: "now-7d" },
        ],
      ),
    );
    const r = await v3Get(t, LIST, w.tok("i"));
    expect(r.status).toBe(200);
    expect(r.type).toBe(JSON_TYPE);
    expect(r.text).toBe(listText([resource(w, "a", { lead: "i" }), resource(w, "b", { lead: "i" })]));
    const none = await v3Get(t, LIST, w.tok("iempty"));
    expect([none.status, none.type, none.text]).toEqual([200, JSON_TYPE, '{"data":[]}']);
  });

  test('L32 "a paginated endpoint": 8 resources, 5 on page 1, 3 on page 2, none on page 3; page -1, page 0.8, per_page "abc" → 400', async () => {
    const refs = Array.from({ length: 8 }, (_, i) => `r${i}`);
    const w = await build(resourceDoc([["pg", [2024]]], refs.map((ref, i) => ({ ref, lead: "pg", cohort: 2024, created: `now-${20 - i}d` }))));
    const page = async (q: string) => v3Get(t, `${LIST}?${q}`, w.tok("pg"));
    const one = await page("page[per_page]=5&page[page]=1");
    expect(one.status).toBe(200);
    expect(ids(one.body)).toEqual(refs.slice(0, 5).map(w.id));
    expect(ids((await page("page[per_page]=5&page[page]=2")).body)).toEqual(refs.slice(5).map(w.id));
    expect((await page("page[per_page]=5&page[page]=3")).text).toBe('{"data":[]}');
    for (const q of ["page[per_page]=5&page[page]=-1", "page[per_page]=100&page[page]=0.8", "page[per_page]=abc&page[page]=1"]) {
      const bad = await page(q);
      expect([bad.status, bad.type, bad.text]).toEqual([400, JSON_TYPE, PAGE_ERROR]);
    }
  });

  test('L33 "a filter by multiple cohorts (contract_period year) endpoint": the previous and next cohorts\' only; invalid items ignored; blank → all; no valid year → none', async () => {
    const w = await build(
      resourceDoc(
        [["c", [2023, 2024, 2025]]],
        [
          { ref: "prev", lead: "c", cohort: 2023, created: "now-10d" },
          { ref: "next", lead: "c", cohort: 2025, created: "now-9d" },
          { ref: "current", lead: "c", cohort: 2024, created: "now-8d" },
        ],
      ),
    );
    const get = (cohort: string) => v3Get(t, `${LIST}?filter[cohort]=${encodeURIComponent(cohort)}`, w.tok("c"));
    const doc = (ref: string) => resource(w, ref, { lead: "c" });
    const both = await get("2023,2025");
    expect([both.status, both.type]).toEqual([200, JSON_TYPE]);
    expect(both.text).toBe(listText([doc("prev"), doc("next")]));
    expect((await get(`2024,invalid,cohort,,20A1,nil,null, ,1099,${crypto.randomUUID()}`)).text).toBe(listText([doc("current")]));
    expect((await get("")).text).toBe(listText([doc("prev"), doc("next"), doc("current")]));
    expect((await get("invalid")).text).toBe('{"data":[]}');
  });

  test('L34 "a filter by delivery_partner_id endpoint" (delivery_partner_when_created): only that resource; an invalid id in the list is ignored', async () => {
    const w = await build(
      resourceDoc(
        [["d", [2024]]],
        [
          { ref: "one", lead: "d", cohort: 2024, created: "now-10d" },
          { ref: "two", lead: "d", cohort: 2024, created: "now-9d" },
        ],
      ),
    );
    const expected = listText([resource(w, "one", { lead: "d" })]);
    const r = await v3Get(t, `${LIST}?filter[delivery_partner_id]=${w.id("dp_one")}`, w.tok("d"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected]);
    expect((await v3Get(t, `${LIST}?filter[delivery_partner_id]=${w.id("dp_one")},invalid`, w.tok("d"))).text).toBe(expected);
  });

  test('L35 "a filter by participant_id endpoint": only that teacher\'s; an unknown one → none', async () => {
    const w = await build(
      resourceDoc(
        [["p", [2024]]],
        [
          { ref: "mine", lead: "p", cohort: 2024, created: "now-10d" },
          { ref: "theirs", lead: "p", cohort: 2024, created: "now-9d" },
        ],
      ),
    );
    const r = await v3Get(t, `${LIST}?filter[participant_id]=${w.id("t_mine")}`, w.tok("p"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, listText([resource(w, "mine", { lead: "p" })])]);
    expect((await v3Get(t, `${LIST}?filter[participant_id]=${crypto.randomUUID()}`, w.tok("p"))).text).toBe('{"data":[]}');
  });

  test('L36 "a filter by updated_since endpoint": since two months ago, those updated a week and a month ago (not three months); URL-encoded twice also; "invalid-date" → 400', async () => {
    const w = await build(
      resourceDoc(
        [["u", [2024]]],
        [
          { ref: "week", lead: "u", cohort: 2024, created: "now-100d", updated: "now-7d" },
          { ref: "month", lead: "u", cohort: 2024, created: "now-99d", updated: "now-1m" },
          { ref: "old", lead: "u", cohort: 2024, created: "now-98d", updated: "now-3m" },
        ],
      ),
    );
    const since = instant(-60 * 86_400_000);
    const expected = listText([resource(w, "week", { lead: "u" }), resource(w, "month", { lead: "u" })]);
    const r = await v3Get(t, `${LIST}?filter[updated_since]=${since}`, w.tok("u"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected]);
    const offset = since.replace("Z", "+00:00");
    expect((await v3Get(t, `${LIST}?filter[updated_since]=${encodeURIComponent(encodeURIComponent(offset))}`, w.tok("u"))).text).toBe(expected);
    const bad = await v3Get(t, `${LIST}?filter[updated_since]=invalid-date`, w.tok("u"));
    expect([bad.status, bad.type, bad.text]).toEqual([400, JSON_TYPE, `{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}`]);
  });
});

describe("spec/requests/api/v3/declarations_spec.rb #show", () => {
  let w: World;
  const path = () => `${LIST}/${w.id("r")}`;
  const expected = () => showText(resource(w, "r", { lead: "s" }));
  beforeAll(async () => {
    w = await build(
      resourceDoc(
        [["s", [2024, 2025]], ["sother", [2025]]],
        [
          { ref: "r", lead: "s", cohort: 2024, created: "now-10d", updated: "now-3d" },
          { ref: "different", lead: "s", cohort: 2024, created: "now-9d" },
          { ref: "foreign", lead: "sother", cohort: 2025, created: "now-8d" },
        ],
      ),
    );
  });
  test('L46 "a show endpoint": the resource rendered; an unknown id → 404; another provider\'s (next cohort) → 404', async () => {
    const r = await v3Get(t, path(), w.tok("s"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected()]);
    for (const other of [crypto.randomUUID(), w.id("foreign")]) {
      const missing = await v3Get(t, `${LIST}/${other}`, w.tok("s"));
      expect([missing.status, missing.type, missing.text]).toEqual([404, JSON_TYPE, NOT_FOUND]);
    }
  });
  test('L47 "a does not filter by cohort endpoint": filter[cohort] of the next year is ignored', async () => {
    const r = await v3Get(t, `${path()}?filter[cohort]=2025`, w.tok("s"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected()]);
  });
  test('L48 "a does not filter by delivery_partner_id endpoint": another resource\'s delivery partner is ignored', async () => {
    const r = await v3Get(t, `${path()}?filter[delivery_partner_id]=${w.id("dp_different")}`, w.tok("s"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected()]);
  });
  test('L49 "a does not filter by participant_id endpoint": another teacher is ignored', async () => {
    const r = await v3Get(t, `${path()}?filter[participant_id]=${w.id("t_different")}`, w.tok("s"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected()]);
  });
  test('L50 "a does not filter by updated_since endpoint": a day after its updated_at is ignored', async () => {
    const after = new Date(Date.parse(locate(w, w.id("r")).d.updated_at) + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const r = await v3Get(t, `${path()}?filter[updated_since]=${after}`, w.tok("s"));
    expect([r.status, r.type, r.text]).toEqual([200, JSON_TYPE, expected()]);
  });
});

describe("spec/requests/api/v3/declarations_spec.rb #create", () => {
  let w: World;
  const PERIOD = { school: "s1", started_on: "2024-07-01" };
  const TRAINING = { partnership: "p24", schedule: "ecf-standard-september", started_on: "2024-09-01" };
  beforeAll(async () => {
    // declarations_spec.rb:54-112: a 2024 lead provider, its partnership, the teacher's period of the type, a started milestone
    w = await build({
      lead_providers: [lp("cr", [2024])],
      delivery_partners: [dp("dpc", [{ lead_provider: "cr", cohorts: [2024] }])],
      schools: [school()],
      partnerships: [{ ref: "p24", school: "s1", lead_provider: "cr", delivery_partner: "dpc", cohort: 2024 }],
      teachers: [
        { ref: "ect", ect_periods: [{ ...PERIOD, training: [TRAINING] }] },
        { ref: "ect2", ect_periods: [{ ...PERIOD, training: [TRAINING] }] },
        { ref: "mentor", mentor_periods: [{ ...PERIOD, training: [TRAINING] }] },
        { ref: "mentor2", mentor_periods: [{ ...PERIOD, training: [TRAINING] }] },
      ],
    });
  });
  async function post(body: unknown, token = w.tok("cr")) {
    const response = await t.request("POST", LIST, { token, body });
    const text = await response.text();
    let parsed: any = null;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, type: response.headers.get("content-type"), text, body: parsed };
  }
  const params = (teacher: string, course: string, extra: Record<string, unknown> = {}) => ({
    data: { type: "participant-declaration", attributes: { participant_id: w.id(teacher), declaration_type: "started", declaration_date: "2024-10-01T10:00:00Z", course_identifier: course, evidence_held: "other", ...extra } },
  });
  const count = async (teacher: string) => (await v3Get(t, `${LIST}?filter[participant_id]=${w.id(teacher)}`, w.tok("cr"))).body.data.length;

  for (const [type, course] of [["ect", "ecf-induction"], ["mentor", "ecf-mentor"]] as const) {
    describe(`for ${type}`, () => {
      test(`L115 "an API create endpoint" (create_endpoint.rb:4,12): one more declaration, 200, rendered as GET renders it, with the attributes sent (${course})`, async () => {
        const participant = await v3Get(t, `/api/v3/participants/${w.id(type)}`, w.tok("cr"));
        expect(participant.status).toBe(200);
        expect(await count(type)).toBe(0);
        const r = await post(params(type, course));
        expect([r.status, r.type]).toEqual([200, JSON_TYPE]);
        expect(await count(type)).toBe(1);
        expect(r.text).toBe((await v3Get(t, `${LIST}/${r.body.data.id}`, w.tok("cr"))).text);
        const { teacher, d } = locate(await reread(w), r.body.data.id);
        expect(teacher.id).toBe(w.id(type));
        const a = r.body.data.attributes;
        // a 2024 `started` keeps no evidence (evidence_type_validator.rb:29-31); not funded: submitted, no statement
        expect([a.participant_id, a.declaration_type, a.course_identifier, a.declaration_date, a.evidence_held, a.state, a.statement_id, a.delivery_partner_id]).toEqual([
          w.id(type), "started", course, "2024-10-01T10:00:00Z", null, "submitted", null, w.id("dpc"),
        ]);
        expect(d.type).toBe("started");
        // L116 "an endpoint that refreshes metadata": what RECT reads through its metadata agrees at once (the caller sees the
        // declaration by participant, above; the participant document is unchanged, a declaration touches nothing)
        expect((await v3Get(t, `/api/v3/participants/${w.id(type)}`, w.tok("cr"))).text).toBe(participant.text);
      });
      test(`L116 "an endpoint that refreshes metadata": the participant filter and the caller's participants list agree after the POST (${type})`, async () => {
        const listed = await v3Get(t, `${LIST}?filter[participant_id]=${w.id(type)}`, w.tok("cr"));
        expect(listed.body.data.map((x: any) => [x.attributes.participant_id, x.attributes.course_identifier])).toEqual([[w.id(type), course]]);
        const participants = await v3Get(t, "/api/v3/participants", w.tok("cr"));
        expect(participants.body.data.map((x: any) => x.id).sort()).toEqual(["ect", "ect2", "mentor", "mentor2"].map(w.id).sort());
      });
      test(`L115 "an API create endpoint" (create_endpoint.rb:20): a service error → 422 in the errors shape, nothing created (${type})`, async () => {
        const r = await post(params(`${type}2`, course, { declaration_date: "2099-01-01T00:00:00Z" }));
        expect([r.status, r.type, r.text]).toEqual([422, JSON_TYPE, `{"errors":[{"title":"declaration_date","detail":"The '#/declaration_date' value cannot be a future date. Check the date and try again."}]}`]);
        expect(await count(`${type}2`)).toBe(0);
      });
      test(`L115 "an API create endpoint" (create_endpoint.rb:32): a malformed body → 400 (${type})`, async () => {
        const r = await post({ not_a_valid: "body" });
        expect([r.status, r.type, r.text]).toEqual([400, JSON_TYPE, '{"errors":[{"title":"Bad request","detail":"Correct json data structure required. See API docs for reference."}]}']);
      });
      test(`L115 "an API create endpoint" (create_endpoint.rb:40): extra params are ignored, the declaration is made from the known ones (${type})`, async () => {
        const r = await post(params(`${type}2`, course, { any_param1: "test", any_param2: "test" }));
        expect(r.status).toBe(200);
        const a = r.body.data.attributes;
        expect(Object.keys(a)).not.toContain("any_param1");
        expect([a.participant_id, a.declaration_type, a.course_identifier, a.declaration_date]).toEqual([w.id(`${type}2`), "started", course, "2024-10-01T10:00:00Z"]);
        expect(await count(`${type}2`)).toBe(1);
      });
      test(`L122 "when the \`declaration_type\` is invalid": 422 "Enter a valid declaration type." (${type})`, async () => {
        const r = await post(params(type, course, { declaration_type: "invalid" }));
        expect([r.status, r.type, r.text]).toEqual([422, JSON_TYPE, '{"errors":[{"title":"declaration_type","detail":"Enter a valid declaration type."}]}']);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------

describe("spec/serializers/api/declaration_serializer_spec.rb", () => {
  let w: World;
  const show = async (ref: string) => {
    const r = await v3Get(t, `${LIST}/${w.id(ref)}`, w.tok("z"));
    expect(r.status).toBe(200);
    return r;
  };
  beforeAll(async () => {
    w = await build({
      lead_providers: [lp("z", [2024, 2025])],
      delivery_partners: [dp("dpz", [{ lead_provider: "z", cohorts: [2024, 2025] }])],
      schools: [school()],
      partnerships: [
        { ref: "z24", school: "s1", lead_provider: "z", delivery_partner: "dpz", cohort: 2024 },
        { ref: "z25", school: "s1", lead_provider: "z", delivery_partner: "dpz", cohort: 2025 },
      ],
      statements: [{ ref: "st24", lead_provider: "z", cohort: 2024, month: 11, year: 2027, deadline_date: "2027-11-01", payment_date: "2027-11-25" }],
      teachers: [
        // the mentor (declaration_serializer_spec.rb:123-128), with a mentor declaration of its own (:68-74)
        { ref: "mz", mentor_periods: [{ ref: "mzp", school: "s1", started_on: "today-500d", training: [{ partnership: "z25", started_on: "today-300d", declarations: [{ ref: "zmentor", type: "started", date: "now-200d", evidence_held: "other", created_at: "now-30d" }] }] }] },
        // an ECT with no mentor (:38-55, :60-66)
        { ref: "ez1", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "z25", started_on: "today-300d", declarations: [{ ref: "zplain", type: "started", date: "now-250d", evidence_held: "training-event-attended", created_at: "now-29d", updated_at: "now-3d" }] }] }] },
        // an ECT mentored by mz (:123-134)
        { ref: "ez2", ect_periods: [{ school: "s1", started_on: "today-400d", mentorships: [{ mentor: "mzp", started_on: "today-400d" }], training: [{ partnership: "z25", started_on: "today-300d", declarations: [{ ref: "zmentored", type: "started", date: "now-250d", evidence_held: "other", created_at: "now-28d" }] }] }] },
        // paid with an uplift (:136-143)
        { ref: "ez3", ect_periods: [{ school: "s1", started_on: "today-800d", training: [{ partnership: "z24", started_on: "today-700d", declarations: [{ ref: "zpaid", type: "started", date: "now-650d", evidence_held: null, state: "paid", statement: "st24", uplifts: { pupil_premium: true, sparsity: false }, created_at: "now-27d" }] }] }] },
      ],
    });
  });

  test('L28 "core attributes": id is the declaration\'s API id, type "participant-declaration", then attributes', async () => {
    const r = await show("zplain");
    expect(Object.keys(r.body.data)).toEqual(["id", "type", "attributes"]);
    expect([r.body.data.id, r.body.data.type]).toEqual([w.id("zplain"), "participant-declaration"]);
  });
  test('L38 "nested attributes": participant, type, date, timestamps, delivery partner, no statements, no mentor, the evidence as stored, the lead provider\'s name', async () => {
    const r = await show("zplain");
    const { d } = locate(w, w.id("zplain"));
    expect(r.body.data.attributes).toEqual({
      participant_id: w.id("ez1"),
      declaration_type: "started",
      course_identifier: "ecf-induction",
      declaration_date: d.date,
      mentor_id: null,
      state: "submitted",
      updated_at: d.updated_at,
      created_at: d.created_at,
      delivery_partner_id: w.id("dpz"),
      statement_id: null,
      clawback_statement_id: null,
      ineligible_for_funding_reason: null,
      uplift_paid: false,
      evidence_held: "training-event-attended",
      lead_provider_name: w.names.z,
    });
    expect(d.updated_at).not.toBe(d.created_at);
    expect(r.text).toBe(showText(resource(w, "zplain", { lead: "z" })));
  });
  test('L63 course_identifier "when ECT": ecf-induction', async () => {
    expect((await show("zplain")).body.data.attributes.course_identifier).toBe("ecf-induction");
  });
  test('L71 course_identifier "when Mentor": ecf-mentor', async () => {
    const r = await show("zmentor");
    expect(r.body.data.attributes.course_identifier).toBe("ecf-mentor");
    expect(r.body.data.attributes.participant_id).toBe(w.id("mz"));
  });
  test("L130 mentor_id: the mentor teacher of the declaration's mentorship", async () => {
    const r = await show("zmentored");
    expect(r.body.data.attributes.mentor_id).toBe(w.id("mz"));
    expect(r.text).toBe(showText(resource(w, "zmentored", { lead: "z", mentor: "mz" })));
  });
  test("L139 uplift_paid: true for a paid declaration with an uplift", async () => {
    const a = (await show("zpaid")).body.data.attributes;
    expect([a.uplift_paid, a.state, a.statement_id]).toEqual([true, "paid", w.id("st24")]);
  });
});

// ---------------------------------------------------------------------------------------------------------

/**
 * The rswag documentation spec (its shared contexts, spec/support/shared_contexts/api/docs/
 * api_{index,show,create,update}_endpoint_documentation_support.rb): each operation documents its responses
 * and a real request per response is checked against the documented schema. Here, as test/v3/docs-spec.test.ts
 * does for the other resources: the served /api-docs/v3/json documents each of those statuses for the
 * operation, and a real answer of each status validates against the schema documented for it.
 */
describe("spec/requests/api/docs/v3/declarations_spec.rb", () => {
  let w: World;
  let doc: any;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  function deref(node: any, seen = new Set<string>()): any {
    if (Array.isArray(node)) return node.map((n) => deref(n, seen));
    if (node === null || typeof node !== "object") return node;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
      if (seen.has(node.$ref)) return {};
      const target = node.$ref.slice(2).split("/").reduce((o: any, k: string) => o?.[k], doc);
      return deref(target, new Set([...seen, node.$ref]));
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, seen)]));
  }
  async function checkOperation(path: string, method: string, answers: [string, () => Promise<{ status: number; body: any }>][]) {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    const failures: string[] = [];
    for (const [status, call] of answers) {
      const documented = op.responses[status];
      if (!documented) {
        failures.push(`${method} ${path} ${status}: not documented`);
        continue;
      }
      const r = await call();
      if (String(r.status) !== status) failures.push(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
      const schema = Object.values<any>(documented.content ?? {})[0]?.schema;
      if (!schema) {
        failures.push(`${method} ${path} ${status}: no schema`);
        continue;
      }
      const validate = ajv.compile(deref(schema));
      if (!validate(r.body)) failures.push(`${method} ${path} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }
  const call = (method: string, path: string, body?: unknown, token: string | null = w.tok("doc")) => async () => t.call(method, path, { token, body });
  const declaration = (attributes: Record<string, unknown>) => ({ data: { type: "participant-declaration", attributes } });

  beforeAll(async () => {
    doc = (await t.call("GET", "/api-docs/v3/json")).body;
    // declarations_spec.rb:6-24: a partnership of the caller's, an ECT training period in it, a declaration
    w = await build({
      lead_providers: [lp("doc", [2024])],
      delivery_partners: [dp("dpdoc", [{ lead_provider: "doc", cohorts: [2024] }])],
      schools: [school()],
      partnerships: [{ ref: "p", school: "s1", lead_provider: "doc", delivery_partner: "dpdoc", cohort: 2024 }],
      statements: [{ ref: "st", lead_provider: "doc", cohort: 2024, month: 11, year: 2029, deadline_date: "2029-11-01", payment_date: "2029-11-25" }],
      teachers: [
        { ref: "ect", ect_periods: [{ school: "s1", started_on: "2024-07-01", training: [{ partnership: "p", schedule: "ecf-standard-september", started_on: "2024-09-01" }] }] },
        {
          ref: "other",
          ect_periods: [
            {
              school: "s1",
              started_on: "2024-07-01",
              training: [
                {
                  partnership: "p",
                  schedule: "ecf-standard-september",
                  started_on: "2024-09-01",
                  declarations: [
                    { ref: "shown", type: "started", date: "2024-10-01T10:00:00Z", evidence_held: null, created_at: "now-5d" },
                    // declarations_spec.rb:102-109: a payable one to void, a voided one (422)
                    { ref: "payable", type: "retained-1", date: "2025-02-01T10:00:00Z", evidence_held: "other", state: "payable", statement: "st" },
                    { ref: "voided", type: "retained-2", date: "2025-05-01T10:00:00Z", evidence_held: "other", state: "voided", statement: "st" },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  test('L28 "an API create endpoint documentation": 200, 401, 400 ({data: {}}) and 422 (an unknown participant, an invalid evidence)', async () => {
    const valid = declaration({ participant_id: w.id("ect"), declaration_type: "started", declaration_date: "2024-10-01T00:00:00Z", course_identifier: "ecf-induction", evidence_held: "other" });
    await checkOperation("/api/v3/participant-declarations", "post", [
      ["401", call("POST", LIST, valid, "invalid")],
      ["400", call("POST", LIST, { data: {} })],
      ["422", call("POST", LIST, declaration({ participant_id: crypto.randomUUID(), declaration_type: "started", declaration_date: instant(0), course_identifier: "ecf-induction", evidence_held: "invalid" }))],
      ["200", call("POST", LIST, valid)],
    ]);
  });
  test('L72 "an API index endpoint documentation": 200 and 401', async () => {
    await checkOperation("/api/v3/participant-declarations", "get", [
      ["200", call("GET", LIST)],
      ["401", call("GET", LIST, undefined, "invalid")],
    ]);
  });
  test('L82 "an API show endpoint documentation": 200, 401 and 404', async () => {
    await checkOperation("/api/v3/participant-declarations/{id}", "get", [
      ["200", call("GET", `${LIST}/${w.id("shown")}`)],
      ["401", call("GET", `${LIST}/${w.id("shown")}`, undefined, "invalid")],
      ["404", call("GET", `${LIST}/${crypto.randomUUID()}`)],
    ]);
  });
  test('L91 "an API update endpoint documentation" (void, no request body so no 400): 200 (a payable one), 401, 422 (a voided one) and 404', async () => {
    await checkOperation("/api/v3/participant-declarations/{id}/void", "put", [
      ["401", call("PUT", `${LIST}/${w.id("payable")}/void`, {}, "invalid")],
      ["422", call("PUT", `${LIST}/${w.id("voided")}/void`, {})],
      ["404", call("PUT", `${LIST}/${crypto.randomUUID()}/void`, {})],
      ["200", call("PUT", `${LIST}/${w.id("payable")}/void`, {})],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------

/**
 * Declarations::Actions::MarkDeclarationsEligible (app/services/declarations/actions/mark_declarations_eligible.rb:13-35),
 * run by Teachers::SetECTFundingEligibility / SetMentorFundingEligibility when a role first becomes eligible for
 * funding (set_ect_funding_eligibility.rb:27-35): here through DfE's PUT /admin/v3/teachers/{id}/funding
 * (docs/reference/rect/control-plane.md §4.3), seen through GET /api/v3/participant-declarations.
 */
describe("spec/services/api/declarations/actions/mark_declarations_eligible_spec.rb", () => {
  let w: World;
  const state = async (ref: string) => {
    const r = await v3Get(t, `${LIST}/${w.id(ref)}`, w.tok(ref.startsWith("y") ? "k2" : "k"));
    expect(r.status).toBe(200);
    return [r.body.data.attributes.state, r.body.data.attributes.statement_id];
  };
  const fund = (teacher: string) => t.admin("PUT", `/admin/v3/teachers/${w.id(teacher)}/funding`, { role: "ect", eligible_at: "now" });
  const submitted = (ref: string, type: string, date: string) => ({ ref, type, date, evidence_held: "other", state: "submitted" });
  beforeAll(async () => {
    w = await build({
      lead_providers: [lp("k", [2025]), lp("k2", [2025])],
      delivery_partners: [dp("dpk", [{ lead_provider: "k", cohorts: [2025] }]), dp("dpk2", [{ lead_provider: "k2", cohorts: [2025] }])],
      schools: [school()],
      partnerships: [
        { ref: "pk", school: "s1", lead_provider: "k", delivery_partner: "dpk", cohort: 2025 },
        { ref: "pk2", school: "s1", lead_provider: "k2", delivery_partner: "dpk2", cohort: 2025 },
      ],
      // mark_declarations_eligible_spec.rb:12-47: output statements due today, tomorrow and yesterday, a service fee one due today
      statements: [
        { ref: "next", lead_provider: "k", cohort: 2025, month: 1, year: 2031, deadline_date: "today", payment_date: "today+20d", status: "open", fee_type: "output" },
        { ref: "later", lead_provider: "k", cohort: 2025, month: 2, year: 2031, deadline_date: "today+1d", payment_date: "today+20d", status: "open", fee_type: "output" },
        { ref: "past", lead_provider: "k", cohort: 2025, month: 3, year: 2031, deadline_date: "today-1d", payment_date: "today+20d", status: "open", fee_type: "output" },
        { ref: "service", lead_provider: "k", cohort: 2025, month: 4, year: 2031, deadline_date: "today", payment_date: "today+20d", status: "open", fee_type: "service" },
      ],
      teachers: [
        // :8-10: two no-payment declarations of one training period
        { ref: "ek", ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "pk", started_on: "today-300d", declarations: [submitted("x1", "retained-1", "now-200d"), submitted("x2", "extended-1", "now-100d")] }] }] },
        // :82: the second declaration's lead provider (k2) has no output statement
        {
          ref: "ek2",
          ect_periods: [
            {
              school: "s1",
              started_on: "today-400d",
              training: [
                { partnership: "pk", started_on: "today-300d", finished_on: "today-150d", declarations: [submitted("z1", "retained-1", "now-200d")] },
                { partnership: "pk2", started_on: "today-149d", declarations: [submitted("yz2", "extended-1", "now-100d")] },
              ],
            },
          ],
        },
      ],
    });
  });

  test("L49 marks declarations as eligible: both submitted ones become eligible", async () => {
    expect(await state("x1")).toEqual(["submitted", null]);
    expect(await state("x2")).toEqual(["submitted", null]);
    const r = await fund("ek");
    expect(r.status).toBe(200);
    expect(r.body.declarations_made_eligible).toBe(true);
    expect((await state("x1"))[0]).toBe("eligible");
    expect((await state("x2"))[0]).toBe("eligible");
  });
  test("L59 assigns the next output fee statement: the output one due today (not tomorrow's, not yesterday's, not the service fee one)", async () => {
    expect(await state("x1")).toEqual(["eligible", w.id("next")]);
    expect(await state("x2")).toEqual(["eligible", w.id("next")]);
  });
  test("L84 a missing payment statement (RECT raises MissingPaymentStatementError): the call is refused with a 422", async () => {
    const r = await fund("ek2");
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "eligible_at", detail: "the lead provider has no output statement with a deadline of today or later to attach the declarations to (RECT raises here)" }] });
  });
  test("L90 rolls back all updates: both declarations stay submitted without a statement, the teacher's funding unset", async () => {
    const before = (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === w.id("ek2"));
    expect(await state("z1")).toEqual(["submitted", null]);
    expect(await state("yz2")).toEqual(["submitted", null]);
    expect((await fund("ek2")).status).toBe(422);
    const after = (await t.admin("GET", "/admin/v3/world")).body.teachers.find((x: any) => x.id === w.id("ek2"));
    expect(after).toEqual(before);
    expect(after.funding.ect_eligible_at).toBeNull();
    expect(await state("z1")).toEqual(["submitted", null]);
    expect(await state("yz2")).toEqual(["submitted", null]);
  });
});
