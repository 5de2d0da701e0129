/** The partnerships routes' schemas (docs/reference/rect/rules.md §13). */
import { t } from "elysia";
import { v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
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
