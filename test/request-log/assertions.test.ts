/**
 * Assertions over the request log (docs/reference/sandbox-contract.md, "Verifying requests"):
 * POST /admin/requests/find, GET /admin/requests/{id}/curl, GET /admin/requests.har,
 * and "a request is in the log before its answer is sent".
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import draft6 from "ajv/dist/refs/json-schema-draft-06.json";
// @ts-expect-error har-schema ships JSON schemas without type declarations
import * as harSchema from "har-schema";
import { type TestApp, createTestApp, ADMIN_TOKEN } from "../support/app";
import { type ServerProcess, startServerProcess } from "../support/server-process";
import { containsJson } from "../../src/modules/request-log/service";

const NOW = "2024-10-01T12:00:00Z";
const DECLARATIONS = "/api/v2/participant-declarations";

let t: TestApp;
let provider: { id: string; name: string; token: string };
let other: { id: string; name: string; token: string };
let participantId: string;

const declaration = (participant: string, type = "started") => ({
  data: {
    type: "participant-declaration",
    attributes: { participant_id: participant, declaration_type: type, declaration_date: "2024-09-15T10:00:00Z", course_identifier: "ecf-induction" },
  },
});

beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider("Find provider");
  other = await t.newProvider("Other provider");
  participantId = (await t.newParticipant(provider.id)).participant_id;
});
afterAll(() => t.close());

describe("containsJson (the find's request_body match)", () => {
  test("when objects are compared, then every key given must match recursively; extra keys are fine", () => {
    expect(containsJson({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(containsJson({ a: 1, b: { c: 2 } }, { b: { c: 3 } })).toBe(false);
    expect(containsJson({ a: 1 }, { z: undefined })).toBe(false);
  });
  test("when arrays or scalars are compared, then they must be equal", () => {
    expect(containsJson({ list: [1, { x: 1 }] }, { list: [1, { x: 1 }] })).toBe(true);
    expect(containsJson({ list: [1, { x: 1, y: 2 }] }, { list: [1, { x: 1 }] })).toBe(false);
    expect(containsJson({ list: [1, 2] }, { list: [1] })).toBe(false);
    expect(containsJson("started", "started")).toBe(true);
    expect(containsJson(null, {})).toBe(false);
  });
});

describe("POST /admin/requests/find", () => {
  beforeAll(async () => {
    await t.admin("DELETE", "/admin/requests");
    const first = await t.call("POST", DECLARATIONS, { token: provider.token, headers: { "x-with-server-date": NOW }, body: declaration(participantId) });
    expect(first.status).toBe(200);
    // the same again: the live duplicate refusal
    expect((await t.call("POST", DECLARATIONS, { token: provider.token, headers: { "x-with-server-date": NOW }, body: declaration(participantId) })).status).toBe(422);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: provider.token })).status).toBe(200);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: other.token })).status).toBe(200);
  });

  test("when a JSON-subset of the body is asked, then exactly the requests whose body contains it are counted", async () => {
    const r = await t.admin("POST", "/admin/requests/find", {
      method: "POST",
      path: DECLARATIONS,
      request_body: { data: { attributes: { participant_id: participantId, declaration_type: "started" } } },
    });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
    expect(r.body.data.map((x: any) => x.status)).toEqual([422, 200]);
    const none = await t.admin("POST", "/admin/requests/find", { request_body: { data: { attributes: { declaration_type: "completed" } } } });
    expect(none.body).toEqual({ count: 0, data: [] });
  });

  test("when status, a path pattern, a provider and a limit are given, then count is every match and data the newest limit", async () => {
    const ok = await t.admin("POST", "/admin/requests/find", { path: "/api/v2/*", status: "2xx" });
    expect(ok.body.count).toBe(3);
    const limited = await t.admin("POST", "/admin/requests/find", { path: "/api/v2/*", status: "2xx", limit: 1 });
    expect(limited.body.count).toBe(3);
    expect(limited.body.data).toHaveLength(1);
    expect(limited.body.data[0].lead_provider_id).toBe(other.id);
    const mine = await t.admin("POST", "/admin/requests/find", { lead_provider_id: provider.id, status: 422 });
    expect(mine.body.count).toBe(1);
    expect(mine.body.data[0].errors[0]).toStartWith("base: ");
    const pattern = await t.admin("POST", "/admin/requests/find", { path: "/api/v2/participants*" });
    expect(pattern.body.count).toBe(2);
    expect((await t.admin("POST", "/admin/requests/find", { path: "/api/v2/participants" })).body.count).toBe(0);
  });

  test("when a field is bad, then 422 naming it, and a provider's token is refused", async () => {
    for (const [body, field] of [
      [{ limit: 0 }, "limit"],
      [{ limit: 1001 }, "limit"],
      [{ status: "6xx" }, "status"],
      [{ method: "PO ST" }, "method"],
      [{ since: "yesterday" }, "since"],
      [{ path: "" }, "path"],
    ] as const) {
      const r = await t.admin("POST", "/admin/requests/find", body);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe(field);
    }
    expect((await t.call("POST", "/admin/requests/find", { token: provider.token, body: {} })).status).toBe(401);
  });
});

describe("GET /admin/requests.har", () => {
  test("when the log is exported, then it is valid HAR 1.2 (har-schema) with the token replaced by $TOKEN", async () => {
    const response = await t.request("GET", "/admin/requests.har?path_prefix=/api/v2/", { token: ADMIN_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    const text = await response.text();
    for (const token of [provider.token, other.token, ADMIN_TOKEN]) expect(text).not.toContain(token);
    const har = JSON.parse(text);
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft6);
    // the formats har-schema names (ajv 8 ships none)
    ajv.addFormat("date-time", (v: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)));
    ajv.addFormat("uri", (v: string) => URL.canParse(v));
    ajv.addFormat("ipv4", /^(\d{1,3}\.){3}\d{1,3}$/);
    ajv.addFormat("ipv6", /^[0-9a-f:]+$/i);
    for (const [name, schema] of Object.entries(harSchema)) if (name !== "default") ajv.addSchema(schema as object, `${name}.json`);
    const validate = ajv.getSchema("har.json")!;
    expect(validate(har) ? [] : validate.errors).toEqual([]);
    expect(har.log.version).toBe("1.2");
    expect(har.log.entries.length).toBeGreaterThanOrEqual(4);
    const post = har.log.entries.find((e: any) => e.request.method === "POST");
    expect(post.request.headers).toContainEqual({ name: "authorization", value: "Bearer $TOKEN" });
    expect(JSON.parse(post.request.postData.text)).toEqual(declaration(participantId));
    // oldest first, as a browser's network panel lists them
    const times = har.log.entries.map((e: any) => e.startedDateTime);
    expect([...times].sort()).toEqual(times);
  });
});

describe("over a real socket", () => {
  let server: ServerProcess;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let token = "";
  let participant = "";
  beforeAll(async () => {
    server = await startServerProcess({ DATABASE_PATH: ":memory:", ADMIN_TOKEN, REQUEST_LOG_SIZE: "1000" });
    const lp: any = await (await fetch(`${server.url}/admin/lead-providers`, { method: "POST", headers: admin, body: JSON.stringify({ name: "Socket provider" }) })).json();
    token = lp.api_token;
    const p: any = await (
      await fetch(`${server.url}/admin/participants`, {
        method: "POST",
        headers: admin,
        body: JSON.stringify({ lead_provider_id: lp.id, participant_type: "ect", cohort: 2024 }),
      })
    ).json();
    participant = p.participant_id;
  }, 30_000);
  afterAll(() => server?.stop());

  test("when each answer has just arrived, then the log already holds its request (50 requests, one at a time)", async () => {
    for (let i = 0; i < 50; i++) {
      const kind = i % 3;
      const response =
        kind === 0
          ? await fetch(`${server.url}/api/v2/participants/ecf?n=${i}`, { headers: { authorization: `Bearer ${token}` } })
          : kind === 1
            ? await fetch(`${server.url}/api/v2/participant-declarations?n=${i}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" })
            : await fetch(`${server.url}/api/v2/participants/ecf/nope?n=${i}`, { headers: { authorization: "Bearer wrong" } });
      await response.arrayBuffer();
      const last: any = await (await fetch(`${server.url}/admin/requests?limit=1`, { headers: admin })).json();
      expect(last.data[0].query).toBe(`n=${i}`);
      expect(last.data[0].status).toBe(response.status);
    }
  });

  test("when a request's curl command is run with TOKEN set, then it sends the same request again and gets the same status", async () => {
    const post = await fetch(`${server.url}/api/v2/participant-declarations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-with-server-date": NOW },
      body: JSON.stringify(declaration(participant)),
    });
    expect(post.status).toBe(200);
    const list = await fetch(`${server.url}/api/v2/participants/ecf?page[per_page]=1&filter[cohort]=2024`, { headers: { authorization: `Token token="${token}"` } });
    expect(list.status).toBe(200);
    const found: any = await (
      await fetch(`${server.url}/admin/requests/find`, { method: "POST", headers: admin, body: JSON.stringify({ path: "/api/v2/*", status: 200, limit: 2 }) })
    ).json();
    const [listRecord, postRecord] = found.data;
    for (const [record, expected] of [
      [postRecord, 422], // the same declaration again: the live duplicate refusal
      [listRecord, 200],
    ] as const) {
      const curl = await fetch(`${server.url}/admin/requests/${record.id}/curl`, { headers: admin });
      expect(curl.status).toBe(200);
      expect(curl.headers.get("content-type")).toStartWith("text/plain");
      const command = await curl.text();
      expect(command).toStartWith("curl -g");
      expect(command).not.toContain(token);
      const run = Bun.spawnSync(["sh", "-c", `${command.trim()} -o /dev/null -w '%{http_code}'`], { env: { ...process.env, TOKEN: token } });
      expect(run.stdout.toString()).toBe(String(expected));
    }
    const unknown = await fetch(`${server.url}/admin/requests/999999/curl`, { headers: admin });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].title).toBe("Not found");
  });
});
