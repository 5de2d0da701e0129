import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

/**
 * The fuzz suite on the RECT world (issue 20 item 4): every /api/v3 route and every /admin/v3 route,
 * read from the router (a route mounted later is fuzzed at once), gets generated requests: ids of
 * the caller's own and another provider's resources and junk, junk queries (filters, pages, sort,
 * double-encoded dates), JSON:API bodies with junk attribute values, truncated JSON, every header
 * variant. Property: no answer is a 5xx; a refusal is JSON in RECT's shapes (`{"error"}` for 401,
 * `{"errors":[{title,detail}]}` otherwise, no stack trace) and writes nothing to the v3 world; the
 * database is intact at the end. FUZZ_V3_RUNS=20000 for a long run; FUZZ_SEED to replay.
 *
 * RECT answers a 500 to some of these (docs/reference/rect/rules.md §3.3, §4.2-4.3; docs/rect-parity.md
 * §18 E2); the sandbox answers 400 in the errors shape (README, RECT v3 differences).
 */
const RUNS = Number(process.env.FUZZ_V3_RUNS ?? 3000);

let t: TestApp;
let refs: Refs;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  const training = (ref: string, partnership: string, declarations: unknown[] = []) => [{ ref, partnership, started_on: "today-60d", declarations }];
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2025])],
    delivery_partners: [
      { ref: "dpA", name: `DP A ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dpB", name: `DP B ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "sA", urn: "340001", name: "Fuzz A" },
      { ref: "sB", urn: "340002", name: "Fuzz B" },
      { ref: "sC", urn: "340003", name: "Fuzz C" },
    ],
    partnerships: [
      { ref: "pA", school: "sA", lead_provider: "a", delivery_partner: "dpA", cohort: 2025 },
      { ref: "pB", school: "sB", lead_provider: "b", delivery_partner: "dpB", cohort: 2025 },
    ],
    statements: [
      { ref: "stA", lead_provider: "a", cohort: 2025, month: 11, year: 2025, deadline_date: "today+30d", payment_date: "today+60d" },
      { ref: "stB", lead_provider: "b", cohort: 2025, month: 11, year: 2025, deadline_date: "today+30d", payment_date: "today+60d" },
    ],
    teachers: [
      { ref: "tA", ect_periods: [{ school: "sA", started_on: "today-90d", training: training("tpA", "pA", [{ ref: "dA", type: "started", date: "now-30d" }]) }] },
      { ref: "mA", mentor_periods: [{ ref: "mAp", school: "sA", started_on: "today-90d", training: training("tpMA", "pA") }] },
      { ref: "tA2", ect_periods: [{ school: "sA", started_on: "today-90d", training: training("tpA2", "pA"), mentorships: [{ mentor: "mAp", started_on: "today-60d" }] }] },
      { ref: "mB", mentor_periods: [{ ref: "mBp", school: "sB", started_on: "today-90d", training: training("tpMB", "pB") }] },
      { ref: "tB", ect_periods: [{ school: "sB", started_on: "today-90d", training: training("tpB", "pB", [{ ref: "dB", type: "started", date: "now-30d" }]), mentorships: [{ mentor: "mBp", started_on: "today-60d" }] }] },
    ],
  });
});
afterAll(() => t.close());

const routes = () => t.app.routes.filter((r) => (r.path.startsWith("/api/v3/") || r.path.startsWith("/admin/v3/")) && r.method !== "ALL" && r.method !== "HEAD");

/** the ids a request can name: every resource of the world (both providers), and junk */
const idOf = (name: string) => () => String(refs[name]?.id ?? "x");
const weird = fc.oneof(
  fc.constant(""),
  fc.constant("%00"),
  fc.constant("💥"),
  fc.constant("..%2F..%2Fetc%2Fpasswd"),
  fc.constant("x".repeat(3000)),
  fc.constant("2025"),
  fc.constant("-1"),
  fc.constant("99999999999999999999"),
  fc.string({ maxLength: 30 }),
  fc.uuid(),
);
const idArb = fc.oneof(
  fc.constantFrom(...["tA", "tA2", "mA", "tB", "mB", "dA", "dB", "stA", "stB", "pA", "pB", "dpA", "dpB", "sA", "sB", "sC", "a", "b", "tpA", "mAp"].map(idOf)),
  fc.constant(() => "2025"),
  weird.map((w) => () => encodeURIComponent(w)),
);

const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.constant("x".repeat(50_000)),
    fc.constant("\u0000"),
    fc.constantFrom(
      "ecf-induction", "ecf-mentor", "started", "retained-1", "completed", "extended-1", "bereavement", "moved-school", "other",
      "ecf-standard-september", "ecf-extended-september", "ecf-replacement-april", "2024", "2025", "now", "today",
      "2025-09-10T10:00:00Z", "2025-09-10", "training-event-attended", "self-study-material-completed", "other",
    ),
    fc.constantFrom(...["tA", "tB", "mA", "dpA", "dpB", "sA", "sC", "stA", "pA"].map((r) => `__ref_${r}__`)),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const ATTRIBUTES = [
  "participant_id", "declaration_type", "declaration_date", "course_identifier", "evidence_type", "evidence_held", "has_passed",
  "reason", "schedule_identifier", "cohort", "school_id", "delivery_partner_id", "mentor_id", "status", "name", "cohorts",
  "started_on", "finished_on", "payment_date", "deadline_date", "now", "urn", "trn", "date", "type",
];
const attributesArb = fc.dictionary(fc.constantFrom(...ATTRIBUTES), junk, { maxKeys: 6 });
const bodyArb = fc.oneof(
  fc.record({ data: fc.record({ type: fc.constantFrom("participant-declaration", "partnership", "partnership-update", "participant-defer", "participant-withdraw", "participant-resume", "participant-change-schedule", "x"), attributes: attributesArb }, { requiredKeys: [] }) }),
  attributesArb,
  fc.record({ lead_providers: fc.array(junk, { maxLength: 2 }), teachers: fc.array(junk, { maxLength: 2 }), schools: fc.array(junk, { maxLength: 2 }), now: junk }, { requiredKeys: [] }),
  junk,
  fc.string({ maxLength: 40 }).map((raw) => ({ raw })),
  attributesArb.map((a) => ({ raw: JSON.stringify({ data: { attributes: a } }).slice(0, 25) })),
);

const queryArb = fc.array(
  fc.tuple(
    fc.constantFrom(
      "filter[cohort]", "filter[cohort][]", "filter[updated_since]", "filter[updated_since][]", "filter[updated_since][x]", "filter[participant_id]", "filter[delivery_partner_id]",
      "filter[training_status]", "filter[from_participant_id]", "filter[urn]", "filter[type]", "filter[status]", "filter[__proto__][toString]", "filter", "filter[]",
      "page[page]", "page[per_page]", "page[page][]", "page[per_page][x]", "page", "sort", "sort[]", "include",
    ),
    fc.oneof(
      weird,
      fc.constantFrom("2024", "2024,2025", "1", "0", "-1", "3001", "2025-01-01T00:00:00Z", "2025-01-01T00%253A00%253A00%252B01%253A00", "2025-01-01T10:00:00%2B01:00", "created_at", "-updated_at", "updated_at,-created_at", "active", "withdrawn", "deferred"),
    ),
  ),
  { maxLength: 4 },
);

const headerArb = fc.record(
  {
    contentType: fc.constantFrom("application/json", "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-8"),
    authorization: fc.constantFrom("a", "a", "a", "a", "a", "a", "a", "b", "b", "admin", "none", "Bearer ", "Bearer invalid", "Token token=\"\"", "Basic Zm9vOmJhcg=="),
    serverDate: fc.option(fc.constantFrom("2025-10-01T12:00:00Z", "2025-10-01T12:00:00Z", "2026-03-01T09:00:00Z", "2025-10-01T12:00:00Z", "2026-06-01T12:00:00+01:00", "garbage", "2025-10-01", "2025-02-30T10:00:00Z"), { nil: undefined }),
    accept: fc.constantFrom("*/*", "application/json", "text/csv", "text/html"),
  },
  { requiredKeys: ["contentType", "authorization", "accept"] },
);

const requestArb = fc.record({ route: fc.nat({ max: 10_000 }), id: idArb, query: queryArb, body: fc.option(bodyArb, { nil: undefined }), headers: headerArb });

/** every v3 table's row count and its newest updated_at (where it has one): what a refusal must leave alone */
async function fingerprint(): Promise<string> {
  const counts = t.database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rect\\_%' ESCAPE '\\' ORDER BY name")
    .all() as { name: string }[];
  const parts: unknown[] = [];
  for (const { name } of counts) {
    const columns = (t.database.sqlite.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => c.name);
    const q = t.database.db.selectFrom(name as "rect_teachers").select(t.database.db.fn.countAll().as("n"));
    parts.push(name, await (columns.includes("updated_at") ? q.select(t.database.db.fn.max("updated_at").as("u")) : q).executeTakeFirst());
  }
  return JSON.stringify(parts);
}

/** RECT's refusal shapes: 401 and 404 `{"error"}`, 429 the throttle's text, every other 4xx `{"errors":[{title,detail}]}` */
function expectRectShape(status: number, text: string, where: string) {
  if (status === 429) return expect(text).toBe("Retry later\n");
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where} → ${status} is not JSON: ${text.slice(0, 200)}`);
  }
  // 401 `{"error":"HTTP Token: Access denied"}` and RECT's 404 `{"error":"Resource not found"}` (docs/reference/rect/rules.md §0, §1)
  if (status === 401 || (status === 404 && !Array.isArray(body.errors))) return expect({ where, error: typeof body.error }).toEqual({ where, error: "string" });
  expect({ where, errors: Array.isArray(body.errors) && body.errors.length > 0 }).toEqual({ where, errors: true });
  for (const e of body.errors) {
    expect({ where, title: typeof e.title, detail: typeof e.detail }).toEqual({ where, title: "string", detail: "string" });
    expect(e.detail).not.toContain("    at ");
  }
}

describe("fuzzing every v3 and admin v3 route (issue 20 item 4)", () => {
  test(`when ${RUNS} generated requests hit the routes, then none gets a 5xx, refusals are in RECT's shapes and write nothing, and the database is intact`, async () => {
    const all = routes();
    expect(all.filter((r) => r.path.startsWith("/api/v3/")).length).toBeGreaterThanOrEqual(25);
    expect(all.filter((r) => r.path.startsWith("/admin/v3/")).length).toBeGreaterThanOrEqual(15);
    const tokens: Record<string, string> = { a: refs.a!.api_token, b: refs.b!.api_token, admin: ADMIN_TOKEN };
    const statuses = new Map<number, number>();
    const hit = new Set<string>();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const route = all[r.route % all.length]!;
        const admin = route.path.startsWith("/admin/");
        const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
        const path = route.path.replace(/:[a-z_]+/g, () => r.id()) + (qs ? `?${qs}` : "");
        const headers: Record<string, string> = { accept: r.headers.accept };
        if (r.headers.contentType) headers["content-type"] = r.headers.contentType;
        // admin routes mostly get the admin token, so their validation is reached
        const auth = admin && r.headers.authorization === "a" ? "admin" : r.headers.authorization;
        if (tokens[auth]) headers.authorization = `Bearer ${tokens[auth]}`;
        else if (auth !== "none") headers.authorization = auth;
        if (r.headers.serverDate) headers["x-with-server-date"] = r.headers.serverDate;
        let body: string | undefined;
        if (r.body !== undefined && route.method !== "GET") {
          const b = r.body as any;
          body = b && typeof b === "object" && !Array.isArray(b) && "raw" in b && Object.keys(b).length === 1 ? String(b.raw) : JSON.stringify(b);
          body = body.replace(/"__ref_(\w+)__"/g, (_, ref: string) => JSON.stringify(String(refs[ref]?.id ?? ref)));
        }
        const before = await fingerprint();
        let response: Response;
        try {
          response = await t.app.handle(new Request(`http://localhost${path}`, { method: route.method, headers, body }));
        } catch (e) {
          if (e instanceof TypeError) return; // a URL the Request constructor refuses never reaches a server
          throw e;
        }
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        hit.add(`${route.method} ${route.path}`);
        const where = `${route.method} ${path.slice(0, 200)}`;
        if (response.status >= 500) {
          failures.push(`${where} → ${response.status} ${text.slice(0, 200)}\nbody: ${body?.slice(0, 300)}`);
          return;
        }
        if (response.status >= 400) {
          expectRectShape(response.status, text, where);
          expect({ where, unchanged: (await fingerprint()) === before }).toEqual({ where, unchanged: true });
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261207) },
    );
    expect(failures).toEqual([]);
    // every route was reached at least once (3000 runs over ~45 routes)
    expect(all.map((r) => `${r.method} ${r.path}`).filter((k) => !hit.has(k))).toEqual([]);
    expect(t.database.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    console.log(`fuzz v3: ${RUNS} requests over ${all.length} routes, statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])))}`);
  }, 600_000);
});
