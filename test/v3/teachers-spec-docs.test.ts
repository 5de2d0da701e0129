/**
 * RECT's rswag documentation specs for participants, transfers and unfunded mentors: each documented
 * operation is in the served OpenAPI document (GET /api-docs/v3/json) with the answers RECT documents,
 * and the real answer of each case validates against the schema the document gives for that status
 * (spec/support/shared_contexts/api/docs/api_{index,show,update}_endpoint_documentation_support.rb:
 * index 200/401; show 200/401/404; update 200/401/400/422/404). Cites spec/requests/api/docs/v3/*_spec.rb
 * at 0fe31d1aa.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let r: Refs;
let doc: any;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const AT = `${londonDate(new Date())}T12:00:00Z`;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const res = await t.call("GET", "/api-docs/v3/json");
  expect(res.status).toBe(200);
  doc = res.body;
  r = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("b", [2025])],
    delivery_partners: [{ ref: "dp", name: "DP Docs", partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "b", cohorts: [2025] }] }],
    schools: [
      { ref: "s1", urn: "580001", name: "D One" },
      { ref: "s2", urn: "580002", name: "D Two" },
    ],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pa2", school: "s2", lead_provider: "a", delivery_partner: "dp", cohort: 2025 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp", cohort: 2025 },
    ],
    teachers: [
      // spec/requests/api/docs/v3/participants_spec.rb:15-34: an ECT training from six months ago
      { ref: "t", ect_periods: [{ school: "s1", started_on: "today-180d", training: [{ partnership: "pa", started_on: "today-173d" }] }] },
      { ref: "cs", ect_periods: [{ school: "s1", started_on: "today-180d", training: [{ partnership: "pa", started_on: "today-173d" }] }] },
      { ref: "withdrawn", ect_periods: [{ school: "s1", started_on: "today-180d", training: [{ partnership: "pa", started_on: "today-173d", finished_on: "today-2d", withdrawn: { at: "now-2d", reason: "other" } }] }] },
      {
        ref: "moved",
        ect_periods: [
          { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [{ partnership: "pa", started_on: "today-300d", finished_on: "today-100d" }] },
          { school: "s2", started_on: "today-99d", training: [{ partnership: "pa2", started_on: "today-99d" }] },
        ],
      },
      { ref: "mentor", mentor_periods: [{ ref: "mp", school: "s1", started_on: "today-200d", training: [{ partnership: "pb", started_on: "today-100d" }] }] },
      { ref: "mentee", ect_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa", started_on: "today-100d" }], mentorships: [{ mentor: "mp", started_on: "today-50d" }] }] },
    ],
  });
});
afterAll(() => t.close());

/** The documented answer of `status` for `method path`: its content type and schema (with the document's components). */
function documented(method: string, path: string, status: number) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op).toBeDefined();
  const answer = op.responses[String(status)];
  expect(answer).toBeDefined();
  const [type, content] = Object.entries(answer.content ?? {})[0] as [string, any];
  return { type, validate: ajv.compile({ ...content.schema, components: doc.components }) };
}
async function expectDocumented(method: string, path: string, url: string, status: number, o: { token?: string | null; body?: unknown } = {}) {
  const { type, validate } = documented(method, path, status);
  const res = await t.call(method, url, { token: o.token === undefined ? r.a!.api_token : o.token, body: o.body, headers: { "X-With-Server-Date": AT } });
  expect(res.status).toBe(status);
  expect(res.response.headers.get("content-type")).toBe(type);
  const ok = validate(res.body);
  expect({ ok, errors: validate.errors ?? null }).toEqual({ ok: true, errors: null });
  return res.body;
}
const update = (action: string, attributes: Record<string, unknown>) => ({ data: { type: `participant-${action}`, attributes } });

describe("spec/requests/api/docs/v3/participants_spec.rb", () => {
  test('L38 "an API index endpoint documentation": GET /api/v3/participants 200 (a list with the participant) and 401', async () => {
    const body = await expectDocumented("GET", "/api/v3/participants", "/api/v3/participants", 200);
    expect(body.data.map((x: any) => x.id)).toContain(r.t!.id);
    // the schema is not vacuous: a wrong shape fails it
    expect(documented("GET", "/api/v3/participants", 200).validate({ data: [{ id: 1, type: "participant" }] })).toBe(false);
    await expectDocumented("GET", "/api/v3/participants", "/api/v3/participants", 401, { token: "invalid" });
  });
  test('L57 "an API show endpoint documentation": GET /api/v3/participants/{id} 200, 401, 404', async () => {
    const body = await expectDocumented("GET", "/api/v3/participants/{id}", `/api/v3/participants/${r.t!.id}`, 200);
    expect(body.data.attributes.ecf_enrolments[0].training_status).toBe("active");
    await expectDocumented("GET", "/api/v3/participants/{id}", `/api/v3/participants/${r.t!.id}`, 401, { token: "invalid" });
    await expectDocumented("GET", "/api/v3/participants/{id}", `/api/v3/participants/${crypto.randomUUID()}`, 404);
  });
  for (const [line, action, valid, invalid, subject] of [
    ["L74", "withdraw", { reason: "left-teaching-profession", course_identifier: "ecf-induction" }, { reason: "invalid", course_identifier: "ecf-induction" }, "t"],
    ["L116", "defer", { reason: "bereavement", course_identifier: "ecf-induction" }, { reason: "invalid", course_identifier: "ecf-induction" }, "t"],
    ["L158", "resume", { course_identifier: "ecf-induction" }, { course_identifier: "invalid" }, "withdrawn"],
    ["L209", "change-schedule", { schedule_identifier: "ecf-extended-april", course_identifier: "ecf-induction", cohort: "2025" }, { schedule_identifier: "invalid", course_identifier: "ecf-induction" }, "cs"],
  ] as const) {
    test(`${line} "an API update endpoint documentation": PUT /api/v3/participants/{id}/${action} 401, 400 ({"data":{}}), 422, 404, 200`, async () => {
      const path = `/api/v3/participants/{id}/${action}`;
      const url = `/api/v3/participants/${r[subject]!.id}/${action}`;
      await expectDocumented("PUT", path, url, 401, { token: "invalid", body: update(action, valid) });
      await expectDocumented("PUT", path, url, 400, { body: { data: {} } });
      await expectDocumented("PUT", path, url, 422, { body: update(action, invalid) });
      await expectDocumented("PUT", path, `/api/v3/participants/${crypto.randomUUID()}/${action}`, 404, { body: update(action, valid) });
      // the 200 last: withdraw and defer change the participant (defer then runs on a withdrawn one: use another)
      const target = action === "defer" ? "mentee" : subject;
      await expectDocumented("PUT", path, `/api/v3/participants/${r[target]!.id}/${action}`, 200, { body: update(action, valid) });
    });
  }
});

describe("spec/requests/api/docs/v3/transfers_spec.rb", () => {
  test('L20 "an API index endpoint documentation": GET /api/v3/participants/transfers 200 and 401', async () => {
    const body = await expectDocumented("GET", "/api/v3/participants/transfers", "/api/v3/participants/transfers", 200);
    expect(body.data.map((x: any) => x.id)).toContain(r.moved!.id);
    await expectDocumented("GET", "/api/v3/participants/transfers", "/api/v3/participants/transfers", 401, { token: "invalid" });
  });
  test('L31 "an API show endpoint documentation": GET /api/v3/participants/{id}/transfers 200, 401, 404', async () => {
    await expectDocumented("GET", "/api/v3/participants/{id}/transfers", `/api/v3/participants/${r.moved!.id}/transfers`, 200);
    await expectDocumented("GET", "/api/v3/participants/{id}/transfers", `/api/v3/participants/${r.moved!.id}/transfers`, 401, { token: "invalid" });
    await expectDocumented("GET", "/api/v3/participants/{id}/transfers", `/api/v3/participants/${crypto.randomUUID()}/transfers`, 404);
  });
});

describe("spec/requests/api/docs/v3/unfunded_mentors_spec.rb", () => {
  test('L29 "an API index endpoint documentation": GET /api/v3/unfunded-mentors 200 and 401', async () => {
    const body = await expectDocumented("GET", "/api/v3/unfunded-mentors", "/api/v3/unfunded-mentors", 200);
    expect(body.data.map((x: any) => x.id)).toEqual([r.mentor!.id]);
    await expectDocumented("GET", "/api/v3/unfunded-mentors", "/api/v3/unfunded-mentors", 401, { token: "invalid" });
  });
  test('L40 "an API show endpoint documentation": GET /api/v3/unfunded-mentors/{id} 200, 401, 404', async () => {
    await expectDocumented("GET", "/api/v3/unfunded-mentors/{id}", `/api/v3/unfunded-mentors/${r.mentor!.id}`, 200);
    await expectDocumented("GET", "/api/v3/unfunded-mentors/{id}", `/api/v3/unfunded-mentors/${r.mentor!.id}`, 401, { token: "invalid" });
    await expectDocumented("GET", "/api/v3/unfunded-mentors/{id}", `/api/v3/unfunded-mentors/${crypto.randomUUID()}`, 404);
  });
});
