/**
 * RECT's documentation specs (rswag, at 0fe31d1aa): spec/requests/api/docs/v3/{statements,delivery_partners,
 * schools,partnerships}_spec.rb and their shared contexts (spec/support/shared_contexts/api/docs/
 * api_{index,show,create,update}_endpoint_documentation_support.rb). Each one documents an operation with its
 * responses (index and show: 200 and 401, show also 404; create: 200, 401, 400, 422; update: 200, 401, 400,
 * 422, 404) and runs a real request per response, checking the answer against the documented schema. Here:
 * the served /api-docs/v3/json documents each of those responses for the operation, and a real answer of each
 * status validates against the schema the document gives for it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
let doc: any;
const id = (ref: string) => refs[ref]!.id as string;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  doc = (await t.call("GET", "/api-docs/v3/json")).body;
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025])],
    delivery_partners: [
      { ref: "dp", name: `Docs DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
      { ref: "dp2", name: `Docs DP2 ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "s1", urn: "495001", name: "Docs One" },
      { ref: "s2", urn: "495002", name: "Docs Two" },
    ],
    partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp", cohort: 2025 }],
    statements: [{ ref: "st", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "2025-11-01", payment_date: "2025-11-25" }],
  });
});
afterAll(() => t.close());

/** `#/components/...` refs replaced by what they name, so ajv sees one schema. */
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

/** The operation's documented responses, and a real answer of each status checked against its schema. */
async function checkOperation(path: string, method: string, answers: Record<string, () => Promise<{ status: number; body: any }>>) {
  const op = doc.paths[path]?.[method];
  expect(op).toBeDefined();
  const failures: string[] = [];
  for (const [status, call] of Object.entries(answers)) {
    const documented = op.responses[status];
    if (!documented) {
      failures.push(`${method.toUpperCase()} ${path} ${status}: not documented`);
      continue;
    }
    const r = await call();
    if (String(r.status) !== status) failures.push(`${method.toUpperCase()} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    const schema = Object.values<any>(documented.content ?? {})[0]?.schema;
    if (!schema) {
      failures.push(`${method.toUpperCase()} ${path} ${status}: no schema`);
      continue;
    }
    const validate = ajv.compile(deref(schema));
    if (!validate(r.body)) failures.push(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.body).slice(0, 300)}`);
  }
  expect(failures).toEqual([]);
}

const get = (path: string, token: string | null = refs.a!.api_token) => async () => t.call("GET", path, { token });
const write = (method: string, path: string, body: unknown, token: string | null = refs.a!.api_token) => async () => t.call(method, path, { token, body });
const partnership = (attributes: Record<string, unknown>) => ({ data: { type: "partnership", attributes } });

describe("spec/requests/api/docs/v3/statements_spec.rb", () => {
  test('L8 "an API index endpoint documentation": 200 and 401, each answer as documented', async () => {
    await checkOperation("/api/v3/statements", "get", { 200: get("/api/v3/statements"), 401: get("/api/v3/statements", "invalid") });
  });
  test('L18 "an API show endpoint documentation": 200, 401 and 404', async () => {
    await checkOperation("/api/v3/statements/{id}", "get", { 200: get(`/api/v3/statements/${id("st")}`), 401: get(`/api/v3/statements/${id("st")}`, "invalid"), 404: get(`/api/v3/statements/${crypto.randomUUID()}`) });
  });
});

describe("spec/requests/api/docs/v3/delivery_partners_spec.rb", () => {
  test('L9 "an API index endpoint documentation": 200 and 401', async () => {
    await checkOperation("/api/v3/delivery-partners", "get", { 200: get("/api/v3/delivery-partners"), 401: get("/api/v3/delivery-partners", "invalid") });
  });
  test('L20 "an API show endpoint documentation": 200, 401 and 404', async () => {
    await checkOperation("/api/v3/delivery-partners/{id}", "get", { 200: get(`/api/v3/delivery-partners/${id("dp")}`), 401: get(`/api/v3/delivery-partners/${id("dp")}`, "invalid"), 404: get(`/api/v3/delivery-partners/${crypto.randomUUID()}`) });
  });
});

describe("spec/requests/api/docs/v3/schools_spec.rb", () => {
  test('L32 "an API index endpoint documentation": 200 and 401', async () => {
    await checkOperation("/api/v3/schools", "get", { 200: get("/api/v3/schools?filter[cohort]=2025"), 401: get("/api/v3/schools?filter[cohort]=2025", "invalid") });
  });
  test('L43 "an API show endpoint documentation": 200, 401 and 404', async () => {
    const path = `/api/v3/schools/${id("s1")}?filter[cohort]=2025`;
    await checkOperation("/api/v3/schools/{id}", "get", { 200: get(path), 401: get(path, "invalid"), 404: get(`/api/v3/schools/${crypto.randomUUID()}?filter[cohort]=2025`) });
  });
});

describe("spec/requests/api/docs/v3/partnerships_spec.rb", () => {
  test('L9 "an API index endpoint documentation": 200 and 401', async () => {
    await checkOperation("/api/v3/partnerships", "get", { 200: get("/api/v3/partnerships"), 401: get("/api/v3/partnerships", "invalid") });
  });
  test('L20 "an API show endpoint documentation": 200, 401 and 404', async () => {
    await checkOperation("/api/v3/partnerships/{id}", "get", { 200: get(`/api/v3/partnerships/${id("p")}`), 401: get(`/api/v3/partnerships/${id("p")}`, "invalid"), 404: get(`/api/v3/partnerships/${crypto.randomUUID()}`) });
  });
  test('L29 "an API create endpoint documentation": 200, 401, 400 ({data: {}}) and 422 (cohort 2020, an unknown school)', async () => {
    const valid = partnership({ cohort: 2025, school_id: id("s2"), delivery_partner_id: id("dp") });
    await checkOperation("/api/v3/partnerships", "post", {
      401: write("POST", "/api/v3/partnerships", valid, "invalid"),
      400: write("POST", "/api/v3/partnerships", { data: {} }),
      422: write("POST", "/api/v3/partnerships", partnership({ cohort: 2020, school_id: crypto.randomUUID() })),
      200: write("POST", "/api/v3/partnerships", valid),
    });
  });
  test('L64 "an API update endpoint documentation": 200, 401, 400, 422 and 404', async () => {
    const path = `/api/v3/partnerships/${id("p")}`;
    await checkOperation("/api/v3/partnerships/{id}", "put", {
      401: write("PUT", path, partnership({ delivery_partner_id: id("dp2") }), "invalid"),
      400: write("PUT", path, { data: {} }),
      422: write("PUT", path, partnership({ delivery_partner_id: crypto.randomUUID() })),
      404: write("PUT", `/api/v3/partnerships/${crypto.randomUUID()}`, partnership({ delivery_partner_id: id("dp2") })),
      200: write("PUT", path, partnership({ delivery_partner_id: id("dp2") })),
    });
  });
});
