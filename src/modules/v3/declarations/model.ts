/** The declarations routes' schemas (docs/reference/rect/rules.md §10). */
import { t } from "elysia";
import { v3BadRequestAnswer, v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { declarationResource } from "./resource";

const TAGS = ["v3 participant declarations"];

const uuidListQuery = (what: string) =>
  t.Optional(
    t.String({
      description: `Only declarations of these ${what}: UUIDs, comma-separated (or repeated \`[]=\`). Items that are not UUIDs are dropped; none left matches nothing; blank means all`,
      example: declarationResource.example.attributes.participant_id as string,
    }),
  );

export const DeclarationListQuery = t.Object(
  {
    "filter[cohort]": v3CohortListQuery,
    "filter[participant_id]": uuidListQuery("participants"),
    "filter[delivery_partner_id]": uuidListQuery("delivery partners (at creation)"),
    "filter[updated_since]": v3UpdatedSinceQuery("Only declarations updated at or after this date-time"),
    ...v3PageQuery,
  },
  { additionalProperties: true },
);
export const DeclarationShowQuery = t.Object({}, { additionalProperties: true });
export const DeclarationParams = v3IdParams("participant declaration", declarationResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_participant_declarations_index",
  tags: TAGS,
  summary: "The caller's declarations, and billable ones of previous providers",
  description: "Ordered by `created_at`; no `sort` parameter. Countless pagination.",
  answers: {
    200: v3Ok(declarationResource.listSchema, "A page of declarations", { data: [declarationResource.example] }),
    400: v3ListBadRequest,
  },
});

export const showOperation = v3Operation({
  operationId: "v3_participant_declarations_show",
  tags: TAGS,
  summary: "One declaration the caller can see",
  answers: {
    200: v3Ok(declarationResource.singleSchema, "The declaration", { data: declarationResource.example }),
    400: v3FilterBadRequest,
    404: v3NotFound,
  },
});

/** What POST reads (declarations_controller.rb:49-51); anything else is dropped, `data.type` is never read. */
export const CREATE_ATTRIBUTES = ["participant_id", "declaration_type", "declaration_date", "course_identifier", "evidence_held"] as const;

const CREATE_EXAMPLE = {
  data: {
    type: "participant-declaration",
    attributes: {
      participant_id: declarationResource.example.attributes.participant_id,
      declaration_type: "started",
      declaration_date: "2025-10-01T09:00:00Z",
      course_identifier: "ecf-induction",
      evidence_held: "training-event-attended",
    },
  },
};

const CreateAttributes = t.Object(
  {
    participant_id: t.String({ format: "uuid" }),
    declaration_type: t.String({ description: "started, retained-1..4, completed, extended-1..3" }),
    declaration_date: t.String({ description: "RFC 3339 date-time; without an offset it is London time", example: "2025-10-01T09:00:00Z" }),
    course_identifier: t.Union([t.Literal("ecf-induction"), t.Literal("ecf-mentor")]),
    evidence_held: t.Optional(t.String({ description: "Required except for pre-2025 started declarations (where it is discarded)" })),
  },
  { additionalProperties: true },
);
export const CreateBodySchema = t.Object({ data: t.Object({ type: t.Optional(t.String({ example: "participant-declaration" })), attributes: CreateAttributes }) });

const v3Json = (schema: any, example: unknown) => ({ content: { "application/json": { schema, example }, "application/x-www-form-urlencoded": { schema } } });

const unprocessableAnswer = v3BadRequestAnswer("A check of docs/reference/rect/rules.md §10.5 failed: one item per message, in RECT's order", {
  title: "declaration_type",
  detail: "A declaration has already been submitted that will be, or has been, paid for this event.",
});
const writeBadRequest = v3BadRequestAnswer(
  "No `data`, blank `data`, or no permitted attribute (`Correct json data structure required. See API docs for reference.`); a `declaration_date` Ruby cannot compare (`comparison of String with ActiveSupport::TimeWithZone failed`); malformed JSON; `filter` not a hash",
  { title: "Bad request", detail: "Correct json data structure required. See API docs for reference." },
);

export const createOperation = (() => {
  const op = v3Operation({
    operationId: "v3_participant_declarations_create",
    tags: TAGS,
    summary: "Declare a participant's training event",
    description: "Answers 200 (not 201). An exact copy of an accepted declaration is refused (422), whatever the contract's summary says.",
    answers: {
      200: v3Ok(declarationResource.singleSchema, "The declaration created", { data: declarationResource.example }),
      400: writeBadRequest,
      422: unprocessableAnswer,
    },
  });
  return { ...op, detail: { ...op.detail, requestBody: { required: true, ...v3Json(CreateBodySchema, CREATE_EXAMPLE) } } };
})();

export const voidOperation = v3Operation({
  operationId: "v3_participant_declarations_void",
  tags: TAGS,
  summary: "Void one of the caller's declarations (a paid one is clawed back)",
  description:
    "Only the caller's own declarations (a previous provider's is a 404). `submitted`, `eligible`, `payable` become `voided`; `paid` becomes `awaiting-clawback` on the next output statement of its cohort. Answers 200. The body is not read.",
  answers: {
    200: v3Ok(declarationResource.singleSchema, "The declaration, voided or awaiting clawback", { data: { ...declarationResource.example, attributes: { ...declarationResource.example.attributes, state: "voided", statement_id: null } } }),
    400: v3FilterBadRequest,
    404: v3NotFound,
    422: v3BadRequestAnswer("Already voided; already in clawback; no output statement left for the clawback", { title: "participant_declaration_id", detail: "The declaration has already been voided." }),
  },
});
