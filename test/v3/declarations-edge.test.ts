/**
 * Declarations at the edges (docs/reference/rect/rules.md §10.2, §10.5.1, §18 traps 3-4): the
 * previous-provider date bound, the London/UTC reading of a zone-less `declaration_date`, time
 * travel (`X-With-Server-Date`) for a byte-exact POST answer, sequence ties, and `updated_since`
 * after writes. RECT examples named where one is reproduced (0fe31d1aa).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const PATH = "/api/v3/participant-declarations";
const ids = (body: any) => body.data.map((r: any) => r.id);

async function post(token: string, attributes: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await t.request("POST", PATH, { token, body: { data: { type: "participant-declaration", attributes } }, headers });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp1", name: "Edge DP", partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "500001", name: "Edge School" }],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp1", cohort: 2025 },
    ],
    statements: [{ ref: "a25", lead_provider: "a", cohort: 2025, month: 11, year: 2029, deadline_date: "2029-11-01", payment_date: "2029-11-25" }],
    teachers: [
      // b's period ends 2025-12-31: a previous provider (a) declaration at 00:00:00Z that day is visible to b, one second later is not
      {
        ref: "bound",
        ect_periods: [
          {
            school: "s1",
            started_on: "2025-07-01",
            training: [
              {
                partnership: "pa",
                schedule: "ecf-standard-september",
                started_on: "2025-09-01",
                finished_on: "2025-10-31",
                declarations: [
                  { ref: "atMidnight", type: "started", date: "2025-12-31T00:00:00Z", evidence_held: "other" },
                  { ref: "afterMidnight", type: "retained-1", date: "2025-12-31T00:00:01Z", evidence_held: "other" },
                ],
              },
              { partnership: "pb", schedule: "ecf-standard-september", started_on: "2025-11-01", finished_on: "2025-12-31" },
            ],
          },
        ],
      },
      { ref: "zone", ect_periods: [{ school: "s1", started_on: "2025-07-01", training: [{ partnership: "pa", schedule: "ecf-standard-september", started_on: "2025-09-01" }] }] },
      {
        ref: "seq",
        ect_periods: [
          {
            school: "s1",
            started_on: "2025-07-01",
            training: [{ partnership: "pa", schedule: "ecf-standard-september", started_on: "2025-09-01", declarations: [{ type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other" }, { type: "completed", date: "2026-03-01T10:00:00Z", evidence_held: "75-percent-engagement-met" }] }],
          },
        ],
      },
    ],
  });
});
afterAll(() => t.close());

describe("the previous-provider bound (query.rb:104-110: timestamp ≤ the period's end date, i.e. 00:00 UTC)", () => {
  test("spec/services/api/declarations/query_spec.rb:161 (a previous provider's declaration dated after the caller's period finished is not returned): 00:00:00Z on the end day is visible to the later provider, 00:00:01Z is not; the owner sees both", async () => {
    expect(ids((await v3Get(t, `${PATH}?filter[participant_id]=${id("bound")}`, tok("b"))).body)).toEqual([id("atMidnight")]);
    expect(ids((await v3Get(t, `${PATH}?filter[participant_id]=${id("bound")}`, tok("a"))).body)).toEqual([id("atMidnight"), id("afterMidnight")]);
  });
});

describe("time travel and zone-less dates (docs/reference/rect/rules.md §10.5.1, §18 trap 4)", () => {
  test("a zone-less date is checked as UTC but stored as London time: 11:00 (London 10:00Z) is 'future' at 10:30Z", async () => {
    const at = { "X-With-Server-Date": "2025-10-01T10:30:00Z" };
    const r = await post(tok("a"), { participant_id: id("zone"), declaration_type: "started", declaration_date: "2025-10-01T11:00:00", course_identifier: "ecf-induction", evidence_held: "other" }, at);
    expect(r.status).toBe(422);
    expect(r.text).toBe('{"errors":[{"title":"declaration_date","detail":"The \'#/declaration_date\' value cannot be a future date. Check the date and try again."}]}');
  });
  test("spec/serializers/api/declaration_serializer_spec.rb:38 nested attributes of a submitted declaration with no mentor: byte-exact POST answer at a travelled clock: created_at and updated_at are the request's now; the date as London time", async () => {
    const at = { "X-With-Server-Date": "2025-10-02T08:00:00Z" };
    const r = await post(tok("a"), { participant_id: id("zone"), declaration_type: "started", declaration_date: "2025-10-01T11:00:00", course_identifier: "ecf-induction", evidence_held: "other" }, at);
    expect(r.status).toBe(200);
    const lead = (await t.admin("GET", "/admin/v3/world")).body.lead_providers.find((x: any) => x.id === id("a"));
    expect(r.text).toBe(
      `{"data":{"id":"${r.body.data.id}","type":"participant-declaration","attributes":{"participant_id":"${id("zone")}","declaration_type":"started","course_identifier":"ecf-induction","declaration_date":"2025-10-01T10:00:00Z","mentor_id":null,"state":"submitted","updated_at":"2025-10-02T08:00:00Z","created_at":"2025-10-02T08:00:00Z","delivery_partner_id":"${id("dp1")}","statement_id":null,"clawback_statement_id":null,"ineligible_for_funding_reason":null,"uplift_paid":false,"evidence_held":"other","lead_provider_name":"${lead.name}"}}}`,
    );
    // filter[updated_since] sees it from its own second on
    expect(ids((await v3Get(t, `${PATH}?filter[updated_since]=2025-10-02T08:00:00Z&filter[participant_id]=${id("zone")}`, tok("a"))).body)).toEqual([r.body.data.id]);
  });
});

describe("sequence (spec/services/api/declarations/create_spec.rb \"validate declaration types are in sequence order\", 2025)", () => {
  const attrs = (type: string, date: string, evidence: string) => ({ participant_id: id("seq"), declaration_type: type, declaration_date: date, course_identifier: "ecf-induction", evidence_held: evidence });
  const SEQUENCE = '{"errors":[{"title":"declaration_date","detail":"This \'#/declaration_date\' is invalid. Check that it is in sequence with existing declaration dates for this participant."}]}';
  test('spec/services/api/declarations/create_spec.rb:530,531,538,539 retained-1 "when declaration date is before started" and "when declaration date is after completed"', async () => {
    expect((await post(tok("a"), attrs("retained-1", "2025-09-30T10:00:00Z", "other"))).text).toBe(SEQUENCE);
    expect((await post(tok("a"), attrs("retained-1", "2026-03-02T10:00:00Z", "other"))).text).toBe(SEQUENCE);
  });
  test("extended-1 after `completed` on a standard schedule: refused for the missing milestone, not for the sequence (RECT's example gives the schedule an extended-1 milestone and expects it valid, reproduced in declarations-create-spec.test.ts)", async () => {
    const r = await post(tok("a"), attrs("extended-1", "2026-03-02T10:00:00Z", "other"));
    expect(r.text).toBe('{"errors":[{"title":"declaration_type","detail":"The property \'#/declaration_type\' does not exist for this schedule."}]}');
  });
  test('spec/services/api/declarations/create_spec.rb:547 "when `retained-1` is submitted within `started` and `completed` declaration dates": dates equal to the neighbours pass', async () => {
    const r = await post(tok("a"), attrs("retained-1", "2025-10-01T10:00:00Z", "other"));
    expect(r.status).toBe(200);
    const r2 = await post(tok("a"), attrs("retained-2", "2026-03-01T10:00:00Z", "75-percent-engagement-met"));
    expect(r2.status).toBe(200);
  });
});
