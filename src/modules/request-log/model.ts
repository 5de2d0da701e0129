import { t } from "elysia";

/** The request log's calls (sandbox-contract.md, "Request log"). */

export const ErrorsBody = t.Object(
  { errors: t.Array(t.Object({ title: t.String(), detail: t.String() })) },
  { description: "the errors shape" },
);

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
});

export const RequestListQuery = t.Object({
  lead_provider_id: t.Optional(t.String({ description: "only this provider's requests" })),
  status: t.Optional(t.String({ description: "an exact status (422) or a class (4xx)" })),
  method: t.Optional(t.String({ description: "GET, POST, PUT, …" })),
  path_prefix: t.Optional(t.String({ description: "paths that start with this, e.g. /api/v2/participant-declarations" })),
  since: t.Optional(t.String({ description: "requests at or after this RFC 3339 instant" })),
  limit: t.Optional(t.String({ description: "1..1000, default 100" })),
});

export const RequestList = t.Object({ data: t.Array(RequestRecord) });
export const RequestOne = t.Object({ data: RequestRecord });
export const RequestIdParams = t.Object({ id: t.String({ description: "a record's id" }) });
export const Cleared = t.Object({ deleted: t.Integer({ description: "how many records the log held" }) });
