/** The declarations routes' schemas (docs/reference/rect/rules.md §10). */
import { t } from "elysia";
import { v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3UpdatedSinceQuery } from "../http/openapi";
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
