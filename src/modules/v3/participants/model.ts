/** The participants routes' schemas (docs/reference/rect/rules.md §6). */
import { t } from "elysia";
import { v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery, v3UpdatedSinceQuery } from "../http/openapi";
import { participantResource } from "./resource";

const TAGS = ["v3 participants"];

export const ParticipantListQuery = t.Object(
  {
    "filter[cohort]": v3CohortListQuery,
    "filter[training_status]": t.Optional(
      t.String({
        description:
          "`active`, `deferred` or `withdrawn`, tested on the caller's latest ECT or mentor training period (a period deferred then withdrawn matches both); any other value gives no participants",
        example: "active",
      }),
    ),
    "filter[from_participant_id]": t.Optional(t.String({ description: "Only the teacher that a participant id was merged into (a non-UUID matches nothing)", example: "db3a7848-7308-4879-942a-c4a70ced400a" })),
    "filter[updated_since]": v3UpdatedSinceQuery("Only participants updated at or after this date-time"),
    sort: v3SortQuery("`created_at` ascending (the teacher's)"),
    ...v3PageQuery,
  },
  { additionalProperties: true },
);
export const ParticipantShowQuery = t.Object({}, { additionalProperties: true });
export const ParticipantParams = v3IdParams("participant", participantResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_participants_index",
  tags: TAGS,
  summary: "The teachers the caller trains or trained",
  description: "One row per teacher; `ecf_enrolments` from the caller's latest ECT and mentor training periods. Countless pagination.",
  answers: { 200: v3Ok(participantResource.listSchema, "A page of participants", { data: [participantResource.example] }), 400: v3ListBadRequest },
});

export const showOperation = v3Operation({
  operationId: "v3_participants_show",
  tags: TAGS,
  summary: "One of the caller's participants",
  description: "Filters are ignored.",
  answers: { 200: v3Ok(participantResource.singleSchema, "The participant", { data: participantResource.example }), 400: v3FilterBadRequest, 404: v3NotFound },
});
