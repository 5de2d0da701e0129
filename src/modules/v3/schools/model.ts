/** The schools routes' schemas (docs/reference/rect/rules.md §14). */
import { t } from "elysia";
import { v3BadRequestAnswer, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { schoolResource } from "./resource";

const TAGS = ["v3 schools"];
const cohort = t.Optional(
  t.String({ description: "Required: one cohort year (a list reads as its first year). An unknown, blank or non-numeric year gives no schools (404 by id)", example: "2025" }),
);

export const SchoolListQuery = t.Object(
  {
    "filter[cohort]": cohort,
    "filter[urn]": t.Optional(t.String({ description: "Only the school with this URN (its leading digits)", example: "123456" })),
    "filter[updated_since]": v3UpdatedSinceQuery("Only schools whose cohort record was updated at or after this date-time"),
    sort: v3SortQuery("`created_at` ascending (a sort naming `updated_at` orders every part by the school's cohort record)"),
    ...v3PageQuery,
  },
  { additionalProperties: true },
);
export const SchoolShowQuery = t.Object({ "filter[cohort]": cohort }, { additionalProperties: true });
export const SchoolParams = v3IdParams("school", schoolResource.example.id);

const missingCohort = v3BadRequestAnswer("No `filter[cohort]` key, or a `filter` that is not a hash; and the 400s of every list", {
  title: "Bad parameter",
  detail: "The filter '#/cohort' must be included in your request",
});

export const listOperation = v3Operation({
  operationId: "v3_schools_index",
  tags: TAGS,
  summary: "Schools for a cohort",
  description: "Not scoped to the caller: every provider sees the same schools; `expression_of_interest` and the tutor fields depend on the caller.",
  answers: { 200: v3Ok(schoolResource.listSchema, "A page of schools", { data: [schoolResource.example] }), 400: { ...missingCohort, description: `${missingCohort.description}. ${v3ListBadRequest.description}` } },
});

export const showOperation = v3Operation({
  operationId: "v3_schools_show",
  tags: TAGS,
  summary: "One school, for a cohort",
  answers: { 200: v3Ok(schoolResource.singleSchema, "The school", { data: schoolResource.example }), 400: missingCohort, 404: v3NotFound },
});
