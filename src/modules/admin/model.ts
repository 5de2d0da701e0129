import { t } from "elysia";
import { COURSE_IDENTIFIERS } from "../participants/rules";
import { DEMO_EXAMPLES } from "../seed/examples";
import { adminInput } from "./validation";

/**
 * The admin API of docs/reference/sandbox-contract.md: path parameters, bodies (validated by
 * Elysia; `adminInput` makes a failure the admin 422) and each answer's shape,
 * which the OpenAPI document at /api-docs/json shows.
 */

const Uuid = t.String({ format: "uuid", description: "a UUID" });
const Urn = t.String({ pattern: "^[0-9]{6}$", description: "a 6-digit school URN" });
const Timestamp = t.String({ format: "date-time" });

// ---------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------

export const LeadProviderParams = t.Object({ id: t.String({ description: "the lead provider's id", examples: [DEMO_EXAMPLES.providerId] }) });
export const TokenParams = t.Object({
  id: t.String({ description: "the token's id, or at least 8 hex digits of its SHA-256 hash", examples: ["3b5d2f0a9c1e"] }),
});
export const ParticipantParams = t.Object({ id: t.String({ description: "the participant's id (participant_id)", examples: [DEMO_EXAMPLES.participantId] }) });
export const DeclarationParams = t.Object({ id: t.String({ description: "the declaration's id", examples: [DEMO_EXAMPLES.declarationId] }) });

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

export const CreateLeadProviderBody = adminInput(
  t.Object({ name: t.String({ minLength: 1, maxLength: 200 }) }, { examples: [{ name: "My test provider" }] }),
);

/** A new training record's uplift flags (stored 0/1; absent: false), by name for the service. */
const UPLIFTS = { pupil_premium_uplift: t.Optional(t.Boolean()), sparsity_uplift: t.Optional(t.Boolean()) };
export const UPLIFT_FIELDS = Object.keys(UPLIFTS) as (keyof typeof UPLIFTS)[];

/**
 * The fields of a new participant that POST /admin/participants and a scenario
 * document's participants item share (sandbox-contract.md, "The admin API" and "Scenarios").
 */
export const PARTICIPANT_PERSON_FIELDS = {
  schedule_identifier: t.Optional(t.String({ minLength: 1, description: "a schedule of the cohort; default ecf-standard-september" })),
  full_name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
  email: t.Optional(t.String({ minLength: 3, maxLength: 200, pattern: "^[^@\\s]+@[^@\\s]+$", description: "an email address" })),
  teacher_reference_number: t.Optional(t.Union([t.String({ pattern: "^[0-9]{7}$" }), t.Null()], { description: "7 digits, or null" })),
  teacher_reference_number_validated: t.Optional(t.Boolean()),
  eligible_for_funding: t.Optional(t.Union([t.Boolean(), t.Null()], { description: "true, false or null" })),
  ...UPLIFTS,
};

export const CreateParticipantBody = adminInput(
  t.Object(
    {
      lead_provider_id: Uuid,
      participant_type: t.Union([t.Literal("ect"), t.Literal("mentor")]),
      cohort: t.Integer({ minimum: 2021, maximum: 2025, description: "a cohort from 2021 to 2025" }),
      ...PARTICIPANT_PERSON_FIELDS,
      school_urn: t.Optional(Urn),
      mentor_id: t.Optional(t.Union([Uuid, t.Null()], { description: "a mentor's participant id (a UUID), or null" })),
      participant_id: t.Optional(
        t.String({ format: "uuid", description: "an existing participant's id, to add a second training record (an ECT who is also a mentor)" }),
      ),
      paid_declarations: t.Optional(
        t.Array(t.String({ pattern: "^(started|retained-[1-4]|extended-[1-3]|completed)$" }), {
          maxItems: 8,
          uniqueItems: true,
          description:
            "declaration types of the schedule (started, retained-1..4, extended-1..3, completed), each recorded as a paid declaration of this provider dated the day after its milestone starts (a 2021 participant with a paid started declaration is eligible for the payments-frozen cohort move)",
        }),
      ),
      partnership_cohorts: t.Optional(
        t.Array(t.Integer({ minimum: 2021, maximum: 2025 }), {
          maxItems: 5,
          uniqueItems: true,
          description: "more cohorts (2021 to 2025) in which the provider is partnered with the school, as a change of schedule to another cohort needs",
        }),
      ),
    },
    {
      examples: [
        { lead_provider_id: DEMO_EXAMPLES.providerId, participant_type: "ect", cohort: 2025 },
        { lead_provider_id: DEMO_EXAMPLES.providerId, participant_type: "ect", cohort: 2021, paid_declarations: ["started"], partnership_cohorts: [2024, 2025] },
      ],
    },
  ),
);

export const CourseIdentifier = t.Union(COURSE_IDENTIFIERS.map((course) => t.Literal(course)));

export const TransferBody = adminInput(
  t.Object(
    { course_identifier: CourseIdentifier, to_lead_provider_id: Uuid, school_urn: t.Optional(Urn) },
    { examples: [{ course_identifier: "ecf-induction", to_lead_provider_id: DEMO_EXAMPLES.otherProviderId, school_urn: DEMO_EXAMPLES.otherProviderSchoolUrn }] },
  ),
);

export const InductionStatusBody = adminInput(
  t.Object(
    { course_identifier: CourseIdentifier, status: t.Union([t.Literal("active"), t.Literal("withdrawn")]) },
    { examples: [{ course_identifier: "ecf-induction", status: "withdrawn" }] },
  ),
);

export const DeclarationStateBody = adminInput(
  t.Object(
    { state: t.Union([t.Literal("eligible"), t.Literal("payable"), t.Literal("paid"), t.Literal("clawed_back")]) },
    { examples: [{ state: "payable" }] },
  ),
);

/** ISO 8601: a date, or a date and time with or without a zone (UTC when none) */
const ISO_8601 = "^\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})?)?$";

export const ClockBody = adminInput(
  t.Object(
    { now: t.String({ pattern: ISO_8601, description: "an ISO 8601 date-time, e.g. 2025-01-10T10:42:00Z" }) },
    { examples: [{ now: "2026-01-15T09:00:00Z" }] },
  ),
);

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

const ErrorItems = t.Array(t.Object({ title: t.String(), detail: t.String() }));

export const Unauthorized = t.Object(
  { error: t.Literal("HTTP Token: Access denied") },
  { description: "No token, or not the admin token (a lead provider's token is refused too)", examples: [{ error: "HTTP Token: Access denied" }] },
);
export const NotFound = t.Object(
  { errors: ErrorItems },
  { description: "Nothing has this id (the errors shape, as every admin 404)", examples: [{ errors: [{ title: "Not found", detail: "There is no lead provider with id '00000000-0000-4000-8000-000000000000'" }] }] },
);
export const Unprocessable = t.Object(
  { errors: ErrorItems },
  { description: "Bad input: one item per field, titled with the field's name", examples: [{ errors: [{ title: "name", detail: "is required" }] }] },
);
export const BadRequest = t.Object(
  { errors: ErrorItems },
  {
    description: "An X-With-Server-Date header that is not an RFC 3339 date-time",
    examples: [{ errors: [{ title: "Bad request", detail: "The header 'X-With-Server-Date' must be an RFC 3339 date-time, e.g. 2025-01-10T10:42:00Z" }] }],
  },
);
export const PayloadTooLarge = t.Object(
  { errors: ErrorItems },
  { description: "A body over 1 MiB", examples: [{ errors: [{ title: "Payload too large", detail: "The request body must be at most 1048576 bytes" }] }] },
);

export const LeadProviderCreated = t.Object(
  { id: Uuid, name: t.String(), api_token: t.String({ description: "shown once; stored hashed" }) },
  { description: "The new lead provider and a working token for it", examples: [{ id: "9f1b7a1c-2f6e-4d8e-9a3b-1c2d3e4f5a6b", name: "My test provider", api_token: "h2Xl0v9mQ8bq3sJ1cT6yW4nZrKpE7dUa" }] },
);

export const TokenCreated = t.Object(
  { id: t.String(), api_token: t.String({ description: "shown once; stored hashed" }) },
  { description: "One more token for the lead provider", examples: [{ id: "0b6f0c1e-5d1a-4f9e-8c3b-2a1d0e9f8c7b", api_token: "h2Xl0v9mQ8bq3sJ1cT6yW4nZrKpE7dUa" }] },
);

export const LeadProviderList = t.Array(
  t.Object({
    id: Uuid,
    name: t.String(),
    api_tokens: t.Array(t.String(), { description: "the demo providers' tokens (they never change); empty for others" }),
    tokens: t.Array(
      t.Object({ id: t.String(), hash_prefix: t.String(), created_at: Timestamp, last_used_at: t.Union([Timestamp, t.Null()]) }),
      { description: "every token of the provider, as DELETE /admin/api-tokens/{id} takes it" },
    ),
  }),
  {
    description: "Every lead provider and its tokens",
    examples: [
      [
        {
          id: DEMO_EXAMPLES.providerId,
          name: "Ambition Institute",
          api_tokens: ["demo_Qm9yZWFsLXRva2VuLWV4YW1wbGUtMTIzNA"],
          tokens: [{ id: "0b6f0c1e-5d1a-4f9e-8c3b-2a1d0e9f8c7b", hash_prefix: "3b5d2f0a9c1e", created_at: "2025-01-10T10:42:00Z", last_used_at: null }],
        },
      ],
    ],
  },
);

export const TokenRevoked = t.Object(
  { id: t.String(), revoked: t.Literal(true) },
  { description: "The token stops working from the next request on", examples: [{ id: "0b6f0c1e-5d1a-4f9e-8c3b-2a1d0e9f8c7b", revoked: true }] },
);

export const ParticipantCreated = t.Object(
  { participant_id: Uuid, training_record_id: Uuid },
  {
    description: "The participant (new, or the one given) and its new training record",
    examples: [{ participant_id: DEMO_EXAMPLES.participantId, training_record_id: DEMO_EXAMPLES.trainingRecordId }],
  },
);

export const ParticipantTransferred = t.Object(
  { participant_id: Uuid, training_record_id: Uuid },
  {
    description: "The training record now trains with the new lead provider",
    examples: [{ participant_id: DEMO_EXAMPLES.participantId, training_record_id: DEMO_EXAMPLES.trainingRecordId }],
  },
);

export const InductionStatusSet = t.Object(
  { participant_id: Uuid, training_record_id: Uuid, status: t.Union([t.Literal("active"), t.Literal("withdrawn")]) },
  {
    description: "The induction status is set; the v2 API shows it as `status`",
    examples: [{ participant_id: DEMO_EXAMPLES.participantId, training_record_id: DEMO_EXAMPLES.trainingRecordId, status: "withdrawn" }],
  },
);

export const DeclarationMoved = t.Object(
  { data: t.Object({ id: Uuid, type: t.Literal("participant-declaration"), attributes: t.Record(t.String(), t.Unknown()) }) },
  {
    description: "The declaration as the v2 API shows it, in its new state",
    examples: [
      {
        data: {
          id: DEMO_EXAMPLES.declarationId,
          type: "participant-declaration",
          attributes: {
            participant_id: DEMO_EXAMPLES.declaredParticipantId,
            declaration_type: "started",
            declaration_date: "2023-06-04T10:00:00Z",
            course_identifier: "ecf-induction",
            state: "payable",
            updated_at: "2025-01-10T10:42:00Z",
            has_passed: null,
          },
        },
      },
    ],
  },
);

export const ClockSet = t.Object(
  { now: Timestamp },
  { description: "The service's clock now, running on from there", examples: [{ now: "2026-01-15T09:00:00Z" }] },
);
