/** The transfers routes' schemas (docs/reference/rect/rules.md §8). */
import { t } from "elysia";
import { v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { transferResource } from "./resource";

const TAGS = ["v3 participant transfers"];

export const TransferListQuery = t.Object(
  {
    "filter[updated_since]": v3UpdatedSinceQuery("Only participants with a first or last training period of a school period of the caller's, transfer-updated at or after this date-time"),
    sort: v3SortQuery("`created_at` ascending (the teacher's)"),
    ...v3PageQuery,
  },
  { additionalProperties: true },
);
export const TransferShowQuery = t.Object({}, { additionalProperties: true });
export const TransferParams = v3IdParams("participant", transferResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_participant_transfers_index",
  tags: TAGS,
  summary: "Participants with school transfers the caller is part of",
  answers: { 200: v3Ok(transferResource.listSchema, "A page of participant transfers", { data: [transferResource.example] }), 400: v3ListBadRequest },
});

export const showOperation = v3Operation({
  operationId: "v3_participant_transfers_show",
  tags: TAGS,
  summary: "One participant's school transfers",
  answers: { 200: v3Ok(transferResource.singleSchema, "The participant's transfers", { data: transferResource.example }), 400: v3FilterBadRequest, 404: v3NotFound },
});
