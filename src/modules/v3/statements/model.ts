/** The statements routes' schemas (docs/reference/rect/rules.md §11). */
import { t } from "elysia";
import { v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { statementResource } from "./resource";

const TAGS = ["v3 statements"];

export const StatementListQuery = t.Object(
  { "filter[cohort]": v3CohortListQuery, "filter[updated_since]": v3UpdatedSinceQuery("Only statements updated at or after this date-time"), ...v3PageQuery },
  { additionalProperties: true },
);
export const StatementShowQuery = t.Object({}, { additionalProperties: true });
export const StatementParams = v3IdParams("statement", statementResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_statements_index",
  tags: TAGS,
  summary: "The caller's output statements",
  description: "Ordered by `payment_date`; no `sort` parameter. Countless pagination.",
  answers: {
    200: v3Ok(statementResource.listSchema, "A page of statements", { data: [statementResource.example] }),
    400: v3ListBadRequest,
  },
});

export const showOperation = v3Operation({
  operationId: "v3_statements_show",
  tags: TAGS,
  summary: "One of the caller's output statements",
  answers: {
    200: v3Ok(statementResource.singleSchema, "The statement", { data: statementResource.example }),
    400: v3FilterBadRequest,
    404: v3NotFound,
  },
});
