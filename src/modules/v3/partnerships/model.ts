/** The partnerships routes' schemas (docs/reference/rect/rules.md §13). */
import { t } from "elysia";
import { v3BadRequestAnswer, v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { partnershipResource } from "./resource";

const TAGS = ["v3 partnerships"];

export const PartnershipListQuery = t.Object(
  {
    "filter[cohort]": v3CohortListQuery,
    "filter[delivery_partner_id]": t.Optional(
      t.String({
        description: "Only partnerships with these delivery partners (their current one): ids, comma-separated. Not checked: an id that is not a UUID matches nothing. A repeated `filter[delivery_partner_id][]=` is ignored (RECT permits a single value only)",
        example: "3a1b2c3d-7308-4879-942a-c4a70ced400a",
      }),
    ),
    "filter[updated_since]": v3UpdatedSinceQuery("Only partnerships updated at or after this date-time"),
    sort: v3SortQuery("`created_at` ascending"),
    ...v3PageQuery,
  },
  { additionalProperties: true },
);
export const PartnershipShowQuery = t.Object({}, { additionalProperties: true });
export const PartnershipParams = v3IdParams("partnership", partnershipResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_partnerships_index",
  tags: TAGS,
  summary: "The caller's partnerships",
  answers: {
    200: v3Ok(partnershipResource.listSchema, "A page of partnerships", { data: [partnershipResource.example] }),
    400: v3ListBadRequest,
  },
});

export const showOperation = v3Operation({
  operationId: "v3_partnerships_show",
  tags: TAGS,
  summary: "One of the caller's partnerships",
  answers: {
    200: v3Ok(partnershipResource.singleSchema, "The partnership", { data: partnershipResource.example }),
    400: v3FilterBadRequest,
    404: v3NotFound,
  },
});

const BAD_BODY = {
  title: "Bad request",
  detail: "Correct json data structure required. See API docs for reference.",
};
const badBody = v3BadRequestAnswer(
  "No `data`, `data` blank or not an object, `attributes` not an object or without any of the attributes read (RECT answers 500 for `data` a string, a number or a list, and a bare 400 for malformed JSON); a `filter` that is not a hash (`Filter must be a hash`)",
  BAD_BODY,
);
const unprocessable = (example: { title: string; detail: string }) =>
  v3BadRequestAnswer("The service's checks, one item per message, in the order of docs/reference/rect/rules.md §13", example);

const CreateAttributes = t.Object(
  {
    cohort: t.Union([t.String(), t.Integer()], { description: "The cohort (a year; text with trailing junk is read like Ruby `to_i`)", example: "2025" }),
    school_id: t.String({ format: "uuid", description: "The school's id", example: partnershipResource.example.attributes.school_id }),
    delivery_partner_id: t.String({ format: "uuid", description: "A delivery partner the caller works with in the cohort", example: partnershipResource.example.attributes.delivery_partner_id }),
  },
  { description: "Other attributes are ignored" },
);
const CreateBody = t.Object({ data: t.Object({ type: t.Optional(t.String({ description: "Not read", example: "partnership" })), attributes: CreateAttributes }) });
const UpdateBody = t.Object({
  data: t.Object({
    type: t.Optional(t.String({ description: "Not read", example: "partnership" })),
    attributes: t.Object({ delivery_partner_id: t.String({ format: "uuid", description: "Another delivery partner the caller works with in the partnership's cohort", example: "5c6d7e8f-7308-4879-942a-c4a70ced400a" }) }, { description: "Other attributes are ignored" }),
  }),
});

export const createOperation = {
  ...v3Operation({
    operationId: "v3_partnerships_create",
    tags: TAGS,
    summary: "Confirm a partnership with a school for a cohort",
    description:
      "Answers 200 (never 201). Links the school's training periods that have an expression of interest for the caller in the cohort to the new partnership. The body may also be form-encoded (`data[attributes][cohort]=2025&…`).",
    answers: {
      200: v3Ok(partnershipResource.singleSchema, "The partnership made", { data: partnershipResource.example }),
      400: badBody,
      422: unprocessable({ title: "school_id", detail: "You are already in a confirmed partnership with this school for the entered cohort." }),
    },
  }),
};
/** `detail.requestBody` (the routes parse the body themselves, `parse: "none"`): TypeBox schemas, as the document shows them. */
export const createRequestBody: any = {
  description: "`{\"data\":{\"type\":\"partnership\",\"attributes\":{…}}}`",
  required: true,
  content: {
    "application/json": {
      schema: CreateBody,
      example: { data: { type: "partnership", attributes: { cohort: "2025", school_id: partnershipResource.example.attributes.school_id, delivery_partner_id: partnershipResource.example.attributes.delivery_partner_id } } },
    },
  },
};

export const updateOperation = (method: "put" | "patch") =>
  v3Operation({
    operationId: `v3_partnerships_update${method === "patch" ? "_patch" : ""}`,
    tags: TAGS,
    summary: method === "put" ? "Change a partnership's delivery partner" : "Change a partnership's delivery partner (PATCH: the same as PUT)",
    description:
      "The partnership is looked up first (404), then the body is read (400), then checked (422). Sending the current delivery partner is refused (422). Moves the `updated_at` of the partnership, its participants and their declarations.",
    answers: {
      200: v3Ok(partnershipResource.singleSchema, "The partnership, with its new delivery partner", { data: partnershipResource.example }),
      400: badBody,
      404: v3NotFound,
      422: unprocessable({
        title: "delivery_partner_id",
        detail: "We are unable to process this request. You are already confirmed to be in partnership with the entered delivery partner. Contact the DfE for support.",
      }),
    },
  });
export const updateRequestBody: any = {
  description: "`{\"data\":{\"type\":\"partnership\",\"attributes\":{\"delivery_partner_id\":…}}}`",
  required: true,
  content: { "application/json": { schema: UpdateBody, example: { data: { type: "partnership", attributes: { delivery_partner_id: "5c6d7e8f-7308-4879-942a-c4a70ced400a" } } } } },
};
