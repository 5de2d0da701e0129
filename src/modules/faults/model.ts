import { t } from "elysia";
import { adminInput } from "../admin/validation";
import { DELAY_MS, FAULT_KINDS, FAULT_METHODS, FAULT_STATUSES } from "./rules";

/** The fault rules' calls (docs/reference/sandbox-contract.md, "Faults on demand"). */

const ErrorItems = t.Array(t.Object({ title: t.String(), detail: t.String() }));
export const ErrorsBody = t.Object({ errors: ErrorItems }, { description: "the errors shape" });

const Match = t.Object(
  {
    method: t.Optional(t.Union(FAULT_METHODS.map((m) => t.Literal(m)), { description: "GET, POST or PUT; absent: any" })),
    path: t.Optional(
      t.String({ minLength: 1, maxLength: 500, description: "a path pattern (without the query) where `*` matches any run of characters; absent: any /api/ path" }),
    ),
    lead_provider_id: t.Optional(t.String({ minLength: 1, description: "the caller's lead provider (by its token); absent: any" })),
  },
  { description: "which requests to /api/ the rule applies to; an absent key matches anything" },
);

const FaultSpec = t.Object(
  {
    kind: t.Union(FAULT_KINDS.map((k) => t.Literal(k)), { description: "status, delay, timeout, reset or rate_limit" }),
    status: t.Optional(t.Integer({ description: "status: 500, 502, 503 or 504" })),
    ms: t.Optional(t.Integer({ description: `delay: milliseconds, ${DELAY_MS.min} to ${DELAY_MS.max}` })),
    when: t.Optional(t.Union([t.Literal("before"), t.Literal("after")], { description: 'reset: "before" (default) or "after" the write' })),
  },
  { description: "what happens to a matching request" },
);

export const FaultRuleBody = adminInput(
  t.Object(
    {
      match: t.Optional(Match),
      fault: FaultSpec,
      times: t.Optional(t.Integer({ minimum: 0, description: "how many matching requests get the fault; default 1; 0 = until deleted" })),
      probability: t.Optional(t.Number({ description: "0 < p <= 1, default 1: each matching request gets the fault with this chance" })),
      seed: t.Optional(t.Integer({ description: "the seed of the rule's generator, default 0: the same requests get the same faults on every run" })),
    },
    {
      examples: [
        { match: { method: "POST", path: "/api/v2/participant-declarations" }, fault: { kind: "reset", when: "after" } },
        { match: { path: "/api/v2/participants/ecf*" }, fault: { kind: "status", status: 503 }, times: 0, probability: 0.25, seed: 42 },
      ],
    },
  ),
  { nested: true },
);

const ShownFault = t.Object({
  kind: t.Union(FAULT_KINDS.map((k) => t.Literal(k))),
  status: t.Optional(t.Union(FAULT_STATUSES.map((s) => t.Literal(s)))),
  ms: t.Optional(t.Integer()),
  when: t.Optional(t.Union([t.Literal("before"), t.Literal("after")])),
});

export const FaultRule = t.Object(
  {
    id: t.String({ format: "uuid" }),
    match: Match,
    fault: ShownFault,
    times: t.Integer({ description: "as given; 0 = until deleted" }),
    probability: t.Number(),
    seed: t.Integer(),
    remaining: t.Union([t.Integer(), t.Null()], { description: "faults still to cause; null for a rule with times 0" }),
    hits: t.Integer({ description: "faults it has caused" }),
  },
  {
    description: "A fault rule",
    examples: [
      {
        id: "4b8f8c7e-0f0e-4a53-9d8e-1f2a3b4c5d6e",
        match: { method: "POST", path: "/api/v2/participant-declarations" },
        fault: { kind: "reset", when: "after" },
        times: 1,
        probability: 1,
        seed: 0,
        remaining: 1,
        hits: 0,
      },
    ],
  },
);

export const FaultList = t.Object({ data: t.Array(FaultRule) }, { description: "Every rule, in the order they apply" });
export const FaultParams = t.Object({ id: t.String({ description: "a rule's id" }) });
export const FaultDeleted = t.Object({ id: t.String(), deleted: t.Literal(true) }, { description: "The rule is gone" });
export const FaultsCleared = t.Object({ deleted: t.Integer({ description: "how many rules there were" }) }, { description: "Every rule is gone" });
