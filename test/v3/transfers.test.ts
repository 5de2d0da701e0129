/**
 * Participant transfers (docs/reference/rect/rules.md §8) end to end: GET /api/v3/participants/transfers
 * and /participants/{id}/transfers. Each case names the RECT spec example it reproduces
 * (spec/requests/api/v3/transfers_spec.rb; spec/services/api/teachers/school_transfers/history_spec.rb;
 * spec/serializers/api/teachers/school_transfer_serializer_spec.rb).
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
const day = (offset: number) => addDays(londonDate(new Date()), offset);
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025]), lp("c", [2025])],
    delivery_partners: [{ ref: "dp", name: "DP", partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }, { lead_provider: "c", cohorts: [2025] }] }],
    schools: [
      { ref: "s1", urn: "500001", name: "One" },
      { ref: "s2", urn: "500002", name: "Two" },
    ],
    partnerships: [
      { ref: "a1", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "a2", school: "s2", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "b2", school: "s2", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
    ],
    teachers: [
      {
        ref: "newSchool",
        created_at: "2025-01-01T00:00:00Z",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ ref: "ns_l", partnership: "a1", started_on: "today-300d", finished_on: "today-100d", created_at: "2025-02-01T00:00:00Z", updated_at: "2025-03-01T00:00:00Z" }] },
          { school: "s2", started_on: "today-99d", training: [{ ref: "ns_j", partnership: "a2", started_on: "today-99d", updated_at: "2025-04-01T00:00:00Z" }] },
        ],
      },
      {
        ref: "newProvider",
        created_at: "2025-01-02T00:00:00Z",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "a1", started_on: "today-300d", finished_on: "today-100d", updated_at: "2025-05-01T00:00:00Z" }] },
          { school: "s2", started_on: "today-99d", training: [{ partnership: "b2", started_on: "today+5d", updated_at: "2025-03-01T00:00:00Z" }] },
        ],
      },
      {
        ref: "unknown",
        created_at: "2025-01-03T00:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-300d", finished_on: "today+10d", training: [{ partnership: "a1", started_on: "today-300d", finished_on: "today+10d" }] }],
      },
      {
        ref: "completed",
        created_at: "2025-01-04T00:00:00Z",
        induction_periods: [{ started_on: "today-300d", finished_on: "today-101d", outcome: "pass" }],
        ect_periods: [{ school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "a1", started_on: "today-300d", finished_on: "today-100d" }] }],
      },
      {
        ref: "sameSchool",
        created_at: "2025-01-05T00:00:00Z",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "a1", started_on: "today-300d", finished_on: "today-100d" }] },
          { school: "s1", started_on: "today-99d", training: [{ partnership: "a1", started_on: "today-99d" }] },
        ],
      },
      {
        ref: "schoolLed",
        created_at: "2025-01-06T00:00:00Z",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "a1", started_on: "today-300d", finished_on: "today-100d" }] },
          { school: "s2", started_on: "today-99d", training: [{ programme: "school_led", started_on: "today-99d" }] },
        ],
      },
      {
        ref: "ongoing",
        created_at: "2025-01-07T00:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-300d", training: [{ partnership: "a1", started_on: "today-300d" }] }],
      },
    ],
  });
});
afterAll(() => t.close());

const q = (path: string, ref = "a", headers: Record<string, string> = {}) => v3Get(t, path, tok(ref), headers);
const listIds = async (query: string, ref = "a") => {
  const r = await q(`/api/v3/participants/transfers${query}`, ref);
  expect(r.status).toBe(200);
  return ids(r.body);
};
const transfersOf = async (teacher: string, ref = "a") => {
  const r = await q(`/api/v3/participants/${id(teacher)}/transfers`, ref);
  expect(r.status).toBe(200);
  return r.body.data.attributes.transfers;
};
const NOT_FOUND = '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}';

describe("GET /api/v3/participants/transfers (spec/requests/api/v3/transfers_spec.rb #index)", () => {
  test('spec/requests/api/v3/transfers_spec.rb:27 "an index endpoint": teachers with a transfer the caller is part of, created_at ascending; byte for byte (school_transfer_serializer_spec.rb:37 core attributes, :54 leaving and joining)', async () => {
    const r = await q("/api/v3/participants/transfers");
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(ids(r.body)).toEqual([id("newSchool"), id("newProvider"), id("unknown"), id("schoolLed")]);
    const w = await world();
    const a = w.lead_providers.find((l: any) => l.id === id("a")).name;
    const first = `{"id":"${id("newSchool")}","type":"participant-transfer","attributes":{"updated_at":"2025-04-01T00:00:00Z","transfers":[{"training_record_id":"${refs.newSchool!.ect_training_record_id}","transfer_type":"new_school","status":"complete","created_at":"2025-02-01T00:00:00Z","leaving":{"school_urn":"500001","provider":"${a}","date":"${day(-100)}"},"joining":{"school_urn":"500002","provider":"${a}","date":"${day(-99)}"}}]}}`;
    expect(r.text.startsWith(`{"data":[${first},`)).toBe(true);
  });
  test('spec/requests/api/v3/transfers_spec.rb:27 "an index endpoint": the joining provider sees the transfer too; a provider in none → {"data":[]}; /participants/transfers is never read as an id', async () => {
    expect(await listIds("", "b")).toEqual([id("newProvider")]);
    const r = await q("/api/v3/participants/transfers", "c");
    expect(r.text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/transfers_spec.rb:28 "a paginated endpoint"', async () => {
    expect(await listIds("?page[per_page]=3&page[page]=2")).toEqual([id("schoolLed")]);
    expect(await listIds("?page[per_page]=3&page[page]=3")).toEqual([]);
    expect((await q("/api/v3/participants/transfers?page[per_page]=0")).status).toBe(400);
  });
  test('spec/requests/api/v3/transfers_spec.rb:29 "a filter by updated_since endpoint": a first or last training period of the caller\'s transfer-updated at or after (query.rb:88-120)', async () => {
    // newSchool: its joining period 2025-04-01; newProvider: a's leaving period 2025-05-01; the others: the load's clock
    expect(await listIds("?filter[updated_since]=2030-01-01T00:00:00Z")).toEqual([]);
    expect(await listIds(`?filter[updated_since]=${encodeURIComponent("2025-04-01T00:00:00Z")}`)).toEqual([id("newSchool"), id("newProvider"), id("unknown"), id("schoolLed")]);
    expect(await listIds(`?filter[updated_since]=${encodeURIComponent("2025-04-02T00:00:00Z")}`)).toEqual([id("newProvider"), id("unknown"), id("schoolLed")]);
    // for b only its own period counts (2025-03-01): before it kept, after it dropped, although updated_at shows a's 2025-05-01
    expect(await listIds(`?filter[updated_since]=${encodeURIComponent("2025-03-01T00:00:00Z")}`, "b")).toEqual([id("newProvider")]);
    expect(await listIds(`?filter[updated_since]=${encodeURIComponent("2025-03-02T00:00:00Z")}`, "b")).toEqual([]);
    const bad = await q("/api/v3/participants/transfers?filter[updated_since]=nope");
    expect(bad.status).toBe(400);
  });
  test("sort (transfers_controller.rb:36-42): on Teacher, -created_at", async () => {
    expect(await listIds("?sort=-created_at")).toEqual([id("schoolLed"), id("unknown"), id("newProvider"), id("newSchool")]);
  });
});

describe("GET /api/v3/participants/{id}/transfers (spec/requests/api/v3/transfers_spec.rb #show)", () => {
  test('spec/requests/api/v3/transfers_spec.rb:43 "a show endpoint": the document the list has', async () => {
    const list = await q("/api/v3/participants/transfers");
    const r = await q(`/api/v3/participants/${id("newProvider")}/transfers`);
    expect(r.status).toBe(200);
    expect(r.text).toBe(`{"data":${JSON.stringify(list.body.data[1])}}`);
  });
  test('spec/requests/api/v3/transfers_spec.rb:43 "a show endpoint": a teacher without a transfer (ongoing, same school, completed induction), unknown or non-UUID id → 404', async () => {
    for (const path of [id("ongoing"), id("sameSchool"), id("completed"), crypto.randomUUID(), "nope"]) {
      const r = await q(`/api/v3/participants/${path}/transfers`);
      expect(r.status).toBe(404);
      expect(r.text).toBe(NOT_FOUND);
    }
  });
  test("isolation: another provider's participant's transfers are the same 404 as an unknown id", async () => {
    const r = await q(`/api/v3/participants/${id("newSchool")}/transfers`, "b");
    expect(r.status).toBe(404);
    expect(r.text).toBe(NOT_FOUND);
  });
  test('spec/requests/api/v3/transfers_spec.rb:44 "a does not filter by updated_since endpoint"', async () => {
    const r = await q(`/api/v3/participants/${id("newSchool")}/transfers?filter[updated_since]=2030-01-01T00:00:00Z`);
    expect(r.status).toBe(200);
  });
});

describe("History#transfer_for (spec/services/api/teachers/school_transfers/history_spec.rb; transfer.rb)", () => {
  test("spec/services/api/teachers/school_transfers/history_spec.rb:152 leaves provider-led at one school, joins another with the same provider: new_school, complete", async () => {
    expect((await transfersOf("newSchool")).map((x: any) => [x.transfer_type, x.status])).toEqual([["new_school", "complete"]]);
  });
  test("spec/services/api/teachers/school_transfers/history_spec.rb:196,214 joins another school with a different provider: new_provider for both; incomplete while the joining period starts after today; updated_at the later of the two periods", async () => {
    for (const ref of ["a", "b"]) {
      const r = await q(`/api/v3/participants/${id("newProvider")}/transfers`, ref);
      expect(r.body.data.attributes.updated_at).toBe("2025-05-01T00:00:00Z");
      expect(r.body.data.attributes.transfers.map((x: any) => [x.transfer_type, x.status])).toEqual([["new_provider", "incomplete"]]);
    }
    const later = await q(`/api/v3/participants/${id("newProvider")}/transfers`, "a", { "X-With-Server-Date": `${day(10)}T12:00:00Z` });
    expect(later.body.data.attributes.transfers[0].status).toBe("complete");
  });
  test("spec/services/api/teachers/school_transfers/history_spec.rb:232 a third provider: no transfers (404)", async () => {
    expect((await q(`/api/v3/participants/${id("newProvider")}/transfers`, "c")).status).toBe(404);
  });
  test("spec/services/api/teachers/school_transfers/history_spec.rb:85 leaves without completing, no next school: unknown, joining null (school_transfer_serializer_spec.rb:156); incomplete while the leaving period ends after today", async () => {
    const [x] = await transfersOf("unknown");
    expect(x.transfer_type).toBe("unknown");
    expect(x.joining).toBeNull();
    expect(x.status).toBe("incomplete");
    expect(x.leaving.date).toBe(day(10));
  });
  test("spec/services/api/teachers/school_transfers/history_spec.rb:117 leaves having completed induction, no next school: no transfer", async () => {
    expect((await q(`/api/v3/participants/${id("completed")}/transfers`)).status).toBe(404);
  });
  test("spec/services/api/teachers/school_transfers/history_spec.rb:254 joins school-led training at another school: new_provider, the joining provider null (school_transfer_serializer_spec.rb:90)", async () => {
    const [x] = await transfersOf("schoolLed");
    expect(x.transfer_type).toBe("new_provider");
    expect(x.joining).toEqual({ school_urn: "500002", provider: null, date: day(-99) });
  });
  test("history.rb:47-49 the next school period at the same school: no transfer; an ongoing school period: none", async () => {
    expect((await q(`/api/v3/participants/${id("sameSchool")}/transfers`)).status).toBe(404);
    expect((await q(`/api/v3/participants/${id("ongoing")}/transfers`)).status).toBe(404);
  });
});
