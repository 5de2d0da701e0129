import { t } from "elysia";
import { adminInput } from "../admin/validation";

/** The request log's calls (docs/reference/sandbox-contract.md, "Request log"). */

export const ErrorsBody = t.Object(
  { errors: t.Array(t.Object({ title: t.String(), detail: t.String() })) },
  { description: "the errors shape", examples: [{ errors: [{ title: "limit", detail: "must be a whole number from 1 to 1000" }] }] },
);

const RECORD_EXAMPLE = {
  id: 1,
  time: "2025-01-10T10:42:00.123Z",
  lead_provider_id: "50005d21-e10d-5c35-844c-9348aa7640cb",
  lead_provider_name: "Ambition Institute",
  method: "POST",
  path: "/api/v2/participant-declarations",
  query: "",
  status: 422,
  duration_ms: 3.1,
  request_body: '{"data":{"type":"participant-declaration","attributes":{"declaration_type":"started"}}}',
  response_body: '{"errors":[{"title":"participant_id","detail":"Your update cannot be made as the \'#/participant_id\' is not recognised. Check participant details and try again."}]}',
  errors: ["participant_id: Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again."],
  fault: null,
  request_headers: { authorization: "Bearer $TOKEN", "content-type": "application/json" },
};

export const RequestRecord = t.Object({
  id: t.Integer({ description: "increases with every recorded request; never reused, even after DELETE" }),
  time: t.String({ description: "when the request arrived (real time, RFC 3339 in UTC)" }),
  lead_provider_id: t.Union([t.String(), t.Null()], { description: "the provider whose token was used; null for a missing, unknown or admin token" }),
  lead_provider_name: t.Union([t.String(), t.Null()]),
  method: t.String(),
  path: t.String(),
  query: t.String({ description: "the raw query string without `?`; empty when none" }),
  status: t.Integer(),
  duration_ms: t.Number(),
  request_body: t.Union([t.String(), t.Null()], { description: "the first 64 KiB as text; null when empty" }),
  response_body: t.Union([t.String(), t.Null()], {
    description: "the first 64 KiB as text; null when empty (and for streamed CSV downloads, which are not kept)",
  }),
  errors: t.Array(t.String(), { description: "`title: detail` of each item of an error answer (the message of a `{\"error\"}` answer), else []" }),
  fault: t.Union(
    [
      t.Object({
        rule_id: t.Union([t.String(), t.Null()], { description: "the rule's id; null when the request asked with X-Sandbox-Fault" }),
        kind: t.Union([t.Literal("status"), t.Literal("delay"), t.Literal("timeout"), t.Literal("reset"), t.Literal("rate_limit")]),
      }),
      t.Null(),
    ],
    { description: "the fault the request got on purpose (POST /admin/faults, X-Sandbox-Fault); null for none. A timeout or reset before the write has status 0 (no answer)" },
  ),
  request_headers: t.Record(t.String(), t.String(), {
    description: "the request's headers, names in lower case; the Authorization value is never kept: it shows as `Bearer $TOKEN`",
  }),
  now: t.Union([t.String(), t.Null()], {
    description: "the request's effective \"now\" (RFC 3339): its X-With-Server-Date header, else the admin clock at its arrival; null when the header was not a date",
  }),
  now_source: t.Union([t.Literal("header"), t.Literal("clock"), t.Literal("real")], {
    description: "where `now` came from: `header` (X-With-Server-Date), `clock` (the admin clock, moved by PUT /admin/clock) or `real` (real time)",
  }),
  token_kind: t.Union(
    [t.Literal("none"), t.Literal("unknown"), t.Literal("lead_provider"), t.Literal("admin"), t.Literal("v3_lead_provider"), t.Literal("not_checked")],
    {
      description:
        "what the Authorization header held (never the token): none, an unknown token, a v2 or v3 lead provider's, the admin token; `not_checked` when the request was answered before authentication (throttle, unknown route, fault)",
    },
  ),
  hint: t.Union([t.String(), t.Null()], {
    description:
      "a plain-words reason where the answer's body gives none (the admin token on /api/v2 gets an empty 403; a 401 says only \"Access denied\"), or where a date refusal was judged as of X-With-Server-Date; else null",
  }),
});

export const RequestListQuery = t.Object({
  lead_provider_id: t.Optional(t.String({ description: "only this provider's requests" })),
  status: t.Optional(t.String({ description: "an exact status (422) or a class (4xx)" })),
  method: t.Optional(t.String({ description: "GET, POST, PUT, …" })),
  path_prefix: t.Optional(t.String({ description: "paths that start with this, e.g. /api/v2/participant-declarations" })),
  since: t.Optional(t.String({ description: "requests at or after this RFC 3339 instant" })),
  limit: t.Optional(t.String({ description: "1..1000, default 100", examples: ["100"] })),
});

export const RequestList = t.Object({ data: t.Array(RequestRecord) }, { examples: [{ data: [RECORD_EXAMPLE] }] });
export const RequestOne = t.Object({ data: RequestRecord }, { examples: [{ data: RECORD_EXAMPLE }] });
export const RequestIdParams = t.Object({ id: t.String({ description: "a record's id", examples: ["1"] }) });
export const Cleared = t.Object({ deleted: t.Integer({ description: "how many records the log held" }) }, { examples: [{ deleted: 12 }] });

export const FindBody = adminInput(
  t.Object({
    method: t.Optional(t.String({ pattern: "^[A-Za-z]{1,16}$", description: "an HTTP method, e.g. POST" })),
    path: t.Optional(t.String({ minLength: 1, maxLength: 500, description: "a path pattern (without the query) where `*` matches any run of characters, e.g. /api/v2/participant-declarations*" })),
    status: t.Optional(
      t.Union([t.Integer({ minimum: 100, maximum: 599 }), t.String({ pattern: "^[1-5]([0-9][0-9]|xx|XX)$" })], {
        description: "a status code (422) or a class (\"4xx\")",
      }),
    ),
    lead_provider_id: t.Optional(t.String({ minLength: 1, description: "the caller's lead provider" })),
    since: t.Optional(t.String({ minLength: 1, description: "requests at or after this RFC 3339 instant" })),
    request_body: t.Optional(
      t.Unknown({ description: "a JSON value the request's JSON body must contain: objects every key given, recursively; arrays and scalars equal" }),
    ),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000, description: "how many of the newest matches to return, 1..1000, default 100" })),
  }, {
    examples: [{ method: "POST", path: "/api/v2/participant-declarations", status: 200, request_body: { data: { attributes: { declaration_type: "started" } } } }],
  }),
);
export const FindAnswer = t.Object({
  count: t.Integer({ description: "every record that matches" }),
  data: t.Array(RequestRecord, { description: "the newest `limit` of them, newest first" }),
});
export const CurlText = t.String({ description: "one curl command that sends the request again, with $TOKEN where the token was" });
export const HarDocument = t.Object(
  { log: t.Object({ version: t.Literal("1.2"), creator: t.Object({ name: t.String(), version: t.String() }), entries: t.Array(t.Unknown()) }) },
  { description: "HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), oldest first; Authorization shows as Bearer $TOKEN" },
);
