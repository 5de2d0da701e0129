/**
 * Partnerships (docs/reference/rect/rules.md §13) end to end over app.handle: GET list and
 * show, POST, PUT and PATCH. Each case names the RECT spec example it
 * reproduces (spec/requests/api/v3/partnerships_spec.rb and its shared
 * examples, docs/reference/rect/spec-index.md §1; spec/services/api/school_partnerships/*_spec.rb;
 * spec/serializers/api/school_partnership_serializer_spec.rb).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { londonDate } from "../../src/lib/london";
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
  test('L26 "an index endpoint": the caller\'s partnerships only, created_at ascending, byte for byte in the serializer\'s attribute order', async () => {
    const r = await v3Get(t, "/api/v3/partnerships", tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const w = await world();
    // school_partnership_serializer_spec.rb L36 "serializes correctly"; L59 "uses the GIAS contact email" (s2: blank tutor email → GIAS primary; s3: → secondary)
    expect(r.text).toBe(
      `{"data":[${doc(w, "p2", { participants: 0, tutorName: null, tutorEmail: "office@two.example" })},${doc(w, "p3", { participants: 0, tutorName: null, tutorEmail: "second@three.example" })},${doc(w, "p1", { participants: 2, tutorName: "Tutor One", tutorEmail: "tutor1@example.com" })}]}`,
    );
  });
  test('L26 "an index endpoint": none → exactly {"data":[]}', async () => {
    const none = await v3Scenario(t, { lead_providers: [lp("none")] });
    const r = await v3Get(t, "/api/v3/partnerships", none.none!.api_token);
    expect(r.text).toBe('{"data":[]}');
  });
  test("school_partnership_serializer_spec.rb L69/L82 participants_currently_training: periods holding today (inclusive both ends), any role; with X-With-Server-Date the count follows that day", async () => {
    const r = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"));
    expect(r.body.data.attributes.participants_currently_training).toBe(2);
    const inTwoWeeks = londonDate(new Date(Date.now() + 14 * 86_400_000));
    const later = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"), { "X-With-Server-Date": `${inTwoWeeks}T12:00:00Z` });
    // the first period (ongoing) and the future one, now started
    expect(later.body.data.attributes.participants_currently_training).toBe(2);
    const yesterday = londonDate(new Date(Date.now() - 86_400_000));
    const before = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}`, tok("a"), { "X-With-Server-Date": `${yesterday}T12:00:00Z` });
    expect(before.body.data.attributes.participants_currently_training).toBe(3);
  });
  test('L21 "a paginated endpoint": per_page/page split the list; past the end is {"data":[]}; below 1 is the 400', async () => {
    expect(ids((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=1", tok("a"))).body)).toEqual([refs.p2!.id, refs.p3!.id]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=2", tok("a"))).body)).toEqual([refs.p1!.id]);
    expect((await v3Get(t, "/api/v3/partnerships?page[per_page]=2&page[page]=3", tok("a"))).text).toBe('{"data":[]}');
    for (const bad of ["page[page]=-1", "page[page]=0.8", "page[per_page]=abc"]) {
      const r = await v3Get(t, `/api/v3/partnerships?${bad}`, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('L22 "a token authenticated endpoint": no token / Bearer invalid → 401', async () => {
    for (const token of [null, "invalid"]) {
      const r = await v3Get(t, "/api/v3/partnerships", token);
      expect(r.status).toBe(401);
      expect(r.text).toBe('{"error":"HTTP Token: Access denied"}');
    }
  });
  test('L23 "a filter by multiple cohorts (contract_period year) endpoint" (query_spec.rb L109-L141)', async () => {
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort]=2023,2025", tok("a"))).body)).toEqual([refs.p2!.id, refs.p1!.id]);
    expect(ids((await v3Get(t, `/api/v3/partnerships?filter[cohort]=2024,invalid,cohort,,20A1,nil,null, ,1099,${refs.p1!.id}`, tok("a"))).body)).toEqual([refs.p3!.id]);
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort]=", tok("a"))).body)).toHaveLength(3);
    expect((await v3Get(t, "/api/v3/partnerships?filter[cohort]=invalid", tok("a"))).text).toBe('{"data":[]}');
    expect(ids((await v3Get(t, "/api/v3/partnerships?filter[cohort][]=2023&filter[cohort][]=2024", tok("a"))).body)).toEqual([refs.p2!.id, refs.p3!.id]);
  });
  test('L24 "a filter by updated_since endpoint": inclusive, the double-encoded form too; invalid-date is the 400 (query_spec.rb L149, L167)', async () => {
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
  test('L25 "a filter by delivery_partner_id endpoint", :delivery_partner (query_spec.rb L188-L226)', async () => {
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
  test('L27 "a sortable endpoint": created_at, -created_at, updated_at, -updated_at (query_spec.rb L239-L260); unknown names fall back to the default', async () => {
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
  test('L37 "a show endpoint": own → 200 and the document the list gives; random UUID → 404; another provider\'s → 404', async () => {
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
  test("query_spec.rb L271: an id in upper case or without hyphens is the same id (the uuid column's cast)", async () => {
    expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id.toUpperCase()}`, tok("a"))).status).toBe(200);
    expect((await v3Get(t, `/api/v3/partnerships/${refs.p1!.id.replace(/-/g, "")}`, tok("a"))).status).toBe(200);
  });
  test('L38-L40 "a does not filter by cohort / updated_since / delivery_partner_id endpoint"', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + "Z";
    for (const q of ["filter[cohort]=2021", `filter[updated_since]=${future}`, `filter[delivery_partner_id]=${refs.dp3!.id}`, "filter[updated_since]=invalid-date"]) {
      const r = await v3Get(t, `/api/v3/partnerships/${refs.p1!.id}?${q}`, tok("a"));
      expect(r.status).toBe(200);
      expect(r.body.data.id).toBe(refs.p1!.id);
    }
  });
});
