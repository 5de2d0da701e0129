/** The unfunded mentors routes' schemas (docs/reference/rect/rules.md §9). */
import { t } from "elysia";
import { v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { unfundedMentorResource } from "./resource";

const TAGS = ["v3 unfunded mentors"];

export const UnfundedMentorListQuery = t.Object(
  {
    "filter[updated_since]": v3UpdatedSinceQuery("Only mentors whose unfunded-mentor record was updated at or after this date-time"),
    sort: v3SortQuery("the teacher's `created_at` ascending (`updated_at` is the unfunded-mentor timestamp)"),
    ...v3PageQuery,
  },
  { additionalProperties: true, description: "`filter[cohort]` is not read here" },
);
export const UnfundedMentorShowQuery = t.Object({}, { additionalProperties: true });
export const UnfundedMentorParams = v3IdParams("mentor (teacher)", unfundedMentorResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_unfunded_mentors_index",
  tags: TAGS,
  summary: "Mentors of the caller's ECTs whom the caller does not train",
  answers: {
    200: v3Ok(unfundedMentorResource.listSchema, "A page of unfunded mentors", { data: [unfundedMentorResource.example] }),
    400: v3ListBadRequest,
  },
});

export const showOperation = v3Operation({
  operationId: "v3_unfunded_mentors_show",
  tags: TAGS,
  summary: "One unfunded mentor of the caller's",
  answers: {
    200: v3Ok(unfundedMentorResource.singleSchema, "The unfunded mentor", { data: unfundedMentorResource.example }),
    400: v3FilterBadRequest,
    404: v3NotFound,
  },
});
