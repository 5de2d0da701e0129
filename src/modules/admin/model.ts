import { t } from "elysia";

/** Bodies of the admin API (sandbox-contract.md), validated with TypeBox in `validateBody`. */
export const CreateLeadProviderBody = t.Object({
  name: t.String({ minLength: 1, maxLength: 200 }),
});

const Urn = t.String({ pattern: "^[0-9]{6}$", description: "a 6-digit school URN" });
const Uuid = t.String({ format: "uuid" });

export const CreateParticipantBody = t.Object({
  lead_provider_id: Uuid,
  participant_type: t.Union([t.Literal("ect"), t.Literal("mentor")]),
  cohort: t.Integer({ minimum: 2021, maximum: 2025 }),
  schedule_identifier: t.Optional(t.String({ minLength: 1 })),
  full_name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
  email: t.Optional(t.String({ minLength: 3, maxLength: 200, pattern: "^[^@\\s]+@[^@\\s]+$" })),
  teacher_reference_number: t.Optional(t.Union([t.String({ pattern: "^[0-9]{7}$" }), t.Null()])),
  teacher_reference_number_validated: t.Optional(t.Boolean()),
  eligible_for_funding: t.Optional(t.Union([t.Boolean(), t.Null()])),
  pupil_premium_uplift: t.Optional(t.Boolean()),
  sparsity_uplift: t.Optional(t.Boolean()),
  school_urn: t.Optional(Urn),
  mentor_id: t.Optional(t.Union([Uuid, t.Null()])),
  participant_id: t.Optional(Uuid),
});

export const CourseIdentifier = t.Union([t.Literal("ecf-induction"), t.Literal("ecf-mentor")]);

export const TransferBody = t.Object({
  course_identifier: CourseIdentifier,
  to_lead_provider_id: Uuid,
  school_urn: t.Optional(Urn),
});

export const InductionStatusBody = t.Object({
  course_identifier: CourseIdentifier,
  status: t.Union([t.Literal("active"), t.Literal("withdrawn")]),
});

export const DeclarationStateBody = t.Object({
  state: t.Union([t.Literal("eligible"), t.Literal("payable"), t.Literal("paid"), t.Literal("clawed_back")]),
});

export const ClockBody = t.Object({
  now: t.String({ minLength: 1, description: "an ISO 8601 instant, e.g. 2025-01-10T10:42:00Z" }),
});
