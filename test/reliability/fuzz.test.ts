import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../support/app";

/**
 * Property: whatever a buggy client sends, every answer is a 4xx in the live
 * shapes or the right 2xx (never a 5xx), a refused request writes nothing,
 * and the database stays intact. FUZZ_RUNS=10000 for the full run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10000);

let t: TestApp;
let own: { token: string; participantId: string; declarationId: string | null };
let other: { token: string; participantId: string; declarationId: string | null };

async function scenario(name: string) {
  const p = await t.newProvider(name);
  const created = await t.newParticipant(p.id, { cohort: 2025 });
  const r = await t.call("POST", "/api/v2/participant-declarations", {
    token: p.token,
    headers: { "x-with-server-date": "2025-10-01T12:00:00Z" },
    body: { data: { type: "participant-declaration", attributes: { participant_id: created.participant_id, declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction" } } },
  });
  return { token: p.token, participantId: created.participant_id, declarationId: r.status === 200 ? (r.body.data.id as string) : null };
}

beforeAll(async () => {
  t = await createTestApp();
  own = await scenario("Fuzz own provider");
  other = await scenario("Fuzz other provider");
});
afterAll(() => t.close());

const weird = fc.oneof(
  fc.constant(""),
  fc.constant("%00"),
  fc.constant("\u0000"),
  fc.constant("💥"),
  fc.constant("../../etc/passwd"),
  fc.constant("x".repeat(5000)),
  fc.string({ maxLength: 40 }),
  fc.uuid(),
);
const idArb = fc.oneof(
  fc.constant(() => own.participantId),
  fc.constant(() => other.participantId),
  fc.constant(() => own.declarationId ?? "x"),
  fc.constant(() => other.declarationId ?? "x"),
  weird.map((w) => () => encodeURIComponent(w)),
);

/**
 * JSON objects whose keys shadow what JavaScript calls to print or inspect a
 * value (`{"toString":1}` made Elysia's validation error throw: issue 18
 * item 3). Parsed from text, so `__proto__` is an own key, as a server sees it.
 */
const HOSTILE_OBJECT_TEXTS = [
  '{"toString":1}',
  '{"valueOf":1}',
  '{"toString":1,"valueOf":1}',
  '{"toString":"x","valueOf":"y"}',
  '{"to\\u0053tring":{}}',
  '{"Symbol(Symbol.toPrimitive)":1,"@@toPrimitive":1,"[Symbol.toPrimitive]":1}',
  '{"__proto__":{"toString":1,"admin":true}}',
  '{"__proto__":null}',
  '{"constructor":{"prototype":{"toString":1}}}',
  '{"constructor":1,"hasOwnProperty":1,"isPrototypeOf":1,"propertyIsEnumerable":1,"toLocaleString":1,"toJSON":1,"then":1}',
  '[{"toString":1}]',
] as const;
const hostileObject = fc.constantFrom(...HOSTILE_OBJECT_TEXTS).map((text) => JSON.parse(text) as unknown);

const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    hostileObject,
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    fc.constant("x".repeat(100_000)),
    fc.constant("\u0000\u0001"),
    fc.constantFrom("ecf-induction", "ecf-mentor", "npq-leading", "started", "retained-1", "completed", "2025-09-10T10:00:00Z", "foo", "bereavement", "moved-school", "ecf-standard-january", "2025", "other"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const attributesArb = fc.record(
  {
    participant_id: fc.oneof(anyValue, fc.constant("__own__"), fc.constant("__other__")),
    declaration_type: anyValue,
    declaration_date: anyValue,
    course_identifier: anyValue,
    evidence_held: anyValue,
    reason: anyValue,
    schedule_identifier: anyValue,
    cohort: anyValue,
    has_passed: anyValue,
  },
  { requiredKeys: [] },
);

const bodyArb = fc.oneof(
  attributesArb.map((attributes) => ({ data: { type: "participant-declaration", attributes } })),
  anyValue.map((data) => ({ data })),
  anyValue,
  fc.string({ maxLength: 50 }).map((s) => ({ raw: s })),
  attributesArb.map((a) => ({ raw: JSON.stringify({ data: { attributes: a } }).slice(0, 20) })), // truncated JSON
);

const queryArb = fc.array(
  fc.tuple(
    fc.constantFrom("filter[toString]", "page[valueOf]", "filter[__proto__][toString]", "filter[constructor][prototype]", "filter", "filter[cohort]", "filter[updated_since]", "filter[participant_id]", "filter[cohort][]", "page", "page[page]", "page[per_page]", "page[per_page][]", "page[page][x]", "sort", "filter[]"),
    fc.oneof(weird, fc.constantFrom("2021", "2021,2022", "1", "0", "-1", "3001", "2020-11-13T00:00:00Z", "2020-11-13T00%3A00%3A00%2B01%3A00", "abc")),
  ),
  { maxLength: 4 },
);

const ROUTES: Array<{ method: string; path: (id: string) => string; admin?: boolean }> = [
  { method: "GET", path: () => "/api/v2/participants/ecf" },
  { method: "GET", path: () => "/api/v2/participants/ecf.csv" },
  { method: "GET", path: (id) => `/api/v2/participants/ecf/${id}` },
  { method: "GET", path: () => "/api/v2/participants" },
  { method: "PUT", path: (id) => `/api/v2/participants/ecf/${id}/defer` },
  { method: "PUT", path: (id) => `/api/v2/participants/ecf/${id}/resume` },
  { method: "PUT", path: (id) => `/api/v2/participants/ecf/${id}/withdraw` },
  { method: "PUT", path: (id) => `/api/v2/participants/ecf/${id}/change-schedule` },
  { method: "PUT", path: (id) => `/api/v2/participants/${id}/defer` },
  { method: "POST", path: () => "/api/v2/participant-declarations" },
  { method: "GET", path: () => "/api/v2/participant-declarations" },
  { method: "GET", path: () => "/api/v2/participant-declarations.csv" },
  { method: "GET", path: (id) => `/api/v2/participant-declarations/${id}` },
  { method: "PUT", path: (id) => `/api/v2/participant-declarations/${id}/void` },
  { method: "DELETE", path: (id) => `/api/v2/participant-declarations/${id}` },
  { method: "POST", path: () => "/admin/participants", admin: true },
  { method: "POST", path: () => "/admin/lead-providers", admin: true },
  { method: "POST", path: (id) => `/admin/participants/${id}/transfer`, admin: true },
  { method: "PUT", path: (id) => `/admin/participants/${id}/induction-status`, admin: true },
  { method: "PUT", path: (id) => `/admin/participant-declarations/${id}/state`, admin: true },
  { method: "PUT", path: () => "/admin/clock", admin: true },
  { method: "DELETE", path: () => "/admin/clock", admin: true },
  { method: "POST", path: (id) => `/admin/lead-providers/${id}/api-tokens`, admin: true },
  { method: "GET", path: () => "/admin/requests", admin: true },
  { method: "GET", path: (id) => `/admin/requests/${id}`, admin: true },
  { method: "PUT", path: (id) => `/admin/snapshots/${id}`, admin: true },
  { method: "POST", path: (id) => `/admin/snapshots/${id}/restore`, admin: true },
  { method: "DELETE", path: (id) => `/admin/snapshots/${id}`, admin: true },
];

const headerArb = fc.record(
  {
    contentType: fc.constantFrom("application/json", "application/vnd.api+json", "text/x-json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-8"),
    authorization: fc.constantFrom("own", "own", "own", "other", "admin", "none", "Bearer ", "Token token=\"\"", "Basic Zm9vOmJhcg=="),
    serverDate: fc.option(fc.constantFrom("2025-10-01T12:00:00Z", "garbage", "2025-10-01"), { nil: undefined }),
    accept: fc.constantFrom("*/*", "application/json", "text/csv", "text/html"),
  },
  { requiredKeys: ["contentType", "authorization", "accept"] },
);

const requestArb = fc.record({ route: fc.nat({ max: ROUTES.length - 1 }), id: idArb, query: queryArb, body: fc.option(bodyArb, { nil: undefined }), headers: headerArb });

async function fingerprint(): Promise<string> {
  const db = t.database.db;
  const parts: unknown[] = [];
  for (const table of ["lead_providers", "participants", "training_records", "training_status_history", "declarations", "declaration_state_history", "former_provider_views", "partnerships", "schools"] as const) {
    parts.push(await db.selectFrom(table).select(db.fn.countAll().as("n")).executeTakeFirst());
  }
  parts.push(await db.selectFrom("training_records").select(db.fn.max("updated_at").as("u")).executeTakeFirst());
  parts.push(await db.selectFrom("participants").select(db.fn.max("updated_at").as("u")).executeTakeFirst());
  parts.push(await db.selectFrom("declarations").select(db.fn.max("updated_at").as("u")).executeTakeFirst());
  return JSON.stringify(parts);
}

function expectLiveShape(status: number, contentType: string | null, text: string, path = "") {
  if (status === 403) return expect(text).toBe("");
  if (status === 429) return expect(text).toBe("Retry later\n");
  const body = JSON.parse(text);
  // an admin 404 is either shape: an unknown snapshot or request-log id is named in `errors`
  const errorsShaped404 = status === 404 && path.startsWith("/admin/") && Array.isArray(body.errors);
  if ((status === 401 || status === 404) && !errorsShaped404) {
    expect(typeof body.error).toBe("string");
    return;
  }
  expect(Array.isArray(body.errors)).toBe(true);
  expect(body.errors.length).toBeGreaterThan(0);
  for (const e of body.errors) {
    expect(typeof e.title).toBe("string");
    expect(typeof e.detail).toBe("string");
    expect(e.detail).not.toContain("    at ");
  }
}

describe("fuzzing every route", () => {
  test(`when ${RUNS} generated requests hit the routes, then none gets a 5xx, refusals write nothing, and the database is intact`, async () => {
    let fiveHundreds = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const route = ROUTES[r.route]!;
        const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
        const path = route.path(r.id()) + (qs ? `?${qs}` : "");
        const headers: Record<string, string> = { accept: r.headers.accept };
        if (r.headers.contentType) headers["content-type"] = r.headers.contentType;
        const auth = route.admin && r.headers.authorization === "own" ? "admin" : r.headers.authorization;
        if (auth === "own") headers.authorization = `Bearer ${own.token}`;
        else if (auth === "other") headers.authorization = `Bearer ${other.token}`;
        else if (auth === "admin") headers.authorization = `Bearer ${ADMIN_TOKEN}`;
        else if (auth !== "none") headers.authorization = auth;
        if (r.headers.serverDate) headers["x-with-server-date"] = r.headers.serverDate;
        let body: string | undefined;
        if (r.body !== undefined && route.method !== "GET") {
          const b = r.body as any;
          body = b && typeof b === "object" && "raw" in b && Object.keys(b).length === 1 ? String(b.raw) : JSON.stringify(b);
          body = body.replace('"__own__"', JSON.stringify(own.participantId)).replace('"__other__"', JSON.stringify(other.participantId));
        }
        const before = await fingerprint();
        let response: Response;
        try {
          response = await t.app.handle(new Request(`http://localhost${path}`, { method: route.method, headers, body }));
        } catch (e) {
          // a URL the Request constructor refuses never reaches a server
          if (e instanceof TypeError) return;
          throw e;
        }
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) {
          fiveHundreds++;
          throw new Error(`${route.method} ${path} → ${response.status} ${text.slice(0, 200)}\nbody: ${body?.slice(0, 300)}`);
        }
        if (response.status >= 400) {
          expectLiveShape(response.status, response.headers.get("content-type"), text, path);
          expect(await fingerprint()).toBe(before);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261129) },
    );
    expect(fiveHundreds).toBe(0);
    expect(t.database.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    console.log(`fuzz: ${RUNS} requests, 5xx: ${fiveHundreds}, statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 600_000);
});

/**
 * Every route the app serves (read from its router, so a new route is
 * covered without editing this list) gets each hostile object in every
 * place it reads: the whole body, each field of its body schema (the other
 * fields valid), `data`, `data.type`, `data.attributes` and each attribute,
 * and the query. No answer may be a 5xx, and refusals are in the live shapes.
 */
describe("hostile objects on every route", () => {
  const V2_ATTRIBUTES = ["participant_id", "declaration_type", "declaration_date", "course_identifier", "evidence_held", "reason", "schedule_identifier", "cohort", "has_passed"];
  const HOSTILE_QUERIES = ["toString=1", "filter[toString]=1", "page[toString]=1&page[valueOf]=1", "filter[__proto__][toString]=1", "filter[constructor][prototype][toString]=1", "sort[toString]=1", "status[toString]=1&limit[valueOf]=1", "filter[cohort][toString]=1&filter[updated_since][valueOf]=1"];

  /** A body text with `__H__` replaced by the hostile JSON text. */
  const withHostile = (shape: unknown, hostile: string) => JSON.stringify(shape).replace('"__H__"', hostile);

  test("when each route gets objects keyed toString, valueOf, __proto__, constructor…, in its body fields and its query, then none answers a 5xx", async () => {
    const validAdmin: Record<string, unknown> = {
      name: "Hostile fuzz provider", lead_provider_id: (await t.newProvider("Hostile fuzz target")).id, participant_type: "ect", cohort: 2025,
      now: "2025-10-01T12:00:00Z", state: "eligible", course_identifier: "ecf-induction", status: "active", to_lead_provider_id: (await t.newProvider("Hostile fuzz receiver")).id,
    };
    const validAttributes = { participant_id: own.participantId, declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction", reason: "moved-school", schedule_identifier: "ecf-standard-september", cohort: "2025" };
    // a query or body that wrote into Object.prototype (`filter[__proto__][toString]=1`) would change every object in the process
    const prototypeMembers = () => Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)!.value]);
    const membersBefore = prototypeMembers();
    const routes = t.app.routes.filter((r) => r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    const send = async (method: string, path: string, body: string | undefined) => {
      const admin = path.startsWith("/admin");
      const headers: Record<string, string> = { authorization: `Bearer ${admin ? ADMIN_TOKEN : own.token}`, "content-type": "application/json" };
      const response = await t.app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
      const text = await response.text();
      sent++;
      if (response.status >= 500) failures.push(`${method} ${path} → ${response.status} ${text.slice(0, 200)}\nbody: ${body?.slice(0, 300)}`);
      else if (response.status >= 400 && (path.startsWith("/admin") || path.startsWith("/api"))) expectLiveShape(response.status, response.headers.get("content-type"), text, path);
    };
    for (const route of routes) {
      const path = route.path
        .replace(":id", route.path.includes("declaration") ? (own.declarationId ?? "x") : route.path.includes("lead-providers") ? String(validAdmin.lead_provider_id) : route.path.includes("participants") ? own.participantId : "no-such-id")
        .replace(":name", "hostile-fuzz");
      for (const query of HOSTILE_QUERIES) await send(route.method, `${path}?${query}`, undefined);
      if (route.method === "GET" || route.method === "HEAD") continue;
      const schema = (route.hooks as { body?: { properties?: Record<string, unknown> } } | undefined)?.body;
      const fields = Object.keys(schema?.properties ?? {}).filter((f) => f !== "data");
      const v2 = path.startsWith("/api");
      for (const hostile of HOSTILE_OBJECT_TEXTS) {
        const bodies: string[] = [hostile, withHostile({ data: "__H__" }, hostile), withHostile({ data: { type: "__H__", attributes: validAttributes } }, hostile)];
        if (v2 || schema?.properties?.data) {
          bodies.push(withHostile({ data: { type: "participant-declaration", attributes: "__H__" } }, hostile));
          for (const key of V2_ATTRIBUTES) bodies.push(withHostile({ data: { type: "participant-declaration", attributes: { ...validAttributes, [key]: "__H__" } } }, hostile));
        }
        for (const field of fields) bodies.push(withHostile({ ...Object.fromEntries(fields.filter((f) => f in validAdmin).map((f) => [f, validAdmin[f]])), [field]: "__H__" }, hostile));
        for (const body of bodies) await send(route.method, path, body);
      }
    }
    expect(prototypeMembers()).toEqual(membersBefore);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(t.database.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
  }, 120_000);
});
