/**
 * The callback chain of the live v2 controllers (docs/live-parity.md §2):
 * query parsing in Rails' instrumentation, then `authenticate`,
 * `check_access_scope`, `validate_filters` on every action, then the action.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { appWithProvider, declareStarted } from "../support/suite";

const FILTER_NOT_HASH = { errors: [{ title: "Bad parameter", detail: "Filter must be a hash" }] };
const MISSING_DATA = { errors: [{ title: "Bad request", detail: "correct json data structure required. See API docs for reference" }] };
const NOW = "2024-10-01T12:00:00Z";
const headers = { "x-with-server-date": NOW };

let t: TestApp;
let p: { id: string; token: string };
let participantId: string;
let declarationId: string;

beforeAll(async () => {
  ({ t, p } = await appWithProvider());
  participantId = (await t.newParticipant(p.id)).participant_id;
  const r = await declareStarted(t, p.token, participantId, NOW);
  declarationId = r.body.data.id;
});
afterAll(() => t.close());

const actionBody = { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } };

/** Every v2 action of the two lead-provider controllers, with a body it would accept. */
const ROUTES = (): Array<[string, string, unknown?]> => [
  ["GET", "/api/v2/participants/ecf"],
  ["GET", "/api/v2/participants/ecf.csv"],
  ["GET", `/api/v2/participants/ecf/${participantId}`],
  ["PUT", `/api/v2/participants/ecf/${participantId}/defer`, actionBody],
  ["PUT", `/api/v2/participants/ecf/${participantId}/resume`, actionBody],
  ["PUT", `/api/v2/participants/ecf/${participantId}/withdraw`, actionBody],
  ["PUT", `/api/v2/participants/ecf/${participantId}/change-schedule`, actionBody],
  ["GET", "/api/v2/participant-declarations"],
  ["GET", "/api/v2/participant-declarations.csv"],
  ["GET", `/api/v2/participant-declarations/${declarationId}`],
  ["POST", "/api/v2/participant-declarations", { data: { attributes: {} } }],
  ["PUT", `/api/v2/participant-declarations/${declarationId}/void`],
];

describe("validate_filters (app/controllers/concerns/api_filter_validation.rb:6-8,26-39)", () => {
  test("when any action gets ?filter=x, then 400 Filter must be a hash and nothing changes (validate_filters runs on every action)", async () => {
    for (const [method, path, body] of ROUTES()) {
      const r = await t.call(method, `${path}?filter=x`, { token: p.token, body, headers });
      expect({ method, path, status: r.status, body: r.body }).toEqual({ method, path, status: 400, body: FILTER_NOT_HASH });
    }
    const one = await t.call("GET", `/api/v2/participants/ecf/${participantId}`, { token: p.token });
    expect(one.body.data.attributes.training_status).toBe("active");
    const declaration = await t.call("GET", `/api/v2/participant-declarations/${declarationId}`, { token: p.token });
    expect(declaration.body.data.attributes.state).not.toBe("voided");
  });

  test("when a PUT or POST body carries a filter that is not a hash, then the same 400, before the missing-data one (validate_filters reads the body's filter too)", async () => {
    for (const filter of ["x", 5, [], ["2021"]]) {
      const defer = await t.call("PUT", `/api/v2/participants/ecf/${participantId}/defer`, { token: p.token, headers, body: { filter } });
      expect({ filter, status: defer.status, body: defer.body }).toEqual({ filter, status: 400, body: FILTER_NOT_HASH });
      const post = await t.call("POST", "/api/v2/participant-declarations", { token: p.token, headers, body: { filter, data: {} } });
      expect({ filter, status: post.status, body: post.body }).toEqual({ filter, status: 400, body: FILTER_NOT_HASH });
      const voided = await t.call("PUT", `/api/v2/participant-declarations/${declarationId}/void`, { token: p.token, headers, body: { filter } });
      expect({ filter, status: voided.status, body: voided.body }).toEqual({ filter, status: 400, body: FILTER_NOT_HASH });
    }
    // a hash, null, or a query `filter` (the query wins the merge) pass this check
    for (const body of [{ filter: {} }, { filter: null }, { filter: { cohort: "2021" } }]) {
      const r = await t.call("PUT", `/api/v2/participants/ecf/${participantId}/defer`, { token: p.token, headers, body });
      expect({ body, status: r.status, answer: r.body }).toEqual({ body, status: 400, answer: MISSING_DATA });
    }
    const queryWins = await t.call("PUT", `/api/v2/participants/ecf/${participantId}/defer?filter[cohort]=2024`, { token: p.token, headers, body: { filter: "x" } });
    expect(queryWins.body).toEqual(MISSING_DATA);
  });
});

describe("params parse the JSON body on every action (api_filter_validation.rb:23)", () => {
  test("when a void carries a malformed JSON body, then 400 and the declaration stays; an empty or non-JSON body is not parsed", async () => {
    const q = await t.newParticipant(p.id);
    const declared = await declareStarted(t, p.token, q.participant_id, NOW);
    const path = `/api/v2/participant-declarations/${declared.body.data.id}/void`;
    const bad = await t.call("PUT", path, { token: p.token, headers: { ...headers, "content-type": "application/json" }, body: "{" });
    expect({ status: bad.status, title: bad.body.errors[0].title }).toEqual({ status: 400, title: "Bad request" });
    const text = await t.call("PUT", path, { token: p.token, headers: { ...headers, "content-type": "text/plain" }, body: "{" });
    expect(text.status).toBe(200);
    expect(text.body.data.attributes.state).toBe("voided");
  });
});

describe("authenticate and check_access_scope (app/controllers/concerns/api_token_authenticatable.rb:11-15,48-50)", () => {
  test("when a request has a bad filter and no or a bad token, then 401 (authentication runs before filter validation)", async () => {
    for (const [method, path, body] of ROUTES()) {
      for (const token of [null, "not-a-token"]) {
        const r = await t.call(method, `${path}?filter=x`, { token, body, headers });
        expect({ path, token, status: r.status, body: r.body }).toEqual({ path, token, status: 401, body: { error: "HTTP Token: Access denied" } });
      }
    }
  });

  test("when a request has a bad filter and a token that is not a lead provider's, then 403 with an empty body (check_access_scope runs before filter validation)", async () => {
    for (const [method, path, body] of ROUTES()) {
      const r = await t.request(method, `${path}?filter=x`, { token: "test-admin-token", body, headers });
      expect({ path, status: r.status, text: await r.text() }).toEqual({ path, status: 403, text: "" });
    }
  });

  test("when the query string cannot be nested (a=1&a[b]=2), then 400 even without a token (an unparseable query string is refused before authentication)", async () => {
    for (const [method, path, body] of ROUTES()) {
      for (const token of [null, p.token]) {
        const r = await t.call(method, `${path}?a=1&a[b]=2`, { token, body, headers });
        expect({ path, token, status: r.status, title: r.body?.errors?.[0]?.title }).toEqual({ path, token, status: 400, title: "Bad request" });
      }
    }
  });
});

describe("formats (config/routes.rb:82; respond_to in the index actions)", () => {
  test("when a route is called with .json, then it answers as without it", async () => {
    for (const path of [
      "/api/v2/participants/ecf",
      "/api/v2/participants",
      `/api/v2/participants/ecf/${participantId}`,
      "/api/v2/participant-declarations",
      `/api/v2/participant-declarations/${declarationId}`,
    ]) {
      const plain = await t.call("GET", path, { token: p.token });
      const json = await t.call("GET", `${path}.json`, { token: p.token });
      expect({ path, status: json.status, body: json.body }).toEqual({ path, status: plain.status, body: plain.body });
      expect(json.response.headers.get("content-type")).toBe("application/vnd.api+json");
    }
  });

  test("when the Accept header asks for CSV, XML or anything, then the format still comes from the path (the route's default format is json)", async () => {
    for (const accept of ["text/csv", "application/xml", "text/html", "*/*"]) {
      const r = await t.request("GET", "/api/v2/participants/ecf", { token: p.token, headers: { accept } });
      expect({ accept, status: r.status, type: r.headers.get("content-type") }).toEqual({ accept, status: 200, type: "application/vnd.api+json" });
      const csv = await t.request("GET", "/api/v2/participants/ecf.csv", { token: p.token, headers: { accept: accept === "text/csv" ? "application/json" : accept } });
      expect({ accept, status: csv.status, type: csv.headers.get("content-type") }).toEqual({ accept, status: 200, type: "text/csv" });
    }
  });

  test("when a list is asked for an unsupported format, then 406 after authentication (UnknownFormat in respond_to)", async () => {
    for (const path of ["/api/v2/participants/ecf.xml", "/api/v2/participants.html", "/api/v2/participant-declarations.txt"]) {
      const anonymous = await t.call("GET", path);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      const badFilter = await t.call("GET", `${path}?filter=x`, { token: p.token });
      expect({ path, status: badFilter.status, body: badFilter.body }).toEqual({ path, status: 400, body: FILTER_NOT_HASH });
      const r = await t.request("GET", path, { token: p.token });
      expect({ path, status: r.status, text: await r.text() }).toEqual({ path, status: 406, text: "" });
    }
  });

  test("when show or an action is called with another format, then it answers JSON (render json ignores the format)", async () => {
    const show = await t.call("GET", `/api/v2/participants/ecf/${participantId}.csv`, { token: p.token });
    expect(show.status).toBe(200);
    expect(show.response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(show.body.data.id).toBe(participantId);
    const declaration = await t.call("GET", `/api/v2/participant-declarations/${declarationId}.xml`, { token: p.token });
    expect(declaration.status).toBe(200);
    expect(declaration.body.data.id).toBe(declarationId);
    const q = await t.newParticipant(p.id);
    const deferred = await t.call("PUT", `/api/v2/participants/ecf/${q.participant_id}/defer.csv`, { token: p.token, headers, body: actionBody });
    expect(deferred.status).toBe(200);
    expect(deferred.body.data.attributes.training_status).toBe("deferred");
  });
});

describe("a request routed again without its format suffix (src/http/format.ts)", () => {
  test("when a request with a format suffix is answered, then the request log keeps it once, as the client sent it, with its body", async () => {
    const log = await createTestApp();
    try {
      const lp = await log.newProvider();
      const q = await log.newParticipant(lp.id);
      const body = { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } };
      await log.call("PUT", `/api/v2/participants/ecf/${q.participant_id}/defer.json`, { token: lp.token, headers, body });
      await log.call("GET", "/api/v2/participants/ecf.xml", { token: lp.token });
      const r = await log.admin("GET", "/admin/requests");
      const entries = r.body.data.map((e: any) => ({ method: e.method, path: e.path, status: e.status, body: e.request_body }));
      expect(entries).toEqual([
        { method: "GET", path: "/api/v2/participants/ecf.xml", status: 406, body: null },
        { method: "PUT", path: `/api/v2/participants/ecf/${q.participant_id}/defer.json`, status: 200, body: JSON.stringify(body) },
      ]);
    } finally {
      await log.close();
    }
  });
});
