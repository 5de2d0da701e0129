/**
 * The participant (ECFParticipant), defined once (src/http/resource.ts): its
 * attributes in the live order (docs/reference/business-rules.md §4.2), each with the SQL the
 * read model renders it from, its schema, its CSV cell and its example. The
 * SQL reads the aliases of the read model's source (read-model.ts
 * `PARTICIPANT_SOURCE`): `p` the person, `tr` the training record, `v` the
 * provider's view of it (the record itself, or a former provider's view), `s`
 * its schedule. The served schemas, the stored JSON and CSV text, the CSV
 * header and the documented examples are all generated from this list.
 */
import { t } from "elysia";
import { nullable } from "../../http/openapi";
import { defineResource } from "../../http/resource";
import { DEMO_EXAMPLES } from "../seed/examples";

export const SCHEDULES = ["standard", "reduced", "extended", "replacement"].flatMap((kind) =>
  ["september", "january", "april"].map((month) => `ecf-${kind}-${month}`),
);

export const ParticipantResource = defineResource({
  name: "ECFParticipant",
  attributesName: "ECFParticipantAttributes",
  type: "participant",
  csv: true,
  id: {
    sql: "p.id",
    type: t.String({ format: "uuid", description: "The participant's user id, the same for all of a person's training records" }),
    // demo data (src/modules/seed/examples.ts): the examples work on a freshly seeded sandbox with the first demo provider's token
    example: DEMO_EXAMPLES.participantId,
  },
  attributes: {
    email: {
      sql: "p.email",
      type: t.String({ description: "The email address registered for this ECF participant (never null, whatever the status)" }),
      example: "jane.smith@some-school.example.com",
    },
    full_name: { sql: "p.full_name", type: t.String({ description: "The full name of this ECF participant" }), example: "Jane Smith" },
    mentor_id: {
      sql: "case when tr.participant_type = 'ect' then v.mentor_id end",
      type: nullable(t.String({ format: "uuid", description: "The user id of this ECT's mentor; always null for mentors" })),
      example: "bb36d74a-68a7-47b6-86b6-1fd0d141c590",
    },
    school_urn: {
      sql: "v.school_urn",
      type: t.String({ description: "The Unique Reference Number (URN) of the school that submitted this ECF participant" }),
      example: "106286",
    },
    participant_type: {
      sql: "tr.participant_type",
      type: t.String({ enum: ["ect", "mentor"], description: "The type of ECF participant this record refers to" }),
      csv: "plain",
      example: "ect",
    },
    cohort: {
      sql: "cast(s.cohort as text)",
      type: t.String({
        description:
          "Indicates which call-off contract funds this participant's training. 2021 indicates a participant that has started, or will start, their training in the 2021/22 academic year.",
      }),
      csv: "plain",
      example: String(DEMO_EXAMPLES.cohort),
    },
    // rules.ts inductionStatusToStatus
    status: {
      sql: "case when v.induction_status in ('active', 'completed', 'leaving') then 'active' when v.induction_status in ('withdrawn', 'changed') then 'withdrawn' end",
      type: t.String({ enum: ["active", "withdrawn"], description: "The status of this ECF participant record (from the school's induction status, not the provider's withdraw)" }),
      csv: "plain",
      example: "active",
    },
    teacher_reference_number: {
      sql: "p.teacher_reference_number",
      type: nullable(t.String({ description: "The Teacher Reference Number (TRN) for this ECF participant" })),
      example: "0012345",
    },
    teacher_reference_number_validated: {
      sql: "case when p.teacher_reference_number is not null then p.teacher_reference_number_validated end",
      type: nullable(t.Boolean({ description: "Whether the TRN has been validated; null when there is no TRN" })),
      example: true,
    },
    eligible_for_funding: {
      sql: "tr.eligible_for_funding",
      type: nullable(t.Boolean({ description: "Indicates whether this participant is eligible to receive DfE funded induction" })),
      example: true,
    },
    pupil_premium_uplift: {
      sql: "tr.pupil_premium_uplift",
      type: t.Boolean({ description: "Indicates whether this participant qualifies for an uplift payment due to pupil premium" }),
      example: false,
    },
    sparsity_uplift: {
      sql: "tr.sparsity_uplift",
      type: t.Boolean({ description: "Indicates whether this participant qualifies for an uplift payment due to sparsity" }),
      example: true,
    },
    training_status: {
      sql: "v.training_status",
      type: t.String({ enum: ["active", "deferred", "withdrawn"], description: "The training status of the ECF participant" }),
      csv: "plain",
      example: "active",
    },
    training_record_id: {
      sql: "tr.id",
      type: t.String({ format: "uuid", description: "The unique identifier of the participant training record" }),
      csv: "plain",
      example: DEMO_EXAMPLES.trainingRecordId,
    },
    schedule_identifier: {
      sql: "s.identifier",
      type: t.String({ enum: SCHEDULES, description: "The schedule of the ECF participant" }),
      example: "ecf-standard-september",
    },
    updated_at: {
      sql: "max(p.updated_at, tr.updated_at, v.view_updated_at)",
      type: t.String({ format: "date-time", description: "The date the ECF participant was last updated (RFC 3339, whole seconds, `Z`)" }),
      csv: "plain",
      example: "2021-05-31T02:22:32Z",
    },
  },
});
