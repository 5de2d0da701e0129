/**
 * Statements (§11), delivery partners (§12) and schools (§14) end to end,
 * byte for byte, each case named after the RECT request spec example
 * (spec/requests/api/v3/{statements,delivery_partners,schools}_spec.rb, shared
 * examples of docs/reference/rect/spec-index.md §1) or service spec it reproduces.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const ids = (body: any) => body.data.map((r: any) => r.id);


beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2023, 2024, 2025]), lp("b", [2024, 2025]), lp("c", [2025])],
    delivery_partners: [
      { ref: "dp1", name: "DP One", created_at: "2025-01-03T10:00:00Z", updated_at: "now-7d", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dp2", name: "DP Two", created_at: "2025-01-01T10:00:00Z", updated_at: "now-30d", partnered_with: [{ lead_provider: "a", cohorts: [2023] }, { lead_provider: "b", cohorts: [2025] }] },
      { ref: "dp3", name: "DP Three", created_at: "2025-01-02T10:00:00Z", updated_at: "now-90d", partnered_with: [{ lead_provider: "b", cohorts: [2024] }] },
    ],
    schools: [
      { ref: "s1", urn: "100001", name: "Eligible One", created_at: "2025-02-01T00:00:00Z", updated_at: "now-7d", induction_tutor: { name: "Tutor One", email: null }, gias_contacts: { primary: "office@one.example", secondary: null } },
      { ref: "s2", urn: "100002", name: "Ineligible Partnered", eligible: false, created_at: "2025-01-01T00:00:00Z", updated_at: "now-30d" },
      { ref: "s3", urn: "100003", name: "Ineligible Alone", eligible: false, created_at: "2025-03-01T00:00:00Z" },
      { ref: "s4", urn: "100004", name: "Marked Eligible", eligible: false, marked_as_eligible: true, created_at: "2025-04-01T00:00:00Z", updated_at: "now-90d", induction_tutor: { name: "Tutor Four", email: "tutor4@example.com" } },
    ],
    partnerships: [
      { ref: "p1", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "p2", school: "s2", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
    ],
    statements: [
      statement("st1", "a", 2025, 4, 2026, { updated_at: "now-7d" }),
      statement("st2", "a", 2024, 11, 2025, { updated_at: "now-30d", status: "paid" }),
      statement("st3", "a", 2023, 1, 2026, { updated_at: "now-90d" }),
      statement("st4", "a", 2025, 12, 2025, { fee_type: "service" }),
      statement("stb", "b", 2025, 11, 2025),
    ],
    teachers: [
      {
        ref: "t1",
        ect_periods: [{ ref: "e1", school: "s1", started_on: "today-90d", training: [{ partnership: "p1", started_on: "today-60d" }] }],
      },
      {
        ref: "t2",
        mentor_periods: [{ ref: "m4", school: "s4", started_on: "today-90d", training: [{ eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-60d" }] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("statements (spec/requests/api/v3/statements_spec.rb)", () => {
  test('spec/requests/api/v3/statements_spec.rb:19 "an index endpoint": own output statements only, ordered by payment_date, byte for byte', async () => {
    const r = await v3Get(t, "/api/v3/statements", tok("a"));
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(ids(r.body)).toEqual([refs.st2!.id, refs.st3!.id, refs.st1!.id]);
    const world = (await t.admin("GET", "/admin/v3/world")).body;
    const st2 = world.statements.find((s: any) => s.id === refs.st2!.id);
    expect(r.text.startsWith(
      `{"data":[{"id":"${refs.st2!.id}","type":"statement","attributes":{"month":"November","year":"2025","cohort":"2024","cut_off_date":"2025-11-01","payment_date":"2025-11-25","paid":true,"created_at":"${st2.created_at}","updated_at":"${st2.updated_at}"}},`,
    )).toBe(true);
    // "when no resources exist for the lead provider": exactly {"data":[]}
    const none = await v3Get(t, "/api/v3/statements", tok("c"));
    expect([none.status, none.type, none.text]).toEqual([200, "application/json; charset=utf-8", '{"data":[]}']);
  });
  test("spec/services/api/statements/query_spec.rb:184 \"return only statements with fee_type 'output' by default\": a service statement is not listed, and 404 by id", async () => {
    expect(ids((await v3Get(t, "/api/v3/statements", tok("a"))).body)).not.toContain(refs.st4!.id);
    expect((await v3Get(t, `/api/v3/statements/${refs.st4!.id}`, tok("a"))).status).toBe(404);
  });
  test('spec/requests/api/v3/statements_spec.rb:20 "a paginated endpoint": per_page/page split the list; past the end is {"data":[]}; below 1 is the 400', async () => {
    expect(ids((await v3Get(t, "/api/v3/statements?page[per_page]=2&page[page]=1", tok("a"))).body)).toEqual([refs.st2!.id, refs.st3!.id]);
    expect(ids((await v3Get(t, "/api/v3/statements?page[per_page]=2&page[page]=2", tok("a"))).body)).toEqual([refs.st1!.id]);
    expect((await v3Get(t, "/api/v3/statements?page[per_page]=2&page[page]=3", tok("a"))).text).toBe('{"data":[]}');
    for (const bad of ["page[page]=-1", "page[page]=0.8", "page[per_page]=abc"]) {
      const r = await v3Get(t, `/api/v3/statements?${bad}`, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('spec/requests/api/v3/statements_spec.rb:21 "a filter by multiple cohorts (contract_period year) endpoint"', async () => {
    expect(ids((await v3Get(t, "/api/v3/statements?filter[cohort]=2023,2025", tok("a"))).body)).toEqual([refs.st3!.id, refs.st1!.id]);
    expect(ids((await v3Get(t, "/api/v3/statements?filter[cohort]=2024,invalid,cohort,,20A1,nil,null, ,1099", tok("a"))).body)).toEqual([refs.st2!.id]);
    expect(ids((await v3Get(t, "/api/v3/statements?filter[cohort]=", tok("a"))).body)).toHaveLength(3);
    expect((await v3Get(t, "/api/v3/statements?filter[cohort]=invalid", tok("a"))).text).toBe('{"data":[]}');
    expect(ids((await v3Get(t, "/api/v3/statements?filter[cohort][]=2023&filter[cohort][]=2024", tok("a"))).body)).toEqual([refs.st2!.id, refs.st3!.id]);
  });
  test('spec/requests/api/v3/statements_spec.rb:22 "a filter by updated_since endpoint": inclusive, the double-encoded form too; invalid-date is the 400', async () => {
    const since = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(ids((await v3Get(t, `/api/v3/statements?filter[updated_since]=${since}`, tok("a"))).body)).toEqual([refs.st2!.id, refs.st1!.id]);
    const encoded = encodeURIComponent(encodeURIComponent(since.replace("Z", "+00:00")));
    expect(ids((await v3Get(t, `/api/v3/statements?filter[updated_since]=${encoded}`, tok("a"))).body)).toEqual([refs.st2!.id, refs.st1!.id]);
    const r = await v3Get(t, "/api/v3/statements?filter[updated_since]=invalid-date", tok("a"));
    expect(r.status).toBe(400);
    expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}`);
  });
  test("when updated_since has a single-encoded + offset, then 400: the extra decoding makes it a space (docs/reference/rect/rules.md §4.2 trap)", async () => {
    expect((await v3Get(t, "/api/v3/statements?filter[updated_since]=2025-01-01T10:00:00%2B01:00", tok("a"))).status).toBe(400);
  });
  test('spec/requests/api/v3/statements_spec.rb:32,33 "a show endpoint": own → 200 and the document; unknown and another provider\'s → 404; "a does not filter by cohort endpoint"', async () => {
    const list = await v3Get(t, "/api/v3/statements", tok("a"));
    const r = await v3Get(t, `/api/v3/statements/${refs.st1!.id}?filter[cohort]=2021`, tok("a"));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: list.body.data.find((s: any) => s.id === refs.st1!.id) });
    for (const other of [refs.stb!.id, crypto.randomUUID()]) {
      const nf = await v3Get(t, `/api/v3/statements/${other}`, tok("a"));
      expect([nf.status, nf.type, nf.text]).toEqual([404, "application/json; charset=utf-8", '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}']);
    }
    expect((await v3Get(t, `/api/v3/statements/${refs.st1!.id.toUpperCase()}`, tok("a"))).status).toBe(200);
  });
});

describe("delivery partners (spec/requests/api/v3/delivery_partners_spec.rb)", () => {
  test('spec/requests/api/v3/delivery_partners_spec.rb:22 "an index endpoint": partners paired with the caller, created_at ascending, with the caller\'s cohorts only', async () => {
    const r = await v3Get(t, "/api/v3/delivery-partners", tok("a"));
    expect(ids(r.body)).toEqual([refs.dp2!.id, refs.dp1!.id]);
    expect(r.body.data[0].attributes.cohort).toEqual(["2023"]);
    expect(r.body.data[1].attributes.cohort).toEqual(["2024", "2025"]);
    expect(Object.keys(r.body.data[0].attributes)).toEqual(["name", "created_at", "updated_at", "cohort"]);
    expect(r.text).toContain(`{"id":"${refs.dp1!.id}","type":"delivery-partner","attributes":{"name":"DP One","created_at":"2025-01-03T10:00:00Z",`);
    expect((await v3Get(t, "/api/v3/delivery-partners", tok("c"))).text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/delivery_partners_spec.rb:19 "a paginated endpoint": per_page/page split the list; past the end is empty; below 1 is the 400', async () => {
    expect(ids((await v3Get(t, "/api/v3/delivery-partners?page[per_page]=1&page[page]=1", tok("a"))).body)).toEqual([refs.dp2!.id]);
    expect(ids((await v3Get(t, "/api/v3/delivery-partners?page[per_page]=1&page[page]=2", tok("a"))).body)).toEqual([refs.dp1!.id]);
    expect((await v3Get(t, "/api/v3/delivery-partners?page[per_page]=1&page[page]=3", tok("a"))).text).toBe('{"data":[]}');
    for (const bad of ["page[per_page]=5&page[page]=-1", "page[per_page]=100&page[page]=0.8", "page[per_page]=abc&page[page]=1"]) {
      const r = await v3Get(t, `/api/v3/delivery-partners?${bad}`, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad request","detail":"The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"}]}`);
    }
  });
  test('spec/requests/api/v3/delivery_partners_spec.rb:21 "a filter by multiple cohorts (contract_period year) endpoint": the caller\'s pairings in those cohorts', async () => {
    expect(ids((await v3Get(t, "/api/v3/delivery-partners?filter[cohort]=2025", tok("a"))).body)).toEqual([refs.dp1!.id]);
    expect(ids((await v3Get(t, "/api/v3/delivery-partners?filter[cohort]=2025", tok("b"))).body)).toEqual([refs.dp2!.id]);
    expect((await v3Get(t, "/api/v3/delivery-partners?filter[cohort]=invalid", tok("a"))).text).toBe('{"data":[]}');
  });
  test("when filter[updated_since] is invalid, then it is ignored, not checked (delivery_partners_controller.rb:5-8)", async () => {
    expect((await v3Get(t, "/api/v3/delivery-partners?filter[updated_since]=nonsense", tok("a"))).status).toBe(200);
  });
  test('spec/requests/api/v3/delivery_partners_spec.rb:23 "a sortable endpoint": created_at, -created_at, updated_at, -updated_at', async () => {
    const order = async (sort: string) => ids((await v3Get(t, `/api/v3/delivery-partners?sort=${sort}`, tok("b"))).body);
    expect(await order("created_at")).toEqual([refs.dp2!.id, refs.dp3!.id]);
    expect(await order("-created_at")).toEqual([refs.dp3!.id, refs.dp2!.id]);
    expect(await order("updated_at")).toEqual([refs.dp3!.id, refs.dp2!.id]);
    expect(await order("-updated_at")).toEqual([refs.dp2!.id, refs.dp3!.id]);
    expect(await order("-name")).toEqual([refs.dp2!.id, refs.dp3!.id]);
    expect(await order("nonsense")).toEqual([refs.dp2!.id, refs.dp3!.id]);
  });
  test('spec/requests/api/v3/delivery_partners_spec.rb:33,34 "a show endpoint" and "a does not filter by cohort endpoint"', async () => {
    expect((await v3Get(t, `/api/v3/delivery-partners/${refs.dp1!.id}?filter[cohort]=2023`, tok("a"))).body.data.id).toBe(refs.dp1!.id);
    for (const other of [refs.dp3!.id, crypto.randomUUID()]) expect((await v3Get(t, `/api/v3/delivery-partners/${other}`, tok("a"))).text).toBe('{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}');
  });
});

describe("schools (spec/requests/api/v3/schools_spec.rb)", () => {
  test('spec/requests/api/v3/schools_spec.rb:27 "an index endpoint" (two resources; the empty context cannot arise beside eligible schools): eligible schools and schools partnered in the cohort, created_at ascending; spec/services/api/schools/query_spec.rb:95 "includes ineligible schools with partnerships"', async () => {
    const r = await v3Get(t, "/api/v3/schools?filter[cohort]=2025", tok("a"));
    expect(ids(r.body)).toEqual([refs.s2!.id, refs.s1!.id, refs.s4!.id]);
    expect(ids((await v3Get(t, "/api/v3/schools?filter[cohort]=2024", tok("a"))).body)).toEqual([refs.s1!.id, refs.s4!.id]);
  });
  test("spec/requests/api/v3/schools_spec.rb:57 \"a show endpoint\" (the attributes, byte for byte): in_partnership, programme choice, expression_of_interest and the tutor fields", async () => {
    const r = await v3Get(t, `/api/v3/schools/${refs.s1!.id}?filter[cohort]=2025`, tok("a"));
    const updated = (await t.admin("GET", "/admin/v3/world")).body.schools.find((s: any) => s.id === refs.s1!.id).updated_at;
    expect(r.text).toBe(
      `{"data":{"id":"${refs.s1!.id}","type":"school","attributes":{"name":"Eligible One","urn":"100001","cohort":"2025","in_partnership":true,"induction_programme_choice":"provider_led","expression_of_interest":true,"induction_tutor_name":"Tutor One","induction_tutor_email":"office@one.example","created_at":"2025-02-01T00:00:00Z","updated_at":"${updated}"}}}`,
    );
    expect((await v3Get(t, `/api/v3/schools/${crypto.randomUUID()}?filter[cohort]=2025`, tok("a"))).text).toBe('{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}');
    // another provider: same school, no expression of interest, so no tutor details (school_serializer_spec.rb)
    const other = (await v3Get(t, `/api/v3/schools/${refs.s1!.id}?filter[cohort]=2025`, tok("b"))).body.data.attributes;
    expect([other.expression_of_interest, other.induction_tutor_name, other.induction_tutor_email]).toEqual([false, null, null]);
    // a partnership without training periods is in_partnership but not an expression of interest (app/models/school.rb:149-164)
    const s2 = (await v3Get(t, `/api/v3/schools/${refs.s2!.id}?filter[cohort]=2025`, tok("b"))).body.data.attributes;
    expect([s2.in_partnership, s2.expression_of_interest, s2.induction_programme_choice]).toEqual([true, false, "not_yet_known"]);
    // an EOI of a mentor: provider_led, expression_of_interest for the EOI's provider and cohort only
    const s4 = (await v3Get(t, `/api/v3/schools/${refs.s4!.id}?filter[cohort]=2025`, tok("a"))).body.data.attributes;
    expect([s4.in_partnership, s4.induction_programme_choice, s4.expression_of_interest, s4.induction_tutor_email]).toEqual([false, "provider_led", true, "tutor4@example.com"]);
    expect((await v3Get(t, `/api/v3/schools/${refs.s4!.id}?filter[cohort]=2024`, tok("a"))).body.data.attributes.expression_of_interest).toBe(false);
  });
  test('spec/requests/api/v3/schools_spec.rb:46 "a filter validatable endpoint", %i[cohort]: no cohort key → 400 naming it; a filter that is not a hash → 400', async () => {
    for (const path of ["/api/v3/schools", "/api/v3/schools?filter[urn]=100001", `/api/v3/schools/${refs.s1!.id}`]) {
      const r = await v3Get(t, path, tok("a"));
      expect(r.status).toBe(400);
      expect(r.text).toBe(`{"errors":[{"title":"Bad parameter","detail":"The filter '#/cohort' must be included in your request"}]}`);
    }
    expect((await v3Get(t, "/api/v3/schools?filter=not-a-hash", tok("a"))).text).toBe('{"errors":[{"title":"Bad parameter","detail":"Filter must be a hash"}]}');
  });
  test('spec/requests/api/v3/schools_spec.rb:40 "a filter by a single cohort (contract_period year) endpoint": invalid and unknown years give [], the show 404', async () => {
    for (const cohort of ["invalid", "1999", ""]) expect((await v3Get(t, `/api/v3/schools?filter[cohort]=${cohort}`, tok("a"))).text).toBe('{"data":[]}');
    expect((await v3Get(t, `/api/v3/schools/${refs.s1!.id}?filter[cohort]=1999`, tok("a"))).status).toBe(404);
    expect(ids((await v3Get(t, "/api/v3/schools?filter[cohort]=2024,2025", tok("a"))).body)).toEqual([refs.s1!.id, refs.s4!.id]);
  });
  test('spec/requests/api/v3/schools_spec.rb:47 "a filter by urn endpoint": leading digits count ("<urn>,invalid"); text matches nothing', async () => {
    expect(ids((await v3Get(t, "/api/v3/schools?filter[cohort]=2025&filter[urn]=100004,invalid", tok("a"))).body)).toEqual([refs.s4!.id]);
    expect((await v3Get(t, "/api/v3/schools?filter[cohort]=2025&filter[urn]=abc", tok("a"))).text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/schools_spec.rb:41 "a filter by updated_since endpoint" on the school\'s cohort record', async () => {
    const since = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(ids((await v3Get(t, `/api/v3/schools?filter[cohort]=2025&filter[updated_since]=${since}`, tok("a"))).body)).toEqual([refs.s2!.id, refs.s1!.id]);
  });
  test('spec/requests/api/v3/schools_spec.rb:29 "a sortable endpoint", with the updated_at quirk (schools_controller.rb:45-47)', async () => {
    const order = async (sort: string) => ids((await v3Get(t, `/api/v3/schools?filter[cohort]=2025&sort=${sort}`, tok("a"))).body);
    expect(await order("-created_at")).toEqual([refs.s4!.id, refs.s1!.id, refs.s2!.id]);
    expect(await order("updated_at")).toEqual([refs.s4!.id, refs.s2!.id, refs.s1!.id]);
    expect(await order("-updated_at")).toEqual([refs.s1!.id, refs.s2!.id, refs.s4!.id]);
    expect(await order("-urn")).toEqual([refs.s4!.id, refs.s2!.id, refs.s1!.id]);
  });
  test('spec/requests/api/v3/schools_spec.rb:28,58 "a paginated endpoint" and "a does not filter by updated_since endpoint" (show)', async () => {
    expect(ids((await v3Get(t, "/api/v3/schools?filter[cohort]=2025&page[per_page]=2&page[page]=2", tok("a"))).body)).toEqual([refs.s4!.id]);
    expect((await v3Get(t, `/api/v3/schools/${refs.s4!.id}?filter[cohort]=2025&filter[updated_since]=2099-01-01T00:00:00Z`, tok("a"))).status).toBe(200);
    expect((await v3Get(t, `/api/v3/schools/${refs.s3!.id}?filter[cohort]=2025`, tok("a"))).status).toBe(404);
  });
});
