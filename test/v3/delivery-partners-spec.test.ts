/**
 * Delivery partners, RECT spec by spec (at 0fe31d1aa): the API query
 * (spec/services/api/delivery_partners/query_spec.rb) and the serializer
 * (spec/serializers/api/delivery_partner_serializer_spec.rb), through GET /api/v3/delivery-partners.
 * The controller always scopes to the caller (delivery_partners_controller.rb:20-29), so each example
 * runs as a lead provider.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const list = async (query = "", lead = "a") => {
  const r = await v3Get(t, `/api/v3/delivery-partners${query}`, tok(lead));
  expect(r.status).toBe(200);
  return ids(r.body);
};

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const name = (n: string) => `${n} ${crypto.randomUUID().slice(0, 8)}`;
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2023, 2024, 2025]), lp("b", [2023, 2024, 2025]), lp("lonely", [2025]), lp("lser", [2024, 2025])],
    delivery_partners: [
      // created two days, one day ago and now (query_spec.rb:45-53); updated in the other order
      { ref: "dp1", name: name("DP One"), created_at: "now-2d", updated_at: "now", partnered_with: [{ lead_provider: "a", cohorts: [2023] }] },
      { ref: "dp2", name: name("DP Two"), created_at: "now-1d", updated_at: "now-1d", partnered_with: [{ lead_provider: "a", cohorts: [2024] }, { lead_provider: "b", cohorts: [2023] }] },
      { ref: "dp3", name: name("DP Three"), created_at: "now", updated_at: "now-2d", partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
      { ref: "dpb", name: name("DP B only"), created_at: "now-3d", partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
      // delivery_partner_serializer_spec.rb:7-26,56-66
      {
        ref: "ser",
        name: "Serialized DP",
        created_at: "2023-07-01T12:00:00Z",
        updated_at: "2023-07-02T12:00:00Z",
        partnered_with: [{ lead_provider: "lser", cohorts: [2025, 2024] }, { lead_provider: "b", cohorts: [2024] }],
      },
    ],
  });
});
afterAll(() => t.close());

describe("spec/services/api/delivery_partners/query_spec.rb", () => {
  test("L38 \"returns all delivery partners\" (of the caller); L68 \"filters by `lead_provider`\": another provider's only partner is not listed, nor shown", async () => {
    expect(new Set(await list())).toEqual(new Set([id("dp1"), id("dp2"), id("dp3")]));
    expect(new Set(await list("", "b"))).toEqual(new Set([id("dpb"), id("dp2"), id("ser")]));
    expect((await v3Get(t, `/api/v3/delivery-partners/${id("dpb")}`, tok("a"))).status).toBe(404);
  });
  test("L75 \"returns empty if no delivery partners are found for the given `lead_provider`\"", async () => {
    expect((await v3Get(t, "/api/v3/delivery-partners", tok("lonely"))).text).toBe('{"data":[]}');
  });
  test("L45 \"orders delivery partners by created_at in ascending order\"; L175 \"default order … created_at, in ascending order\"", async () => {
    expect(await list()).toEqual([id("dp1"), id("dp2"), id("dp3")]);
  });
  test("L182 order by created_at descending; L189 updated_at ascending; L196 updated_at descending (sort=updated_at reads api_updated_at, orderable.rb:32-40)", async () => {
    expect(await list("?sort=-created_at")).toEqual([id("dp3"), id("dp2"), id("dp1")]);
    expect(await list("?sort=updated_at")).toEqual([id("dp3"), id("dp2"), id("dp1")]);
    expect(await list("?sort=-updated_at")).toEqual([id("dp1"), id("dp2"), id("dp3")]);
  });
  test("L97 \"when `contract_period_years` param is omitted, returns all\"; L106 \"filters by `contract_period_years`\"; L114 \"filters by multiple `contract_period_years`\"", async () => {
    expect(await list("?filter[cohort]=2024")).toEqual([id("dp2")]);
    expect(await list("?filter[cohort]=2023,2024")).toEqual([id("dp1"), id("dp2")]);
    expect(await list("?filter[cohort][]=2024&filter[cohort][]=2025")).toEqual([id("dp2"), id("dp3")]);
  });
  test("L126 \"returns no delivery partners if no `contract_period_years` are found\" (0000); L134 \"… if `contract_period_years` is an empty array\" (every value invalid, condition_extractable.rb:22-23)", async () => {
    expect(await list("?filter[cohort]=0000")).toEqual([]);
    expect(await list("?filter[cohort]=abc")).toEqual([]);
  });
  test("L142 \"returns all delivery partners if `contract_period_years` is an empty string\"; L159 \"does not filter … if blank\"; L151 \"ignores invalid `contract_period_years`\" (2023 and 1099)", async () => {
    expect(await list("?filter[cohort]=")).toEqual([id("dp1"), id("dp2"), id("dp3")]);
    expect(await list("?filter[cohort]=%20")).toEqual([id("dp1"), id("dp2"), id("dp3")]);
    expect(await list("?filter[cohort]=2023,1099")).toEqual([id("dp1")]);
  });
  test("L207 \"returns the delivery partners for a given id\"; L214 unknown id → 404; L220 \"not in the filtered query\" (another provider's partner) → 404", async () => {
    expect((await v3Get(t, `/api/v3/delivery-partners/${id("dp2")}`, tok("a"))).body.data.id).toBe(id("dp2"));
    for (const other of ["XXX123", crypto.randomUUID(), id("dpb")]) {
      const r = await v3Get(t, `/api/v3/delivery-partners/${other}`, tok("a"));
      expect([r.status, r.text]).toEqual([404, '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}']);
    }
  });
});

describe("spec/serializers/api/delivery_partner_serializer_spec.rb", () => {
  test("L40 core attributes (id, type delivery-partner); L49 nested attributes: name, the caller's cohorts only (not another provider's pairing), created_at, updated_at (api_updated_at) in RFC 3339 UTC", async () => {
    const r = await v3Get(t, `/api/v3/delivery-partners/${id("ser")}`, tok("b"));
    expect(r.text).toBe(`{"data":{"id":"${id("ser")}","type":"delivery-partner","attributes":{"name":"Serialized DP","created_at":"2023-07-01T12:00:00Z","updated_at":"2023-07-02T12:00:00Z","cohort":["2024"]}}}`);
  });
  test("L63 \"includes the contract period year only once in the cohort attribute\" when the caller has pairings in two cohorts", async () => {
    const cohorts = (await v3Get(t, `/api/v3/delivery-partners/${id("ser")}`, tok("lser"))).body.data.attributes.cohort;
    expect([...cohorts].sort()).toEqual(["2024", "2025"]);
  });
});
