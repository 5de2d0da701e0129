/**
 * The declarations routes' schemas (docs/reference/business-rules.md §5), modelled on the
 * published contract's components but as the sandbox (and live) answers:
 * `errors` (plural), the dasherized `awaiting-clawback`/`clawed-back`
 * states, the POST's v1 attributes, and a repeated identical POST refused
 * with 422 (appendix A 1, 4, 5, 6). Request schemas check only what the live
 * service refuses with the same answer; the rules answer the rest.
 */
import { t } from "elysia";
import {
  badRequest,
  deepObjectMember,
  everyRouteAnswers,
  filterBadRequest,
  jsonApiBody,
  listDocument,
  missingData,
  named,
  notAcceptable,
  notFound,
  operation,
  pageQuery,
  payloadTooLarge,
  unprocessable,
  updatedSinceQuery,
} from "../../http/openapi";
import { DECLARATION_ATTRIBUTE_KEYS, DECLARATION_DATE_NOT_A_STRING_DETAIL, MESSAGES, VALID_EVIDENCE_HELD } from "./rules";
import { COURSES, DECLARATION_TYPES, DeclarationResource, V1_ATTRIBUTES } from "./resource";
import { DEMO_EXAMPLES } from "../seed/examples";

const TAGS = ["Participant declarations"];
// demo data (src/modules/seed/examples.ts): a declaration the first demo provider can show and void, a participant it can declare for
const EXAMPLE_ID = DEMO_EXAMPLES.declarationId;
const EXAMPLE_PARTICIPANT = DEMO_EXAMPLES.participantId;

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

export const DeclarationParams = t.Object({
  id: t.String({ description: "The declaration's id", example: EXAMPLE_ID }),
});

const updatedSince = updatedSinceQuery(
  "ListFilterDeclarations",
  "Return only declarations updated after this date-time",
  "Refine the declarations: `filter[participant_id]`, `filter[updated_since]` (both optional; v2 does not read `filter[cohort]`)",
);
const participantId = deepObjectMember(
  "ListFilterDeclarations",
  t.String({ description: "Return only the declarations of this participant (a UUID; anything else is a 400)" }),
);

/** Flat bracketed keys, as Elysia parses them; other keys are ignored (`filter[cohort]` too: v2 declarations do not read it). */
export const DeclarationListQuery = t.Object(
  {
    "filter[participant_id]": participantId,
    "filter[updated_since]": updatedSince,
    ...pageQuery,
  },
  { additionalProperties: true },
);

export const DeclarationCsvQuery = t.Object(
  { "filter[participant_id]": participantId, "filter[updated_since]": updatedSince },
  { additionalProperties: true },
);

/** A scalar attribute: numbers and booleans are read as their text (Rails' strong parameters). */
const attribute = (description: string, example: string, values?: readonly string[]) =>
  t.Optional(
    t.String({ description: values ? `${description}. One of: ${values.join(", ")}` : description, example, ...(values ? { enum: [...values] } : {}) }),
  );

export const DeclarationAttributesRequest = t.Object({
  participant_id: attribute("The unique id of the participant", EXAMPLE_PARTICIPANT),
  declaration_type: attribute("The event declaration type", "started", DECLARATION_TYPES),
  declaration_date: t.Optional(
    t.String({
      description:
        "The event declaration date, RFC 3339 (`2021-05-31T02:21:32Z`, or with a fraction and an offset); within the milestone's window and not in the future. A number or boolean is a 400",
      example: DEMO_EXAMPLES.declarationDate,
      "x-live-error": { status: 400, title: "Bad request", detail: DECLARATION_DATE_NOT_A_STRING_DETAIL },
    }),
  ),
  course_identifier: attribute("The type of course the participant is enrolled in", "ecf-induction", COURSES),
  evidence_held: attribute("Required for every type but `started`: the evidence the provider holds", "training-event-attended", VALID_EVIDENCE_HELD),
  has_passed: attribute("Read but not used by ECF declarations", "true"),
});

/** What the POST permits (§3.1): `declaration_date` keeps a number or boolean as sent, for TypeBox to refuse. */
export const DECLARATION_ATTRIBUTES = { keys: DECLARATION_ATTRIBUTE_KEYS, raw: ["declaration_date"] } as const;

const POST_EXAMPLE = {
  participant_id: EXAMPLE_PARTICIPANT,
  declaration_type: "started",
  declaration_date: DEMO_EXAMPLES.declarationDate,
  course_identifier: "ecf-induction",
};

export const DeclarationBody = jsonApiBody("participant-declaration", DeclarationAttributesRequest, POST_EXAMPLE, {
  body: "ParticipantDeclarationRequest",
  data: "ParticipantDeclarationDataRequest",
});

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

// the answers' schemas come from the definition (resource.ts)
export const DeclarationAttributes = DeclarationResource.attributes;

/** The POST answer is the v1 shape: two more attributes (appendix A 6), listed after the v2 ones. */
export const CreatedDeclarationAttributes = named(
  "CreatedParticipantDeclarationAttributes",
  t.Object({
    ...DeclarationResource.attributes.properties,
    eligible_for_payment: V1_ATTRIBUTES.eligible_for_payment.type,
    voided: V1_ATTRIBUTES.voided.type,
  }),
);

const resource = DeclarationResource.resourceOf;

const Declaration = DeclarationResource.schema;
export const DeclarationDocument = named("SingleParticipantDeclarationResponse", t.Object({ data: Declaration }));
export const CreatedDeclarationDocument = named(
  "CreatedParticipantDeclarationResponse",
  t.Object({ data: named("CreatedParticipantDeclaration", resource(CreatedDeclarationAttributes)) }),
);
export const DeclarationListDocument = listDocument("MultipleParticipantDeclarationsResponse", Declaration);

const V2_EXAMPLE = {
  id: EXAMPLE_ID,
  type: "participant-declaration",
  attributes: { ...POST_EXAMPLE, participant_id: DEMO_EXAMPLES.declaredParticipantId, updated_at: "2021-05-31T02:22:32Z", state: "eligible", has_passed: null },
};
const v2Example = (state: string) => ({ ...V2_EXAMPLE, attributes: { ...V2_EXAMPLE.attributes, state } });

const csvExample =
  "id,participant_id,declaration_type,course_identifier,declaration_date,updated_at,state,has_passed\n" +
  `${EXAMPLE_ID},${EXAMPLE_PARTICIPANT},started,ecf-induction,${DEMO_EXAMPLES.declarationDate},2021-05-31T02:22:32Z,eligible,""\n`;

export const createOperation = operation({
  operationId: "participant_declaration_create",
  tags: TAGS,
  summary: "Declare a participant has reached a milestone",
  description:
    "Not idempotent, whatever the contract says: an exact copy of an accepted declaration is refused with 422 `base` (as live). The new declaration is `eligible` when the participant is fundable, `ineligible` when another person with the same TRN holds the slot, otherwise `submitted`. The answer has the v1 attributes `eligible_for_payment` and `voided`.",
  answers: {
    200: {
      schema: CreatedDeclarationDocument,
      description: "Successful",
      example: { data: { ...V2_EXAMPLE, attributes: { ...V2_EXAMPLE.attributes, eligible_for_payment: true, voided: false } } },
    },
    400: missingData,
    ...everyRouteAnswers,
    413: payloadTooLarge,
    422: unprocessable("The declaration is refused: one item per attribute (`base` for a slot already taken, an exact copy included)", {
      title: "base",
      detail: MESSAGES.alreadySubmitted,
    }),
  },
});

const listBadRequest = badRequest(
  "A bad `filter` or `page` (not a hash, a nested value, an unparseable `updated_since`, a `participant_id` that is not a UUID, a page value below 1)",
  { title: "Bad request", detail: "The filter '#/updated_since' must be a valid RCF3339 date" },
);

export const listOperation = operation({
  operationId: "participant_declarations",
  tags: TAGS,
  summary: "List all participant declarations",
  description:
    "The provider's own declarations, and those made by other providers for participants it now trains (transferred in), oldest first. `filter[updated_since]` is exclusive.",
  answers: {
    200: { schema: DeclarationListDocument, description: "A list of participant declarations", example: { data: [V2_EXAMPLE] } },
    400: listBadRequest,
    ...everyRouteAnswers,
    406: notAcceptable,
  },
});

const csvBadRequest = badRequest("A bad `filter` (not a hash, a nested value, an unparseable `updated_since`, a `participant_id` that is not a UUID)", {
  title: "Bad parameter",
  detail: "Filter must be a hash",
});

const DeclarationsCsv = named(
  "MultipleParticipantDeclarationsCsvResponse",
  t.String({ description: "A list of participant declarations in the Comma Separated Value (CSV) format: a header line, then one line per declaration" }),
);

export const csvOperation = operation({
  operationId: "ecf_participant_declarations_csv",
  tags: TAGS,
  summary: "Retrieve all participant declarations in CSV format",
  description: "Every declaration the list shows, with its filters and no pagination. An empty list is an empty body (no header).",
  answers: {
    200: { schema: DeclarationsCsv, description: "A CSV file of participant declarations", type: "text/csv", example: csvExample },
    400: csvBadRequest,
    ...everyRouteAnswers,
  },
});

export const showOperation = operation({
  operationId: "participant_declaration",
  tags: TAGS,
  summary: "Get single participant declaration",
  description: "The list's `filter[participant_id]` and `filter[updated_since]` apply: a declaration outside them is 404.",
  answers: {
    200: { schema: DeclarationDocument, description: "A single participant declaration", example: { data: V2_EXAMPLE } },
    400: csvBadRequest,
    ...everyRouteAnswers,
    404: notFound,
  },
});

export const voidOperation = operation({
  operationId: "participant_declaration_void",
  tags: TAGS,
  summary: "Void a declaration - it will not be soft-deleted",
  description:
    "A declaration not yet paid becomes `voided`; a paid one becomes `awaiting-clawback` while the provider has an open output-fee statement for its cohort. Only the provider's own declarations.",
  answers: {
    200: { schema: DeclarationDocument, description: "Successful", example: { data: v2Example("voided") } },
    400: filterBadRequest,
    ...everyRouteAnswers,
    404: notFound,
    422: unprocessable("The declaration cannot be voided", { title: "Invalid action", detail: MESSAGES.alreadyVoided }),
  },
});

