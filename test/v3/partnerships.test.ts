/**
 * Partnerships (docs/reference/rect/rules.md §13) end to end over app.handle: GET list and
 * show, POST, PUT and PATCH. Each case names the RECT spec example it
 * reproduces (spec/requests/api/v3/partnerships_spec.rb and its shared
 * examples, docs/reference/rect/spec-index.md §1; spec/services/api/school_partnerships/*_spec.rb;
 * spec/serializers/api/school_partnership_serializer_spec.rb).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2023, 2024, 2025]), lp("b", [2024, 2025])],
    delivery_partners: [
      { ref: "dp1", name: "DP One", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dp2", name: "DP Two", partnered_with: [{ lead_provider: "a", cohorts: [2023] }, { lead_provider: "b", cohorts: [2025] }] },
      { ref: "dp3", name: "DP Three", partnered_with: [{ lead_provider: "b", cohorts: [2024] }] },
    ],
    schools: [
      { ref: "s1", urn: "200001", name: "One", induction_tutor: { name: "Tutor One", email: "tutor1@example.com" } },
      { ref: "s2", urn: "200002", name: "Two", induction_tutor: { name: null, email: "   " }, gias_contacts: { primary: "office@two.example", secondary: "second@two.example" } },
      { ref: "s3", urn: "200003", name: "Three", gias_contacts: { primary: null, secondary: "second@three.example" } },
      { ref: "s4", urn: "200004", name: "Four" },
    ],
    partnerships: [
      { ref: "p1", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025, created_at: "2025-06-03T10:00:00Z", updated_at: "now-7d" },
      { ref: "p2", school: "s2", lead_provider: "a", delivery_partner: "dp2", cohort: 2023, created_at: "2025-06-01T10:00:00Z", updated_at: "now-30d" },
      { ref: "p3", school: "s3", lead_provider: "a", delivery_partner: "dp1", cohort: 2024, created_at: "2025-06-02T10:00:00Z", updated_at: "now-90d" },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025, created_at: "2025-05-01T10:00:00Z" },
    ],
    teachers: [
      // p1: current, future, finished yesterday, finishing today (counted: current and today's)
      { ect_periods: [{ school: "s1", started_on: "today-90d", training: [{ partnership: "p1", started_on: "today-60d" }] }] },
      { ect_periods: [{ school: "s1", started_on: "today-90d", training: [{ partnership: "p1", started_on: "today+10d" }] }] },
      { ect_periods: [{ school: "s1", started_on: "today-90d", training: [{ partnership: "p1", started_on: "today-60d", finished_on: "today-1d" }] }] },
      { mentor_periods: [{ school: "s1", started_on: "today-90d", training: [{ partnership: "p1", started_on: "today-60d", finished_on: "today" }] }] },
    ],
  });
});
afterAll(() => t.close());

const doc = (w: any, ref: string, extra: { participants: number; tutorName: string | null; tutorEmail: string | null }) => {
  const p = w.partnerships.find((x: any) => x.id === refs[ref]!.id);
  const school = w.schools.find((s: any) => s.id === p.school);
  const dp = w.delivery_partners.find((d: any) => d.id === p.delivery_partner);
  return `{"id":"${p.id}","type":"partnership","attributes":{"cohort":"${p.cohort}","urn":"${Number(school.urn)}","school_id":"${school.id}","delivery_partner_id":"${dp.id}","delivery_partner_name":"${dp.name}","induction_tutor_name":${JSON.stringify(extra.tutorName)},"induction_tutor_email":${JSON.stringify(extra.tutorEmail)},"participants_currently_training":${extra.participants},"created_at":"${p.created_at}","updated_at":"${p.updated_at}"}}`;
};

describe("GET /api/v3/partnerships (spec/requests/api/v3/partnerships_spec.rb #index)", () => {
  test('spec/requests/api/v3/partnerships_spec.rb:26 "an index endpoint": the caller\'s partnerships only, created_at ascending, byte for byte in the serializer\'s attribute order; spec/services/api/school_partnerships/query_spec.rb:37,44,69,104,159,183 (all, created_at ascending; filtered by the caller; the cohort, updated_since and delivery partner filters omitted → all)', async () => {
    const r = await v3Get(t, "/api/v3/partnerships", tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const w = await world();
    // spec/serializers/api/school_partnership_serializer_spec.rb:27,36 "serializes correctly"; spec/serializers/api/school_partnership_serializer_spec.rb:59 "uses the GIAS contact email" (s2: blank tutor email → GIAS primary; s3: → secondary)
    expect(r.text).toBe(
      `{"data":[${doc(w, "p2", { participants: 0, tutorName: null, tutorEmail: "office@two.example" })},${doc(w, "p3", { participants: 0, tutorName: null, tutorEmail: "second@three.example" })},${doc(w, "p1", { participants: 2, tutorName: "Tutor One", tutorEmail: "tutor1@example.com" })}]}`,
    );
  });
  test('spec/requests/api/v3/partnerships_spec.rb:26 "an index endpoint": none → exactly {"data":[]}; spec/services/api/school_partnerships/query_spec.rb:76 "returns empty if no school partnerships are found for the given `lead_provider`"', async () => {
    const none = await v3Scenario(t, { lead_providers: [lp("none")] });
    const r = await v3Get(t, "/api/v3/partnerships", none.none!.api_token);
    expect(r.text).toBe('{"data":[]}');
  });
  test("spec/serializers/api/school_partnership_serializer_spec.rb:69,82 participants_currently_training: periods holding today (inclusive both ends), any role; with X-With-Server-Date the count follows that day", async () => {
    const r = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"));
    expect(r.body.data.attributes.participants_currently_training).toBe(2);
    const inTwoWeeks = addDays(londonDate(new Date()), 14);
    const later = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"), { "X-With-Server-Date": `${inTwoWeeks}T12:00:00Z` });
    // the first period (ongoing) and the future one, now started
    expect(later.body.data.attributes.participants_currently_training).toBe(2);
    const yesterday = addDays(londonDate(new Date()), -1);
    const before = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"), { "X-With-Server-Date": `${yesterday}T12:00:00Z` });
    expect(before.body.data.attributes.participants_currently_training).toBe(3);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:21 "a paginated endpoint": per_page/page split the list; past the end is {"data":[]}; below 1 is the 400', async () => {
    expect(ids((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=1", tok("a"))).body)).toEqual([refs.p2!.id, refs.p3!.id]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=2", tok("a"))).body)).toEqual([refs.p1!.id]);
    expect((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=3", tok("a"))).text).toBe('{"data":[]}');
    for (const bad of ["page[page]=-1", "page[page]=0.8", "page[per_page]=abc"]) {
      const r = await v3Get(t, `/api/v3/partnerships?${bad}`, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('spec/requests/api/v3/partnerships_spec.rb:22 "a token authenticated endpoint": no token / Bearer invalid → 401', async () => {
    for (const token of [null, "invalid"]) {
      const r = await v3Get(t, "/api/v3/partnerships", token);
      expect(r.status).toBe(401);
      expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
    }
  });
  test('spec/requests/api/v3/partnerships_spec.rb:23 "a filter by multiple cohorts (contract_period year) endpoint" (spec/services/api/school_partnerships/query_spec.rb:109-141)', async () => {
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort]=2023,2025", tok("a"))).body)).toEqual([refs.p2!.id, refs.p1!.id]);
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[cohort]=2024,invalid,cohort,,20A1,nil,null, ,1099,${refs.p1!.id}`, tok("a"))).body)).toEqual([refs.p3!.id]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort]=", tok("a"))).body)).toHaveLength(3);
    expect((await v3Get(t, "/api/v3/partnerships?filter[cohort]=invalid", tok("a"))).text).toBe('{"data":[]}');
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort][]=2023&filter[cohort][]=2024", tok("a"))).body)).toEqual([refs.p2!.id, refs.p3!.id]);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:24 "a filter by updated_since endpoint": inclusive, the double-encoded form too; invalid-date is the 400 (spec/services/api/school_partnerships/query_spec.rb:149,167)', async () => {
    const since = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[updated_since]=${since}`, tok("a"))).body)).toEqual([refs.p2!.id, refs.p1!.id]);
    const encoded = encodeURIComponent(encodeURIComponent(since.replace("Z", "+00:00")));
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[updated_since]=${encoded}`, tok("a"))).body)).toEqual([refs.p2!.id, refs.p1!.id]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[updated_since]=", tok("a"))).body)).toHaveLength(3);
    const w = await world();
    const exact = w.partnerships.find((p: any) => p.id === refs.p1!.id).updated_at;
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[updated_since]=${exact}`, tok("a"))).body)).toEqual([refs.p1!.id]);
    const r = await v3Get(t, "/api/v3/partnerships?filter[updated_since]=invalid-date", tok("a"));
    expect(r.status).toBe(400);
    expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}`);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:25 "a filter by delivery_partner_id endpoint", :delivery_partner (spec/services/api/school_partnerships/query_spec.rb:188-226)', async () => {
    const dp1 = refs.dp1!.id;
    const dp2 = refs.dp2!.id;
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id]=${dp1}`, tok("a"))).body)).toEqual([refs.p3!.id, refs.p1!.id]);
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id]=${dp1},${dp2}`, tok("a"))).body)).toEqual([refs.p2!.id, refs.p3!.id, refs.p1!.id]);
    // L208 random UUID; L214 invalid UUID; an upper-case id casts as the uuid column does
    expect((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id]=${crypto.randomUUID()}`, tok("a"))).text).toBe('{"data":[]}');
    expect((await v3Get(t, "/api/v3/partnerships?filter[delivery_partner_id]=invalid", tok("a"))).text).toBe('{"data":[]}');
    expect((await v3Get(t, "/api/v3/partnerships?filter[delivery_partner_id]=,", tok("a"))).text).toBe('{"data":[]}');
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id]=invalid,${dp2.toUpperCase()}`, tok("a"))).body)).toEqual([refs.p2!.id]);
    // L226 blank → not applied; a list is not a permitted scalar (partnerships_controller.rb:64): not applied either
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[delivery_partner_id]=", tok("a"))).body)).toHaveLength(3);
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id][]=${dp2}`, tok("a"))).body)).toHaveLength(3);
    // isolation: another provider's delivery partner names none of the caller's partnerships
    expect((await v3Get(t, `/api/v3/partnerships?filter[delivery_partner_id]=${refs.dp3!.id}`, tok("a"))).text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/partnerships_spec.rb:27 "a sortable endpoint": created_at, -created_at, updated_at, -updated_at (spec/services/api/school_partnerships/query_spec.rb:239-260); unknown names fall back to the default', async () => {
    const [p1, p2, p3] = [refs.p1!.id, refs.p2!.id, refs.p3!.id];
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=created_at", tok("a"))).body)).toEqual([p2, p3, p1]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=-created_at", tok("a"))).body)).toEqual([p1, p3, p2]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=updated_at", tok("a"))).body)).toEqual([p3, p2, p1]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=-updated_at", tok("a"))).body)).toEqual([p1, p2, p3]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=-school_id", tok("a"))).body)).toEqual([p3, p2, p1]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort=name", tok("a"))).body)).toEqual([p2, p3, p1]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?sort[]=-created_at", tok("a"))).body)).toEqual([p2, p3, p1]);
  });
  test('"Filter must be a hash" (filter_validatable.rb:25-37) on the list and the show', async () => {
    for (const path of ["/api/v3/partnerships?filter=x", `/api/v3/partnerships/${refs.p1!.id}?filter[]=x`]) {
      const r = await v3Get(t, path, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
    }
  });
});

describe("GET /api/v3/partnerships/{id} (spec/requests/api/v3/partnerships_spec.rb #show)", () => {
  test('spec/requests/api/v3/partnerships_spec.rb:37 "a show endpoint": own → 200 and the document the list gives; random UUID → 404; another provider\'s → 404 (spec/services/api/school_partnerships/query_spec.rb:278,284)', async () => {
    const list = await v3Get(t, "/api/v3/partnerships", tok("a"));
    const r = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(r.text).toBe(`{"data":${JSON.stringify(list.body.data.find((p: any) => p.id === refs.p1!.id))}}`);
    const notFound = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
    for (const id of [crypto.randomUUID(), refs.pb!.id, "not-a-uuid"]) {
      const miss = await v3Get(t, `/api/v3/partnerships/${id}`, tok("a"));
      expect(miss.status).toBe(404);
      expect(miss.text).toBe(notFound);
    }
    // and the other way round: b sees its own, not a's
    expect((await v3Get(t, `/api/v3/partnerships/${refs.pb!.id}`, tok("b"))).status).toBe(200);
    expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("b"))).status).toBe(404);
    expect(ids((await v3Get(t, "/api/v3/partnerships", tok("b"))).body)).toEqual([refs.pb!.id]);
  });
  test("spec/services/api/school_partnerships/query_spec.rb:271: an id in upper case or without hyphens is the same id (the uuid column's cast)", async () => {
    expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id.toUpperCase()}`, tok("a"))).status).toBe(200);
    expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id.replace(/-/g, "")}`, tok("a"))).status).toBe(200);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:36 "a token authenticated endpoint" (show): no token / Bearer invalid → 401', async () => {
    for (const token of [null, "invalid"]) expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, token)).text).toBe('{"error":"HTTP Token: Access denied"}');
  });
  test('spec/requests/api/v3/partnerships_spec.rb:38-40 "a does not filter by cohort / updated_since / delivery_partner_id endpoint"', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + "Z";
    for (const q of ["filter[cohort]=2021", `filter[updated_since]=${future}`, `filter[delivery_partner_id]=${refs.dp3!.id}`, "filter[updated_since]=invalid-date"]) {
      const r = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}?${q}`, tok("a"));
      expect(r.status).toBe(200);
      expect(r.body.data.id).toBe(refs.p1!.id);
    }
  });
});

/** A write to /api/v3 with a JSON (or any) body: status, text, parsed body. */
async function send(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const response = await t.request(method, path, { token, body, headers });
  const text = await response.text();
  let parsed: any = null;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body: parsed, type: response.headers.get("content-type") };
}
const create = (attributes: Record<string, unknown>) => ({ data: { type: "partnership", attributes } });
const BAD_BODY = '{"errors":[{"title":"Bad request","detail":"Correct json data structure required. See API docs for reference."}]}';
const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
const M = {
  cohortBlank: "Enter a '#/cohort'.",
  schoolBlank: "Enter a '#/school_id'.",
  dpBlank: "Enter a '#/delivery_partner_id'.",
  cohortInvalid: "The '#/cohort' you have entered is invalid. Check cohort details and try again.",
  cohortFuture: "You cannot create a partnership for a future cohort.",
  cohortClosed: "You cannot create this partnership as the cohort is closed.",
  schoolInvalid: "The '#/school_id' you have entered is invalid. Check school details and try again. Contact the DfE for support if you are unable to find the '#/school_id'.",
  schoolIneligible: "The school you have entered is currently ineligible for DfE funding. Contact the school for more information.",
  dpInvalid: "The '#/delivery_partner_id' you have entered is invalid. Check delivery partner details and try again.",
  notTogether: "The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information.",
  already: "You are already in a confirmed partnership with this school for the entered cohort.",
  schoolLed: "This school has only registered school-led participants. Contact the school for more information.",
  sameDp: "We are unable to process this request. You are already confirmed to be in partnership with the entered delivery partner. Contact the DfE for support.",
};
const errors = (...items: [string, string][]) => JSON.stringify({ errors: items.map(([title, detail]) => ({ title, detail })) });

describe("POST /api/v3/partnerships (spec/requests/api/v3/partnerships_spec.rb:71-73 #create; create_spec.rb)", () => {
  let w: Refs;
  const count = async () => (await world()).partnerships.length;
  beforeAll(async () => {
    w = await v3Scenario(t, {
      lead_providers: [lp("c", [2021, 2024, 2025, 2026]), lp("d", [2025])],
      delivery_partners: [
        { ref: "cdp", name: `C DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "c", cohorts: [2021, 2024, 2025, 2026] }] },
        { ref: "cdp2", name: `C DP2 ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "c", cohorts: [2025] }] },
        { ref: "ddp", name: `D DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "d", cohorts: [2025] }] },
      ],
      schools: [
        { ref: "new", urn: "300001", induction_tutor: { name: "T", email: "t@new.example" } },
        { ref: "eoi", urn: "300002", updated_at: "now-10d" },
        { ref: "inel", urn: "300003", eligible: false },
        { ref: "marked", urn: "300004", eligible: false, marked_as_eligible: true },
        { ref: "led", urn: "300005" },
        { ref: "other", urn: "300006" },
        { ref: "mine24", urn: "300007" },
        { ref: "inelp", urn: "300008", eligible: false },
        { ref: "form", urn: "300009" },
        { ref: "tt", urn: "300010" },
      ],
      partnerships: [
        { ref: "other_d", school: "other", lead_provider: "d", delivery_partner: "ddp", cohort: 2025 },
        { ref: "mine_2024", school: "mine24", lead_provider: "c", delivery_partner: "cdp", cohort: 2024 },
        { ref: "inel_c", school: "inelp", lead_provider: "c", delivery_partner: "cdp", cohort: 2025 },
      ],
      teachers: [
        { ref: "te", updated_at: "now-30d", ect_periods: [{ school: "eoi", started_on: "today-30d", training: [{ ref: "tpe", eoi: { lead_provider: "c", cohort: 2025 } }] }] },
        { ref: "tm", updated_at: "now-30d", mentor_periods: [{ school: "eoi", started_on: "today-30d", training: [{ ref: "tpm", eoi: { lead_provider: "c", cohort: 2025 } }] }] },
        // an EOI for another cohort and one for another provider stay unlinked
        { ref: "tx", updated_at: "now-30d", ect_periods: [{ school: "eoi", started_on: "today-20d", training: [{ ref: "tpx", eoi: { lead_provider: "c", cohort: 2024 } }] }] },
        { ref: "ty", updated_at: "now-30d", ect_periods: [{ school: "eoi", started_on: "today-20d", training: [{ ref: "tpy", eoi: { lead_provider: "d", cohort: 2025 } }] }] },
        // a school-led period starting inside the 2025 cohort's dates: the school's 2025 choice is school_led
        { ect_periods: [{ school: "led", started_on: "2025-09-01", training: [{ programme: "school_led" }] }] },
      ],
    });
  });
  const valid = (school: string, extra: Record<string, unknown> = {}) => create({ cohort: 2025, school_id: w[school]!.id, delivery_partner_id: w.cdp!.id, ...extra });

  test('spec/requests/api/v3/partnerships_spec.rb:72 "an API create endpoint": valid → 200 (not 201), one more partnership, the body is the document a GET gives; spec/services/api/school_partnerships/create_spec.rb:166 "creates a school partnership", spec/services/api/school_partnerships/create_spec.rb:29 (valid); spec/services/school_partnerships/create_spec.rb:23 "creates a school partnership"', async () => {
    const before = await count();
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, valid("new"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(await count()).toBe(before + 1);
    const shown = await v3Get(t, `/api/v3/partnerships/${r.body.data.id}`, w.c!.api_token);
    expect(r.text).toBe(shown.text);
    const a = r.body.data.attributes;
    expect(Object.keys(a)).toEqual(["cohort", "urn", "school_id", "delivery_partner_id", "delivery_partner_name", "induction_tutor_name", "induction_tutor_email", "participants_currently_training", "created_at", "updated_at"]);
    expect(a).toMatchObject({ cohort: "2025", urn: "300001", school_id: w.new!.id, delivery_partner_id: w.cdp!.id, induction_tutor_name: "T", induction_tutor_email: "t@new.example", participants_currently_training: 0 });
    expect(r.body.data.type).toBe("partnership");
  });
  test('spec/requests/api/v3/partnerships_spec.rb:73 "an endpoint that refreshes metadata": the EOI training periods of the caller in the cohort at the school are linked (ECT and mentor), their teachers\' updated_at moves; the school\'s in_partnership turns true and its updated_at moves; spec/services/school_partnerships/create_spec.rb:49 "links eligible training periods"; spec/services/school_partnerships/assign_training_periods_spec.rb:89,101,105 (only eligible ones: not another provider\'s EOI, not another cohort\'s)', async () => {
    const school = async () => (await v3Get(t, `/api/v3/schools/${w.eoi!.id}?filter[cohort]=2025`, w.c!.api_token)).body.data.attributes;
    const before = await school();
    expect(before.in_partnership).toBe(false);
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, valid("eoi"));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.participants_currently_training).toBe(2);
    const after = await school();
    expect(after.in_partnership).toBe(true);
    expect(after.updated_at > before.updated_at).toBe(true);
    const wd = await world();
    const period = (ref: string) => wd.teachers.flatMap((x: any) => [...(x.ect_periods ?? []), ...(x.mentor_periods ?? [])]).flatMap((p: any) => p.training ?? []).find((tp: any) => tp.ref === w[ref]!.id);
    expect(period("tpe").partnership).toBe(r.body.data.id);
    expect(period("tpm").partnership).toBe(r.body.data.id);
    expect(period("tpe").eoi).toEqual({ lead_provider: w.c!.id, cohort: 2025 });
    expect(period("tpx").partnership).toBeUndefined();
    expect(period("tpy").partnership).toBeUndefined();
    const teacher = (ref: string) => wd.teachers.find((x: any) => x.id === w[ref]!.id);
    const stamp = r.body.data.attributes.created_at;
    expect(teacher("te").updated_at).toBe(stamp);
    expect(teacher("tm").updated_at).toBe(stamp);
    expect(teacher("tx").updated_at < stamp).toBe(true);
    expect(teacher("ty").updated_at < stamp).toBe(true);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:72 "an API create endpoint": service invalid → 422 in the errors shape, nothing written (spec/services/api/school_partnerships/create_spec.rb:181-182)', async () => {
    const before = await world();
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, valid("other", { delivery_partner_id: crypto.randomUUID() }));
    expect(r.status).toBe(422);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(r.text).toBe(errors(["delivery_partner_id", M.dpInvalid]));
    expect(await world()).toEqual(before);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:72 "an API create endpoint": {not_a_valid: "body"} → 400; and every blank or shapeless data / attributes (docs/reference/rect/rules.md §3.3)', async () => {
    const bodies: unknown[] = [
      { not_a_valid: "body" },
      { data: {} },
      { data: null },
      { data: "" },
      { data: false },
      { data: [] },
      { data: { type: "partnership" } },
      { data: { attributes: {} } },
      { data: { attributes: "x" } },
      { data: { attributes: [{ cohort: 2025 }] } },
      { data: { attributes: { unknown: 1 } } },
      { data: { attributes: { cohort: [2025], school_id: { id: 1 } } } },
      [1, 2],
      '"text"',
    ];
    for (const body of bodies) {
      const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, body, { "content-type": "application/json" });
      expect({ body, status: r.status, text: r.text }).toEqual({ body, status: 400, text: BAD_BODY });
    }
  });
  test("README difference: where RECT answers 500 (data a non-blank string, a number, true, a non-empty list) or a bare 400 (malformed JSON), 400 in the errors shape", async () => {
    for (const body of [{ data: "x" }, { data: 1 }, { data: true }, { data: [{ attributes: { cohort: 2025 } }] }]) {
      const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, body);
      expect({ body, status: r.status, text: r.text }).toEqual({ body, status: 400, text: BAD_BODY });
    }
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, '{"data":', { "content-type": "application/json" });
    expect(r.status).toBe(400);
    expect(r.text).toBe('{"errors":[{"title":"Bad request","detail":"The request body is not valid JSON"}]}');
  });
  test('spec/requests/api/v3/partnerships_spec.rb:72 "an API create endpoint": when extra params are sent, they are ignored (data.type is never read)', async () => {
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, { data: { type: "nonsense", attributes: { cohort: "2025", school_id: w.marked!.id, delivery_partner_id: w.cdp!.id, lead_provider_id: w.d!.id, extra: [1] } } });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.school_id).toBe(w.marked!.id);
    // made for the caller, not for the lead_provider_id sent
    expect((await v3Get(t, `/api/v3/partnerships/${r.body.data.id}`, w.c!.api_token)).status).toBe(200);
    expect((await v3Get(t, `/api/v3/partnerships/${r.body.data.id}`, w.d!.api_token)).status).toBe(404);
  });
  test("a form-encoded body is read as Rails reads it (docs/reference/rect/rules.md §0: the request specs post form-encoded params)", async () => {
    const form = `data[type]=partnership&data[attributes][cohort]=2025&data[attributes][school_id]=${w.form!.id}&data[attributes][delivery_partner_id]=${w.cdp!.id}`;
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, form, { "content-type": "application/x-www-form-urlencoded" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.school_id).toBe(w.form!.id);
    const blank = await send("POST", "/api/v3/partnerships", w.c!.api_token, "data[attributes][cohort]=&data[attributes][school_id]=", { "content-type": "application/x-www-form-urlencoded" });
    expect(blank.status).toBe(422);
    // delivery_partner_id not sent: nil, so blank too
    expect(blank.text).toBe(errors(["cohort", M.cohortBlank], ["school_id", M.schoolBlank], ["delivery_partner_id", M.dpBlank]));
    const conflict = await send("POST", "/api/v3/partnerships", w.c!.api_token, "data=1&data[attributes][cohort]=2025", { "content-type": "application/x-www-form-urlencoded" });
    expect(conflict.status).toBe(400);
    expect(conflict.body.errors[0].title).toBe("Bad request");
    // another content type: the body is not parsed at all
    const plain = await send("POST", "/api/v3/partnerships", w.c!.api_token, JSON.stringify(valid("form")), { "content-type": "text/plain" });
    expect(plain.text).toBe(BAD_BODY);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:71 "a token authenticated endpoint": 401 before the body is read', async () => {
    for (const token of [null, "invalid"]) {
      const r = await send("POST", "/api/v3/partnerships", token, "not json", { "content-type": "application/json" });
      expect(r.status).toBe(401);
      expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
    }
  });
  test("validate_filters runs on writes too: a `filter` that is not a hash, in the query or the body → 400", async () => {
    const q = await send("POST", "/api/v3/partnerships?filter=x", w.c!.api_token, valid("other"));
    const b = await send("POST", "/api/v3/partnerships", w.c!.api_token, { ...valid("other"), filter: "x" });
    for (const r of [q, b]) expect(r.text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
  });

  describe("spec/services/api/school_partnerships/create_spec.rb validations (titles and texts mapped: docs/reference/rect/rules.md §3.2, Appendix B)", () => {
    const post = (attributes: Record<string, unknown>, headers: Record<string, string> = {}) => send("POST", "/api/v3/partnerships", w.c!.api_token, create(attributes), headers);
    test("L31-L34 presence: every blank attribute (nil, \"\", spaces, false) at once, one item each; L159 guarded: one error per attribute; spec/services/api/errors/mapper_spec.rb:11 and spec/services/api/errors/response_spec.rb:49,66 (RECT terms mapped in every item\'s title and detail: cohort, school_id, delivery_partner_id)", async () => {
      const r = await post({ cohort: " ", school_id: null, delivery_partner_id: false });
      expect(r.status).toBe(422);
      expect(r.text).toBe(errors(["cohort", M.cohortBlank], ["school_id", M.schoolBlank], ["delivery_partner_id", M.dpBlank]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:39 when the contract period year does not exist (P5); a non-numeric cohort too; the delivery partner then is not working with the caller for it (P11, unguarded)", async () => {
      expect((await post({ cohort: 1999, school_id: w.other!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["cohort", M.cohortInvalid], ["delivery_partner_id", M.notTogether]));
      expect((await post({ cohort: "invalid", school_id: w.other!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["cohort", M.cohortInvalid], ["delivery_partner_id", M.notTogether]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:48 when the contract period year is not enabled (P7: 2021 is closed)", async () => {
      expect((await post({ cohort: 2021, school_id: w.other!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["cohort", M.cohortClosed]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:57 when the contract period has not started (P6, with X-With-Server-Date before 2026-06-01); it guards P7", async () => {
      const r = await post({ cohort: 2026, school_id: w.other!.id, delivery_partner_id: w.cdp!.id }, { "X-With-Server-Date": "2026-05-31T12:00:00Z" });
      expect(r.text).toBe(errors(["cohort", M.cohortFuture]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:75 when the school does not exist (P8); not a UUID too", async () => {
      for (const school_id of [crypto.randomUUID(), "nope", 12345]) {
        expect((await post({ cohort: 2025, school_id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["school_id", M.schoolInvalid]));
      }
    });
    test("spec/services/api/school_partnerships/create_spec.rb:84 when the school is not eligible (P9); an ineligible school already partnered gets P9 and P12 (unguarded): spec/services/api/errors/response_spec.rb:13, two messages under one title, one item each", async () => {
      expect((await post({ cohort: 2025, school_id: w.inel!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["school_id", M.schoolIneligible]));
      expect((await post({ cohort: 2025, school_id: w.inelp!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["school_id", M.schoolIneligible], ["school_id", M.already]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:93 when a school partnership already exists for the lead provider and contract period (P12), with another delivery partner too", async () => {
      expect((await post({ cohort: 2025, school_id: w.inelp!.id, delivery_partner_id: w.cdp2!.id })).status).toBe(422);
      expect((await post({ cohort: 2024, school_id: w.mine24!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["school_id", M.already]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:108 when a school partnership already exists for the lead provider and a different contract period → valid", async () => {
      const r = await post({ cohort: "2025", school_id: w.mine24!.id, delivery_partner_id: w.cdp!.id });
      expect(r.status).toBe(200);
    });
    test("spec/services/api/school_partnerships/create_spec.rb:120 when a school partnership already exists for the contract period and a different lead provider → valid; both providers then see only their own", async () => {
      const r = await post({ cohort: 2025, school_id: w.other!.id, delivery_partner_id: w.cdp!.id });
      expect(r.status).toBe(200);
      expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort]=2025", w.d!.api_token)).body)).toEqual([w.other_d!.id]);
      expect(ids((await v3Get(t, "/api/v3/partnerships", w.c!.api_token)).body)).toContain(r.body.data.id);
      expect(ids((await v3Get(t, "/api/v3/partnerships", w.c!.api_token)).body)).not.toContain(w.other_d!.id);
    });
    test("spec/services/api/school_partnerships/create_spec.rb:126 when the delivery partner does not exist (P10)", async () => {
      expect((await post({ cohort: 2025, school_id: w.tt!.id, delivery_partner_id: crypto.randomUUID() })).text).toBe(errors(["delivery_partner_id", M.dpInvalid]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:135 when a lead provider delivery partnership does not exist (P11): another provider's delivery partner, or one not paired in the cohort", async () => {
      expect((await post({ cohort: 2025, school_id: w.tt!.id, delivery_partner_id: w.ddp!.id })).text).toBe(errors(["delivery_partner_id", M.notTogether]));
      expect((await post({ cohort: 2024, school_id: w.tt!.id, delivery_partner_id: w.cdp2!.id })).text).toBe(errors(["delivery_partner_id", M.notTogether]));
    });
    test("spec/services/api/school_partnerships/create_spec.rb:144 when the induction programme choice is school_led (P13); L153 not_yet_known is valid", async () => {
      expect((await post({ cohort: 2025, school_id: w.led!.id, delivery_partner_id: w.cdp!.id })).text).toBe(errors(["school_id", M.schoolLed]));
      expect((await v3Get(t, `/api/v3/schools/${w.tt!.id}?filter[cohort]=2024`, w.c!.api_token)).body.data.attributes.induction_programme_choice).toBe("not_yet_known");
      expect((await post({ cohort: 2024, school_id: w.tt!.id, delivery_partner_id: w.cdp!.id })).status).toBe(200);
    });
    test("cohort as text with trailing junk is read like to_i (\"2025x\" → 2025); the ids in any case the uuid column casts", async () => {
      const r = await post({ cohort: "2025x", school_id: w.tt!.id.toUpperCase(), delivery_partner_id: `{${w.cdp!.id}}` });
      expect(r.status).toBe(200);
      expect(r.body.data.attributes).toMatchObject({ cohort: "2025", school_id: w.tt!.id, delivery_partner_id: w.cdp!.id });
    });
  });

  test("X-With-Server-Date: created_at is the travelled time, updated_at the server's (CURRENT_TIMESTAMP, docs/reference/rect/rules.md §2.4)", async () => {
    const more = await v3Scenario(t, { schools: [{ ref: "later", urn: "300011" }] });
    const r = await send("POST", "/api/v3/partnerships", w.c!.api_token, create({ cohort: 2025, school_id: more.later!.id, delivery_partner_id: w.cdp!.id }), { "X-With-Server-Date": "2026-09-01T08:30:00Z" });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.created_at).toBe("2026-09-01T08:30:00Z");
    expect(r.body.data.attributes.updated_at).not.toBe("2026-09-01T08:30:00Z");
  });
});

describe("PUT and PATCH /api/v3/partnerships/{id} (spec/requests/api/v3/partnerships_spec.rb:104-106 #update; update_spec.rb)", () => {
  let w: Refs;
  beforeAll(async () => {
    w = await v3Scenario(t, {
      lead_providers: [lp("e", [2024, 2025]), lp("f", [2025])],
      delivery_partners: [
        { ref: "e1", name: `E1 ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "e", cohorts: [2024, 2025] }] },
        { ref: "e2", name: `E2 ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "e", cohorts: [2025] }] },
        { ref: "e3", name: `E3 ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "e", cohorts: [2024] }, { lead_provider: "f", cohorts: [2025] }] },
      ],
      schools: [{ ref: "sa", urn: "400001" }, { ref: "sb", urn: "400002" }],
      partnerships: [
        { ref: "pe", school: "sa", lead_provider: "e", delivery_partner: "e1", cohort: 2025, updated_at: "now-3d" },
        { ref: "pe2", school: "sb", lead_provider: "e", delivery_partner: "e1", cohort: 2025, updated_at: "now-3d" },
        { ref: "pe2b", school: "sb", lead_provider: "e", delivery_partner: "e2", cohort: 2025, updated_at: "now-3d" },
        { ref: "pf", school: "sa", lead_provider: "f", delivery_partner: "e3", cohort: 2025, updated_at: "now-3d" },
      ],
      teachers: [
        {
          ref: "ta",
          updated_at: "now-10d",
          ect_periods: [{ school: "sa", started_on: "today-60d", training: [{ ref: "tpa", partnership: "pe", declarations: [{ ref: "da", type: "started", date: "now-30d", updated_at: "now-10d" }] }] }],
        },
        { ref: "tf", updated_at: "now-10d", ect_periods: [{ school: "sa", started_on: "today-60d", training: [{ partnership: "pf", declarations: [{ ref: "df", type: "started", date: "now-30d", updated_at: "now-10d" }] }] }] },
      ],
    });
  });
  const put = (ref: string, body: unknown, token = w.e!.api_token, method = "PUT") => send(method, `/api/v3/partnerships/${w[ref]!.id}`, token, body);
  const change = (dp: unknown) => create({ delivery_partner_id: dp });

  test('spec/requests/api/v3/partnerships_spec.rb:105 "an API update endpoint": 200 with the changed partnership, the same id; spec/services/api/school_partnerships/update_spec.rb:68 "updates a school partnership", spec/services/api/school_partnerships/update_spec.rb:17 (valid); spec/services/school_partnerships/update_spec.rb:15 "updates the delivery partner"; the partnership, its declarations and its teachers move updated_at, the other provider\'s do not', async () => {
    const before = await world();
    const r = await put("pe", change(w.e2!.id));
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(w.pe!.id);
    expect(r.body.data.attributes.delivery_partner_id).toBe(w.e2!.id);
    expect(r.body.data.attributes.delivery_partner_name).toBe(before.delivery_partners.find((d: any) => d.id === w.e2!.id).name);
    expect(r.text).toBe((await v3Get(t, `/api/v3/partnerships/${w.pe!.id}`, w.e!.api_token)).text);
    const after = await world();
    const stamp = r.body.data.attributes.updated_at;
    expect(stamp > before.partnerships.find((p: any) => p.id === w.pe!.id).updated_at).toBe(true);
    expect(after.partnerships.find((p: any) => p.id === w.pe!.id)).toMatchObject({ delivery_partner: w.e2!.id, updated_at: stamp });
    expect(after.teachers.find((x: any) => x.id === w.ta!.id).updated_at).toBe(stamp);
    const decl = (ref: string, wd: any) => wd.teachers.flatMap((x: any) => x.ect_periods ?? []).flatMap((p: any) => p.training ?? []).flatMap((tp: any) => tp.declarations ?? []).find((d: any) => d.id === w[ref]!.id);
    expect(decl("da", after).updated_at).toBe(stamp);
    // the declaration keeps its delivery partner when created (release note 2026-02-16)
    expect(decl("da", after).delivery_partner).toBe(w.e1!.id);
    expect(after.teachers.find((x: any) => x.id === w.tf!.id).updated_at).toBe(before.teachers.find((x: any) => x.id === w.tf!.id).updated_at);
    expect(decl("df", after).updated_at).toBe(decl("df", before).updated_at);
    expect(after.partnerships.find((p: any) => p.id === w.pf!.id)).toEqual(before.partnerships.find((p: any) => p.id === w.pf!.id));
  });
  test("PATCH is routed to the same update (docs/reference/rect/rules.md §1 route 21)", async () => {
    const r = await put("pe", change(w.e1!.id), w.e!.api_token, "PATCH");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.delivery_partner_id).toBe(w.e1!.id);
  });
  test('spec/requests/api/v3/partnerships_spec.rb:105: resource of another lead provider → 404, checked before the body (partnerships_controller.rb:31-40); random and non-UUID ids → 404', async () => {
    for (const [path, body] of [[`/api/v3/partnerships/${w.pf!.id}`, change(w.e2!.id)], [`/api/v3/partnerships/${w.pf!.id}`, { not_a_valid: "body" }], [`/api/v3/partnerships/${crypto.randomUUID()}`, "{"], ["/api/v3/partnerships/nope", {}]] as const) {
      const r = await send("PUT", path, w.e!.api_token, body, typeof body === "string" ? { "content-type": "application/json" } : {});
      expect({ path, status: r.status, text: r.text }).toEqual({ path, status: 404, text: NOT_FOUND });
    }
  });
  test('spec/requests/api/v3/partnerships_spec.rb:105: body without data → 400; "when extra params are sent" they are ignored', async () => {
    expect((await put("pe", { not_a_valid: "body" })).text).toBe(BAD_BODY);
    expect((await put("pe", { data: { attributes: { cohort: 2024 } } })).text).toBe(BAD_BODY);
    const r = await put("pe", create({ delivery_partner_id: w.e2!.id, cohort: 2024, school_id: w.sb!.id }));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ cohort: "2025", school_id: w.sa!.id, delivery_partner_id: w.e2!.id });
  });
  test("spec/requests/api/v3/partnerships_spec.rb:104 \"a token authenticated endpoint\" (PUT)", async () => {
    expect((await send("PUT", `/api/v3/partnerships/${w.pe!.id}`, null, change(w.e1!.id))).status).toBe(401);
  });
  describe("spec/services/api/school_partnerships/update_spec.rb:81,82 validations; when invalid nothing changes", () => {
    test("spec/services/api/school_partnerships/update_spec.rb:20 presence of delivery_partner_api_id (U2): null, blank; spec/services/api/school_partnerships/update_spec.rb:61 guarded: that one error only", async () => {
      for (const dp of [null, "", false]) expect((await put("pe", change(dp))).text).toBe(errors(["delivery_partner_id", M.dpBlank]));
    });
    test("spec/services/api/school_partnerships/update_spec.rb:25 when the delivery partner does not exist (U3)", async () => {
      for (const dp of [crypto.randomUUID(), "invalid"]) expect((await put("pe", change(dp))).text).toBe(errors(["delivery_partner_id", M.dpInvalid]));
    });
    test("spec/services/api/school_partnerships/update_spec.rb:43 when the lead provider delivery partnership does not exist (U4): paired with the caller in another cohort only, or with another provider only", async () => {
      const before = await world();
      expect((await put("pe", change(w.e3!.id))).text).toBe(errors(["delivery_partner_id", M.notTogether]));
      expect(await world()).toEqual(before);
    });
    test("spec/services/api/school_partnerships/update_spec.rb:52 when the change in delivery partner would result in a duplicate school partnership (U5): the current delivery partner, or one the school has already", async () => {
      const current = (await v3Get(t, `/api/v3/partnerships/${w.pe!.id}`, w.e!.api_token)).body.data.attributes.delivery_partner_id;
      expect((await put("pe", change(current))).text).toBe(errors(["delivery_partner_id", M.sameDp]));
      expect((await put("pe2", change(w.e2!.id))).text).toBe(errors(["delivery_partner_id", M.sameDp]));
    });
  });
});
