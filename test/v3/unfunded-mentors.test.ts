/**
 * Unfunded mentors (docs/reference/rect/rules.md §9) end to end over app.handle. Each case names
 * the RECT spec example it reproduces (spec/requests/api/v3/unfunded_mentors_spec.rb and its
 * shared examples, docs/reference/rect/spec-index.md §1; spec/services/api/teachers/unfunded_mentors/query_spec.rb;
 * spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const id = (ref: string) => refs[ref]!.id as string;

const ect = (ref: string, school: string, partnership: string, mentorships: Record<string, unknown>[]) => ({
  ref,
  ect_periods: [{ school, started_on: "today-100d", training: [{ partnership, started_on: "today-100d" }], mentorships }],
});
const mentor = (ref: string, periods: { ref: string; school: string; email: string; started_on?: string; partnership?: string; eoi?: Record<string, unknown> }[], extra: Record<string, unknown> = {}) => ({
  ref,
  mentor_periods: periods.map((p) => ({
    ref: p.ref,
    school: p.school,
    started_on: p.started_on ?? "today-200d",
    email: p.email,
    training: p.partnership ? [{ partnership: p.partnership }] : p.eoi ? [{ eoi: p.eoi }] : [],
  })),
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025]), lp("c", [2025])],
    delivery_partners: [{ ref: "dp", name: `DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }, { lead_provider: "c", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "500001" }, { ref: "s2", urn: "500002" }],
    partnerships: [
      { ref: "pa1", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pb1", school: "s1", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
      { ref: "pc1", school: "s1", lead_provider: "c", delivery_partner: "dp", cohort: 2025 },
      { ref: "pb2", school: "s2", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
      { ref: "pc2", school: "s2", lead_provider: "c", delivery_partner: "dp", cohort: 2025 },
    ],
    teachers: [
      // m1: trained by c, mentors a's ECT at s1 and b's ECT at s2: unfunded for a (email at s1) and for b (email at s2)
      mentor("m1", [{ ref: "m1s1", school: "s1", email: "m1@s1.example", partnership: "pc1" }, { ref: "m1s2", school: "s2", email: "m1@s2.example", partnership: "pc2" }], {
        created_at: "2025-01-01T00:00:00Z",
        updated_at: "now-7d",
        first_name: "Mary",
        last_name: "One",
      }),
      // m3: trained by b (the request spec's mentor school partnership of another lead provider)
      mentor("m3", [{ ref: "m3s1", school: "s1", email: "m3@s1.example", partnership: "pb1" }], { created_at: "2025-01-02T00:00:00Z", updated_at: "now-30d", corrected_name: "Corrected Three", first_name: "X", last_name: "Y" }),
      // m5: only an EOI (trained by nobody), and a future mentorship
      mentor("m5", [{ ref: "m5s1", school: "s1", email: "m5@s1.example", eoi: { lead_provider: "b", cohort: 2025 } }], { created_at: "2025-01-03T00:00:00Z", updated_at: "now-90d", first_name: ".", last_name: "Five" }),
      // trained by a: never an unfunded mentor of a's (query_spec.rb "Mentor associated with the lead provider")
      mentor("ma", [{ ref: "mas1", school: "s1", email: "ma@s1.example", partnership: "pa1" }]),
      // a mentorship that has finished: dropped
      mentor("mf", [{ ref: "mfs1", school: "s1", email: "mf@s1.example", partnership: "pb1" }]),
      // the mentor of b's ECT only: b's unfunded mentor, not a's
      mentor("mb", [{ ref: "mbs2", school: "s2", email: "mb@s2.example", partnership: "pc2" }], { first_name: " ", last_name: ".", trn: null }),
      ect("e1", "s1", "pa1", [{ mentor: "m1s1", started_on: "today-50d" }]),
      ect("e3", "s1", "pa1", [{ mentor: "m3s1", started_on: "today-50d" }]),
      ect("e5", "s1", "pa1", [{ mentor: "m5s1", started_on: "today+10d" }]),
      ect("ea", "s1", "pa1", [{ mentor: "mas1", started_on: "today-50d" }]),
      ect("ef", "s1", "pa1", [{ mentor: "mfs1", started_on: "today-50d", finished_on: "today-1d" }]),
      ect("eb2", "s2", "pb2", [{ mentor: "m1s2", started_on: "today-50d" }]),
      ect("eb3", "s2", "pb2", [{ mentor: "mbs2", started_on: "today-40d" }]),
    ],
  });
});
afterAll(() => t.close());

describe("GET /api/v3/unfunded-mentors (spec/requests/api/v3/unfunded_mentors_spec.rb #index)", () => {
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:45 "an index endpoint": the caller\'s unfunded mentors, teachers.created_at ascending, byte for byte (spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb:51,60 "serializes correctly")', async () => {
    const r = await v3Get(t, "/api/v3/unfunded-mentors", tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    const w = (await t.admin("GET", "/admin/v3/world")).body;
    const teacher = (ref: string) => w.teachers.find((x: any) => x.id === id(ref));
    const doc = (ref: string, name: string, email: string) => {
      const x = teacher(ref);
      return `{"id":"${x.id}","type":"unfunded-mentor","attributes":{"full_name":"${name}","email":"${email}","teacher_reference_number":"${x.trn}","created_at":"${x.created_at}","updated_at":"${x.updated_at}"}}`;
    };
    // spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb:79 corrected name wins; :85 TRS names joined; name.rb: "." dropped
    expect(r.text).toBe(`{"data":[${doc("m1", "Mary One", "m1@s1.example")},${doc("m3", "Corrected Three", "m3@s1.example")},${doc("m5", "Five", "m5@s1.example")}]}`);
  });
  test("spec/services/api/teachers/unfunded_mentors/query_spec.rb:92 \"filters by `lead_provider`\": a mentor the caller trains, a finished mentorship and another provider's unfunded mentor are not listed", async () => {
    const listed = ids((await v3Get(t, "/api/v3/unfunded-mentors", tok("a"))).body);
    for (const ref of ["ma", "mf", "mb"]) expect(listed).not.toContain(id(ref));
    // b sees its own: m1 (mentor of b's ECT at s2, trained by c) and mb; m3 and mf are trained by b
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors", tok("b"))).body).sort()).toEqual([id("m1"), id("mb")].sort());
  });
  test('spec/services/api/teachers/unfunded_mentors/query_spec.rb:96 "returns empty if no unfunded mentors are found for the given `lead_provider`"; spec/requests/api/v3/unfunded_mentors_spec.rb:45 "an index endpoint" none → {"data":[]}', async () => {
    expect((await v3Get(t, "/api/v3/unfunded-mentors", tok("c"))).text).toBe('{"data":[]}');
  });
  test("spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb:114,119 \"`email` per lead provider\": the email of the school where the mentor mentors the caller's ECT", async () => {
    const forA = await v3Get(t, `/api/v3/unfunded-mentors/${id("m1")}`, tok("a"));
    const forB = await v3Get(t, `/api/v3/unfunded-mentors/${id("m1")}`, tok("b"));
    expect(forA.body.data.attributes.email).toBe("m1@s1.example");
    expect(forB.body.data.attributes.email).toBe("m1@s2.example");
  });
  test('spec/serializers/api/teachers/unfunded_mentor_serializer_spec.rb:73,74: full_name is never blank: no names at all gives "Unknown"; no TRN is null', async () => {
    const r = await v3Get(t, `/api/v3/unfunded-mentors/${id("mb")}`, tok("b"));
    expect(r.body.data.attributes).toMatchObject({ full_name: "Unknown", teacher_reference_number: null });
  });
  test("a future mentorship counts (current or future, metadata/handlers/teacher.rb:74-82); one that finished yesterday does not; X-With-Server-Date moves that day", async () => {
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors", tok("a"))).body)).toContain(id("m5"));
    const yesterday = addDays(londonDate(new Date()), -2);
    const before = ids((await v3Get(t, "/api/v3/unfunded-mentors", tok("a"), { "X-With-Server-Date": `${yesterday}T12:00:00Z` })).body);
    expect(before).toContain(id("mf"));
  });
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:46 "a paginated endpoint"', async () => {
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?page[per_page]=2&page[page]=1", tok("a"))).body)).toEqual([id("m1"), id("m3")]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?page[per_page]=2&page[page]=2", tok("a"))).body)).toEqual([id("m5")]);
    expect((await v3Get(t, "/api/v3/unfunded-mentors?page[per_page]=2&page[page]=3", tok("a"))).text).toBe('{"data":[]}');
    for (const bad of ["page[page]=-1", "page[page]=0.8", "page[per_page]=abc"]) {
      const r = await v3Get(t, `/api/v3/unfunded-mentors?${bad}`, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:47 "a filter by updated_since endpoint" on api_unfunded_mentor_updated_at (spec/services/api/teachers/unfunded_mentors/query_spec.rb:131-141)', async () => {
    const since = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(ids((await v3Get(t, `/api/v3/unfunded-mentors?filter[updated_since]=${since}`, tok("a"))).body)).toEqual([id("m1"), id("m3")]);
    const encoded = encodeURIComponent(encodeURIComponent(since.replace("Z", "+00:00")));
    expect(ids((await v3Get(t, `/api/v3/unfunded-mentors?filter[updated_since]=${encoded}`, tok("a"))).body)).toEqual([id("m1"), id("m3")]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?filter[updated_since]=", tok("a"))).body)).toHaveLength(3);
    const r = await v3Get(t, "/api/v3/unfunded-mentors?filter[updated_since]=invalid-date", tok("a"));
    expect(r.status).toBe(400);
    expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}`);
  });
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:52 "a sortable endpoint", updated_at being api_unfunded_mentor_updated_at (spec/services/api/teachers/unfunded_mentors/query_spec.rb:166-186); any Teacher column; filter[cohort] is not read', async () => {
    const [m1, m3, m5] = [id("m1"), id("m3"), id("m5")];
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=created_at", tok("a"))).body)).toEqual([m1, m3, m5]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=-created_at", tok("a"))).body)).toEqual([m5, m3, m1]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=updated_at", tok("a"))).body)).toEqual([m5, m3, m1]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=-updated_at", tok("a"))).body)).toEqual([m1, m3, m5]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=-trs_last_name", tok("a"))).body)).toEqual([m3, m1, m5]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?sort=unknown", tok("a"))).body)).toEqual([m1, m3, m5]);
    expect(ids((await v3Get(t, "/api/v3/unfunded-mentors?filter[cohort]=1999", tok("a"))).body)).toEqual([m1, m3, m5]);
  });
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:44 "a token authenticated endpoint"; "Filter must be a hash"', async () => {
    expect((await v3Get(t, "/api/v3/unfunded-mentors", null)).status).toBe(401);
    expect((await v3Get(t, "/api/v3/unfunded-mentors", "invalid")).text).toBe('{"error":"HTTP Token: Access denied"}');
    expect((await v3Get(t, "/api/v3/unfunded-mentors?filter=x", tok("a"))).text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
  });
});

describe("GET /api/v3/unfunded-mentors/{id} (unfunded_mentors_spec.rb #show)", () => {
  const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:74 "a show endpoint": own → the document the list gives; random UUID, another provider\'s unfunded mentor, a mentor the caller trains, an ECT → 404 (spec/services/api/teachers/unfunded_mentors/query_spec.rb:195-203)', async () => {
    const list = await v3Get(t, "/api/v3/unfunded-mentors", tok("a"));
    const r = await v3Get(t, `/api/v3/unfunded-mentors/${id("m3")}`, tok("a"));
    expect(r.status).toBe(200);
    expect(r.text).toBe(`{"data":${JSON.stringify(list.body.data.find((x: any) => x.id === id("m3")))}}`);
    for (const other of [crypto.randomUUID(), id("mb"), id("ma"), id("e1"), "nope"]) {
      const miss = await v3Get(t, `/api/v3/unfunded-mentors/${other}`, tok("a"));
      expect({ other, status: miss.status, text: miss.text }).toEqual({ other, status: 404, text: NOT_FOUND });
    }
  });
  test('spec/requests/api/v3/unfunded_mentors_spec.rb:73,75 "a token authenticated endpoint"; "a does not filter by updated_since endpoint"', async () => {
    expect((await v3Get(t, `/api/v3/unfunded-mentors/${id("m3")}`, null)).status).toBe(401);
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + "Z";
    for (const q of [`filter[updated_since]=${future}`, "filter[updated_since]=invalid-date"]) {
      expect((await v3Get(t, `/api/v3/unfunded-mentors/${id("m3")}?${q}`, tok("a"))).status).toBe(200);
    }
  });
});
