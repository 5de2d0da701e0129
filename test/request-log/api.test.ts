import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp, ADMIN_TOKEN } from "../support/app";
import { RequestLog, BODY_LIMIT_BYTES, DROPPED_BODY } from "../../src/modules/request-log/service";
import { ConfigError, loadConfig } from "../../src/config";

const NOW = "2024-10-01T12:00:00Z";
const DECLARATIONS = "/api/v2/participant-declarations";

let t: TestApp;
let provider: { id: string; name: string; token: string };
let participantId: string;

/** a request is in the log before its answer is sent, so the log is read at once */
function requests(query = "") {
  return t.admin("GET", `/admin/requests${query}`);
}

beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider("Log provider");
  participantId = (await t.newParticipant(provider.id)).participant_id;
});
afterAll(() => t.close());

async function failingDeclaration() {
  return t.call("POST", DECLARATIONS, {
    token: provider.token,
    headers: { "x-with-server-date": NOW },
    body: { data: { type: "participant-declaration", attributes: { participant_id: participantId, declaration_type: "started", course_identifier: "ecf-induction" } } },
  });
}

describe("request log (docs/reference/sandbox-contract.md, Request log)", () => {
  test("when a declaration POST is refused, then it is recorded with its bodies and the reasons from the error that answered", async () => {
    await t.admin("DELETE", "/admin/requests");
    const answer = await failingDeclaration();
    expect(answer.status).toBe(422);
    const list = await requests();
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    const r = list.body.data[0];
    expect(Object.keys(r)).toEqual(["id", "time", "lead_provider_id", "lead_provider_name", "method", "path", "query", "status", "duration_ms", "request_body", "response_body", "errors", "fault", "request_headers", "now", "now_source", "token_kind", "hint"]);
    expect(r).toMatchObject({ lead_provider_id: provider.id, lead_provider_name: "Log provider", method: "POST", path: DECLARATIONS, query: "", status: 422 });
    expect(JSON.parse(r.request_body).data.attributes.participant_id).toBe(participantId);
    expect(JSON.parse(r.response_body)).toEqual(answer.body);
    expect(r.errors).toEqual(answer.body.errors.map((e: any) => `${e.title}: ${e.detail}`));
    expect(r.errors).toContain("declaration_date: Enter a '#/declaration_date'.");
    expect(typeof r.duration_ms).toBe("number");
    expect(Date.parse(r.time)).toBeGreaterThan(Date.now() - 60_000);
    const one = await t.admin("GET", `/admin/requests/${r.id}`);
    expect(one).toEqual({ status: 200, body: { data: r } });
  });

  test("when a read succeeds, then its query and JSON answer are recorded (also when gzipped) and errors is []", async () => {
    await t.admin("DELETE", "/admin/requests");
    const plain = await t.call("GET", "/api/v2/participants/ecf?page[per_page]=1", { token: provider.token });
    const zipped = await t.request("GET", "/api/v2/participants/ecf?page[per_page]=1", { token: provider.token, headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const { body } = await requests();
    expect(body.data).toHaveLength(2);
    for (const r of body.data) {
      expect(r).toMatchObject({ method: "GET", path: "/api/v2/participants/ecf", query: "page[per_page]=1", status: 200, request_body: null, errors: [] });
      expect(JSON.parse(r.response_body)).toEqual(plain.body);
    }
  });

  test("when a POST succeeds, then its answer is recorded from a copy of the response", async () => {
    await t.admin("DELETE", "/admin/requests");
    const answer = await t.call("POST", DECLARATIONS, {
      token: provider.token,
      headers: { "x-with-server-date": NOW },
      body: { data: { type: "participant-declaration", attributes: { participant_id: participantId, declaration_type: "started", declaration_date: "2024-09-20T10:00:00Z", course_identifier: "ecf-induction" } } },
    });
    expect(answer.status).toBe(200);
    const { body } = await requests();
    expect(body.data[0]).toMatchObject({ status: 200, errors: [] });
    expect(JSON.parse(body.data[0].response_body)).toEqual(answer.body);
  });

  test("when a path has a format suffix (.json), then the request is recorded once, with the path the client sent", async () => {
    await t.admin("DELETE", "/admin/requests");
    const answer = await t.call("GET", `${DECLARATIONS}.json?page[per_page]=1`, { token: provider.token });
    expect(answer.status).toBe(200);
    const { body } = await requests();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ path: `${DECLARATIONS}.json`, query: "page[per_page]=1", status: 200, lead_provider_id: provider.id });
    expect(JSON.parse(body.data[0].response_body)).toEqual(answer.body);
  });

  test("when tokens are unknown, missing or the admin's, then no token or Authorization value is stored and lead_provider_id is null", async () => {
    await t.admin("DELETE", "/admin/requests");
    const secret = "sekret-token-value-123";
    await t.call("POST", DECLARATIONS, { token: secret, body: { data: { attributes: {} } } });
    await t.call("GET", "/api/v2/participants/ecf", {});
    await t.call("GET", "/api/v2/participants/ecf", { token: ADMIN_TOKEN });
    await t.call("GET", "/api/v2/participants/ecf", { token: provider.token, headers: { "x-request-id": "abc" } });
    const { body } = await requests();
    expect(body.data.map((r: any) => [r.status, r.lead_provider_id])).toEqual([[200, provider.id], [403, null], [401, null], [401, null]]);
    expect(body.data[3].errors).toEqual(["HTTP Token: Access denied"]);
    // the refused POST's body was never read by a handler, yet it is recorded
    expect(JSON.parse(body.data[3].request_body)).toEqual({ data: { attributes: {} } });
    const everything = JSON.stringify(body);
    for (const value of [secret, ADMIN_TOKEN, provider.token]) expect(everything).not.toContain(value);
    // the Authorization header is shown only as its scheme and $TOKEN
    expect(everything.match(/Bearer [^$]/g)).toBeNull();
    expect(body.data[0].request_headers.authorization).toBe("Bearer $TOKEN");
  });

  test("when the filters are used, then they select by provider, status (exact or class), method, path prefix and since", async () => {
    await t.admin("DELETE", "/admin/requests");
    const other = await t.newProvider();
    const before = new Date(Date.now() - 1000).toISOString();
    await failingDeclaration();
    await t.call("GET", `${DECLARATIONS}?page[per_page]=5`, { token: other.token });
    await t.call("GET", "/api/v2/participants/ecf/00000000-0000-4000-8000-000000000000", { token: provider.token });
    await t.call("GET", "/api/v2/nowhere", { token: provider.token });
    await t.call("GET", "/api/v2/participants/ecf.json.x", { token: provider.token });
    await t.admin("GET", "/admin/lead-providers"); // not /api/: not recorded
    const paths = async (q: string) => (await requests(q)).body.data.map((r: any) => `${r.status} ${r.method} ${r.path}`);
    expect(await paths("")).toEqual([
      "404 GET /api/v2/participants/ecf.json.x",
      "404 GET /api/v2/nowhere",
      "404 GET /api/v2/participants/ecf/00000000-0000-4000-8000-000000000000",
      `200 GET ${DECLARATIONS}`,
      `422 POST ${DECLARATIONS}`,
    ]);
    expect(await paths(`?lead_provider_id=${other.id}`)).toEqual([`200 GET ${DECLARATIONS}`]);
    expect(await paths("?status=4xx")).toHaveLength(4);
    expect(await paths("?status=422")).toEqual([`422 POST ${DECLARATIONS}`]);
    expect(await paths("?method=post")).toEqual([`422 POST ${DECLARATIONS}`]);
    expect(await paths("?path_prefix=/api/v2/participants")).toHaveLength(2);
    expect(await paths("?limit=2")).toHaveLength(2);
    expect(await paths(`?since=${before}`)).toHaveLength(5);
    expect(await paths(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
  });

  test("when a filter value is bad, then 422 naming the field", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=1001", "limit"],
      ["limit=ten", "limit"],
      ["status=6xx", "status"],
      ["status=42", "status"],
      ["since=yesterday", "since"],
      ["method=P%20OST", "method"],
    ]) {
      const r = await t.admin("GET", `/admin/requests?${query}`);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe(field);
    }
  });

  test("when a record is unknown, then 404 in the errors shape; DELETE empties the log; a lead provider's token is refused", async () => {
    expect((await t.admin("GET", "/admin/requests/999999")).status).toBe(404);
    expect((await t.admin("GET", "/admin/requests/abc")).body.errors[0].title).toBe("Not found");
    expect((await t.call("GET", "/admin/requests", { token: provider.token })).status).toBe(401);
    await failingDeclaration();
    expect((await requests()).body.data.length).toBeGreaterThan(0);
    const cleared = await t.admin("DELETE", "/admin/requests");
    expect(cleared.status).toBe(200);
    expect(cleared.body.deleted).toBeGreaterThan(0);
    expect((await requests()).body.data).toEqual([]);
  });

  test("when REQUEST_LOG_SIZE is 0, then nothing is recorded and the list is empty", async () => {
    const off = await createTestApp({ requestLogSize: 0 });
    try {
      const p = await off.newProvider();
      await off.call("GET", "/api/v2/participants/ecf", { token: p.token });

      expect(await off.admin("GET", "/admin/requests")).toEqual({ status: 200, body: { data: [] } });
    } finally {
      await off.close();
    }
  });

  test("when the routes are documented, then /api-docs/json lists them with their parameters", async () => {
    const spec = (await t.call("GET", "/api-docs/json")).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/admin/requests", "/admin/requests/{id}"]));
    const names = spec.paths["/admin/requests"].get.parameters.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(["lead_provider_id", "status", "method", "path_prefix", "since", "limit"]));
    expect(spec.paths["/admin/requests"].delete).toBeDefined();
  });
});

describe("request log ring", () => {
  const entry = (n: number, body: string | null = null) => ({
    id: n,
    time: n,
    providerId: null,
    method: "GET",
    url: `http://x/api/v2/${n}`,
    status: 200,
    durationMs: 1,
    requestBody: body,
    responseBody: null,
    error: null,
  });

  test("when more than its size is recorded, then only the last recorded are kept, newest arrival first", () => {
    const log = new RequestLog(3);
    // 2 arrived before 1 was answered
    for (const n of [2, 1, 3, 5, 4]) log.record(entry(n));
    expect(log.newestFirst().map((r) => r.id)).toEqual([5, 4, 3]);
    expect(log.get(1)).toBeNull();
    expect(log.get(4)?.id).toBe(4);
    expect(log.clear()).toBe(3);
    expect(log.newestFirst()).toEqual([]);
    expect(log.get(4)).toBeNull();
    log.record(entry(6));
    expect(log.newestFirst().map((r) => r.id)).toEqual([6]);
  });

  test("when a body is over 64 KiB, then its first 64 KiB are kept without splitting a character", () => {
    const log = new RequestLog(2);
    const long = "é".repeat(BODY_LIMIT_BYTES); // 2 bytes each
    const kept = log.keep(long) as Uint8Array;
    expect(kept.byteLength).toBe(BODY_LIMIT_BYTES);
    expect(new TextDecoder().decode(kept)).toBe("é".repeat(BODY_LIMIT_BYTES / 2));
    expect(log.keep("short")).toBe("short");
    expect(log.keep("")).toBeNull();
  });

  test("when a body comes as UTF-8 bytes, then it is kept by reference up to 64 KiB and cut as its text would be beyond", () => {
    const log = new RequestLog(2);
    const small = new TextEncoder().encode('{"data":["é ✓ 😀"]}');
    expect(log.keep(small)).toBe(small);
    expect(log.keep(new Uint8Array(0))).toBeNull();
    for (const text of ["é".repeat(BODY_LIMIT_BYTES), "a" + "😀".repeat(BODY_LIMIT_BYTES / 4), "ab" + "✓".repeat(BODY_LIMIT_BYTES / 3)]) {
      const bytes = new TextEncoder().encode(text);
      const kept = log.keep(bytes) as Uint8Array;
      expect(kept).toEqual(log.keep(text) as Uint8Array);
      expect(log.keep(bytes)).toBe(kept);
      // a copy: a kept cut never holds the whole page's buffer
      expect(kept.buffer.byteLength).toBe(kept.byteLength);
    }
    const page = Buffer.from(JSON.stringify({ data: "x".repeat(200_000) }));
    expect((log.keep(page) as Uint8Array).buffer.byteLength).toBe(BODY_LIMIT_BYTES);
    const view = Buffer.from(new TextEncoder().encode('{"data":[]}' + " ".repeat(100))).subarray(0, 11);
    const keptView = log.keep(view) as Uint8Array;
    expect(new TextDecoder().decode(keptView)).toBe('{"data":[]}');
    expect(keptView.buffer.byteLength).toBe(11);
  });

  test("when the bodies pass the budget, then the oldest records lose theirs first", () => {
    const log = new RequestLog(10, 25);
    for (let n = 1; n <= 4; n++) log.record(entry(n, "0123456789"));
    const bodies = log.newestFirst().map((r) => r.requestBody === DROPPED_BODY ? "dropped" : r.requestBody);
    expect(bodies.slice(0, 1)).toEqual(["0123456789"]);
    expect(bodies.at(-1)).toBe("dropped");
  });
});

describe("requests answered before routing", () => {
  test("when the rate limit answers 429, then the request is recorded with its status and no token", async () => {
    const { openDatabase } = await import("../../db/connection");
    const { prepareDatabase } = await import("../../src/bootstrap");
    const { createApp } = await import("../../src/app");
    const { FixedWindowRateLimiter } = await import("../../src/http/rate-limit");
    const database = openDatabase(":memory:");
    try {
      await prepareDatabase(database.db, { seed: "none", adminToken: ADMIN_TOKEN });
      const app = createApp({ db: database.db, rateLimit: new FixedWindowRateLimiter(1) });
      const get = (token: string, path = "/api/v2/participants/ecf") => app.handle(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }));
      await get("some-token");
      expect((await get("some-token")).status).toBe(429);

      const list = (await (await get(ADMIN_TOKEN, "/admin/requests")).json()) as any;
      expect(list.data.map((r: any) => r.status)).toEqual([429, 401]);
      expect(list.data[0].response_body).toBe("Retry later\n");
      expect(JSON.stringify(list)).not.toContain("some-token");
    } finally {
      await database.close();
    }
  });
});

describe("REQUEST_LOG_SIZE", () => {
  test("when it is unset, then 10000; when set, then that size, 0 = off; a bad value stops start-up naming it", () => {
    expect(loadConfig({ DATABASE_PATH: ":memory:" }).requestLogSize).toBe(10_000);
    expect(loadConfig({ DATABASE_PATH: ":memory:", REQUEST_LOG_SIZE: "0" }).requestLogSize).toBe(0);
    expect(loadConfig({ DATABASE_PATH: ":memory:", REQUEST_LOG_SIZE: "250" }).requestLogSize).toBe(250);
    for (const bad of ["-1", "ten", "1.5", "2000000"]) {
      expect(() => loadConfig({ DATABASE_PATH: ":memory:", REQUEST_LOG_SIZE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_PATH: ":memory:", REQUEST_LOG_SIZE: bad })).toThrow(/^REQUEST_LOG_SIZE/);
    }
  });
});
