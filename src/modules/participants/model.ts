/**
 * The participants routes' schemas (docs/reference/business-rules.md §4, §6), modelled on the
 * published contract's components but as the sandbox (and live) answers.
 * Request schemas check only what the live service refuses with the same
 * answer; anything else reaches the rules, which answer the live 422s.
 */
import { t } from "elysia";
import {
  type Operation,
  badRequest,
  deepObjectMember,
  documented,
  everyRouteAnswers,
  jsonApiBody,
  listDocument,
  missingData,
  named,
  notAcceptable,
  notFound,
  operation,
  pageQuery,
  payloadTooLarge,
  unprocessable,
  updatedSinceQuery,
} from "../../http/openapi";
import { ParticipantResource, SCHEDULES } from "./resource";
import { COURSE_IDENTIFIERS, DEFER_REASONS, MESSAGES, WITHDRAW_REASONS } from "./rules";

const TAGS = ["ECF participants"];
const COURSES = [...COURSE_IDENTIFIERS];
const EXAMPLE_ID = ParticipantResource.example.id;

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

export const ParticipantParams = t.Object({
  id: t.String({ description: "The participant's id (the `id` of a participant resource)", example: EXAMPLE_ID }),
});

const cohortFilter = deepObjectMember(
  "ListFilter",
  t.String({
    description:
      "Return only records whose schedule is in one of these cohorts: start years, comma-separated (`2021,2022`). Unknown or non-numeric years match nothing; blank means every cohort",
  }),
);
const updatedSinceFilter = updatedSinceQuery(
  "ListFilter",
  "Return only records updated at or after this date-time",
  "Refine the ECF participants: `filter[cohort]`, `filter[updated_since]` (both optional)",
);

/** Flat bracketed keys, as Elysia parses them; other keys are ignored (additionalProperties). */
export const ParticipantListQuery = t.Object(
  {
    "filter[cohort]": cohortFilter,
    "filter[updated_since]": updatedSinceFilter,
    ...pageQuery,
  },
  { additionalProperties: true },
);

export const ParticipantCsvQuery = t.Object(
  { "filter[cohort]": cohortFilter, "filter[updated_since]": updatedSinceFilter },
  { additionalProperties: true },
);

/** A scalar attribute (Rails' strong parameters keep numbers and booleans as sent: `false` is blank). */
const attribute = (description: string, values: string[], example: string) =>
  t.Optional(
    documented(t.Union([t.String({ enum: values }), t.Number(), t.Boolean()], { description: `${description}. One of: ${values.join(", ")}`, example }), {
      type: "string",
      enum: values,
      description,
      example,
    }),
  );

const courseIdentifier = attribute("The type of course the participant is enrolled in", COURSES, "ecf-induction");

export const DeferBody = jsonApiBody(
  "participant-defer",
  named("ECFParticipantDeferAttributes", t.Object({ reason: attribute("The reason for the deferral", [...DEFER_REASONS], "career-break"), course_identifier: courseIdentifier })),
  { reason: "career-break", course_identifier: "ecf-induction" },
  { body: "ECFParticipantDeferRequest", data: "ECFParticipantDefer" },
);
export const WithdrawBody = jsonApiBody(
  "participant-withdraw",
  named(
    "ECFParticipantWithdrawAttributes",
    t.Object({
      reason: attribute("The reason for the withdrawal", [...WITHDRAW_REASONS], "left-teaching-profession"),
      course_identifier: courseIdentifier,
    }),
  ),
  { reason: "left-teaching-profession", course_identifier: "ecf-induction" },
  { body: "ECFParticipantWithdrawRequest", data: "ECFParticipantWithdraw" },
);
export const ResumeBody = jsonApiBody(
  "participant-resume",
  named("ECFParticipantResumeAttributes", t.Object({ course_identifier: courseIdentifier })),
  { course_identifier: "ecf-induction" },
  { body: "ECFParticipantResumeRequest", data: "ECFParticipantResume" },
);
export const ChangeScheduleBody = jsonApiBody(
  "participant-change-schedule",
  named("ECFParticipantChangeScheduleAttributes", t.Object({
    schedule_identifier: attribute("The new schedule of the participant", SCHEDULES, "ecf-standard-january"),
    course_identifier: courseIdentifier,
    cohort: t.Optional(
      documented(
        t.Union([t.String(), t.Number(), t.Boolean()], {
          description:
            "The cohort (start year) of the new schedule; default: the participant's. It can change while the participant has no submitted, eligible, payable or paid declarations and the provider has a partnership with the school in that cohort",
          example: String(DEMO_EXAMPLES.cohort),
        }),
        {
          type: "string",
          pattern: "^[0-9]{4}$",
          description:
            "The cohort (start year) of the new schedule; default: the participant's. It can change while the participant has no submitted, eligible, payable or paid declarations and the provider has a partnership with the school in that cohort",
          example: String(DEMO_EXAMPLES.cohort),
        },
      ),
    ),
  })),
  { schedule_identifier: "ecf-standard-january", course_identifier: "ecf-induction", cohort: String(DEMO_EXAMPLES.cohort) },
  { body: "ECFParticipantChangeScheduleRequest", data: "ECFParticipantChangeSchedule" },
);

const ACTION_KEYS = ["course_identifier", "reason", "schedule_identifier", "cohort"] as const;
/** The attributes each action reads (§3.1), scalars kept as sent (the rules judge them). */
export const ACTION_ATTRIBUTES = { keys: ACTION_KEYS, raw: ACTION_KEYS } as const;

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

export const ParticipantAttributes = ParticipantResource.attributes;
const participantResource = ParticipantResource.resourceOf;
export const Participant = ParticipantResource.schema;
const PARTICIPANT_EXAMPLE = ParticipantResource.example;

export const ParticipantDocument = named("ECFParticipantResponse", t.Object({ data: Participant }));
export const ParticipantListDocument = listDocument("MultipleECFParticipantsResponse", Participant);

/** An action's answer, under the contract's per-action names (the same participant resource). */
const actionDocument = (names: { document: string; data: string; attributes: string }) =>
  named(names.document, t.Object({ data: named(names.data, participantResource(named(names.attributes, ParticipantAttributes))) }));
const ACTION_DOCUMENTS = {
  defer: actionDocument({ document: "ECFParticipantDeferResponse", data: "ECFParticipantDeferResponseData", attributes: "ECFParticipantDeferAttributesResponse" }),
  resume: actionDocument({ document: "ECFParticipantResumeResponse", data: "ECFParticipantResumeResponseData", attributes: "ECFParticipantResumeAttributesResponse" }),
  withdraw: actionDocument({ document: "ECFParticipantWithdrawResponse", data: "ECFParticipantWithdrawDataResponse", attributes: "ECFParticipantWithdrawAttributesResponse" }),
  "change-schedule": ParticipantDocument,
};

const csvExample = ParticipantResource.csvExample!;

const ParticipantsCsv = named(
  "MultipleECFParticipantsCsvResponse",
  t.String({ description: "A list of ECF participants in the Comma Separated Value (CSV) format: a header line, then one line per training record" }),
);

const listBadRequest = badRequest("A bad `filter` or `page` (not a hash, a nested value, an unparseable `updated_since`, a page value below 1)", {
  title: "Bad request",
  detail: "The filter '#/updated_since' must be a valid RCF3339 date",
});
const csvBadRequest = badRequest("A bad `filter` (not a hash, a nested value, an unparseable `updated_since`)", {
  title: "Bad parameter",
  detail: "Filter must be a hash",
});

export const listOperation = (op: Partial<Operation> = {}) =>
  operation({
    operationId: "participants",
    tags: TAGS,
    summary: "Retrieve multiple participants, replaces /api/v2/participants",
    description:
      "One row per training record the provider sees (someone who is both an ECT and a mentor appears twice), oldest user first (by user update time with `filter[updated_since]`). `/api/v2/participants/ecf.json` is the same list.",
    answers: {
      200: { schema: ParticipantListDocument, description: "A list of ECF participants", example: { data: [PARTICIPANT_EXAMPLE] } },
      400: listBadRequest,
      ...everyRouteAnswers,
      406: notAcceptable,
    },
    ...op,
  });

export const csvOperation = (op: Partial<Operation> = {}) =>
  operation({
    operationId: "ecf_participants_csv",
    tags: TAGS,
    summary: "Retrieve all participants in CSV format, replaces /api/v2/participants.csv",
    description:
      "Every visible row in the list's order, with the list's filters and no pagination. No `type` column; an empty list is an empty body (no header).",
    answers: {
      200: { schema: ParticipantsCsv, description: "A CSV file of ECF participants", type: "text/csv", example: csvExample },
      400: csvBadRequest,
      ...everyRouteAnswers,
    },
    ...op,
  });

export const showOperation = (op: Partial<Operation> = {}) =>
  operation({
    operationId: "ecf_participant",
    tags: TAGS,
    summary: "Get a single ECF participant",
    description:
      "When the person has more than one visible training record, the ECT one. The list's `filter[cohort]` and `filter[updated_since]` apply: a record outside them is 404.",
    answers: {
      200: { schema: ParticipantDocument, description: "A single ECF participant", example: { data: PARTICIPANT_EXAMPLE } },
      400: csvBadRequest,
      ...everyRouteAnswers,
      404: notFound,
    },
    ...op,
  });

const actionAnswers = (action: keyof typeof ACTION_DOCUMENTS, what: string, example: { title: string; detail: string }) => ({
  200: { schema: ACTION_DOCUMENTS[action], description: `The ECF participant ${what}`, example: { data: PARTICIPANT_EXAMPLE } },
  400: missingData,
  ...everyRouteAnswers,
  404: notFound,
  413: payloadTooLarge,
  422: unprocessable("The participant, course or action is refused: one item per attribute", example),
});

export const ACTION_OPERATIONS = {
  defer: {
    operationId: "participant_defer",
    summary: "Notify that an ECF participant is taking a break from their course",
    description: "Sets `training_status` to `deferred`. Declarations can still be made for a deferred participant.",
    answers: actionAnswers("defer", "being deferred", { title: "reason", detail: MESSAGES.reasonInvalid }),
  },
  resume: {
    operationId: "participant_resume",
    summary: "Notify that an ECF participant is resuming their course",
    description: "Sets `training_status` to `active`, from deferred or withdrawn.",
    answers: actionAnswers("resume", "being resumed", { title: "participant_profile", detail: MESSAGES.alreadyActive }),
  },
  withdraw: {
    operationId: "participant_withdraw",
    summary: "Notify that an ECF participant has withdrawn from their course",
    description: "Sets `training_status` to `withdrawn` (the participant's `status` is the school's and does not change).",
    answers: actionAnswers("withdraw", "being withdrawn", { title: "participant_profile", detail: MESSAGES.alreadyWithdrawn }),
  },
  "change-schedule": {
    operationId: "participant_change_schedule",
    summary: "Notify that an ECF participant is changing training schedule",
    description:
      "Moves the participant to the schedule with this identifier in the target cohort. A billable declaration whose type has no milestone in the new schedule answers 404.",
    answers: actionAnswers("change-schedule", "changing schedule", { title: "schedule_identifier", detail: MESSAGES.scheduleAlreadyOnProfile }),
  },
} as const;

export const actionOperation = (action: keyof typeof ACTION_OPERATIONS, op: Partial<Operation> = {}) =>
  operation({ tags: TAGS, ...ACTION_OPERATIONS[action], ...op });

