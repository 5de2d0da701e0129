import type { Static } from "@sinclair/typebox";
import { t } from "elysia";
import { COURSE_IDENTIFIERS } from "../participants/rules";
import { PARTICIPANT_PERSON_FIELDS } from "../admin/model";
import { adminInput } from "../admin/validation";
import { DECLARATION_TARGET_STATES, PARTICIPANT_ACTIONS, REF_PATTERN } from "./rules";

/**
 * A scenario document (sandbox-contract.md, "Scenarios"): one JSON Schema,
 * served in the OpenAPI document as the body of POST /admin/scenarios.
 */

const Ref = t.String({ pattern: REF_PATTERN, description: "a name for the item, 1 to 64 letters, digits, '_', '.' or '-'; other items refer to it by it, and the answer's `refs` maps it to the ids made" });
const RefTo = (what: string) => t.String({ minLength: 1, description: `the ref of ${what}` });
const Instant = t.String({ minLength: 1, description: "an ISO 8601 date-time (UTC when it has no zone), e.g. 2025-10-01T09:00:00Z" });
const At = t.Optional(t.String({ minLength: 1, description: "the instant the sandbox treats as now for this item (ISO 8601)" }));
const Course = t.Optional(t.Union(COURSE_IDENTIFIERS.map((c) => t.Literal(c)), { description: "default: the participant's own (ecf-induction for an ECT, ecf-mentor for a mentor)" }));
const Cohort = t.Integer({ minimum: 2021, maximum: 2025, description: "a cohort from 2021 to 2025" });

const LeadProviderItem = t.Object({ ref: t.Optional(Ref), name: t.String({ minLength: 1, maxLength: 200, description: "a new lead provider's name" }), at: At });

const ParticipantItem = t.Object({
  ref: t.Optional(Ref),
  lead_provider: RefTo("the lead provider that trains them"),
  participant_type: t.Union([t.Literal("ect"), t.Literal("mentor")]),
  cohort: Cohort,
  mentor: t.Optional(RefTo("an earlier participant, the ECT's mentor")),
  participant: t.Optional(RefTo("an earlier participant: this item is a second training record of that person (an ECT who is also a mentor)")),
  ...PARTICIPANT_PERSON_FIELDS,
  school_urn: t.Optional(t.String({ pattern: "^[0-9]{6}$", description: "a 6-digit school URN" })),
  paid_declarations: t.Optional(
    t.Array(t.String({ pattern: "^(started|retained-[1-4]|extended-[1-3]|completed)$" }), {
      maxItems: 8,
      uniqueItems: true,
      description: "as POST /admin/participants: paid declarations DfE's payment runs left (a 2021 participant with a paid started declaration is eligible for the payments-frozen cohort move)",
    }),
  ),
  partnership_cohorts: t.Optional(t.Array(Cohort, { maxItems: 5, uniqueItems: true, description: "more cohorts in which the provider is partnered with the school" })),
  at: At,
});

const DeclarationItem = t.Object({
  ref: t.Optional(Ref),
  participant: RefTo("the participant; the declaration is made by the lead provider that trains them"),
  declaration_type: t.String({ minLength: 1, description: "started, retained-1..4, extended-1..3, completed" }),
  declaration_date: t.String({ minLength: 1, description: "as in POST /api/v2/participant-declarations" }),
  course_identifier: Course,
  evidence_held: t.Optional(t.String({ minLength: 1, description: "as in POST /api/v2/participant-declarations (needed after started)" })),
  state: t.Optional(
    t.Union(DECLARATION_TARGET_STATES.map((s) => t.Literal(s)), {
      description: "the state to reach, through DfE's moves (eligible → payable → paid, awaiting_clawback → clawed_back) and the provider's void; default: the state the POST gives",
    }),
  ),
  at: At,
});

const ActionItem = t.Object({
  participant: RefTo("the participant; the action is the training provider's"),
  action: t.Union(PARTICIPANT_ACTIONS.map((a) => t.Literal(a)), { description: "a v2 participant action" }),
  course_identifier: Course,
  reason: t.Optional(t.String({ minLength: 1, description: "defer and withdraw: one of the live reasons" })),
  schedule_identifier: t.Optional(t.String({ minLength: 1, description: "change-schedule" })),
  cohort: t.Optional(t.Integer({ description: "change-schedule: the new schedule's cohort" })),
  at: At,
});

const TransferItem = t.Object({
  participant: RefTo("the participant"),
  to_lead_provider: RefTo("the lead provider they move to"),
  course_identifier: Course,
  school_urn: t.Optional(t.String({ pattern: "^[0-9]{6}$", description: "the new school (a 6-digit URN); default: the same school" })),
  at: At,
});

const InductionStatusItem = t.Object({
  participant: RefTo("the participant"),
  status: t.Union([t.Literal("active"), t.Literal("withdrawn")], { description: "the induction status a school reports" }),
  course_identifier: Course,
  at: At,
});

export const ScenarioDocument = adminInput(
  t.Object(
    {
      description: t.Optional(t.String({ maxLength: 2000, description: "what the scenario is for (shown by GET /admin/scenarios)" })),
      clock: t.Optional(Instant),
      lead_providers: t.Optional(t.Array(LeadProviderItem)),
      participants: t.Optional(t.Array(ParticipantItem)),
      declarations: t.Optional(t.Array(DeclarationItem)),
      actions: t.Optional(t.Array(ActionItem)),
      transfers: t.Optional(t.Array(TransferItem)),
      induction_statuses: t.Optional(t.Array(InductionStatusItem)),
    },
    {
      title: "ScenarioDocument",
      description:
        "A whole world in one document, applied all or nothing in the order of its sections: clock, lead providers, participants, declarations, actions, transfers, induction statuses. Declarations and actions go through the v2 API's rules.",
      examples: [
        {
          clock: "2025-10-01T09:00:00Z",
          lead_providers: [
            { ref: "lp", name: "Test provider" },
            { ref: "other", name: "Other provider" },
          ],
          participants: [
            { ref: "mentor", lead_provider: "lp", participant_type: "mentor", cohort: 2025 },
            { ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025, mentor: "mentor", school_urn: "100001" },
          ],
          declarations: [{ ref: "started", participant: "ect", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z", state: "paid" }],
          actions: [{ participant: "mentor", action: "defer", reason: "career-break" }],
          transfers: [{ participant: "ect", to_lead_provider: "other" }],
          induction_statuses: [{ participant: "ect", status: "withdrawn" }],
        },
      ],
    },
  ),
  { nested: true },
);

export type Scenario = Static<typeof ScenarioDocument>;

export const ScenarioParams = t.Object({ name: t.String({ description: "a shipped scenario's name, e.g. every-state" }) });

const RefIds = t.Union([
  t.Object({ id: t.String(), api_token: t.String({ description: "shown once; stored hashed" }) }, { description: "a lead provider" }),
  t.Object({ participant_id: t.String(), training_record_id: t.String() }, { description: "a participant (one training record)" }),
  t.Object({ id: t.String() }, { description: "a declaration" }),
]);

export const ScenarioApplied = t.Object(
  { refs: t.Record(t.String(), RefIds, { description: "each ref of the document and the ids the sandbox made for it" }) },
  {
    description: "Applied: everything in the document was written",
    examples: [
      {
        refs: {
          lp: { id: "9f1b7a1c-2f6e-4d8e-9a3b-1c2d3e4f5a6b", api_token: "h2Xl0v9mQ8bq3sJ1cT6yW4nZrKpE7dUa" },
          ect: { participant_id: "db3a7848-7308-4879-942a-c4a70ced400a", training_record_id: "7e2c4b1a-9d8f-4e6a-b5c3-1f0e2d3c4b5a" },
          started: { id: "8d5b7c5e-4a51-4e7b-9c61-0f3a1b2c3d4e" },
        },
      },
    ],
  },
);

export const ScenarioList = t.Object(
  { data: t.Array(t.Object({ name: t.String(), description: t.String() })) },
  { description: "The scenarios shipped with the sandbox", examples: [{ data: [{ name: "every-state", description: "One lead provider with a participant in each state" }] }] },
);

export const ShippedScenario = t.Record(t.String(), t.Unknown(), { description: "A shipped scenario's document (the ScenarioDocument schema)" });

const ErrorItems = t.Array(t.Object({ title: t.String(), detail: t.String() }));
export const ScenarioRefused = t.Object(
  { errors: ErrorItems },
  {
    description: "Refused, and nothing written: one error, titled with the item's place in the document",
    examples: [{ errors: [{ title: "declarations[0].declaration_date", detail: "The '#/declaration_date' value cannot be a future date. Check the date and try again." }] }],
  },
);
export const NotFoundErrors = t.Object({ errors: ErrorItems }, { description: "No shipped scenario has this name" });
