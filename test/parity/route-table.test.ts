/**
 * The whole live v2 route table (config/routes.rb:82-128 at 9123fbfcd), method
 * by method and path by path, with Rails' `(.:format)` suffix and the removed
 * aliases: for each, the status the live code gives (with a lead provider's
 * token, and without a token) and the status the sandbox gives. Where the live
 * status is a framework accident, `sandbox` says what we answer instead
 * (docs/live-parity.md §1, README "Differences from the live service").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../support/app";
import { appWithProvider, declareStarted, startedDeclaration } from "../support/suite";

interface Row {
  method: string;
  /** `{id}`: a participant's id; `{decl}`: one of the caller's declarations */
  path: string;
  /** the live status with the provider's token and a valid body */
  live: number;
  /** the live status without a token */
  liveNoToken: number;
  /** ours, where it differs from live (policy) */
  sandbox?: number;
  sandboxNoToken?: number;
  /** why live answers so: file:line or the framework rule */
  why: string;
}

const OK = 200;
const ACTIONS = ["withdraw", "defer", "resume", "change-schedule"] as const;

// Registered formats (actionpack mime_types.rb) that the list's `respond_to` has no block for: 406 after authentication.
const OTHER_FORMATS = ["xml", "html", "txt", "pdf", "yaml"];

export const ROUTE_TABLE: Row[] = [
  // --- GET /participants/ecf(.:format): v2/ecf_participants#index (routes.rb:112, ecf_participants_controller.rb:20-30)
  { method: "GET", path: "/api/v2/participants/ecf", live: OK, liveNoToken: 401, why: "index" },
  { method: "GET", path: "/api/v2/participants/ecf/", live: OK, liveNoToken: 401, why: "Journey drops a trailing slash" },
  { method: "HEAD", path: "/api/v2/participants/ecf", live: OK, liveNoToken: 401, why: "HEAD is routed as GET" },
  { method: "GET", path: "/api/v2/participants/ecf.json", live: OK, liveNoToken: 401, why: "format.json" },
  { method: "HEAD", path: "/api/v2/participants/ecf.json", live: OK, liveNoToken: 401, why: "HEAD is routed as GET" },
  { method: "HEAD", path: "/api/v2/participants/ecf.csv", live: OK, liveNoToken: 401, why: "HEAD is routed as GET" },
  { method: "GET", path: "/api/v2/participants/ecf.csv", live: OK, liveNoToken: 401, why: "format.csv" },
  ...OTHER_FORMATS.map((f) => ({ method: "GET", path: `/api/v2/participants/ecf.${f}`, live: 406, liveNoToken: 401, why: "respond_to: UnknownFormat" })),
  { method: "GET", path: "/api/v2/participants/ecf.foo", live: 406, liveNoToken: 401, why: "unregistered extension: no format (Mime::NullType), respond_to: UnknownFormat" },
  { method: "GET", path: "/api/v2/participants/ecf.JSON", live: 406, liveNoToken: 401, why: "extension lookup is case-sensitive: no format" },
  { method: "GET", path: "/api/v2/participants/ecf.json.csv", live: 404, liveNoToken: 404, why: "a format holds no dot: no route" },
  { method: "POST", path: "/api/v2/participants/ecf", live: 404, liveNoToken: 404, why: "only: %i[index show]" },
  { method: "PUT", path: "/api/v2/participants/ecf", live: 404, liveNoToken: 404, why: "no route" },
  { method: "DELETE", path: "/api/v2/participants/ecf", live: 404, liveNoToken: 404, why: "no route" },
  { method: "OPTIONS", path: "/api/v2/participants/ecf", live: 404, liveNoToken: 404, why: "no route, no CORS middleware" },

  // --- GET /participants(.:format): alias of the index (routes.rb:115)
  { method: "GET", path: "/api/v2/participants", live: OK, liveNoToken: 401, why: "resources :participants, only: index, controller: ecf_participants" },
  { method: "GET", path: "/api/v2/participants.json", live: OK, liveNoToken: 401, why: "format.json" },
  { method: "GET", path: "/api/v2/participants.csv", live: OK, liveNoToken: 401, why: "format.csv" },
  { method: "GET", path: "/api/v2/participants.xml", live: 406, liveNoToken: 401, why: "respond_to: UnknownFormat" },
  { method: "POST", path: "/api/v2/participants", live: 404, liveNoToken: 404, why: "only: index" },

  // --- GET /participants/ecf/:id(.:format): show (routes.rb:112, ecf_participants_controller.rb:37-39)
  { method: "GET", path: "/api/v2/participants/ecf/{id}", live: OK, liveNoToken: 401, why: "show" },
  { method: "HEAD", path: "/api/v2/participants/ecf/{id}", live: OK, liveNoToken: 401, why: "HEAD is routed as GET" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}.json", live: OK, liveNoToken: 401, why: "show renders json" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}.csv", live: OK, liveNoToken: 401, why: "show renders json whatever the format" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}.xml", live: OK, liveNoToken: 401, why: "show renders json whatever the format" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}.foo", live: OK, liveNoToken: 401, why: "show renders json, even with no known format" },
  { method: "GET", path: "/api/v2/participants/ecf/npq", live: 404, liveNoToken: 401, why: "show with id npq: RecordNotFound" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}/more", live: 404, liveNoToken: 404, why: "no route" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}.json/defer", live: 404, liveNoToken: 404, why: "an :id holds no dot" },
  { method: "PUT", path: "/api/v2/participants/ecf/{id}", live: 404, liveNoToken: 404, why: "only: %i[index show]" },
  { method: "PATCH", path: "/api/v2/participants/ecf/{id}", live: 404, liveNoToken: 404, why: "only: %i[index show]" },
  { method: "DELETE", path: "/api/v2/participants/ecf/{id}", live: 404, liveNoToken: 404, why: "only: %i[index show]" },

  // --- PUT /participants/ecf/:id/<action>(.:format): the participant_actions concern (routes.rb:85-90,113)
  ...ACTIONS.flatMap((a) => [
    { method: "PUT", path: `/api/v2/participants/ecf/{id}/${a}`, live: OK, liveNoToken: 401, why: "participant_actions: put on member" },
    { method: "PUT", path: `/api/v2/participants/ecf/{id}/${a}.json`, live: OK, liveNoToken: 401, why: "(.:format)" },
    { method: "PUT", path: `/api/v2/participants/ecf/{id}/${a}.csv`, live: OK, liveNoToken: 401, why: "render_from_service renders json" },
    { method: "PATCH", path: `/api/v2/participants/ecf/{id}/${a}`, live: 404, liveNoToken: 404, why: "put only" },
    { method: "POST", path: `/api/v2/participants/ecf/{id}/${a}`, live: 404, liveNoToken: 404, why: "put only" },
    { method: "GET", path: `/api/v2/participants/ecf/{id}/${a}`, live: 404, liveNoToken: 404, why: "put only" },
  ]),

  // --- PUT /participants/:id/<action>: routed to Api::V2::ParticipantsController, deleted (routes.rb:116-119)
  ...ACTIONS.flatMap((a) => [
    { method: "PUT", path: `/api/v2/participants/{id}/${a}`, live: 404, liveNoToken: 404, why: "controller missing at 9123fbfcd" },
    { method: "PUT", path: `/api/v2/participants/{id}/${a}.json`, live: 404, liveNoToken: 404, why: "controller missing at 9123fbfcd" },
  ]),
  { method: "GET", path: "/api/v2/participants/{id}", live: 404, liveNoToken: 404, why: "no show route without /ecf" },
  { method: "GET", path: "/api/v2/participants/{id}.json", live: 404, liveNoToken: 404, why: "no show route without /ecf" },

  // --- participant declarations (routes.rb:120-122, participant_declarations_controller.rb)
  { method: "GET", path: "/api/v2/participant-declarations", live: OK, liveNoToken: 401, why: "index" },
  { method: "GET", path: "/api/v2/participant-declarations.json", live: OK, liveNoToken: 401, why: "format.json" },
  { method: "GET", path: "/api/v2/participant-declarations.csv", live: OK, liveNoToken: 401, why: "format.csv" },
  ...OTHER_FORMATS.map((f) => ({ method: "GET", path: `/api/v2/participant-declarations.${f}`, live: 406, liveNoToken: 401, why: "respond_to: UnknownFormat" })),
  { method: "POST", path: "/api/v2/participant-declarations", live: OK, liveNoToken: 401, why: "create" },
  { method: "POST", path: "/api/v2/participant-declarations.json", live: OK, liveNoToken: 401, why: "(.:format)" },
  { method: "POST", path: "/api/v2/participant-declarations.csv", live: OK, liveNoToken: 401, why: "create renders json whatever the format" },
  { method: "POST", path: "/api/v2/participant-declarations.xml", live: OK, liveNoToken: 401, why: "create renders json whatever the format" },
  { method: "PUT", path: "/api/v2/participant-declarations", live: 404, liveNoToken: 404, why: "no route" },
  { method: "GET", path: "/api/v2/participant-declarations/{decl}", live: OK, liveNoToken: 401, why: "show" },
  { method: "GET", path: "/api/v2/participant-declarations/{decl}.json", live: OK, liveNoToken: 401, why: "(.:format)" },
  { method: "GET", path: "/api/v2/participant-declarations/{decl}.csv", live: OK, liveNoToken: 401, why: "show renders json whatever the format" },
  { method: "PUT", path: "/api/v2/participant-declarations/{decl}", live: 404, liveNoToken: 404, why: "only: %i[create index show]" },
  { method: "PATCH", path: "/api/v2/participant-declarations/{decl}", live: 404, liveNoToken: 404, why: "only: %i[create index show]" },
  { method: "DELETE", path: "/api/v2/participant-declarations/{decl}", live: 404, liveNoToken: 404, why: "only: %i[create index show]" },
  { method: "PUT", path: "/api/v2/participant-declarations/{decl}/void", live: OK, liveNoToken: 401, why: "member put :void" },
  { method: "PUT", path: "/api/v2/participant-declarations/{decl}/void.json", live: OK, liveNoToken: 401, why: "(.:format)" },
  { method: "POST", path: "/api/v2/participant-declarations/{decl}/void", live: 404, liveNoToken: 404, why: "put only" },
  { method: "GET", path: "/api/v2/participant-declarations/{decl}/void", live: 404, liveNoToken: 404, why: "put only" },

  // --- the private API (routes.rb:123-124): controllers exist, lead-provider tokens are refused
  ...["users", "ecf-users"].flatMap((r) => [
    { method: "GET", path: `/api/v2/${r}`, live: 403, liveNoToken: 401, why: "access_scope: private_api_access only" },
    { method: "GET", path: `/api/v2/${r}.json`, live: 403, liveNoToken: 401, why: "access_scope: private_api_access only" },
    { method: "POST", path: `/api/v2/${r}`, live: 403, liveNoToken: 401, why: "access_scope: private_api_access only" },
    { method: "GET", path: `/api/v2/${r}/{id}`, live: 404, liveNoToken: 404, why: "only: %i[index create]" },
    { method: "PUT", path: `/api/v2/${r}`, live: 404, liveNoToken: 404, why: "only: %i[index create]" },
  ]),

  // --- routed without a v2 controller (routes.rb:125-127), and what v2 never had
  { method: "GET", path: "/api/v2/data-studio/school-rollout", live: 404, liveNoToken: 404, why: "no Api::V2::DataStudio controller" },
  { method: "GET", path: "/api/v2/data-studio/school-rollout.json", live: 404, liveNoToken: 404, why: "no Api::V2::DataStudio controller" },
  { method: "GET", path: "/api/v2/statements", live: 404, liveNoToken: 404, why: "v3 only" },
  { method: "GET", path: "/api/v2/participants/ecf/{id}/transfers", live: 404, liveNoToken: 404, why: "v3 only" },
  { method: "GET", path: "/api/v2/participants/npq", live: 404, liveNoToken: 404, why: "NPQ routes were removed" },
  { method: "GET", path: "/api/v2", live: 404, liveNoToken: 404, why: "no route" },
  { method: "GET", path: "/api/v2/Participants/ecf", live: 404, liveNoToken: 404, why: "routes are case-sensitive" },
  { method: "GET", path: "/api/v2/participants/ECF", live: 404, liveNoToken: 404, why: "no GET /participants/:id" },
  { method: "GET", path: "/api/v2/participant-declarations/not-a-uuid", live: 404, liveNoToken: 401, why: "show: find casts the id to NULL, RecordNotFound" },
  { method: "PUT", path: "/api/v2/participant-declarations/not-a-uuid/void", live: 404, liveNoToken: 401, why: "void: find casts the id to NULL, RecordNotFound" },
];

const NOW = "2024-10-01T12:00:00Z";

let t: TestApp;
let provider: { id: string; token: string };

beforeAll(async () => ({ t, p: provider } = await appWithProvider()));
afterAll(() => t.close());

/** A participant ready for every action and a declaration of the caller's, new for each row. */
async function fixtures(row: Row) {
  const q = await t.newParticipant(provider.id);
  const headers = { "x-with-server-date": NOW };
  if (row.path.includes("/resume")) {
    await t.call("PUT", `/api/v2/participants/ecf/${q.participant_id}/defer`, {
      token: provider.token,
      headers,
      body: { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } },
    });
  }
  const declared = await declareStarted(t, provider.token, q.participant_id, NOW);
  if (declared.status !== 200) throw new Error(`fixture declaration: ${declared.status} ${JSON.stringify(declared.body)}`);
  return { participantId: q.participant_id, declarationId: declared.body.data.id as string };
}

/** A body that the route's action accepts. */
function bodyFor(row: Row, participantId: string): unknown {
  if (row.method !== "PUT" && row.method !== "POST") return undefined;
  const action = ACTIONS.find((a) => row.path.includes(`/${a}`));
  if (action === "withdraw") return { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } };
  if (action === "defer") return { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } };
  if (action === "resume") return { data: { attributes: { course_identifier: "ecf-induction" } } };
  if (action === "change-schedule") return { data: { attributes: { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september" } } };
  if (row.path.startsWith("/api/v2/participant-declarations") && !row.path.includes("{decl}")) {
    // a second started for the fixture's participant would be a duplicate: declare for a new one
    return "NEW_PARTICIPANT";
  }
  return { data: {} };
}

describe("the live v2 route table (config/routes.rb:82-128)", () => {
  for (const row of ROUTE_TABLE) {
    test(`when ${row.method} ${row.path} is called, then the live status (${row.live}; ${row.liveNoToken} without a token)`, async () => {
      const { participantId, declarationId } = await fixtures(row);
      const path = row.path.replace("{id}", participantId).replace("{decl}", declarationId);
      let body = bodyFor(row, participantId);
      if (body === "NEW_PARTICIPANT") body = { data: { attributes: startedDeclaration((await t.newParticipant(provider.id)).participant_id) } };
      const headers = { "x-with-server-date": NOW, accept: "application/json" };

      const anonymous = await t.request(row.method, path, { body, headers });
      expect({ path: row.path, status: anonymous.status }).toEqual({ path: row.path, status: row.sandboxNoToken ?? row.liveNoToken });

      const r = await t.request(row.method, path, { token: provider.token, body, headers });
      const text = await r.text();
      expect({ path: row.path, status: r.status, text: r.status >= 500 ? text : "" }).toEqual({ path: row.path, status: row.sandbox ?? row.live, text: "" });
      if (r.status === 200 && row.method !== "HEAD" && !row.path.includes(".csv")) {
        expect(r.headers.get("content-type")).toBe("application/vnd.api+json");
      }
      if (r.status === 200 && row.method === "GET" && /\.csv$/.test(row.path) && !row.path.includes("{")) {
        expect(r.headers.get("content-type")).toBe("text/csv");
      }
      if (r.status === 404) expect(JSON.parse(text)).toEqual({ error: "Resource not Found" });
      if (r.status === 403 || r.status === 406) expect(text).toBe("");
    });
  }
});
