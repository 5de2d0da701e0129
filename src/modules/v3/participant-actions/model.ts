/** The participant actions' schemas (docs/reference/rect/rules.md §7). */
import { t } from "elysia";
import { v3BadRequestAnswer, v3IdParams, v3NotFound, v3Ok, v3Operation } from "../http/openapi";
import { DEFERRAL_REASONS, MESSAGES, type ParticipantAction, SCHEDULE_IDENTIFIERS, WITHDRAWAL_REASONS } from "./rules";

const TAGS = ["v3 participants"];
const EXAMPLE_ID = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";

export const ActionParams = v3IdParams("participant", EXAMPLE_ID);
export const ActionQuery = t.Object({}, { additionalProperties: true });

/** The attributes each action permits (participants_controller.rb:99-113). */
export const ACTION_ATTRIBUTES: Record<ParticipantAction, readonly string[]> = {
  defer: ["reason", "course_identifier"],
  withdraw: ["reason", "course_identifier"],
  resume: ["course_identifier"],
  "change-schedule": ["schedule_identifier", "cohort", "course_identifier"],
};

const course = t.String({ description: "`ecf-induction` or `ecf-mentor`; anything else counts as missing", example: "ecf-induction" });
const ATTRIBUTES: Record<ParticipantAction, any> = {
  defer: t.Object({ reason: t.String({ description: DEFERRAL_REASONS.join(", "), example: "career-break" }), course_identifier: course }, { additionalProperties: true }),
  withdraw: t.Object({ reason: t.String({ description: WITHDRAWAL_REASONS.join(", "), example: "moved-school" }), course_identifier: course }, { additionalProperties: true }),
  resume: t.Object({ course_identifier: course }, { additionalProperties: true }),
  "change-schedule": t.Object(
    {
      schedule_identifier: t.String({ description: SCHEDULE_IDENTIFIERS.join(", "), example: "ecf-extended-september" }),
      cohort: t.Optional(t.String({ description: "The target cohort; absent or unknown: the participant's current one", example: "2025" })),
      course_identifier: course,
    },
    { additionalProperties: true },
  ),
};
const EXAMPLES: Record<ParticipantAction, Record<string, string>> = {
  defer: { reason: "career-break", course_identifier: "ecf-induction" },
  withdraw: { reason: "moved-school", course_identifier: "ecf-induction" },
  resume: { course_identifier: "ecf-induction" },
  "change-schedule": { schedule_identifier: "ecf-extended-september", cohort: "2025", course_identifier: "ecf-induction" },
};

/** The participant document (docs/reference/rect/rules.md §6.3), as GET /api/v3/participants/{id} answers it. */
const ParticipantDocument = t.Object({
  data: t.Object({ id: t.String({ format: "uuid" }), type: t.Literal("participant"), attributes: t.Record(t.String(), t.Unknown()) }),
});

const SUMMARIES: Record<ParticipantAction, { summary: string; description: string; unprocessable: { title: string; detail: string } }> = {
  defer: {
    summary: "Defer a participant",
    description: "The caller's latest training period of the course gets `deferred_at` now and ends today (or keeps an earlier end). Not on the period's first day, nor before it.",
    unprocessable: { title: "participant_id", detail: MESSAGES.alreadyDeferred },
  },
  withdraw: {
    summary: "Withdraw a participant",
    description: "The caller's latest training period of the course gets `withdrawn_at` now and ends today (or keeps an earlier end). A deferred participant can be withdrawn. Not on the period's first day, nor before it.",
    unprocessable: { title: "participant_id", detail: MESSAGES.alreadyWithdrawn },
  },
  resume: {
    summary: "Resume a deferred or withdrawn participant",
    description: "A new training period starts today in the same at-school period, with the same partnership and schedule; the old one is unchanged. Not on the day the old one ended.",
    unprocessable: { title: "participant_id", detail: MESSAGES.alreadyActive },
  },
  "change-schedule": {
    summary: "Change a participant's schedule (and cohort)",
    description:
      "A period that started before today ends yesterday and a new one starts today on the new schedule; one starting today or later changes in place. Declarations (paid ones too) do not block it.",
    unprocessable: { title: "schedule_identifier", detail: MESSAGES.scheduleSame },
  },
};

export function actionOperation(action: ParticipantAction) {
  const s = SUMMARIES[action];
  const op = v3Operation({
    operationId: `v3_participants_${action.replace("-", "_")}`,
    tags: TAGS,
    summary: s.summary,
    description: `${s.description} Answers 200 with the participant.`,
    answers: {
      200: v3Ok(ParticipantDocument, "The participant, after the change", { data: { id: EXAMPLE_ID, type: "participant", attributes: {} } }),
      400: v3BadRequestAnswer("No `data`, blank `data`, no permitted attribute; malformed JSON; `filter` not a hash", {
        title: "Bad request",
        detail: "Correct json data structure required. See API docs for reference.",
      }),
      404: v3NotFound,
      422: v3BadRequestAnswer("A check of docs/reference/rect/rules.md §7 failed: one item per message, in RECT's order", s.unprocessable),
    },
  });
  const body = t.Object({ data: t.Object({ type: t.Optional(t.String({ example: `participant-${action}` })), attributes: ATTRIBUTES[action] }) });
  const example = { data: { type: `participant-${action}`, attributes: EXAMPLES[action] } };
  return {
    ...op,
    detail: { ...op.detail, requestBody: { required: true, content: { "application/json": { schema: body, example }, "application/x-www-form-urlencoded": { schema: body } } } },
  };
}
